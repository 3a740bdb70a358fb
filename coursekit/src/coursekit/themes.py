"""Marp themes: a theme is a CSS file that names itself with `@theme`."""

from __future__ import annotations

import re
from pathlib import Path

_THEME_NAME = re.compile(r"/\*[\s*]*@theme\s+([\w-]+)")
BUILT_IN_THEMES = frozenset({"default", "gaia", "uncover"})


def theme_names(themes_dir: Path) -> dict[str, Path]:
    """Map each theme name declared in `themes_dir/*.css` to its file."""
    themes: dict[str, Path] = {}
    if not themes_dir.is_dir():
        return themes
    for css in sorted(themes_dir.glob("*.css")):
        match = _THEME_NAME.search(css.read_text(encoding="utf-8"))
        if match:
            themes[match.group(1)] = css
    return themes
