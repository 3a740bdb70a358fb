"""The handout's pages, the Marp deck of its notes pages and where the slide
goes on them, without Marp."""

from __future__ import annotations

from pathlib import Path

from coursekit.export import export_file_name
from coursekit.export.handout import (
    FRAME_HEIGHT,
    FRAME_LEFT,
    FRAME_TOP,
    FRAME_WIDTH,
    LINES_BELOW_SLIDE,
    LINES_ON_NOTES_PAGE,
    POINTS_PER_PX,
    handout_key,
    handout_markdown,
    handout_pages,
    slide_placement,
)
from coursekit.markdown import marp_markdown
from coursekit.parse import parse_text

DECK = """\
---
marp: true
title: "Systems *at* scale"
---

# Opening

<!-- Welcome everyone.

- first point
- second point

---

After a rule. -->

---

## Why we blur faces

---

## Long notes

<!--
{long}
-->
"""


def deck(long_paragraphs: int = 1):
    paragraph = "word " * 150  # 750 characters: 10 estimated lines
    long = "\n\n".join(f"Paragraph {n}. {paragraph}" for n in range(long_paragraphs))
    return parse_text(DECK.replace("{long}", long), Path("/c/slides/05_scale.md"))


def test_one_page_a_slide_with_its_notes():
    pages = handout_pages(deck())
    assert [page.slide.number for page in pages] == [1, 2, 3]
    assert pages[0].notes.startswith("Welcome everyone.")
    assert pages[0].notes.endswith("After a rule.")
    assert pages[1].notes == ""
    assert not any(page.continued for page in pages)


def test_notes_too_long_for_a_page_continue_on_the_next_without_splitting():
    paragraphs = 12
    pages = handout_pages(deck(long_paragraphs=paragraphs))
    long = [page for page in pages if page.slide.number == 3]
    assert len(long) > 1
    assert [page.continued for page in long] == [False] + [True] * (len(long) - 1)
    printed = "\n\n".join(page.notes for page in long).split("\n\n")
    assert printed == [f"Paragraph {n}. {'word ' * 150}".strip() for n in range(12)]
    # Each paragraph takes 11 estimated lines (10 of text, 1 gap).
    assert len(long[0].notes.split("\n\n")) == LINES_BELOW_SLIDE // 11
    assert len(long[1].notes.split("\n\n")) == LINES_ON_NOTES_PAGE // 11


def test_markdown_has_one_marp_page_a_handout_page_and_quotes_the_notes():
    text = handout_markdown(deck(long_paragraphs=12))
    pages = len(handout_pages(deck(long_paragraphs=12)))
    tokens = marp_markdown().parse(text.split("---\n", 2)[2])
    breaks = [t for t in tokens if t.type == "hr" and t.level == 0]
    # The `---` inside the first slide's notes is quoted: no page break.
    assert len(breaks) == pages - 1
    assert "> ---" in text


def test_markdown_front_matter_frame_and_footer():
    text = handout_markdown(deck())
    assert text.startswith(
        "---\nmarp: true\ntheme: coursekit-handout\n"
        'title: "Systems *at* scale"\n'
        'header: "Systems \\\\*at\\\\* scale"\n'
        "style: |\n"
        f"  section:not(.continued)::before {{ left: {FRAME_LEFT}px; "
        f"top: {FRAME_TOP}px; width: {FRAME_WIDTH}px; height: {FRAME_HEIGHT}px; }}\n"
    )
    assert (
        '<!-- _footer: "Slide 2 of 3 <span class=\\"page\\">Page 2 of 3</span>" -->'
        in text
    )
    # The slide is placed in the frame afterwards: the page draws no picture.
    assert "<img" not in text
    assert "> *No speaker notes: room for your own.*" in text
    assert "> *Speaker notes*\n>\n> Welcome everyone." in text


def test_the_handout_speaks_the_decks_language():
    assert "\nlang:" not in handout_markdown(deck())
    french = parse_text(
        DECK.replace("title:", 'lang: "fr-CA"\ntitle:'), Path("/c/slides/fr.md")
    )
    assert '\nlang: "fr-CA"\n' in handout_markdown(french)


def test_continued_pages_say_so_and_have_no_frame():
    text = handout_markdown(deck(long_paragraphs=12))
    continued = text.split("Paragraph 2.")[1]
    page = continued.split("\n---\n")[1]
    assert "<!-- _class: continued -->" in page
    assert "## Slide 3 of 3" in page
    assert "> *Speaker notes, continued*" in page


PAGE_TOP = 842.0


def frame_in_points() -> tuple[float, float, float, float]:
    """The frame's left, bottom, right and top on an A4 page, in points."""
    return (
        FRAME_LEFT * POINTS_PER_PX,
        PAGE_TOP - (FRAME_TOP + FRAME_HEIGHT) * POINTS_PER_PX,
        (FRAME_LEFT + FRAME_WIDTH) * POINTS_PER_PX,
        PAGE_TOP - FRAME_TOP * POINTS_PER_PX,
    )


def test_a_wide_slide_fills_the_frame_inside_its_border():
    left, bottom, right, top = frame_in_points()
    place = slide_placement(PAGE_TOP, 960, 540)  # Marp's 16:9 PDF page
    width, height = 960 * place.scale, 540 * place.scale
    assert left < place.x < left + 1 and right - 1 < place.x + width < right
    assert bottom < place.y < bottom + 1 and top - 1 < place.y + height < top


def test_a_four_by_three_slide_is_centred_in_the_frame():
    left, bottom, right, top = frame_in_points()
    place = slide_placement(PAGE_TOP, 720, 540)
    width, height = 720 * place.scale, 540 * place.scale
    assert top - 1 < place.y + height < top
    assert abs((place.x - left) - (right - place.x - width)) < 0.01
    assert place.x - left > 30


def test_the_handout_is_made_again_when_the_decks_pdf_changes():
    assert handout_key("a" * 64) == handout_key("a" * 64)
    assert handout_key("a" * 64) != handout_key("b" * 64)


def test_handout_file_name():
    assert export_file_name("01_intro", "handout") == "01_intro-handout.pdf"
    assert export_file_name("01_intro", "pdf") == "01_intro.pdf"
