"""Marp themes: the course's theme CSS files and the names they declare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .model import Deck

BUILTIN_THEMES = frozenset({"default", "gaia", "uncover"})
"""Themes Marp Core ships; a deck may name them without a theme set."""

_CSS_COMMENT = re.compile(r"/\*(.*?)\*/", re.DOTALL)
_THEME_NAME = re.compile(r"@theme\s+([^\s*]+)")


@dataclass(frozen=True)
class ThemeSet:
    directory: Path
    files: dict[str, Path]
    """Theme name -> the CSS file that declares it."""

    @property
    def names(self) -> frozenset[str]:
        return BUILTIN_THEMES | frozenset(self.files)

    @property
    def paths(self) -> list[Path]:
        return sorted(self.files.values())

    def unknown_theme(self, deck: Deck) -> Problem | None:
        """The problem of a deck whose theme is not in this set, if it is not.

        Marp would silently fall back to its default theme, so the build and
        `course check` both refuse it, at the line that names the theme.
        """
        if deck.theme is None or deck.theme in self.names:
            return None
        known = ", ".join(sorted(self.names))
        return Problem(
            deck.path,
            deck.theme_line,
            deck.column(deck.theme_line, deck.theme),
            "deck-theme",
            f"theme '{deck.theme}' is not in the theme set {self.directory.name}/ "
            "(Marp would silently use its default theme instead)",
            f"add a CSS file declaring `/* @theme {deck.theme} */` to "
            f"{self.directory.name}/, or use one of: {known}",
        )


def load_theme_set(directory: Path) -> ThemeSet:
    """Read every `*.css` of `directory`; each must name its theme, once."""
    files: dict[str, Path] = {}
    css_files = sorted(directory.glob("*.css")) if directory.is_dir() else []
    for css in css_files:
        name, line = _declared_name(css)
        if name is None:
            raise ContentError(
                css,
                1,
                "the theme CSS declares no theme name, so Marp cannot use it",
                "start the file with a comment like `/* @theme course */`",
                rule="theme-css",
            )
        if name in files:
            raise ContentError(
                css,
                line,
                f"theme `{name}` is already declared by {files[name].name}",
                "give each theme CSS file its own `@theme` name",
                rule="theme-css",
            )
        files[name] = css
    return ThemeSet(directory, files)


def _declared_name(css: Path) -> tuple[str | None, int]:
    text = css.read_text(encoding="utf-8")
    for comment in _CSS_COMMENT.finditer(text):
        found = _THEME_NAME.search(comment.group(1))
        if found:
            start = comment.start(1) + found.start()
            return found.group(1), text.count("\n", 0, start) + 1
    return None, 1
