"""The error the export stage raises: a content error that Marp's run revealed."""

from __future__ import annotations

from ..errors import ContentError


class ExportError(ContentError):
    """A deck, theme or tool problem found while exporting slides.

    A `ContentError`, so the CLI and the MkDocs plugin print it as
    `path:line: message` like every other content problem.
    """
