"""What a deck's export is made from: its text, its theme, its local images
and the fonts its math is set in.

Everything Marp would read is checked here, before Marp runs, because Marp
itself falls back to its default theme and drops missing images silently.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..fsutil import copy_if_changed
from ..model import Deck
from ..themes import ThemeSet
from .errors import ExportError

KATEX_FONTS = "katex/fonts/"
"""Where an HTML deck finds the KaTeX fonts of its math, relative to itself."""


LINE_ENDING_BLIND = frozenset({".css", ".svg"})
"""Formats whose readers take CR LF and CR for LF (CSS preprocessing, XML
end-of-line handling): git's core.autocrlf changes their bytes, not what
Marp and the browser make of them."""


def content(path: Path) -> bytes:
    """The bytes of an export input as its reader sees them: a theme or an
    SVG image with its line endings made LF, any other file as it is."""
    data = path.read_bytes()
    if path.suffix.lower() in LINE_ENDING_BLIND:
        return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


@dataclass(frozen=True)
class LocalFile:
    """A file the export shows, found beside the deck as the deck names it."""

    src: str
    """The path as written in the deck (or in the CSS, for a font)."""
    file: Path
    line: int
    """The deck's line that names it; 0 for a font."""

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
    images: tuple[LocalFile, ...]
    """Its local images and the KaTeX fonts: Marp finds them beside the deck
    when it prints, and they are copied beside the HTML deck."""

    @property
    def stem(self) -> str:
        return self.deck.stem

    @property
    def text(self) -> bytes:
        """What Marp converts and the cache key hashes: the parsed deck's text,
        so a deck with CRLF line endings exports as the same deck with LF."""
        return self.deck.text.encode("utf-8")


def read_source(
    deck: Deck, themes: ThemeSet, fonts: tuple[LocalFile, ...] = ()
) -> DeckSource:
    """The deck's export inputs; a missing theme or image raises `ExportError`.

    `fonts` are the KaTeX fonts (`katex_fonts`) its math is set in.
    """
    problem = themes.unknown_theme(deck)
    if problem is not None:
        raise ExportError.from_problems(problem)
    return DeckSource(deck, _local_images(deck) + fonts)


def katex_fonts(node_dir: Path) -> tuple[LocalFile, ...]:
    """The fonts of the KaTeX that Marp Core typesets math with.

    Marp Core would have the browser fetch them from a CDN: a deck shown
    offline, and a PDF printed offline, would draw its math in fallback
    fonts. Only WOFF2, which every browser that shows a deck reads.
    """
    nested = node_dir / "node_modules/@marp-team/marp-core/node_modules/katex"
    katex = nested if nested.is_dir() else node_dir / "node_modules/katex"
    fonts = sorted((katex / "dist/fonts").glob("*.woff2"))
    return tuple(LocalFile(f"{KATEX_FONTS}{font.name}", font, 0) for font in fonts)


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
            copy_if_changed(image.file, out_dir / relative)
    return warnings


def _local_images(deck: Deck) -> tuple[LocalFile, ...]:
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
                rule="deck-image",
            )
        images.append(LocalFile(image.src, file, image.line))
    return tuple(images)
