"""Slide exports: each deck as an HTML deck, a PDF, a handout PDF with the
speaker notes (and a PPTX) by Marp CLI.

The MkDocs plugin and `course slides` call `export_decks`; everything else
here serves it.
"""

from __future__ import annotations

from ..themes import load_theme_set
from .browser import (
    MISSING_BROWSER,
    browser_for,
    find_browser,
    missing_browser_warning,
)
from .errors import ExportError
from .handout import HANDOUT, export_file_name
from .pipeline import (
    FORMATS,
    SECONDS_PER_SLIDE,
    ExportResult,
    ExportSettings,
    export_decks,
    export_timeout,
)
from .sources import katex_fonts, read_source

__all__ = [
    "FORMATS",
    "HANDOUT",
    "MISSING_BROWSER",
    "SECONDS_PER_SLIDE",
    "ExportError",
    "ExportResult",
    "ExportSettings",
    "browser_for",
    "export_decks",
    "export_file_name",
    "export_timeout",
    "find_browser",
    "katex_fonts",
    "load_theme_set",
    "missing_browser_warning",
    "read_source",
]
