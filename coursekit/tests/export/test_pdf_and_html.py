"""A real export of the fixture lecture to HTML and PDF, checked page by page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from coursekit.export import ExportResult, export_decks
from coursekit.export.verify import html_slide_themes
from coursekit.parse import parse_deck
from pypdf import PdfReader

from .support import (
    PHOTO_BLUE,
    html_slide_count,
    make_project,
    render_page,
    settings_for,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, marp: tuple[str, ...], browser: Path
) -> tuple[Path, ExportResult]:
    """The lecture exported once to HTML and PDF for every test here."""
    project = make_project(tmp_path_factory.mktemp("course"))
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(
        project, formats=("html", "pdf"), browser=browser, lang=LANGUAGE
    )
    result = export_decks([deck], project / "site" / "slides", settings)
    return project, result


LANGUAGE = "en-GB"
"""The course language the exports are given, not Marp's default en-US."""


def test_writes_both_formats_into_the_output_folder(exported):
    project, result = exported
    out = project / "site" / "slides"
    assert result.outputs == {
        "lecture": {"html": out / "lecture.html", "pdf": out / "lecture.pdf"}
    }
    assert result.converted == ["lecture"]
    assert result.marp_runs == 2
    assert result.warnings == []


def test_html_deck_has_every_slide_in_the_course_theme(exported):
    project, result = exported
    html = result.outputs["lecture"]["html"]
    assert html_slide_count(html) == 4
    assert html_slide_themes(html.read_text("utf-8")) == ["fixture"] * 4
    text = html.read_text("utf-8")
    assert "./images/diagram.svg" in text, "HTML keeps the path the site serves"
    assert "bespoke-marp-osc" in text, "bespoke template: on-screen controls"


def test_pdf_has_one_page_a_slide_and_an_outline(exported):
    _, result = exported
    reader = PdfReader(result.outputs["lecture"]["pdf"])
    assert len(reader.pages) == 4
    titles = [item["/Title"] for item in reader.outline if isinstance(item, dict)]
    assert titles, "--pdf-outlines adds bookmarks"


def test_pdf_carries_the_speaker_notes_as_annotations(exported):
    _, result = exported
    reader = PdfReader(result.outputs["lecture"]["pdf"])
    notes = [
        [
            annotation.get_object().get("/Contents")
            for annotation in page.get("/Annots", [])
            if annotation.get_object()["/Subtype"] == "/Text"
        ]
        for page in reader.pages
    ]
    assert notes == [
        ["Speaker note on the first slide."],
        ["Point at the red box."],
        [],
        [],
    ]


def test_pdf_embeds_the_local_images(exported, pdftoppm, tmp_path):
    _, result = exported
    pdf = result.outputs["lecture"]["pdf"]
    diagram = render_page(pdftoppm, pdf, 2, tmp_path)
    red = [p for p in diagram if p[0] > 180 and p[1] < 80 and p[2] < 80]
    assert len(red) > len(diagram) // 20, "the red SVG diagram is drawn on page 2"
    photo = render_page(pdftoppm, pdf, 3, tmp_path)
    blue = [p for p in photo if p == bytes(PHOTO_BLUE)]
    assert len(blue) > len(photo) // 5, "the blue PNG fills the right of page 3"


def test_pdf_is_tagged_titled_outlined_and_in_the_course_language(exported):
    _, result = exported
    reader = PdfReader(result.outputs["lecture"]["pdf"])
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == LANGUAGE
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog, "Chrome tags the PDF's structure"
    assert reader.metadata.title == "Fixture lecture"
    assert "/Outlines" in catalog
    # The tags carry the alt text: a PDF reader says what the figure shows.
    assert "A red box" in figure_alts(catalog["/StructTreeRoot"])


def figure_alts(element) -> list[str]:
    """The /Alt of every structure element under `element`."""
    element = element.get_object()
    found = [str(element["/Alt"])] if "/Alt" in element else []
    children = element.get("/K", [])
    for child in children if isinstance(children, list) else [children]:
        if hasattr(child.get_object(), "get"):
            found += figure_alts(child)
    return found


def test_html_deck_is_in_the_course_language(exported):
    _, result = exported
    text = result.outputs["lecture"]["html"].read_text("utf-8")
    assert f'<html lang="{LANGUAGE}">' in text


def test_math_is_mathml_set_in_the_katex_fonts_beside_the_deck(exported):
    project, result = exported
    text = result.outputs["lecture"]["html"].read_text("utf-8")
    # A screen reader reads the MathML; the typeset formula is hidden from it.
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML"' in text
    assert '<span class="katex-html" aria-hidden="true">' in text
    assert "url('katex/fonts/KaTeX_Main-Regular.woff2')" in text
    assert "cdn.jsdelivr.net" not in text
    reader = PdfReader(result.outputs["lecture"]["pdf"])
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in reader.pages[3]["/Resources"]["/Font"].values()
    }
    assert "KaTeX_Main-Regular" in fonts, "the PDF sets the math in KaTeX's fonts"
    assert "H(p, q)" in reader.pages[3].extract_text().replace("\n", "")


def test_decorative_background_is_drawn_without_a_caption(exported):
    _, result = exported
    text = result.outputs["lecture"]["html"].read_text("utf-8")
    figure = re.search(r"<figure[^>]*photo\.png[^>]*>(.*?)</figure>", text)
    assert figure, "Marp draws the decorative background"
    assert figure.group(1) == "", "no caption for a screen reader to read"


def test_rebuild_with_nothing_changed_starts_no_marp(exported, browser):
    project, first = exported
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(
        project, formats=("html", "pdf"), browser=browser, lang=LANGUAGE
    )
    out = project / "rebuilt"
    again = export_decks([deck], out, settings)
    assert again.converted == []
    assert again.marp_runs == 0
    for fmt in ("html", "pdf"):
        assert again.outputs["lecture"][fmt].read_bytes() == (
            first.outputs["lecture"][fmt].read_bytes()
        )


def test_pptx_on_demand_has_one_slide_a_slide(exported, browser):
    project, _ = exported
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("pptx",), browser=browser)
    result = export_decks([deck], project / "pptx", settings)
    with zipfile.ZipFile(result.outputs["lecture"]["pptx"]) as pptx:
        slides = [name for name in pptx.namelist() if name.startswith("ppt/slides/")]
    assert len([name for name in slides if name.endswith(".xml")]) == 4
