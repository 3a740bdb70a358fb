"""Term names: what an offering of the course is called, and their order.

A term is `<year>-<season>`, the season one of winter, spring, summer, fall,
all lower case: `2027-winter`. The name is the offering's folder in the
published site (`/2027-winter/`), so it is short, stable and URL-safe; its
title (`Winter 2027`) is what the version selector and the banner show.

Within a year the seasons follow the calendar, winter first and fall last.
mike orders versions as software versions, which puts `2027-fall` before
`2027-winter`; `order_versions` puts them back in teaching order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEASONS = ("winter", "spring", "summer", "fall")
"""In calendar order: a later season of the same year is a newer term."""
TERM_FORM = "<year>-<season>, the season one of " + ", ".join(SEASONS)
EXAMPLE = "2027-winter"

_TERM = re.compile(r"(?P<year>\d{4})-(?P<season>[a-z]+)")
# Other words people use for a season, and the season each one means.
_SEASON_SYNONYMS = {"autumn": "fall"}


class TermError(ValueError):
    """A term name that is missing or not of the form <year>-<season>."""

    def __init__(self, text: str, guess: str | None) -> None:
        self.guess = guess
        """The term `text` probably meant, when one can tell."""
        problem = f'"{text}" is not a term name' if text.strip() else "no term given"
        hint = f"; did you mean {guess}?" if guess else ""
        super().__init__(f"{problem}{hint}\n  a term is {TERM_FORM}")


@dataclass(frozen=True, order=True)
class Term:
    year: int
    rank: int
    """The season's place in SEASONS: fields in this order sort terms in time."""

    @property
    def season(self) -> str:
        return SEASONS[self.rank]

    @property
    def name(self) -> str:
        return f"{self.year}-{self.season}"

    @property
    def title(self) -> str:
        return f"{self.season.capitalize()} {self.year}"

    def __str__(self) -> str:
        return self.name


def parse_term(text: str) -> Term:
    """The term named `text`, or a TermError that says the form to use."""
    match = _TERM.fullmatch(text)
    if match and match["season"] in SEASONS:
        return Term(int(match["year"]), SEASONS.index(match["season"]))
    raise TermError(text, _guess(text))


def _guess(text: str) -> str | None:
    """The term `text` probably means (`Winter 2027`, `2027_Autumn`), if any."""
    years = re.findall(r"\d{4}", text)
    words = [
        _SEASON_SYNONYMS.get(word, word) for word in re.findall(r"[a-z]+", text.lower())
    ]
    seasons = [word for word in words if word in SEASONS]
    if len(years) == 1 and len(seasons) == 1:
        return f"{years[0]}-{seasons[0]}"
    return None


def is_term(name: str) -> bool:
    try:
        parse_term(name)
    except TermError:
        return False
    return True


def order_versions(versions: list[dict]) -> list[dict]:
    """mike's versions.json entries with the terms newest first.

    Entries that are not terms (a version someone deployed by hand) keep
    their order after the terms.
    """
    terms = [entry for entry in versions if is_term(entry["version"])]
    others = [entry for entry in versions if not is_term(entry["version"])]
    terms.sort(key=lambda entry: parse_term(entry["version"]), reverse=True)
    return terms + others
