"""Handouts: each slide as the audience sees it, with its speaker notes below.

The slides come from the deck's PDF export, so a handout shows exactly what
the deck shows, as vector graphics with real, selectable text (no pictures
of text, and a fraction of the size). Marp CLI prints only the notes pages:
a generated Markdown deck, one A4 page a slide, in the handout theme
(`assets/handout.css`): the deck's title as header, an empty frame where the
slide goes, its notes (Markdown, as on the lecture page) with ruled lines
below to write on, slide and page numbers. Notes too long for the page
continue on the next one. pypdf then places each page of the deck's PDF,
scaled, into its frame.

The page text and the frame's place are decided by pure functions
(`handout_pages`, `handout_markdown`, `slide_placement`), tested without a
browser; the export stage runs Marp on the notes pages as on any deck
(`notes_pages_source`, `notes_pages_theme_set`), then `place_slides`, and
caches the handout.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..diskcache import content_key
from ..fsutil import write_atomically
from ..markdown import marp_markdown
from ..model import Deck, Slide
from ..themes import ThemeSet, load_theme_set
from .errors import ExportError
from .sources import KATEX_FONTS, DeckSource, content

if TYPE_CHECKING:
    from pypdf import PageObject, PdfWriter

HANDOUT = "handout"
"""The export format name (`exports: [html, pdf, handout]`)."""
HANDOUT_THEME_FILE = "handout.css"
NOTES_PAGES_FORMAT = "pdf"
"""What Marp prints the notes pages as."""
NOTES_PAGES_OPTIONS = ("--pdf", "--allow-local-files")
"""How Marp prints the notes pages: no notes annotations, no outline."""

# The page as the handout theme lays it out (A4 at CSS's 96 px an inch) and
# the frame the slide is placed in, in CSS px from the page's top left.
# Written into each handout's style (`handout_markdown`) and used to place
# the slide (`slide_placement`), so the two cannot drift apart.
PAGE_WIDTH = 794
FRAME_LEFT = 60
FRAME_TOP = 64
FRAME_WIDTH = PAGE_WIDTH - 2 * FRAME_LEFT
FRAME_BORDER = 1
FRAME_HEIGHT = (FRAME_WIDTH - 2 * FRAME_BORDER) * 9 // 16 + 2 * FRAME_BORDER
"""16:9 inside the border, Marp's default slide size; slides of other sizes
are centred in the frame."""
NOTES_GAP = 14
POINTS_PER_PX = 72 / 96
"""Chromium prints a CSS px as 0.75 pt, from the page's top left."""

# How much Markdown a page holds, in lines of about `LINE_CHARACTERS`
# characters: below a slide, and on a page of notes alone. Measured on the
# handout theme (14 px text, 21 px lines, 674 px wide) with room to spare.
LINE_CHARACTERS = 80
LINES_BELOW_SLIDE = 24
LINES_ON_NOTES_PAGE = 42


def export_file_name(stem: str, fmt: str) -> str:
    """The file an export of the deck `stem` is published as."""
    return f"{stem}-handout.pdf" if fmt == HANDOUT else f"{stem}.{fmt}"


@dataclass(frozen=True)
class HandoutPage:
    slide: Slide
    notes: str
    """The share of the slide's notes (Markdown) printed on this page."""
    continued: bool = False
    """A page of notes continued from the page before: no slide."""


def handout_pages(deck: Deck) -> list[HandoutPage]:
    """The handout's pages: one a slide, more for notes that overflow."""
    pages: list[HandoutPage] = []
    for slide in deck.slides:
        notes = "\n\n".join(note.text for note in slide.notes)
        chunks = _page_chunks(_blocks(notes))
        pages.append(HandoutPage(slide, chunks[0]))
        pages.extend(HandoutPage(slide, chunk, continued=True) for chunk in chunks[1:])
    return pages


def handout_markdown(deck: Deck) -> str:
    """The Marp deck printed as the notes pages of `deck`'s handout."""
    pages = handout_pages(deck)
    frame = (
        f"left: {FRAME_LEFT}px; top: {FRAME_TOP}px; "
        f"width: {FRAME_WIDTH}px; height: {FRAME_HEIGHT}px;"
    )
    lang = deck.global_directives.get("lang")
    front_matter = (
        "---\n"
        "marp: true\n"
        "theme: coursekit-handout\n"
        f"title: {_yaml_string(deck.title)}\n"
        # The deck's own language, else Marp's (the export's `lang`).
        + (f"lang: {_yaml_string(str(lang))}\n" if lang else "")
        + f"header: {_yaml_string(_markdown_text(deck.title))}\n"
        "style: |\n"
        f"  section:not(.continued)::before {{ {frame} }}\n"
        "  section:not(.continued) { "
        f"padding-top: {FRAME_TOP + FRAME_HEIGHT + NOTES_GAP}px; }}\n"
        "---\n"
    )
    return front_matter + "\n---\n".join(
        _page_markdown(page, number, len(pages), len(deck.slides))
        for number, page in enumerate(pages, start=1)
    )


def _page_markdown(page: HandoutPage, number: int, pages: int, slides: int) -> str:
    label = f"Slide {page.slide.number} of {slides}"
    # Written out rather than Marp's pagination, which counts only slides
    # and which the handout theme would have to place.
    footer = f'{label} <span class="page">Page {number} of {pages}</span>'
    parts = [f"<!-- _footer: {_yaml_string(footer)} -->"]
    if page.continued:
        parts.append(f"<!-- _class: continued -->\n\n## {_markdown_text(label)}")
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


def handout_theme() -> Path:
    """The handout theme CSS shipped with coursekit."""
    return Path(str(resources.files("coursekit") / "assets" / HANDOUT_THEME_FILE))


def handout_key(pdf_key: str) -> str:
    """The cache key of a handout, from the cache key of the deck's PDF export
    (which covers the deck, its theme and images, Marp, the HTML policy and
    the language)."""
    return content_key(
        pdf_key,
        HANDOUT,
        *NOTES_PAGES_OPTIONS,
        f"frame={FRAME_LEFT},{FRAME_TOP},{FRAME_WIDTH},{FRAME_HEIGHT},"
        f"{FRAME_BORDER},{NOTES_GAP}",
        f"lines={LINE_CHARACTERS},{LINES_BELOW_SLIDE},{LINES_ON_NOTES_PAGE}",
        content(handout_theme()),
        f"pypdf {metadata.version('pypdf')}",
    )


def notes_pages_theme_set(folder: Path) -> ThemeSet:
    """The theme set Marp prints the notes pages with: the handout theme
    alone, copied into `folder` (which is made)."""
    folder.mkdir()
    write_atomically(folder / HANDOUT_THEME_FILE, handout_theme().read_bytes())
    return load_theme_set(folder)


def notes_pages_source(source: DeckSource) -> DeckSource:
    """The notes deck, under the deck's own path and stem so that Marp's
    problems name the deck, with the math fonts its notes may need."""
    text = handout_markdown(source.deck)
    fonts = tuple(image for image in source.images if image.src.startswith(KATEX_FONTS))
    return DeckSource(replace(source.deck, text=text), fonts)


@dataclass(frozen=True)
class Placement:
    """Where a slide goes on its handout page, in PDF points."""

    scale: float
    x: float
    y: float
    """The bottom left corner of the placed slide."""


def slide_placement(
    page_top: float, slide_width: float, slide_height: float
) -> Placement:
    """The slide scaled to fit inside the frame's border and centred in it;
    `page_top` is the top of the notes page (PDF's y axis points up)."""
    inner_width = (FRAME_WIDTH - 2 * FRAME_BORDER) * POINTS_PER_PX
    inner_height = (FRAME_HEIGHT - 2 * FRAME_BORDER) * POINTS_PER_PX
    scale = min(inner_width / slide_width, inner_height / slide_height)
    left = (FRAME_LEFT + FRAME_BORDER) * POINTS_PER_PX
    bottom = page_top - (FRAME_TOP + FRAME_HEIGHT - FRAME_BORDER) * POINTS_PER_PX
    return Placement(
        scale,
        left + (inner_width - slide_width * scale) / 2,
        bottom + (inner_height - slide_height * scale) / 2,
    )


def place_slides(
    source: DeckSource, notes_pages: Path, slides: Path, target: Path
) -> Path:
    """Write the handout: each page of `slides` (the deck's PDF export) placed
    in the frame of its notes page. Returns `target`."""
    # pypdf takes a third of a second to import: only a fresh handout needs it.
    from pypdf import PdfReader, PdfWriter

    slide_pages = PdfReader(slides).pages
    writer = PdfWriter(clone_from=notes_pages)
    pages = zip(writer.pages, handout_pages(source.deck), strict=True)
    for page, handout_page in pages:
        if not handout_page.continued:
            slide = slide_pages[handout_page.slide.number - 1]
            _place_slide(writer, page, slide)
    writer.compress_identical_objects()
    with target.open("wb") as out:
        writer.write(out)
    return target


def _place_slide(writer: PdfWriter, page: PageObject, slide: PageObject) -> None:
    """Draw `slide` in the frame of `page` as a form XObject.

    pypdf's `merge_transformed_page` would parse and rewrite every content
    stream, which takes seconds a page for Chromium's; a form XObject keeps
    the slide's content as it is, with its own resources.
    """
    from pypdf import PageObject, Transformation
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    box = slide.mediabox
    place = slide_placement(float(page.mediabox.top), box.width, box.height)
    transformation = (
        Transformation()
        .translate(-box.left, -box.bottom)
        .scale(place.scale, place.scale)
        .translate(place.x, place.y)
    )
    form = DecodedStreamObject()
    form.set_data(b"\n".join(part.get_object().get_data() for part in _contents(slide)))
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(box),
            NameObject("/Resources"): slide.get("/Resources", DictionaryObject()).clone(
                writer
            ),
        }
    )
    # pypdf has no public call that adds a stream to a document.
    name = NameObject(f"/CoursekitSlide{page.page_number + 1}")
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[name] = writer._add_object(form.flate_encode())
    # The notes page's content may leave its coordinate system changed:
    # save the state before it, restore it before drawing the slide.
    draw = DecodedStreamObject()
    matrix = " ".join(f"{value:.6f}" for value in transformation.ctm)
    draw.set_data(f"Q q {matrix} cm {name} Do Q".encode())
    save = DecodedStreamObject()
    save.set_data(b"q")
    page[NameObject("/Contents")] = ArrayObject(
        [
            writer._add_object(save),
            *_contents(page),
            writer._add_object(draw),
        ]
    )
    # The notes are printed on the page: the PDF export's notes annotations
    # would only repeat them. Links to the web keep working where the slide
    # now is (pypdf moves them; with no content there is nothing to parse).
    links = PageObject()
    links[NameObject("/Annots")] = ArrayObject(
        annotation
        for annotation in slide.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    )
    page.merge_transformed_page(links, transformation)


def _contents(page: PageObject) -> list:
    """The streams of a page's content, as the page refers to them."""
    contents = page.get("/Contents")
    if contents is None:
        return []
    resolved = contents.get_object()
    return list(resolved) if isinstance(resolved, list) else [contents]


def verify_handout(source: DeckSource, export: Path) -> None:
    """The handout has the pages `handout_pages` wrote for the deck."""
    from pypdf import PdfReader

    pages = len(PdfReader(export).pages)
    expected = len(handout_pages(source.deck))
    if pages != expected:
        raise ExportError(
            source.deck.path,
            None,
            f"the handout has {pages} pages where {expected} were written",
            "report the deck to the coursekit maintainers",
            rule="export-verify",
        )
