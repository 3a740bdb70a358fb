"""Links from a lab's Markdown cells to the slides it follows.

A lab points at a slide with a plain relative link to the deck file and the
slide's anchor, `[slide 12](../../slides/01_introduction.md#slide-12)`: the
link works on GitHub as it is, the site turns it into a link to that slide's
section of the lecture page, and the slide's section lists the labs that
practise it. This module only finds such links in a notebook; `check.labs`
judges them and `site` publishes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .markdown import is_relative_link, marp_markdown
from .notebooks import NotebookExecutionError, cell_line, cell_lines, read_notebook
from .render import slide_number


@dataclass(frozen=True)
class SlideLink:
    notebook: Path
    cell: int
    """1-based position of the Markdown cell among all cells."""
    line: int
    """1-based line of the notebook file (its JSON) where the link is."""
    href: str
    """The link as written in the cell."""
    deck: Path
    """The deck file the link points at, resolved."""
    anchor: str
    """What follows `#` (`slide-12`), empty without one."""
    section: str | None
    """The text of the lab's heading above the link, if any."""
    lab_title: str
    """The lab's title: its first level-1 heading, else the file's name."""

    @property
    def slide(self) -> int | None:
        """The slide number of a `#slide-N` anchor, else None."""
        return slide_number(self.anchor)


def slide_links(notebook: Path, slides_dir: Path) -> list[SlideLink]:
    """Every link of the notebook's Markdown cells to a deck in `slides_dir`.

    A file that is not a notebook has none (`course check` reports it).
    """
    try:
        text, content = read_notebook(notebook)
    except NotebookExecutionError:
        return []
    starts = cell_lines(text)
    lines = text.splitlines()
    slides_dir = slides_dir.resolve()
    parser = marp_markdown()
    found = []
    section = title = None
    for number, cell in enumerate(content.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        tokens = parser.parse(cell.source)
        for index, token in enumerate(tokens):
            if token.type == "heading_open":
                section = _words(tokens[index + 1])
                if token.tag == "h1" and title is None:
                    title = section
            for child in token.children or []:
                href = child.attrGet("href") if child.type == "link_open" else None
                deck = _deck_of(notebook, str(href or ""), slides_dir)
                if deck is None:
                    continue
                start = cell_line(starts, number - 1)
                found.append(
                    SlideLink(
                        notebook=notebook,
                        cell=number,
                        line=_line_of(lines, str(href), start),
                        href=str(href),
                        deck=deck,
                        anchor=str(href).partition("#")[2],
                        section=section,
                        lab_title=title or notebook.stem.replace("_", " "),
                    )
                )
    return found


def _deck_of(notebook: Path, href: str, slides_dir: Path) -> Path | None:
    path = href.partition("#")[0]
    if not path.endswith(".md") or not is_relative_link(path):
        return None
    target = (notebook.parent / unquote(path)).resolve()
    return target if target.parent == slides_dir else None


def _line_of(lines: list[str], href: str, start: int) -> int:
    """The file line of the cell (from `start`) that holds `href`."""
    escaped = json.dumps(href)[1:-1]  # as the JSON file spells it
    for number in range(start, len(lines) + 1):
        if escaped in lines[number - 1]:
            return number
    return start


def _words(inline) -> str:
    return "".join(
        child.content
        for child in inline.children or []
        if child.type in {"text", "code_inline"}
    ).strip()
