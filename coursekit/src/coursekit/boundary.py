"""The site publishes the course repository's own files, nothing from elsewhere.

A symbolic link committed to the repository can lead anywhere on the machine
that builds the site: `slides/notes.md -> ~/notes.md`, or a page linked to a
credentials file. The build would read and publish what it leads to. A deck
or page whose real location is outside the repository is refused; links
between files of the repository (a page that is the top-level CHANGELOG.md)
stay allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import Problem


def outside_problems(paths: Iterable[Path], root: Path, rule: str) -> list[Problem]:
    """A problem, with `rule`, for each of `paths` that resolves outside `root`."""
    inside = root.resolve()
    problems = []
    for path in paths:
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a loop of links
            where = "a loop of links"
        else:
            if target.is_relative_to(inside):
                continue
            where = f"a link to {target}, outside the course repository"
        problems.append(
            Problem(
                path,
                1,
                1,
                rule,
                f"the file is {where}: the site would publish a file of the "
                "machine that builds it",
                "put the file itself in the repository, or remove the link",
            )
        )
    return problems
