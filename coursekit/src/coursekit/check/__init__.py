"""`course check`: validate the whole course without a browser or network.

Every problem is collected (not only the first) so that one run lists all
there is to fix: decks, pages and their links, lab notebooks, and the course
code's `.env`. The deck rules are the ones the build enforces
(`check.decks.check_deck`), so a course that passes the check builds.
"""

from __future__ import annotations

from ..config import CourseConfig
from ..decks import DeckReader, deck_files
from ..errors import Problem
from ..plugin.trial_build import check_pages
from ..site import lab_notebooks
from .decks import check_deck_file, unique_problems
from .env import check_env
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
    notebook_problems = check_notebooks(lab_notebooks(config))
    problems = [*deck_problems, *notebook_problems]
    # The build skips a file that is not a Marp deck and shows the labs as
    # they are committed; any other deck problem, or a lab that is not a
    # notebook, stops the site build, so its pages cannot be checked.
    if any(p.rule != "deck-marp" for p in deck_problems) or any(
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


def _page_mojibake(config: CourseConfig) -> list[Problem]:
    return [
        problem
        for page in sorted(config.docs_dir.rglob("*.md"))
        for problem in mojibake_problems(page, page.read_text(encoding="utf-8"))
    ]
