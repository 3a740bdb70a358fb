"""The error the export stage raises: a problem that exporting revealed."""

from __future__ import annotations

from ..errors import ContentError


class ExportError(ContentError):
    """A deck, theme or tool problem found while exporting slides.

    Its rule id says which (`export-image`, `export-timeout`...); it prints
    like every other problem.
    """
