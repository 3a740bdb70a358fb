"""The one error type every stage raises for bad course content."""

from __future__ import annotations

from pathlib import Path


class ContentError(Exception):
    """A problem in a course file that its author must fix.

    Carries where it is and how to fix it, so the CLI and the MkDocs plugin can
    print `path:line: message` instead of a traceback.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None,
        message: str,
        fix: str = "",
        rule: str = "content",
    ) -> None:
        self.path = Path(path)
        self.rule = rule
        """The id of the check that failed, as `course check` reports it."""
        self.line = line
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def location(self) -> str:
        path = _display_path(self.path)
        return f"{path}:{self.line}" if self.line else path

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text}\n  fix: {self.fix}" if self.fix else text


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
