"""Where a piece of text is in a deck's lines, for a problem's line and column."""

from __future__ import annotations

from collections.abc import Sequence


def find_text(
    lines: Sequence[str], text: str, first: int, last: int
) -> tuple[int, int]:
    """1-based (line, column) of `text` in lines[first:last], else of `first`."""
    for index in range(max(first, 0), min(last, len(lines))):
        column = lines[index].find(text)
        if column >= 0:
            return index + 1, column + 1
    return first + 1, 1
