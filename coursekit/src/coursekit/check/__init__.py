"""`course check`: validate the whole course without a browser or network.

Every problem is collected (not only the first) so that one run lists all
there is to fix: decks, pages and their links, lab notebooks, and the course
code's `.env`. The deck rules are the ones the build enforces
(`check.decks.check_deck`), so a course that passes the check builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..config import CourseConfig
from ..decks import DeckReader, deck_files
from ..errors import CourseError, Problem
from ..lab_links import slide_links
from ..model import Deck
from ..plugin.trial_build import check_pages
from ..site import lab_notebooks
from .decks import check_deck_file, unique_problems
from .env import check_env
from .labs import slide_link_problems
from .mojibake import mojibake_problems
from .notebooks import check_notebooks

__all__ = ["check_course"]


def check_course(config: CourseConfig) -> list[Problem]:
    reader = DeckReader()
    found = deck_files(config.slides_dir, config.root)
    deck_problems = unique_problems(
        [
            *found.problems,
            *(
                problem
                for path in found.paths
                for problem in check_deck_file(path, config, reader)
            ),
        ]
    )
    labs = lab_notebooks(config)
    notebook_problems = check_notebooks(labs)
    lectures = {deck.path.resolve(): deck for deck in _lectures(found.paths, reader)}
    links = [link for lab in labs for link in slide_links(lab, config.slides_dir)]
    link_problems = slide_link_problems(links, lectures)
    problems = [*deck_problems, *link_problems, *notebook_problems]
    # The build skips a file that is not a Marp deck and shows the labs as
    # they are committed; any other deck problem, a broken link to a slide or
    # a lab that is not a notebook stops the site build, so its pages cannot
    # be checked.
    if any(p.rule != "deck-marp" for p in [*deck_problems, *link_problems]) or any(
        p.rule == "notebook-format" for p in notebook_problems
    ):
        problems.append(
            Problem(
                config.config_file,
                1,
                1,
                "pages-unchecked",
                "page links were not checked: the site does not build until the "
                "problems above are fixed",
            )
        )
    else:
        problems.extend(check_pages(config))
    problems.extend(_page_mojibake(config))
    problems.extend(check_env(config.root))
    return problems


def _lectures(paths: Sequence[Path], reader: DeckReader) -> list[Deck]:
    """The lecture decks that parse (the others are reported already)."""
    decks = []
    for path in paths:
        try:
            deck = reader.read(path)
        except CourseError:
            continue
        if deck.is_marp:
            decks.append(deck)
    return decks


def _page_mojibake(config: CourseConfig) -> list[Problem]:
    return [
        problem
        for page in sorted(config.docs_dir.rglob("*.md"))
        for problem in mojibake_problems(page, page.read_text(encoding="utf-8"))
    ]
