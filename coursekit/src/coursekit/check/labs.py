"""Lab links to slides: each must name a lecture deck and one of its slides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem
from ..lab_links import SlideLink
from ..model import Deck


def slide_link_problems(
    links: list[SlideLink], decks: Mapping[Path, Deck]
) -> list[Problem]:
    """A problem for each link to a deck that is not a lecture, or to a slide
    the deck does not have; `decks` are the lectures by their resolved path."""
    problems = []
    for link in links:
        deck = decks.get(link.deck)
        where = f"cell {link.cell} links to `{link.href}`"
        if deck is None:
            problem = (
                f"{where}, which is not a lecture deck",
                "point the link at a deck of the slides folder (a Markdown "
                "file with `marp: true`)",
            )
        elif link.anchor and link.slide is None:
            problem = (
                f"{where}: a deck link's anchor must name a slide",
                "write the anchor as #slide-N, N being the slide's number",
            )
        elif link.slide is not None and link.slide > len(deck.slides):
            problem = (
                f"{where}, but {deck.path.name} has {len(deck.slides)} slides",
                "link to a slide the deck has (slides move when the deck "
                "changes: look the slide up on the lecture page)",
            )
        else:
            continue
        message, fix = problem
        problems.append(
            Problem(link.notebook, link.line, 1, "lab-slide-link", message, fix)
        )
    return problems
