"""What a deck's export is made from: its text, its theme and its local images.

Everything Marp would read is checked here, before Marp runs, because Marp
itself falls back to its default theme and drops missing images silently.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..model import Deck
from ..themes import ThemeSet
from .errors import ExportError


@dataclass(frozen=True)
class LocalImage:
    src: str
    """The path as written in the deck."""
    file: Path
    line: int

    @property
    def path(self) -> PurePosixPath:
        """The path a browser resolves: no query, fragment or %-escapes."""
        written = unquote(self.src.split("#", 1)[0].split("?", 1)[0])
        return PurePosixPath(posixpath.normpath(written))

    @property
    def relative(self) -> PurePosixPath | None:
        """The path under the deck's folder, or None if it leaves that folder."""
        path = self.path
        if path.is_absolute() or path.parts[:1] == ("..",):
            return None
        return path


@dataclass(frozen=True)
class DeckSource:
    deck: Deck
    text: bytes
    """The deck file's bytes, read once: what is hashed is what Marp gets."""
    theme: str | None
    theme_line: int | None
    images: tuple[LocalImage, ...]

    @property
    def stem(self) -> str:
        return self.deck.stem


def read_source(deck: Deck, themes: ThemeSet) -> DeckSource:
    """The deck's export inputs; a missing theme or image raises `ExportError`."""
    text = deck.path.read_bytes()
    theme, theme_line = _requested_theme(deck, text)
    if theme is not None and theme not in themes.names:
        known = ", ".join(sorted(themes.names))
        raise ExportError(
            deck.path,
            theme_line,
            f"theme `{theme}` is not in the theme set {themes.directory} "
            f"(Marp would silently use its default theme instead)",
            f"add a CSS file declaring `/* @theme {theme} */` to "
            f"{themes.directory}, or use one of: {known}",
        )
    return DeckSource(deck, text, theme, theme_line, _local_images(deck))


def copy_deck_images(sources: list[DeckSource], out_dir: Path) -> list[str]:
    """Copy each deck's images under `out_dir` as the HTML decks refer to them.

    Returns a warning for each image that lives outside its deck's folder:
    such a path cannot be reproduced next to the exported deck.
    """
    warnings = []
    for source in sources:
        for image in source.images:
            relative = image.relative
            if relative is None:
                warnings.append(
                    f"{source.deck.path}:{image.line}: image `{image.src}` is "
                    "outside the deck's folder and was not copied next to the "
                    "exported deck; keep slide images under the deck's folder"
                )
                continue
            target = out_dir / relative
            if target.exists() and target.read_bytes() == image.file.read_bytes():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image.file, target)
    return warnings


def _requested_theme(deck: Deck, text: bytes) -> tuple[str | None, int | None]:
    """The theme Marp will apply (the last one declared) and its line."""
    theme = deck.slides[-1].directives.get("theme") if deck.slides else deck.theme
    if not theme:
        return None, None
    name = str(theme)
    pattern = re.compile(rf"\btheme\s*:\s*[\"']?{re.escape(name)}[\"']?\s*(-->)?\s*$")
    lines = text.decode("utf-8-sig").splitlines()
    found = [number for number, line in enumerate(lines, 1) if pattern.search(line)]
    fallback = 2 if deck.front_matter_lines else 1
    return name, found[-1] if found else fallback


def _local_images(deck: Deck) -> tuple[LocalImage, ...]:
    images = []
    for image in deck.images:
        if not image.is_local:
            continue
        file = deck.resolve(unquote(image.src))
        if not file.is_file():
            raise ExportError(
                deck.path,
                image.line,
                f"image `{image.src}` not found (looked for {file})",
                "add the image file or correct its path, which is relative "
                "to the deck's folder",
            )
        images.append(LocalImage(image.src, file, image.line))
    return tuple(images)
