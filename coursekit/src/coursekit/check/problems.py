"""What a check finds: one `Problem` per defect, printed for people or tools."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ContentError


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    column: int
    rule: str
    """A stable id (`deck-image`, `page-anchor`...) to search the docs or filter."""
    message: str
    fix: str = ""

    def relative_to(self, root: Path) -> Problem:
        try:
            path = self.path.resolve().relative_to(root.resolve())
        except ValueError:
            return self
        return Problem(path, self.line, self.column, self.rule, self.message, self.fix)

    def format(self) -> str:
        text = f"{self.path.as_posix()}:{self.line}:{self.column}: {self.rule} "
        text += self.message
        return f"{text}\n    fix: {self.fix}" if self.fix else text

    @classmethod
    def from_error(cls, error: ContentError) -> Problem:
        return cls(error.path, error.line or 1, 1, error.rule, error.message, error.fix)


def format_text(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    lines = [problem.format() for problem in problems]
    count = len(problems)
    lines.append(f"{count} problem{'s' if count != 1 else ''} found")
    return "\n".join(lines)


def format_json(problems: Iterable[Problem]) -> str:
    return json.dumps(
        [asdict(problem) | {"path": problem.path.as_posix()} for problem in problems],
        indent=2,
        ensure_ascii=False,
    )
