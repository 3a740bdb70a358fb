"""Which files of the slides folder are decks, and which of them are lectures.

One rule for the build, `course check` and `course slides`: a deck is a
Markdown file directly in the slides folder that starts with front matter (a
byte-order mark before it is allowed); it is a lecture when Marp would treat
it as a Marp deck (`marp: true`). Other Markdown files there (a README for
instructors) are left alone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .memo import Memo
from .model import Deck
from .parse import parse_source

_FRONT_MATTER_START = (b"---", b"\xef\xbb\xbf---")


def deck_files(slides_dir: Path) -> list[Path]:
    """The decks of `slides_dir`, sorted by name."""
    if not slides_dir.is_dir():
        return []
    return [
        path
        for path in sorted(slides_dir.glob("*.md"))
        if path.is_file() and _starts_with_front_matter(path)
    ]


def _starts_with_front_matter(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(6).startswith(_FRONT_MATTER_START)


class DeckReader:
    """Parses deck files, parsing a file again only when its bytes changed."""

    def __init__(self) -> None:
        self._parsed: Memo[Path, Deck] = Memo()

    def read(self, path: Path) -> Deck:
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).digest()
        return self._parsed.get(path, digest, lambda: parse_source(raw, path))

    def lectures(self, slides_dir: Path) -> list[Deck]:
        """Every deck of `slides_dir` that is a Marp deck, parsed.

        A deck that cannot be parsed raises its `ContentError`.
        """
        paths = deck_files(slides_dir)
        self._parsed.keep_only(paths)
        return [deck for deck in map(self.read, paths) if deck.is_marp]
