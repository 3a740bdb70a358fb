"""Real handouts by Marp CLI and Chromium, read with pypdf and poppler."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from coursekit.export import (
    MISSING_BROWSER,
    ExportResult,
    browser_for,
    export_decks,
    missing_browser_warning,
)
from coursekit.parse import parse_deck
from pypdf import PdfReader

from .support import PHOTO_BLUE, REPO_ROOT, make_project, render_page, settings_for

pytestmark = pytest.mark.browser

LECTURE_1 = next((REPO_ROOT / "slides").glob("01_*.md"))


@pytest.fixture(scope="module")
def handouts(
    tmp_path_factory: pytest.TempPathFactory, marp: Path, browser: Path
) -> tuple[Path, ExportResult]:
    """The fixture lecture and lecture 1 exported to handouts once."""
    project = make_project(tmp_path_factory.mktemp("course"))
    out = project / "site" / "slides"
    settings = settings_for(project, formats=("handout",), browser=browser)
    result = export_decks(
        [parse_deck(project / "slides" / "lecture.md")], out, settings
    )
    course = replace(settings, themes_dir=LECTURE_1.parent / "themes")
    lecture_1 = export_decks([parse_deck(LECTURE_1)], out, course)
    result.outputs.update(lecture_1.outputs)
    return project, result


def page_texts(pdf: Path) -> list[str]:
    """Each page's words; NFKC undoes the font's ligatures (`ﬁ` -> `fi`)."""
    return [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in PdfReader(pdf).pages
    ]


def test_each_slide_has_a_page_with_its_notes_title_and_numbers(handouts):
    project, result = handouts
    pdf = result.outputs["lecture"]["handout"]
    assert pdf == project / "site" / "slides" / "lecture-handout.pdf"
    texts = page_texts(pdf)
    assert len(texts) == 4
    notes = ["Speaker note on the first slide.", "Point at the red box.", None, None]
    for number, (text, note) in enumerate(zip(texts, notes, strict=True), start=1):
        assert "Fixture lecture" in text
        assert f"Slide {number} of 4" in text and f"Page {number} of 4" in text
        assert (note or "No speaker notes") in text


def test_lecture_1_has_a_page_a_slide_with_its_notes_title_and_numbers(handouts):
    _, result = handouts
    deck = parse_deck(LECTURE_1)
    texts = page_texts(result.outputs[LECTURE_1.stem]["handout"])
    slides = len(deck.slides)
    assert len(texts) == slides
    assert sum(1 for slide in deck.slides if slide.notes) >= 8
    for number, (text, slide) in enumerate(zip(texts, deck.slides, strict=True), 1):
        assert deck.title in text
        assert f"Slide {number} of {slides}" in text
        assert f"Page {number} of {slides}" in text
        # The slide is real text, not a picture of it (spaces aside: a
        # title may wrap after a hyphen).
        assert "".join(slide.title.split()) in "".join(text.split())
        assert f"{number} / {slides}" in text, "the slide's own page number"
        for note in slide.notes:
            assert " ".join(note.text.split()) in text
        if not slide.notes:
            assert "No speaker notes" in text


def test_lecture_1_is_a_titled_tagged_pdf_a_fraction_of_pictures_size(handouts):
    _, result = handouts
    handout = result.outputs[LECTURE_1.stem]["handout"]
    reader = PdfReader(handout)
    assert reader.metadata.title == parse_deck(LECTURE_1).title
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-US"
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    # Slides drawn as pictures at twice their size made 13.8 MB.
    assert handout.stat().st_size < 2_000_000


def test_links_on_a_slide_still_open_where_the_slide_now_is(handouts):
    _, result = handouts
    deck = parse_deck(LECTURE_1)
    number = next(s.number for s in deck.slides if "huyenchip.com" in s.markdown)
    page = PdfReader(result.outputs[LECTURE_1.stem]["handout"]).pages[number - 1]
    links = [a.get_object() for a in page.get("/Annots", [])]
    assert {link["/A"]["/URI"] for link in links} >= {"https://huyenchip.com/"}
    # Inside the slide's frame: the top 45 % of the page.
    for link in links:
        left, bottom, right, top = map(float, link["/Rect"])
        assert 0 < left < right < page.mediabox.width
        assert page.mediabox.height * 0.55 < bottom < top < page.mediabox.height
    # The PDF export's notes annotations stay out: the notes are printed.
    assert all(link["/Subtype"] == "/Link" for link in links)


def test_pages_show_the_slides_as_drawn(handouts, pdftoppm, tmp_path):
    _, result = handouts
    photo = render_page(pdftoppm, result.outputs["lecture"]["handout"], 3, tmp_path)
    # The picture is scaled into the page: its colour blends at the edges.
    blue = [p for p in photo if max(map(abs, map(int.__sub__, p, PHOTO_BLUE))) < 24]
    assert len(blue) > len(photo) // 50, "slide 3's blue photo is on page 3"
    lecture_1 = result.outputs[LECTURE_1.stem]["handout"]
    for page in (1, 3, 20):
        pixels = render_page(pdftoppm, lecture_1, page, tmp_path)
        greys = [sum(pixel) // 3 for pixel in pixels]
        mean = sum(greys) / len(greys)
        variance = sum((grey - mean) ** 2 for grey in greys) / len(greys)
        assert variance > 200, f"page {page} of lecture 1's handout is not blank"
        dark = [grey for grey in greys if grey < 128]
        assert len(dark) > len(greys) // 500, f"page {page} shows the slide's text"


def test_an_unchanged_deck_comes_from_the_cache(handouts, browser):
    project, first = handouts
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("handout",), browser=browser)
    again = export_decks([deck], project / "site" / "slides", settings)
    assert again.marp_runs == 0 and again.converted == []
    assert again.outputs["lecture"]["handout"].read_bytes() == (
        first.outputs["lecture"]["handout"].read_bytes()
    )


def test_the_pdf_a_handout_was_made_from_is_cached_not_published(handouts, browser):
    project, _ = handouts
    out = project / "site" / "slides"
    assert not (out / "lecture.pdf").exists()
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("pdf", "handout"), browser=browser)
    both = export_decks([deck], out, settings)
    assert both.marp_runs == 0
    assert set(both.outputs["lecture"]) == {"pdf", "handout"}


def test_without_a_browser_handouts_are_skipped_with_the_pdf_warning(tmp_path):
    project = make_project(tmp_path / "course")
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("html", "handout"), browser=None)
    result = export_decks([deck], project / "out", settings)
    assert set(result.outputs["lecture"]) == {"html"}
    assert result.warnings == [MISSING_BROWSER]
    assert "handouts" in MISSING_BROWSER
    assert missing_browser_warning(["html", "handout"], {"PATH": ""}) == (
        MISSING_BROWSER
    )
    assert browser_for(["html", "handout"], {"PATH": ""}) is None


def test_a_damaged_handout_and_its_damaged_pdf_are_made_again(tmp_path, browser):
    """Both entries are checked against their records: neither is handed out
    cut short, each is reported once and made again."""
    project = make_project(tmp_path / "course")
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("handout",), browser=browser)
    first = export_decks([deck], project / "out", settings)
    good = first.outputs["lecture"]["handout"].read_bytes()
    (handout,) = settings.cache_dir.rglob("*.handout")
    (pdf,) = settings.cache_dir.rglob("*.pdf")
    handout.write_bytes(good[: len(good) // 2])
    pdf.write_bytes(pdf.read_bytes()[:1000])
    again = export_decks([deck], project / "again", settings)
    assert again.converted == ["lecture"] and again.marp_runs == 2
    assert sorted(notice.path for notice in again.notices) == sorted([handout, pdf])
    assert {notice.rule for notice in again.notices} == {"cache-damaged"}
    assert page_texts(again.outputs["lecture"]["handout"]) == page_texts(
        first.outputs["lecture"]["handout"]
    )
    assert not (project / "again" / "lecture.pdf").exists()
    third = export_decks([deck], project / "third", settings)
    assert third.notices == [] and third.marp_runs == 0
