"""Slide exports: each deck as an HTML deck, a PDF (and a PPTX) by Marp CLI.

The MkDocs plugin and `course slides` call `export_decks`; everything else
here serves it.
"""

from __future__ import annotations

from ..themes import load_theme_set
from .browser import MISSING_BROWSER, find_browser
from .errors import ExportError
from .pipeline import FORMATS, ExportResult, ExportSettings, export_decks
from .sources import katex_fonts, read_source

__all__ = [
    "FORMATS",
    "MISSING_BROWSER",
    "ExportError",
    "ExportResult",
    "ExportSettings",
    "export_decks",
    "find_browser",
    "katex_fonts",
    "load_theme_set",
    "read_source",
]
