"""Render a parsed deck as the Markdown of its lecture page.

The page is read by MkDocs' Python-Markdown, while the deck was written for
Marp's markdown-it, so each slide is read again with markdown-it and written
out the way Python-Markdown reads it as markdown-it did:

- single newlines are line breaks, and a list, table or HTML block may start
  right under a paragraph (Python-Markdown needs trailing spaces and blank
  lines);
- raw HTML goes through the HTML policy, the same one the HTML deck gets
  (`coursekit.html_policy`), and elements a slide leaves open are closed at
  its end; a `<` that markdown-it reads as text is written `&lt;`, so
  Python-Markdown, which takes more things for tags, cannot find a tag there;
- `$$` blocks and `$...$` are math where Marp Core finds them.

Rendering is linear: each slide is parsed once, on its own.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .html_policy import PageHtml
from .markdown import InlineLocator, marp_markdown
from .model import Deck, Image, Slide

_BLOCK_STARTS = {
    "bullet_list_open",
    "ordered_list_open",
    "blockquote_open",
    "table_open",
    "fence",
    "code_block",
    "heading_open",
    "html_block",
    "marp_math_block",
}
# Blocks Python-Markdown ends only at a blank line (or swallows what follows).
_BLOCKS_ENDED_BY_A_GAP = {"html_block", "marp_math_block"}
_HIDDEN_BLOCKS = {"marpit_comment", "marpit_style"}
_CELLS = {"th_open", "td_open"}
# `<` followed by one of these could open a tag for Python-Markdown.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_BRACKETS = frozenset("[]{}")
# What Python-Markdown reads as markup in text, and how to write it as text.
_PLAIN_TEXT = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    **{character: "\\" + character for character in "\\`*_{}[]()#+-.!"},
}
_PLAIN_TEXT_MARKUP = re.compile("|".join(re.escape(c) for c in _PLAIN_TEXT))
_MARKUP_IN_TEXT = re.compile(r"[<\[\]{}]")


@dataclass(frozen=True)
class LectureLinks:
    """Where the page finds what other stages publish, as page-relative URLs."""

    image_url: Callable[[Image], str]
    deck_html: str | None = None
    deck_pdf: str | None = None
    deck_handout: str | None = None
    """The handout PDF: each slide with its speaker notes."""
    backlinks: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Slide number -> (text, page-relative link) of each lab section that
    links to the slide."""


def render_lecture(deck: Deck, links: LectureLinks, *, full_html: bool = False) -> str:
    """The lecture page of `deck`. `full_html` keeps the deck's raw HTML as
    written (the course trusts its authors) instead of Marp's allowlist."""
    parser = marp_markdown()
    parts = [
        _front_matter(deck),
        f"# {plain_text(deck.title)}",
        _deck_embed(deck, links),
    ]
    parts.extend(
        _render_slide(slide, links, parser, full_html) for slide in deck.slides
    )
    return "\n\n".join(part for part in parts if part) + "\n"


_SLIDE_ANCHOR = re.compile(r"slide-(?P<number>[1-9]\d*)")


def slide_anchor(number: int) -> str:
    return f"slide-{number}"


def slide_number(anchor: str) -> int | None:
    """The N of a `slide_anchor` (`slide-N`), else None."""
    found = _SLIDE_ANCHOR.fullmatch(anchor)
    return int(found["number"]) if found else None


def _front_matter(deck: Deck) -> str:
    lines = ["---", f"title: {_yaml_string(_template_text(deck.title))}"]
    if deck.description:
        description = _template_text(deck.description)
        lines.append(f"description: {_yaml_string(description)}")
    lines.append("---")
    return "\n".join(lines)


def _template_text(text: str) -> str:
    """A title or description for the site's templates, which insert it
    unescaped (the navigation, `<meta content="...">`) or unescape it first
    (`<title>`, through Jinja's `striptags`): as HTML text that no reading
    turns into a tag, not even a `</title>`."""
    return html.escape(text).replace("&lt;/", "&lt;\u200b/")


def plain_text(text: str) -> str:
    """Plain text (a title, alt words) written as Markdown that shows it as
    it is: no emphasis, link or tag made of its characters."""
    return _PLAIN_TEXT_MARKUP.sub(lambda markup: _PLAIN_TEXT[markup.group(0)], text)


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
    if links.deck_handout:
        actions.append(
            f'<a class="md-button" href="{links.deck_handout}" download>'
            "Download handout</a>"
        )
    return (
        '<div class="ck-deck">\n'
        f'<div class="ck-deck__frame"><iframe src="{links.deck_html}" '
        f'title="Slides: {html.escape(deck.title)}" loading="lazy" '
        "allowfullscreen></iframe></div>\n"
        f'<p class="ck-deck__actions">{" ".join(actions)}</p>\n'
        "</div>"
    )


def _render_slide(
    slide: Slide, links: LectureLinks, parser: MarkdownIt, full_html: bool
) -> str:
    html_urls = {
        image.src: links.image_url(image)
        for image in slide.images
        if image.html and image.is_local
    }
    page_html = PageHtml(full=full_html, image_url=html_urls.get)
    markdown_images: dict[str, deque[Image]] = defaultdict(deque)
    for image in slide.images:
        if not image.html:
            markdown_images[image.markup].append(image)
    body = _PageMarkdown(
        parser, page_html, links, markdown_images, anchor=slide_anchor(slide.number)
    )
    text = body.render(slide.markdown)
    closing = page_html.close()

    head, _, rest = text.partition("\n") if body.anchored else ("", "", text)
    if not body.anchored:
        head = f"### Slide {slide.number} {{ #{slide_anchor(slide.number)} }}"
    parts = [
        head,
        _slide_link(slide, links),
        _backlinks(links.backlinks.get(slide.number, ())),
        *body.figures,
        rest.strip("\n"),
        closing,
    ]
    parts.extend(_note(note.text, parser, full_html) for note in slide.notes)
    return "\n\n".join(part for part in parts if part)


@dataclass
class _PageMarkdown:
    """Writes one piece of deck Markdown (a slide, a note) for Python-Markdown."""

    parser: MarkdownIt
    html: PageHtml
    links: LectureLinks
    images: dict[str, deque[Image]]
    """The slide's Markdown images, by markup, in the order written."""
    anchor: str | None = None
    """The slide's anchor, put on the heading that opens the text, if any."""
    figures: list[str] = field(default_factory=list)
    """Background images, taken out of the text and shown as figures."""
    anchored: bool = False

    def render(self, text: str) -> str:
        lines = text.split("\n") if text else []
        tokens = self.parser.parse(text)
        locator = InlineLocator(lines)
        blocks: dict[int, tuple[int, list[str]]] = {}
        """First line -> (end line, new lines) of each block written anew."""
        cells: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        for index, token in enumerate(tokens):
            if token.map is None:
                continue
            first, last = token.map
            if token.type == "inline":
                parent = tokens[index - 1]
                columns = locator.columns(parent, token)
                if parent.type in _CELLS and columns[0] is not None:
                    end = columns[0] + len(token.content)
                    cells[first].append((columns[0], end, self._inline(token, columns)))
                elif parent.type in _CELLS:
                    blocks[first] = (last, [_escaped_text(lines[first])])
                elif parent.type == "heading_open" and parent.map:
                    heading = self._heading(parent, token, lines, columns)
                    blocks[first] = (parent.map[1], [heading])
                else:
                    blocks[first] = (last, self._paragraph(token, columns, lines))
            elif token.type == "html_block":
                content = token.content.removesuffix("\n")
                prefix = _prefix(lines[first], content.split("\n", 1)[0])
                blocks[first] = (last, _prefixed(self.html.block(content), prefix))
            elif token.type == "marp_math_block":
                prefix = _prefix(lines[first], "$$")
                blocks[first] = (last, _prefixed(_math_block(token.content), prefix))
            elif token.type in _HIDDEN_BLOCKS:
                blocks[first] = (last, [])
        return "\n".join(_assembled(lines, blocks, cells, _gaps(tokens, lines)))

    def _inline(self, token: Token, columns: list[int | None]) -> str:
        """The inline token's content, rewritten for Python-Markdown; where
        its text cannot be found in the lines, all of it is plain text."""
        if None in columns:
            return _escaped_text(token.content)
        return _InlineWriter(self, token).write()

    def _paragraph(
        self, token: Token, columns: list[int | None], lines: list[str]
    ) -> list[str]:
        assert token.map is not None
        written = self._inline(token, columns).split("\n")
        content = [line for line in written if line.strip()]
        prefix = lines[token.map[0]][: columns[0] or 0]
        if not content:
            return [prefix.rstrip()] if prefix.strip(" \t>") else []
        # markdown-it (as Marp sets it up) breaks the line at each newline.
        for number in range(len(content) - 1):
            if not content[number].endswith(("  ", "\\")):
                content[number] = content[number].rstrip() + "  "
        return _prefixed("\n".join(content), prefix)

    def _heading(
        self, opening: Token, inline: Token, lines: list[str], columns: list[int | None]
    ) -> str:
        """The heading one level down (the page title is the `#`), on one line."""
        assert opening.map is not None
        text = " ".join(self._inline(inline, columns).split())
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        first_line = lines[opening.map[0]]
        marks = first_line.find("#") if opening.markup.startswith("#") else -1
        prefix = first_line[:marks] if marks >= 0 else first_line[: columns[0] or 0]
        level = min(int(opening.tag[1:]) + 1, 6)
        line = f"{prefix}{'#' * level} {text}".rstrip()
        if self.anchor and not self.anchored and opening.map[0] == 0:
            line += f" {{ #{self.anchor} }}"
            self.anchored = True
        return line

    def image(self, markup: str) -> str | None:
        """The page's Markdown for a slide image written `markup`, or None
        when it is not one of the slide's images."""
        queue = self.images.get(markup)
        if not queue:
            return None
        image = queue.popleft()
        if image.background:
            self.figures.append(_figure(image, self.links))
            return ""
        return _inline_image(image, self.links)


class _InlineWriter:
    """Rewrites the content of one inline token, span by span."""

    def __init__(self, page: _PageMarkdown, token: Token) -> None:
        self.page = page
        self.content = token.content
        self.children = token.children or []

    def write(self) -> str:
        regions: list[tuple[int, int, str]] = []
        for child in self.children:
            span = child.meta.get("span")
            if span is None:
                continue
            start, end = span
            if child.type == "link_open" and child.markup != "autolink":
                # The link text holds spans of its own, between the `[` and
                # the destination.
                label_end = child.meta["label_end"]
                regions.append((start, start + 1, "["))
                regions.append((label_end, end, self._destination(label_end, end)))
                continue
            regions.append((start, end, self._written(child, start, end)))
        out: list[str] = []
        position = 0
        for start, end, written in sorted(regions):
            if start < position:
                continue
            out.append(_escaped_text(self.content[position:start]))
            out.append(written)
            position = end
        out.append(_escaped_text(self.content[position:]))
        return "".join(out)

    def _written(self, child: Token, start: int, end: int) -> str:
        """What the span of `child` becomes on the page."""
        source = self.content[start:end]
        if child.type == "html_inline":
            return self.page.html.inline(source)
        if child.type == "marpit_comment":
            return ""
        if child.type == "marp_math_inline":
            return _math_text(source)
        if child.type == "image":
            image = self.page.image(source)
            if image is not None:
                return image
            label_end = child.meta.get("label_end", start)
            label = _escaped_text(self.content[start + 2 : label_end])
            return f"![{label}{self._destination(label_end, end)}"
        if child.type == "code_inline":
            # A line break in code is a space; a code span on one line
            # cannot hide a line that starts with a tag.
            return source.replace("\n", " ")
        # An autolink or a backslash escape: Python-Markdown reads it alike.
        return source

    def _destination(self, label_end: int, end: int) -> str:
        """`](url "title")` as written (markdown-it accepted the URL), or the
        `]`, `][label]` of a reference link without any tag in it."""
        tail = self.content[label_end:end]
        return tail if tail.startswith("](") else tail.replace("<", "&lt;")


def _escaped_text(text: str) -> str:
    """Text as markdown-it reads it, written so that Python-Markdown reads
    plain text too.

    Python-Markdown takes more for markup than markdown-it: a `<` that is
    not a valid tag, `[...](javascript:...)` that markdown-it refused as a
    link, `{ onclick=... }` (attr_list). So `<` is written `&lt;` (a
    backslash that escaped it goes: Python-Markdown does not read `\\<`),
    and brackets and braces get a backslash unless they have one.
    """
    if not _MARKUP_IN_TEXT.search(text):
        return text
    out: list[str] = []
    backslashes = 0
    for character in text:
        escaped = backslashes % 2 == 1
        if character == "<":
            if escaped:
                out.pop()
            out.append("&lt;")
        elif character in _BRACKETS and not escaped:
            out.append("\\" + character)
        else:
            out.append(character)
        backslashes = backslashes + 1 if character == "\\" else 0
    return "".join(out)


def _gaps(tokens: list[Token], lines: list[str]) -> set[int]:
    """Lines before which Python-Markdown needs a blank line to see the
    block markdown-it sees: a list, table or HTML block right under a
    paragraph, and whatever follows an HTML or math block."""
    gaps = set()
    for token in tokens:
        if token.level != 0 or token.map is None:
            continue
        first, last = token.map
        if token.type in _BLOCK_STARTS and first > 0 and lines[first - 1].strip():
            gaps.add(first)
        ended = token.type in _BLOCKS_ENDED_BY_A_GAP and last < len(lines)
        if ended and lines[last].strip():
            gaps.add(last)
    return gaps


def _math_text(math: str) -> str:
    """Math as written, with a space after any `<` that could open a tag
    (TeX does not see it; Python-Markdown would, if it missed the math)."""
    return _TAG_START.sub("< ", math)


def _math_block(content: str) -> str:
    """A `$$` block as arithmatex reads one: no blank line inside."""
    lines = [line for line in _math_text(content).split("\n") if line.strip()]
    return "\n".join(["$$", *lines, "$$"])


def _prefix(line: str, first_content_line: str) -> str:
    """What comes before a block's text on its first line (`> `, `- `)."""
    column = line.find(first_content_line.strip()) if first_content_line.strip() else -1
    return line[:column] if column > 0 else ""


def _prefixed(text: str, prefix: str) -> list[str]:
    """`text`'s lines inside the container `prefix` opens: the first line
    after `prefix`, the next ones after its continuation (`- ` -> `  `)."""
    continuation = "".join(c if c in "> \t" else " " for c in prefix)
    lines = text.split("\n")
    return [prefix + lines[0], *(continuation + line for line in lines[1:])]


def _assembled(
    lines: list[str],
    blocks: dict[int, tuple[int, list[str]]],
    cells: dict[int, list[tuple[int, int, str]]],
    gaps: set[int],
) -> list[str]:
    out: list[str] = []
    index = 0
    while index < len(lines):
        if index in gaps and out and out[-1].strip():
            out.append("")
        if index in blocks:
            end, written = blocks[index]
            out.extend(written)
            index = max(end, index + 1)
            continue
        line = lines[index]
        for start, end, text in sorted(cells.get(index, ()), reverse=True):
            line = line[:start] + text + line[end:]
        out.append(line)
        index += 1
    return out


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
    listed = ", ".join(f"[{plain_text(text)}]({url})" for text, url in labs)
    return f"Practised in {listed}.\n{{ .ck-backlinks }}"


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
        return plain_text(image.alt)
    stem = image.src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = re.sub(r"[_\-]+", " ", stem).split()
    return " ".join(word for word in words if not word.isdigit()) or "slide image"


def _note(text: str, parser: MarkdownIt, full_html: bool) -> str:
    """A speaker note, as Markdown read like the slides, in a collapsed box."""
    page_html = PageHtml(full=full_html)
    written = _PageMarkdown(parser, page_html, LectureLinks(lambda image: ""), {})
    markdown = "\n\n".join(
        part for part in (written.render(text), page_html.close()) if part
    )
    body = "\n".join(f"    {line}" if line else "" for line in markdown.split("\n"))
    return f'??? note "Speaker notes"\n\n{body}'
