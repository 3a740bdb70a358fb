"""The key of a slide export: same inputs, same key, no Marp run.

Exports are kept in a `coursekit.diskcache.DiskCache` under this key, so a
cut-short PDF or HTML deck is converted again, never published.
"""

from __future__ import annotations

from ..diskcache import content_key
from ..themes import ThemeSet
from .sources import DeckSource, content

_KEY_VERSION = "coursekit-slide-export-2"


def export_key(
    source: DeckSource, themes: ThemeSet, tool_version: str, options: list[str]
) -> str:
    """Hash of everything the export of `source` depends on.

    The deck text, every file of the theme set (a theme may `@import`
    another), the content of each local image, Marp's version and the export
    options. Paths are left out so a moved checkout still hits the cache,
    and line endings (`content`) so a Windows checkout does too.
    """
    parts: list[bytes | str] = [_KEY_VERSION, tool_version, "\0".join(options)]
    parts.append(source.text)
    for css in themes.paths:
        parts += [css.name, content(css)]
    for image in source.images:
        parts += [image.src, content(image.file)]
    return content_key(*parts)
