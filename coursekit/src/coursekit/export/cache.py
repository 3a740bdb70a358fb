"""A content-addressed cache of exports: same inputs, same key, no Marp run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..fsutil import copy_atomically
from ..themes import ThemeSet
from .sources import DeckSource, content

_KEY_VERSION = b"coursekit-slide-export-1"


def export_key(
    source: DeckSource, themes: ThemeSet, tool_version: str, options: list[str]
) -> str:
    """Hash of everything the export of `source` depends on.

    The deck text, every file of the theme set (a theme may `@import`
    another), the content of each local image, Marp's version and the export
    options. Paths are left out so a moved checkout still hits the cache,
    and line endings (`content`) so a Windows checkout does too.
    """
    digest = hashlib.sha256(_KEY_VERSION)
    parts: list[bytes] = [tool_version.encode(), "\0".join(options).encode()]
    parts.append(source.text)
    for css in themes.paths:
        parts += [css.name.encode(), content(css)]
    for image in source.images:
        parts += [image.src.encode(), content(image.file)]
    for part in parts:
        # Length-prefix each part so no two different inputs hash the same.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class ExportCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def entry(self, key: str, suffix: str) -> Path:
        return self.directory / key[:2] / f"{key}.{suffix}"

    def get(self, key: str, suffix: str) -> Path | None:
        entry = self.entry(key, suffix)
        return entry if entry.is_file() else None

    def put(self, key: str, suffix: str, produced: Path) -> Path:
        entry = self.entry(key, suffix)
        copy_atomically(produced, entry)
        return entry
