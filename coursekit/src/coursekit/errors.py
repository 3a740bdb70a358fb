"""The one error family of coursekit, and the one way it is printed.

Every defect the build or `course check` finds is a `Problem`: where it is
(path, line, column), which rule it breaks (a stable id such as `deck-image`
to search the docs for or to filter on) and how to fix it. A stage that
cannot go on raises a `CourseError` carrying its problems; the MkDocs plugin,
the CLI and `--format json` all print problems with the functions below, so a
problem reads the same wherever it surfaces.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    """1-based; 1 when the problem concerns the whole file."""
    column: int
    rule: str
    """A stable id (`deck-image`, `page-anchor`, `export-timeout`...)."""
    message: str
    fix: str = ""

    def relative_to(self, root: Path) -> Problem:
        """The same problem with its path shown relative to `root`, if inside.

        The path as given is tried first: a link in the repository is shown
        where it is, not where it leads.
        """
        path = Path(self.path)
        for shown, base in (
            (_normalized(path), _normalized(root)),
            (path.resolve(), root.resolve()),
        ):
            if shown.is_relative_to(base):
                return replace(self, path=shown.relative_to(base))
        return self

    def format(self) -> str:
        text = f"{Path(self.path).as_posix()}:{self.line}:{self.column}: "
        text += f"{self.rule} {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class CourseError(Exception):
    """A stage cannot go on: the problems say where, why and how to fix it."""

    def __init__(self, *problems: Problem) -> None:
        if not problems:
            raise ValueError("a CourseError needs at least one problem")
        self.problems = problems
        super().__init__(format_problems(problems))

    @classmethod
    def from_problems(cls, *problems: Problem) -> CourseError:
        """An error of this class for problems found by a shared rule."""
        error = cls.__new__(cls)
        CourseError.__init__(error, *problems)
        return error

    # The first problem's fields, for the common case of one problem.
    @property
    def problem(self) -> Problem:
        return self.problems[0]

    @property
    def path(self) -> Path:
        return self.problem.path

    @property
    def line(self) -> int:
        return self.problem.line

    @property
    def rule(self) -> str:
        return self.problem.rule

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def fix(self) -> str:
        return self.problem.fix


class ContentError(CourseError):
    """A course file (deck, theme, notebook, page) that its author must fix."""

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        message: str,
        fix: str = "",
        rule: str = "content",
        column: int = 1,
    ) -> None:
        super().__init__(Problem(Path(path), line or 1, column, rule, message, fix))


class ToolError(CourseError):
    """A tool the build runs (Marp CLI, a browser, a kernel, the disk) failed.

    Not the author's content: the fix names the tool, the setting or the
    command that helps.
    """

    def __init__(
        self, path: Path | str, message: str, fix: str = "", rule: str = "tool"
    ) -> None:
        super().__init__(Problem(Path(path), 1, 1, rule, message, fix))


def format_problems(problems: Iterable[Problem], root: Path | None = None) -> str:
    """One problem a paragraph; paths relative to `root` when given."""
    return "\n".join(_shown(problem, root).format() for problem in problems)


def format_text(problems: Iterable[Problem], root: Path | None = None) -> str:
    """Every problem, then how many there are: what `course check` prints."""
    problems = list(problems)
    count = len(problems)
    summary = f"{count} problem{'s' if count != 1 else ''} found"
    return "\n".join(filter(None, [format_problems(problems, root), summary]))


def format_json(problems: Iterable[Problem], root: Path | None = None) -> str:
    return json.dumps(
        [
            asdict(shown) | {"path": Path(shown.path).as_posix()}
            for shown in (_shown(problem, root) for problem in problems)
        ],
        indent=2,
        ensure_ascii=False,
    )


def _normalized(path: Path) -> Path:
    """`path` made absolute, `..` and `.` removed, links not followed."""
    return Path(os.path.normpath(path.absolute()))


def _shown(problem: Problem, root: Path | None) -> Problem:
    return problem if root is None else problem.relative_to(root)
