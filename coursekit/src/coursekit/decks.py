"""Which files of the slides folder are decks, and which of them are lectures.

One rule for the build, `course check` and `course slides`: a deck is a
Markdown file directly in the slides folder that starts with front matter (a
byte-order mark before it is allowed); it is a lecture when Marp would treat
it as a Marp deck (`marp: true`). Other Markdown files there (a README for
instructors) are left alone.

Discovery refuses what would publish the wrong thing: a deck that is a link
to a file outside the course repository (`boundary`), and two decks whose
names differ only in case, which are one file on macOS and Windows (a
checkout there keeps one of them) and one address on a case-insensitive
web server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .boundary import outside_problems
from .errors import CourseError, Problem
from .memo import Memo
from .model import Deck
from .parse import parse_source

_FRONT_MATTER_START = (b"---", b"\xef\xbb\xbf---")


@dataclass(frozen=True)
class DeckFiles:
    paths: tuple[Path, ...]
    """The decks to read, sorted by name."""
    problems: tuple[Problem, ...]
    """Deck files refused: links out of the repository, names equal but for case."""


def deck_files(slides_dir: Path, root: Path) -> DeckFiles:
    """The decks of `slides_dir`, in the course repository at `root`."""
    if not slides_dir.is_dir():
        return DeckFiles((), ())
    candidates = [path for path in sorted(slides_dir.glob("*.md")) if path.is_file()]
    outside = outside_problems(candidates, root, "deck-symlink")
    refused = {problem.path for problem in outside}
    paths = [
        path
        for path in candidates
        if path not in refused and _starts_with_front_matter(path)
    ]
    problems = [*outside, *_case_collisions(paths)]
    return DeckFiles(tuple(paths), tuple(sorted(problems)))


def _case_collisions(paths: list[Path]) -> list[Problem]:
    first_of: dict[str, Path] = {}
    problems = []
    for path in paths:
        first = first_of.setdefault(path.name.casefold(), path)
        if first != path:
            problems.append(
                Problem(
                    path,
                    1,
                    1,
                    "deck-name-case",
                    f"the name differs from {first.name} only in case: on macOS "
                    "and Windows they are one file, and on the site one address",
                    "rename one of the two decks",
                )
            )
    return problems


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

    def lectures(self, slides_dir: Path, root: Path) -> list[Deck]:
        """Every deck of `slides_dir` that is a Marp deck, parsed.

        Refused deck files raise `CourseError`; a deck that cannot be parsed
        raises its `ContentError`.
        """
        found = deck_files(slides_dir, root)
        if found.problems:
            raise CourseError(*found.problems)
        self._parsed.keep_only(found.paths)
        return [deck for deck in map(self.read, found.paths) if deck.is_marp]
