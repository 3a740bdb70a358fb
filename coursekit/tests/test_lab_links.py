"""Labs link to the slides they follow; lectures list the labs that do."""

from __future__ import annotations

import re

import nbformat
from coursekit.check import check_course
from coursekit.lab_links import slide_links
from coursekit.plugin.options import load_course_config

LAB = "01_materials/labs/lab_1.ipynb"


def lab(*markdown: str) -> str:
    cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    cells.append(nbformat.v4.new_code_cell("print('ran')"))
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return nbformat.writes(book)


LINKED = lab(
    "# Lab 1: Latency\n\nRead the [deck](../../slides/01_fixture.md) first.",
    "## Percentiles\n\nAs [slide 2](../../slides/01_fixture.md#slide-2) shows, "
    "p99 matters. [Elsewhere](https://example.org/x.md) is not a deck.",
)


def test_links_to_decks_are_found_with_cell_line_and_section(course):
    path = course.write(LAB, LINKED)
    links = slide_links(path, course.root / "slides")
    assert [(link.cell, link.slide, link.section) for link in links] == [
        (1, None, "Lab 1: Latency"),
        (2, 2, "Percentiles"),
    ]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "#slide-2" in lines[links[1].line - 1]
    assert links[1].lab_title == "Lab 1: Latency"


def test_the_lab_links_to_the_slide_and_the_slide_lists_the_lab(course):
    course.write(LAB, LINKED)
    result = course.build()
    assert result.returncode == 0, result.stderr
    lab_page = course.page("labs/lab_1/index.html")
    assert 'href="../../lectures/01_fixture/#slide-2"' in lab_page
    assert 'href="../../lectures/01_fixture/"' in lab_page
    lecture = course.page("lectures/01_fixture/index.html")
    second = lecture[lecture.index('id="slide-2"') : lecture.index('id="slide-3"')]
    assert re.search(
        r'class="ck-backlinks">Practised in <a href="../../labs/lab_1/#percentiles">'
        r"Lab 1: Latency › Percentiles</a>",
        second,
    ), second
    assert "ck-backlinks" not in lecture[lecture.index('id="slide-3"') :]


def test_a_link_to_a_missing_slide_fails_the_build_and_the_check(course):
    path = course.write(
        LAB, lab("# Lab\n\nSee [slide 9](../../slides/01_fixture.md#slide-9).")
    )
    line = next(
        number
        for number, text in enumerate(path.read_text("utf-8").splitlines(), 1)
        if "slide-9" in text
    )
    expected = f"{LAB}:{line}:1: lab-slide-link cell 1 links to"
    result = course.build()
    assert result.returncode != 0 and expected in result.stderr
    assert "01_fixture.md has 3 slides" in result.stderr
    problems = check_course(load_course_config(course.root / "mkdocs.yml"))
    found = [p.relative_to(course.root) for p in problems if p.rule == "lab-slide-link"]
    assert [(p.path.as_posix(), p.line) for p in found] == [(LAB, line)]


def test_a_link_to_a_deck_that_is_not_a_lecture_is_refused(course):
    course.write(LAB, lab("# Lab\n\n[old](../../slides/00_gone.md#slide-1)"))
    result = course.build()
    assert result.returncode != 0
    assert "links to `../../slides/00_gone.md#slide-1`, which is not a lecture" in (
        result.stderr
    )
