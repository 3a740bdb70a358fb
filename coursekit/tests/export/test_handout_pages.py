"""The handout's pages and the Marp deck they are printed from, without Marp."""

from __future__ import annotations

from pathlib import Path

from coursekit.export import export_file_name
from coursekit.export.handout import (
    LINES_BELOW_SLIDE,
    LINES_ON_NOTES_PAGE,
    handout_markdown,
    handout_pages,
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


def image_of(slide) -> str:
    return f"slides/{slide.number:03}.png"


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
    text = handout_markdown(deck(long_paragraphs=12), image_of)
    pages = len(handout_pages(deck(long_paragraphs=12)))
    tokens = marp_markdown().parse(text.split("---\n", 2)[2])
    breaks = [t for t in tokens if t.type == "hr" and t.level == 0]
    # The `---` inside the first slide's notes is quoted: no page break.
    assert len(breaks) == pages - 1
    assert "> ---" in text


def test_markdown_front_matter_footer_and_picture():
    text = handout_markdown(deck(), image_of)
    assert text.startswith(
        "---\nmarp: true\ntheme: coursekit-handout\n"
        'title: "Systems *at* scale (handout)"\n'
        'header: "Systems \\\\*at\\\\* scale"\n---\n'
    )
    assert (
        '<!-- _footer: "Slide 2 of 3 <span class=\\"page\\">Page 2 of 3</span>" -->'
        in text
    )
    # An HTML image: Marp would read `blur` in `![...]` as a filter.
    assert (
        '<p class="slide"><img src="slides/002.png" '
        'alt="Slide 2: Why we blur faces"></p>'
    ) in text
    assert "> *No speaker notes: room for your own.*" in text
    assert "> *Speaker notes*\n>\n> Welcome everyone." in text


def test_continued_pages_say_so_and_show_no_picture():
    text = handout_markdown(deck(long_paragraphs=12), image_of)
    continued = text.split("Paragraph 2.")[1]
    page = continued.split("\n---\n")[1]
    assert "## Slide 3 of 3" in page
    assert "<img" not in page
    assert "> *Speaker notes, continued*" in page


def test_handout_file_name():
    assert export_file_name("01_intro", "handout") == "01_intro-handout.pdf"
    assert export_file_name("01_intro", "pdf") == "01_intro.pdf"
