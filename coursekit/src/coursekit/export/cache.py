"""A content-addressed cache of exports: same inputs, same key, no Marp run.

Entries are checked against the hash recorded when they were written
(`coursekit.diskcache`): a cut-short PDF or HTML deck is converted again,
never published.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..diskcache import DiskCache, OnDamage
from ..themes import ThemeSet
from .sources import DeckSource

_KEY_VERSION = b"coursekit-slide-export-2"


def export_key(
    source: DeckSource, themes: ThemeSet, tool_version: str, options: list[str]
) -> str:
    """Hash of everything the export of `source` depends on.

    The deck text, every file of the theme set (a theme may `@import`
    another), the content of each local image, Marp's version and the export
    options. Paths are left out so a moved checkout still hits the cache.
    """
    digest = hashlib.sha256(_KEY_VERSION)
    parts: list[bytes] = [tool_version.encode(), "\0".join(options).encode()]
    parts.append(source.text)
    for css in themes.paths:
        parts += [css.name.encode(), css.read_bytes()]
    for image in source.images:
        parts += [image.src.encode(), image.file.read_bytes()]
    for part in parts:
        # Length-prefix each part so no two different inputs hash the same.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class ExportCache:
    def __init__(self, directory: Path, on_damage: OnDamage | None = None) -> None:
        self._entries = DiskCache(directory, on_damage)

    def get(self, key: str, suffix: str) -> Path | None:
        """The cached export, or None when it is missing or was damaged."""
        return self._entries.get(_name(key, suffix))

    def put(self, key: str, suffix: str, produced: Path) -> Path:
        return self._entries.put_file(_name(key, suffix), produced)


def _name(key: str, suffix: str) -> str:
    # A folder per two hex digits keeps each folder small.
    return f"{key[:2]}/{key}.{suffix}"
