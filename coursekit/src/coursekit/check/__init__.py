"""`course check`: validate the whole course without a browser or network.

Every problem is collected (not only the first) so that one run lists all
there is to fix: decks, pages and their links, lab notebooks, and the course
code's `.env`.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from ..site import lab_notebooks
from .decks import check_deck_file, deck_paths
from .env import check_env
from .notebooks import check_notebooks
from .pages import MkDocsMessages, check_pages
from .problems import Problem

__all__ = ["Problem", "check_course"]

CONFIG_FILE = "mkdocs.yml"


def check_course(root: Path) -> list[Problem]:
    root = root.resolve()
    config_file = root / CONFIG_FILE
    with MkDocsMessages().collecting() as collected:
        try:
            config = load_config(str(config_file))
        except (MkDocsException, OSError) as error:
            message = "; ".join(collected.messages) or str(error)
            return [Problem(config_file, 1, 1, "config", message).relative_to(root)]
    if "coursekit" not in config.plugins:
        return [
            Problem(
                config_file,
                1,
                1,
                "config",
                "the coursekit plugin is not in `plugins:`",
                "add `- coursekit` under `plugins:`",
            )
        ]
    layout = config.plugins["coursekit"].course_layout(config)
    problems = [
        problem
        for path in deck_paths(layout)
        for problem in check_deck_file(path, layout)
    ]
    # The build skips a file that is not a Marp deck; any other deck problem
    # makes the plugin refuse to build, so the pages cannot be checked.
    if any(problem.rule != "deck-marp" for problem in problems):
        problems.append(
            Problem(
                config_file,
                1,
                1,
                "pages-unchecked",
                "page links were not checked: the site does not build until the "
                "deck problems are fixed",
            )
        )
    else:
        problems.extend(check_pages(config_file, layout))
    problems.extend(check_notebooks(lab_notebooks(layout)))
    problems.extend(check_env(root))
    return [problem.relative_to(root) for problem in problems]
