"""Parse a Marp deck into the plain data of `coursekit.model`.

Slides are split the way Marp splits them: markdown-it (the parser Marp itself
uses) finds the top-level thematic breaks, so `---` inside a fenced code block
or under a setext heading never starts a slide, and `headingDivider` starts
one before each heading at or above its level.

Parsing is linear in the deck: the tokens are walked once and dealt to the
slides they belong to.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from markdown_it.token import Token

from .directives import (
    GLOBAL_DIRECTIVES,
    KEYWORD_COMMENTS,
    SPOT_PREFIX,
    directive_name,
    is_directive,
)
from .errors import ContentError
from .markdown import marp_markdown
from .model import Deck, Heading, Image, Note, Slide

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^\s)>]+)>?(?:\s+\"(?P<title>[^\"]*)\")?\s*\)"
)
_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")
_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|em|rem|vw|vh|cm|mm|in|pt|pc|ex|ch)?$")
_SIDE = re.compile(r"^(left|right)(:\d+(\.\d+)?%)?$")
_BACKGROUND_SIZE = re.compile(r"^(contain|cover|fit|auto|\d+(\.\d+)?%)$")
_FILTERS = frozenset(
    {
        "blur",
        "brightness",
        "contrast",
        "drop-shadow",
        "grayscale",
        "hue-rotate",
        "invert",
        "opacity",
        "saturate",
        "sepia",
    }
)


def parse_deck(path: Path) -> Deck:
    """Read and parse the deck at `path`; bad content raises `ContentError`."""
    return parse_source(path.read_bytes(), path)


def parse_source(raw: bytes, path: Path) -> Deck:
    """Parse the bytes of the deck file at `path`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            path,
            raw[: error.start].count(b"\n") + 1,
            "the deck is not UTF-8 text",
            "save the file as UTF-8",
            rule="deck-encoding",
        ) from None
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> Deck:
    """Parse a deck's text; `path` says where it lives (images resolve from it).

    The text is read as Marp reads it: without a byte-order mark and with any
    line ending, so a deck checked out with CRLF gives the same deck (and the
    same `source_hash`) as with LF.
    """
    line_ending = "\r\n" if "\r\n" in text else "\n"
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    front_matter, key_lines, body_start = _read_front_matter(lines, path)
    body = lines[body_start:]
    tokens = marp_markdown().parse("\n".join(body))

    divider = _heading_divider(
        {**front_matter, **_comment_globals(tokens)}, path, key_lines
    )
    ranges = _slide_ranges(tokens, len(body), divider)
    code_lines = {
        index
        for token in tokens
        if token.type in {"fence", "code_block"} and token.map
        for index in range(*token.map)
    }
    globals_found = _Globals()
    for key, value in front_matter.items():
        if key in GLOBAL_DIRECTIVES:
            globals_found.set(key, value, key_lines.get(key, 1))

    slides: list[Slide] = []
    inherited = {
        key: value
        for key, value in front_matter.items()
        if not key.startswith(SPOT_PREFIX) and key not in GLOBAL_DIRECTIVES
    }
    for number, ((first, last), slide_tokens) in enumerate(
        zip(ranges, _deal_tokens(tokens, ranges), strict=True), start=1
    ):
        spot = {}
        if number == 1:
            spot = {
                directive_name(key): value
                for key, value in front_matter.items()
                if key.startswith(SPOT_PREFIX)
            }
        slide, inherited = _read_slide(
            number,
            [
                "" if index in code_lines else line
                for index, line in enumerate(body[first:last], start=first)
            ],
            body[first:last],
            slide_tokens,
            first_line=body_start + first + 1,
            body_first=first,
            inherited=inherited,
            spot=spot,
            globals_found=globals_found,
        )
        slides.append(slide)

    # Global directives apply to every slide, wherever they are written.
    deck_globals = globals_found.values
    return Deck(
        path=path,
        text=text,
        front_matter=front_matter,
        slides=tuple(
            replace(slide, directives={**deck_globals, **slide.directives})
            for slide in slides
        ),
        front_matter_lines=body_start,
        key_lines=key_lines,
        global_directives=deck_globals,
        directive_lines=globals_found.lines,
        line_ending=line_ending,
        source_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


@dataclass
class _Globals:
    """Global directives in the order Marp reads them; the last one wins."""

    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def set(self, key: str, value: object, line: int) -> None:
        self.values[key] = value
        self.lines[key] = line


def _read_front_matter(
    lines: list[str], path: Path
) -> tuple[dict[str, object], dict[str, int], int]:
    """The front matter's keys and values, the line of each key, and where the
    body starts (0 without front matter)."""
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]):
        return {}, {}, 0
    for index in range(1, len(lines)):
        if _FRONT_MATTER_FENCE.match(lines[index]):
            break
    else:
        raise ContentError(
            path,
            1,
            "front matter is not closed",
            "end the front matter with a line holding only `---`",
            rule="deck-front-matter",
        )
    source = "\n".join(lines[1:index])
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError(
            path,
            line,
            f"front matter is not valid YAML: {problem}",
            "write one `key: value` per line, e.g. `theme: my-theme`",
            rule="deck-front-matter",
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            path,
            2,
            "front matter must be a mapping of directives",
            "write one `key: value` per line, e.g. `marp: true`",
            rule="deck-front-matter",
        )
    key_lines = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            # +2: the opening `---` is line 1 and marks count from 0.
            key_lines[str(key_node.value)] = key_node.start_mark.line + 2
    return {str(key): value for key, value in data.items()}, key_lines, index + 1


def _comment_globals(tokens: list[Token]) -> dict[str, object]:
    """Directives set in HTML comments outside code, the last one winning.

    Marp reads global directives such as `headingDivider` from comments
    anywhere in the deck before it splits the slides.
    """
    found: dict[str, object] = {}
    for token in _html_tokens(tokens):
        for match in _COMMENT.finditer(token.content):
            found.update(_directive_values(match.group(1)) or {})
    return found


def _html_tokens(tokens: list[Token]) -> Iterator[Token]:
    """HTML blocks and inline HTML, in the order they are written."""
    for token in tokens:
        if token.type == "html_block":
            yield token
        for child in token.children or []:
            if child.type == "html_inline":
                yield child


def _heading_divider(
    directives: dict[str, object], path: Path, key_lines: dict[str, int]
) -> int:
    value = directives.get("headingDivider", 0)
    if isinstance(value, list):
        value = max(value, default=0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise ContentError(
            path,
            key_lines.get("headingDivider", 2),
            f"headingDivider must be a heading level from 1 to 6, not {value!r}",
            "write e.g. `headingDivider: 2`",
            rule="deck-directive",
        )
    return value


def _slide_ranges(
    tokens: list[Token], line_count: int, divider: int
) -> list[tuple[int, int]]:
    """Line ranges [first, last) of each slide's content in the body."""
    ranges: list[tuple[int, int]] = []
    start = 0
    has_content = False
    for token in tokens:
        if token.level != 0 or token.map is None:
            continue
        if token.type == "hr":
            ranges.append((start, token.map[0]))
            start = token.map[1]
            has_content = False
            continue
        is_divider = (
            token.type == "heading_open" and divider and int(token.tag[1:]) <= divider
        )
        if is_divider and has_content:
            ranges.append((start, token.map[0]))
            start = token.map[0]
        if not token.type.endswith("_close") and not _is_comment_only(token):
            has_content = True
    ranges.append((start, line_count))
    return ranges


def _deal_tokens(
    tokens: list[Token], ranges: list[tuple[int, int]]
) -> list[list[Token]]:
    """The tokens that start inside each slide's range, in one pass."""
    dealt: list[list[Token]] = [[] for _ in ranges]
    slide = 0
    for token in tokens:
        if token.map is None:
            continue
        while slide < len(ranges) - 1 and token.map[0] >= ranges[slide][1]:
            slide += 1
        first, last = ranges[slide]
        if first <= token.map[0] < last:
            dealt[slide].append(token)
    return dealt


def _is_comment_only(token: Token) -> bool:
    """An HTML block of only comments: directives or notes, not slide content."""
    return token.type == "html_block" and not _COMMENT.sub("", token.content).strip()


def _read_slide(
    number: int,
    prose_lines: list[str],
    lines: list[str],
    tokens: list[Token],
    *,
    first_line: int,
    body_first: int,
    inherited: dict[str, object],
    spot: dict[str, object],
    globals_found: _Globals,
) -> tuple[Slide, dict[str, object]]:
    """One slide from its lines, and the directives the next slide inherits.

    `prose_lines` has the slide's code lines blanked out. Global directives
    found go to `globals_found`; the slide gets them when the deck is done.
    """
    prose = "\n".join(prose_lines)
    text = "\n".join(lines)
    local: dict[str, object] = {}
    notes: list[Note] = []
    slide_globals: list[tuple[str, object, int]] = []

    # Replace comments from the end so earlier offsets stay valid; keep their
    # newlines so line numbers of everything else do not move.
    for match in reversed(list(_COMMENT.finditer(prose))):
        body = match.group(1)
        line = first_line + prose.count("\n", 0, match.start())
        values = _directive_values(body)
        if values is None:
            if body.strip() and body.strip() not in KEYWORD_COMMENTS:
                notes.append(Note(_dedent(body), line))
        else:
            for key, value in values.items():
                if key in GLOBAL_DIRECTIVES:
                    slide_globals.append((key, value, line))
                elif key.startswith(SPOT_PREFIX):
                    spot.setdefault(directive_name(key), value)
                else:
                    local.setdefault(key, value)
        blank = "\n" * body.count("\n")
        prose = prose[: match.start()] + blank + prose[match.end() :]
        text = text[: match.start()] + blank + text[match.end() :]
    notes.reverse()
    for key, value, line in reversed(slide_globals):
        globals_found.set(key, value, line)

    directives = {**inherited, **local}
    kept = text.split("\n")
    leading = next((i for i, line in enumerate(kept) if line.strip()), len(kept))
    slide = Slide(
        number=number,
        line=first_line + leading,
        markdown="\n".join(kept[leading:]).rstrip(),
        directives={**directives, **spot},
        notes=tuple(notes),
        images=tuple(_images(prose, first_line)),
        headings=tuple(_headings(tokens, body_first + leading)),
    )
    return slide, directives


def _dedent(text: str) -> str:
    lines = text.strip("\n").split("\n")
    indent = min(
        (len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0
    )
    return "\n".join(line[indent:].rstrip() for line in lines).strip()


def _directive_values(comment: str) -> dict[str, object] | None:
    """The directives a comment sets, or None when it is a speaker note."""
    try:
        data = yaml.safe_load(comment)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not data:
        return None
    if not all(isinstance(key, str) and is_directive(key) for key in data):
        return None
    return data


def _images(prose: str, first_line: int) -> list[Image]:
    images = []
    for match in _IMAGE.finditer(prose):
        line = first_line + prose.count("\n", 0, match.start())
        images.append(
            _image(match.group(0), match["alt"], match["src"], line, match["title"])
        )
    return images


def _image(
    markup: str, alt: str, src: str, line: int, title: str | None = None
) -> Image:
    """Read Marp's image keywords (`bg`, `right:40%`, `w:500`, filters)."""
    background = False
    side = width = height = None
    words = []
    for word in alt.split():
        key, _, value = word.partition(":")
        if word == "bg":
            background = True
        elif _SIDE.match(word):
            side = key
        elif key in {"w", "width"} and _CSS_LENGTH.match(value):
            width = _css_length(value)
        elif key in {"h", "height"} and _CSS_LENGTH.match(value):
            height = _css_length(value)
        elif key in _FILTERS or _BACKGROUND_SIZE.match(word) or word == "vertical":
            continue
        else:
            words.append(word)
    return Image(
        markup=markup,
        src=src,
        alt=" ".join(words),
        line=line,
        background=background,
        side=side if background else None,
        width=width,
        height=height,
        title=title,
    )


def _css_length(value: str) -> str:
    return f"{value}px" if value.replace(".", "", 1).isdigit() else value


def _headings(tokens: list[Token], shift: int) -> list[Heading]:
    headings = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:
            continue
        inline = tokens[index + 1]
        words = "".join(
            child.content
            for child in inline.children or []
            if child.type in {"text", "code_inline"}
        )
        headings.append(
            Heading(
                level=int(token.tag[1:]),
                text=" ".join(words.split()),
                first=token.map[0] - shift,
                last=token.map[1] - shift,
            )
        )
    return headings
