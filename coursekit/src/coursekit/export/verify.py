"""Check each export against the parsed deck: slide count and theme."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from .errors import ExportError
from .handout import HANDOUT, verify_handout
from .sources import DeckSource

_PPTX_SLIDE = re.compile(r"^ppt/slides/slide\d+\.xml$")


class _SlideSections(HTMLParser):
    """Marp marks each slide with a `<section id="N">`; its helper sections
    (split backgrounds) carry no id."""

    def __init__(self) -> None:
        super().__init__()
        self.themes: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section" and (values.get("id") or "").isdigit():
            self.themes.append(values.get("data-theme"))


def html_slide_themes(html: str) -> list[str | None]:
    """The theme each slide of a Marp HTML deck declares, one entry a slide."""
    parser = _SlideSections()
    parser.feed(html)
    parser.close()
    return parser.themes


def verify_html(source: DeckSource, export: Path) -> None:
    themes = html_slide_themes(export.read_text(encoding="utf-8"))
    _check_count(source, len(themes), "slides in the HTML deck")
    theme = source.deck.theme
    if theme is None:
        return
    wrong = sorted({found or "(none)" for found in themes if found != theme})
    if wrong:
        raise ExportError(
            source.deck.path,
            source.deck.theme_line,
            f"Marp did not apply theme `{theme}` "
            f"(the HTML deck declares {', '.join(wrong)})",
            f"check that the theme CSS is valid and declares `/* @theme {theme} */`",
            rule="export-theme",
        )


def verify_pdf(source: DeckSource, export: Path) -> None:
    # pypdf takes a third of a second to import: only a fresh PDF needs it.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(export).pages)
    except PdfReadError as error:
        raise ExportError(
            source.deck.path,
            None,
            f"Marp wrote an unreadable PDF: {error}",
            rule="export-verify",
        ) from None
    _check_count(source, pages, "pages in the PDF")


def verify_pptx(source: DeckSource, export: Path) -> None:
    with zipfile.ZipFile(export) as pptx:
        slides = sum(1 for name in pptx.namelist() if _PPTX_SLIDE.match(name))
    _check_count(source, slides, "slides in the PPTX")


VERIFIERS: dict[str, Callable[[DeckSource, Path], None]] = {
    "html": verify_html,
    "pdf": verify_pdf,
    "pptx": verify_pptx,
    HANDOUT: verify_handout,
}


def _check_count(source: DeckSource, found: int, what: str) -> None:
    expected = len(source.deck.slides)
    if found != expected:
        raise ExportError(
            source.deck.path,
            None,
            f"Marp exported {found} {what} but the deck has {expected} slides "
            "as coursekit reads it",
            "Marp and coursekit split this deck differently: look for an "
            "unusual slide separator (`---`, `headingDivider`) and report the "
            "deck to the coursekit maintainers",
            rule="export-verify",
        )
