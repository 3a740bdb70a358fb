"""Render a parsed deck as the Markdown of its lecture page.

The page is read by MkDocs' Python-Markdown, while the deck was written for
Marp's markdown-it, so the slide text is adjusted where the two disagree:
Marp turns single newlines into line breaks and lets a list or table start
right after a paragraph; Python-Markdown needs trailing spaces and a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from .markdown import marp_markdown
from .model import Deck, Image, Slide

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_BLOCK_STARTS = {
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "table_open",
    "fence",
    "code_block",
    "heading_open",
    "html_block",
}


@dataclass(frozen=True)
class LectureLinks:
    """Where the page finds what other stages publish, as page-relative URLs."""

    image_url: Callable[[Image], str]
    deck_html: str | None = None
    deck_pdf: str | None = None
    backlinks: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Slide number -> (text, page-relative link) of each lab section that
    links to the slide."""


def render_lecture(deck: Deck, links: LectureLinks) -> str:
    parser = marp_markdown()
    parts = [_front_matter(deck), f"# {deck.title}", _deck_embed(deck, links)]
    parts.extend(_render_slide(slide, links, parser) for slide in deck.slides)
    return "\n\n".join(part for part in parts if part) + "\n"


def slide_anchor(number: int) -> str:
    return f"slide-{number}"


def _front_matter(deck: Deck) -> str:
    lines = ["---", f"title: {_yaml_string(deck.title)}"]
    if deck.description:
        lines.append(f"description: {_yaml_string(deck.description)}")
    lines.append("---")
    return "\n".join(lines)


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _deck_embed(deck: Deck, links: LectureLinks) -> str:
    if not links.deck_html:
        return ""
    actions = [
        f'<a class="md-button md-button--primary" href="{links.deck_html}" '
        f'target="_blank" rel="noopener">Present</a>'
    ]
    if links.deck_pdf:
        actions.append(
            f'<a class="md-button" href="{links.deck_pdf}" download>Download PDF</a>'
        )
    return (
        '<div class="ck-deck">\n'
        f'<div class="ck-deck__frame"><iframe src="{links.deck_html}" '
        f'title="Slides: {_html_attr(deck.title)}" loading="lazy" '
        "allowfullscreen></iframe></div>\n"
        f'<p class="ck-deck__actions">{" ".join(actions)}</p>\n'
        "</div>"
    )


def _render_slide(slide: Slide, links: LectureLinks, parser: MarkdownIt) -> str:
    lines = slide.markdown.split("\n") if slide.markdown else []
    heading_line = _demote_headings(lines, slide)
    text = "\n".join(_hard_breaks_and_block_gaps(lines, parser))

    figures = []
    for image in slide.images:
        if image.background:
            text = _without_markup(text, image.markup)
            figures.append(_figure(image, links))
        else:
            text = text.replace(image.markup, _inline_image(image, links), 1)

    head, _, rest = text.partition("\n") if heading_line else ("", "", text)
    if not heading_line:
        head = f"### Slide {slide.number} {{ #{slide_anchor(slide.number)} }}"
    parts = [
        head,
        _slide_link(slide, links),
        _backlinks(links.backlinks.get(slide.number, ())),
        *figures,
        rest.strip("\n"),
    ]
    parts.extend(_note(note.text) for note in slide.notes)
    return "\n\n".join(part for part in parts if part)


def _without_markup(text: str, markup: str) -> str:
    """`text` with `markup` taken out; a line left with only its hard-break
    spaces becomes empty."""
    start = text.find(markup)
    if start < 0:
        return text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:start] + text[start + len(markup) : line_end]
    return text[:line_start] + (line if line.strip() else "") + text[line_end:]


def _hard_breaks_and_block_gaps(lines: list[str], parser: MarkdownIt) -> list[str]:
    """Make Python-Markdown see the breaks and blocks markdown-it sees."""
    tokens = parser.parse("\n".join(lines))
    out = list(lines)
    gaps: set[int] = set()
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        first, last = token.map
        if token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            for line in range(first, last - 1):
                if not out[line].endswith(("  ", "\\")):
                    out[line] = out[line].rstrip() + "  "
        if (
            token.type in _BLOCK_STARTS
            and token.level == 0
            and first > 0
            and lines[first - 1].strip()
        ):
            gaps.add(first)
    for line in sorted(gaps, reverse=True):
        out.insert(line, "")
    return out


def _demote_headings(lines: list[str], slide: Slide) -> bool:
    """Push the slide's headings one level down under the page title.

    Returns whether the slide opens with a heading, which then carries the
    slide's anchor.
    """
    shift = 0
    opens_with_heading = False
    for position, heading in enumerate(slide.headings):
        first = heading.first + shift
        span = heading.last - heading.first
        text = _heading_source(lines[first : first + span])
        level = min(heading.level + 1, 6)
        line = f"{'#' * level} {text}"
        if position == 0 and first == 0:
            line += f" {{ #{slide_anchor(slide.number)} }}"
            opens_with_heading = True
        lines[first : first + span] = [line]
        shift -= span - 1
    return opens_with_heading


def _heading_source(lines: list[str]) -> str:
    match = _ATX_HEADING.match(lines[0])
    if match and len(lines) == 1:
        return (match["text"] or "").strip()
    return " ".join(line.strip() for line in lines[:-1])


def _slide_link(slide: Slide, links: LectureLinks) -> str:
    if not links.deck_html:
        return ""
    return (
        f'<a class="ck-slide-link" href="{links.deck_html}#{slide.number}" '
        f'title="Open slide {slide.number} in the slide deck">'
        f"Slide {slide.number}</a>"
    )


def _backlinks(labs: tuple[tuple[str, str], ...]) -> str:
    """A line naming the lab sections that practise the slide, linked."""
    if not labs:
        return ""
    listed = ", ".join(f"[{_escaped(text)}]({url})" for text, url in labs)
    return f"Practised in {listed}.\n{{ .ck-backlinks }}"


def _escaped(text: str) -> str:
    """Text safe inside a Markdown link's brackets."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


def _inline_image(image: Image, links: LectureLinks) -> str:
    return f"![{_alt(image)}]({links.image_url(image)}){{ {_image_attrs(image)} }}"


def _figure(image: Image, links: LectureLinks) -> str:
    side = f" ck-figure--{image.side}" if image.side else ""
    return (
        f'<figure class="ck-figure{side}" markdown="span">\n'
        f"{_inline_image(image, links)}\n"
        "</figure>"
    )


def _image_attrs(image: Image) -> str:
    attrs = ['loading="lazy"']
    if image.width and image.width.endswith("px"):
        attrs.append(f'width="{image.width[:-2]}"')
    elif image.width:
        attrs.append(f'style="width: {image.width}"')
    return " ".join(attrs)


def _alt(image: Image) -> str:
    """The alt words, else words made from the file name (`01_cat.png` -> cat);
    none for a decorative background, which a screen reader should skip."""
    if image.alt or image.decorative:
        return image.alt
    stem = image.src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = re.sub(r"[_\-]+", " ", stem).split()
    return " ".join(word for word in words if not word.isdigit()) or "slide image"


def _note(text: str) -> str:
    body = "\n".join(f"    {line}" if line else "" for line in text.split("\n"))
    return f'??? note "Speaker notes"\n\n{body}'


def _html_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
