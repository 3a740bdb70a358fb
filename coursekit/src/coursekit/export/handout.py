"""Handouts: each slide as the audience sees it, with its speaker notes below.

Marp CLI draws both halves, so a handout shows exactly what the deck shows:
first it renders every slide to a PNG (`--images png`, in the deck's own
theme, with its images and math), then it prints a generated Markdown deck,
one A4 page a slide, in the handout theme (`assets/handout.css`): the deck's
title as header, the slide's picture, its notes (Markdown, as on the lecture
page) with ruled lines below to write on, slide and page numbers. Notes
too long for the page continue on the next one.

The page text is made by pure functions (`handout_pages`, `handout_markdown`),
tested without a browser; `export_handouts` runs Marp and caches.
"""

from __future__ import annotations

import glob
import hashlib
import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..fsutil import write_atomically
from ..markdown import marp_markdown
from ..model import Deck, Slide
from ..themes import ThemeSet, load_theme_set
from .cache import export_key
from .errors import ExportError
from .sources import KATEX_FONTS, DeckSource, LocalFile

HANDOUT = "handout"
"""The export format name (`exports: [html, pdf, handout]`)."""
HANDOUT_THEME_FILE = "handout.css"
IMAGE_OPTIONS = ("--images", "png", "--image-scale", "2", "--allow-local-files")
"""Slide pictures at twice the slide's pixels: sharp when printed on A4."""
PDF_OPTIONS = ("--pdf", "--pdf-outlines", "--allow-local-files")

# How much Markdown a page holds, in lines of about `LINE_CHARACTERS`
# characters: below a slide, and on a page of notes alone. Measured on the
# handout theme (14 px text, 21 px lines, 674 px wide) with room to spare.
LINE_CHARACTERS = 80
LINES_BELOW_SLIDE = 24
LINES_ON_NOTES_PAGE = 42

RunMarp = Callable[
    [str, Sequence[DeckSource], Sequence[str], Path, ThemeSet], dict[str, Path]
]
"""Runs Marp CLI as the export stage does: a format, the decks, the options
of this run, a work folder and the theme set; returns each deck's export by
stem (`MarpRun.run`)."""


def export_file_name(stem: str, fmt: str) -> str:
    """The file an export of the deck `stem` is published as."""
    return f"{stem}-handout.pdf" if fmt == HANDOUT else f"{stem}.{fmt}"


@dataclass(frozen=True)
class HandoutPage:
    slide: Slide
    notes: str
    """The share of the slide's notes (Markdown) printed on this page."""
    continued: bool = False
    """A page of notes continued from the page before: no slide picture."""


def handout_pages(deck: Deck) -> list[HandoutPage]:
    """The handout's pages: one a slide, more for notes that overflow."""
    pages: list[HandoutPage] = []
    for slide in deck.slides:
        notes = "\n\n".join(note.text for note in slide.notes)
        chunks = _page_chunks(_blocks(notes))
        pages.append(HandoutPage(slide, chunks[0]))
        pages.extend(HandoutPage(slide, chunk, continued=True) for chunk in chunks[1:])
    return pages


def handout_markdown(deck: Deck, image_src: Callable[[Slide], str]) -> str:
    """The Marp deck printed as the handout of `deck`.

    `image_src` gives the path of a slide's picture, relative to the handout.
    """
    pages = handout_pages(deck)
    front_matter = (
        "---\n"
        "marp: true\n"
        "theme: coursekit-handout\n"
        f"title: {_yaml_string(f'{deck.title} (handout)')}\n"
        f"header: {_yaml_string(_markdown_text(deck.title))}\n"
        "---\n"
    )
    return front_matter + "\n---\n".join(
        _page_markdown(page, number, len(pages), len(deck.slides), image_src)
        for number, page in enumerate(pages, start=1)
    )


def _page_markdown(
    page: HandoutPage,
    number: int,
    pages: int,
    slides: int,
    image_src: Callable[[Slide], str],
) -> str:
    slide = page.slide
    label = f"Slide {slide.number} of {slides}"
    # Written out rather than Marp's pagination, which counts only slides
    # and which the handout theme would have to place.
    footer = f'{label} <span class="page">Page {number} of {pages}</span>'
    parts = [f"<!-- _footer: {_yaml_string(footer)} -->"]
    if page.continued:
        parts.append(f"<!-- _class: continued -->\n\n## {_markdown_text(label)}")
    else:
        alt = f"Slide {slide.number}" + (f": {slide.title}" if slide.title else "")
        # An HTML image, not `![alt](src)`: Marp would read words of the alt
        # text such as `blur` or `left` as image keywords.
        parts.append(
            f'<p class="slide"><img src="{html.escape(image_src(slide))}" '
            f'alt="{html.escape(alt)}"></p>'
        )
    if page.notes:
        heading = "Speaker notes, continued" if page.continued else "Speaker notes"
        body = f"*{heading}*\n\n{page.notes}"
    else:
        body = "*No speaker notes: room for your own.*"
    # In a block quote the notes cannot end the page: a `---` in them is a
    # rule inside the quote, not a slide break.
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    parts.append(quoted)
    return "\n\n" + "\n\n".join(parts) + "\n\n"


def _blocks(notes: str) -> list[str]:
    """The notes' top-level Markdown blocks, each as written."""
    if not notes.strip():
        return []
    lines = notes.split("\n")
    blocks = []
    for token in marp_markdown().parse(notes):
        if token.level == 0 and token.nesting >= 0 and token.map is not None:
            first, last = token.map
            blocks.append("\n".join(lines[first:last]).strip("\n"))
    return blocks


def _page_chunks(blocks: list[str]) -> list[str]:
    """Blocks grouped into pages: as many as fit below the slide, then notes
    pages. A block never splits; one too long for a page gets a page alone."""
    chunks: list[list[str]] = [[]]
    room = LINES_BELOW_SLIDE
    for block in blocks:
        lines = _estimated_lines(block)
        if chunks[-1] and lines > room:
            chunks.append([])
            room = LINES_ON_NOTES_PAGE
        chunks[-1].append(block)
        room -= lines
    return ["\n\n".join(chunk) for chunk in chunks]


def _estimated_lines(block: str) -> int:
    """Printed lines of a block, the blank line after it included."""
    return 1 + sum(
        max(1, math.ceil(len(line) / LINE_CHARACTERS)) for line in block.split("\n")
    )


def _markdown_text(text: str) -> str:
    """`text` shown as written where Marp reads Markdown."""
    return re.sub(r"([\\`*_\[\]<>#$~|])", r"\\\1", text)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class HandoutJob:
    """What `export_handouts` needs of the export stage that runs it."""

    run_marp: RunMarp
    themes: ThemeSet
    """The decks' theme set: the slide pictures are drawn in it."""
    scratch: Path
    """An empty folder for Marp's work."""


HANDOUT_MARP_RUNS = 2
"""Marp processes a batch of handouts takes: pictures, then pages."""


def handout_theme() -> Path:
    """The handout theme CSS shipped with coursekit."""
    return Path(str(resources.files("coursekit") / "assets" / HANDOUT_THEME_FILE))


def handout_key(
    source: DeckSource, themes: ThemeSet, marp_version: str, options: Sequence[str]
) -> str:
    """The cache key of the deck's handout; `options` are those every export
    of the deck shares (language, Marp's engine options)."""
    layout = (
        f"lines={LINE_CHARACTERS},{LINES_BELOW_SLIDE},{LINES_ON_NOTES_PAGE}",
        hashlib.sha256(handout_theme().read_bytes()).hexdigest(),
    )
    return export_key(
        source,
        themes,
        marp_version,
        [HANDOUT, *IMAGE_OPTIONS, *PDF_OPTIONS, *layout, *options],
    )


def export_handouts(sources: Sequence[DeckSource], job: HandoutJob) -> dict[str, Path]:
    """Each deck's handout PDF by stem, made by two Marp runs over all decks."""
    pictures_dir = job.scratch / "pictures"
    pictures_dir.mkdir()
    pictures = job.run_marp("png", sources, IMAGE_OPTIONS, pictures_dir, job.themes)
    handouts = [
        _handout_source(source, _slide_pictures(source, pictures[source.stem]))
        for source in sources
    ]
    theme_dir = job.scratch / "handout-theme"
    theme_dir.mkdir()
    write_atomically(theme_dir / HANDOUT_THEME_FILE, handout_theme().read_bytes())
    printed_dir = job.scratch / "printed"
    printed_dir.mkdir()
    return job.run_marp(
        "pdf", handouts, PDF_OPTIONS, printed_dir, load_theme_set(theme_dir)
    )


def _slide_pictures(source: DeckSource, produced: Path) -> list[Path]:
    """The PNG of each slide Marp wrote beside `produced` (`<stem>.001.png`...)."""
    pictures = sorted(produced.parent.glob(f"{glob.escape(produced.stem)}.*.png"))
    expected = len(source.deck.slides)
    if len(pictures) != expected:
        raise ExportError(
            source.deck.path,
            None,
            f"Marp drew {len(pictures)} slide pictures for the handout but the "
            f"deck has {expected} slides as coursekit reads it",
            "look for an unusual slide separator (`---`, `headingDivider`) and "
            "report the deck to the coursekit maintainers",
            rule="export-verify",
        )
    return pictures


def _handout_source(source: DeckSource, pictures: list[Path]) -> DeckSource:
    """The handout deck, under the deck's own path and stem so that Marp's
    problems name the deck, with the slide pictures staged beside it."""
    by_slide = {
        slide.number: f"slides/{picture.name}"
        for slide, picture in zip(source.deck.slides, pictures, strict=True)
    }
    text = handout_markdown(source.deck, lambda slide: by_slide[slide.number])
    images = tuple(
        LocalFile(src, picture, 0)
        for src, picture in zip(by_slide.values(), pictures, strict=True)
    )
    fonts = tuple(image for image in source.images if image.src.startswith(KATEX_FONTS))
    return DeckSource(replace(source.deck, text=text), images + fonts)


def verify_handout(source: DeckSource, export: Path) -> None:
    """The handout has the pages `handout_pages` wrote for the deck."""
    from pypdf import PdfReader

    pages = len(PdfReader(export).pages)
    expected = len(handout_pages(source.deck))
    if pages != expected:
        raise ExportError(
            source.deck.path,
            None,
            f"Marp printed {pages} handout pages where {expected} were written",
            "report the deck to the coursekit maintainers",
            rule="export-verify",
        )
