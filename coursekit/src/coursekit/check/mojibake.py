"""Mojibake: UTF-8 text that was once decoded with a legacy 8-bit codec.

ftfy repairs the Windows-1252 and Latin-1 cases, but not every Mac Roman one:
`🔗` read as Mac Roman is `üîó`, whose first character is in the private use
area, and ftfy does not treat that sequence as suspicious. So runs of
characters are also tested directly: if their bytes in a legacy codec form a
valid multi-byte UTF-8 sequence, they are the mojibake of that character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from ftfy.badness import is_bad

from ..errors import Problem
from ..markdown import marp_markdown

_CODECS = ("mac_roman", "sloppy-windows-1252")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1")


@dataclass(frozen=True)
class Mojibake:
    column: int
    """1-based column of the first damaged character."""
    damaged: str
    """The damaged characters, e.g. `‚Äú`."""
    original: str
    """What they were before the damage, e.g. `“`."""
    repaired: str
    """The whole line with every damaged run repaired."""


def find_mojibake(line: str) -> Mojibake | None:
    """The first mojibake in `line` and the repaired line, or None."""
    if line.isascii():  # mojibake is made of non-ASCII characters
        return None
    repaired, span = _repair_runs(line)
    fixed = ftfy.fix_encoding(repaired)
    if fixed == line:
        return None
    if span is None:
        start = end = _first_difference(line, fixed)
        while end < len(line) and not line[end].isascii():
            end += 1
        span = (start, max(end, start + 1))
    damaged = line[slice(*span)]
    original = ftfy.fix_encoding(_repair_runs(damaged)[0])
    return Mojibake(span[0] + 1, damaged, original, repaired=fixed)


def _repair_runs(line: str) -> tuple[str, tuple[int, int] | None]:
    """Repair each damaged run; also return where the first one is."""
    out: list[str] = []
    first: tuple[int, int] | None = None
    index = 0
    while index < len(line):
        match = _sequence_at(line, index)
        if match is None:
            out.append(line[index])
            index += 1
            continue
        length, character = match
        if first is None:
            first = (index, index + length)
        out.append(character)
        index += length
    return "".join(out), first


def _sequence_at(line: str, index: int) -> tuple[int, str] | None:
    """(length, original character) if a damaged sequence starts at `index`.

    Two characters can form valid UTF-8 by chance (`–é` is Mac Roman for `Ў`),
    so a two-character sequence must also look wrong to ftfy; three or four
    non-ASCII characters in a row that do are never ordinary text. Where both
    codecs give a character, one that is a letter, symbol or punctuation wins
    over a combining mark or a private-use one (`Ã©` is `é`, not U+0329).
    """
    candidates = [
        found for codec in _CODECS if (found := _decoded_at(line, index, codec))
    ]
    candidates.sort(key=lambda found: unicodedata.category(found[1])[0] in "MC")
    for length, character in candidates:
        if length > 2 or is_bad(line[index : index + length]):
            return length, character
    return None


def _decoded_at(line: str, index: int, codec: str) -> tuple[int, str] | None:
    lead = _byte(line[index], codec)
    if lead is None:
        return None
    length = _utf8_length(lead)
    if length < 2 or index + length > len(line):
        return None
    data = bytes(_byte(char, codec) or 0 for char in line[index : index + length])
    try:
        return length, data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _byte(char: str, codec: str) -> int | None:
    if char.isascii():
        return None
    try:
        data = char.encode(codec)
    except UnicodeEncodeError:
        return None
    return data[0] if len(data) == 1 else None


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _first_difference(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
        min(len(a), len(b)),
    )


def mojibake_problems(path: Path, markdown: str) -> Iterator[Problem]:
    """One problem for each line of Markdown prose with mojibake.

    Code is left out: it is where a page shows mojibake on purpose, to teach
    what it looks like (`‚Äú` in backticks is an example, not damage).
    """
    for number, line in enumerate(_prose_lines(markdown), start=1):
        found = find_mojibake(line)
        if found:
            yield Problem(
                path,
                number,
                found.column,
                "mojibake",
                f"'{found.damaged}' is mojibake of '{found.original}' (UTF-8 "
                "text read as Mac Roman or Windows-1252)",
                f"replace the line with: {found.repaired.strip()}",
            )


def _prose_lines(markdown: str) -> list[str]:
    """The lines of `markdown` with code blanked out, columns kept."""
    lines = markdown.splitlines()
    for token in marp_markdown().parse(markdown):
        if token.type in {"fence", "code_block"} and token.map:
            for index in range(*token.map):
                lines[index] = ""
    return [_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) for line in lines]
