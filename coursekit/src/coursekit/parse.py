"""Parse a Marp deck into the plain data of `coursekit.model`.

Slides are split the way Marp splits them: markdown-it (the parser Marp itself
uses) finds the top-level thematic breaks, so `---` inside a fenced code block
or under a setext heading never starts a slide, and `headingDivider` starts
one before each heading at or above its level.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .directives import KEYWORD_COMMENTS, SPOT_PREFIX, directive_name, is_directive
from .errors import ContentError
from .model import Deck, Heading, Image, Note, Slide

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^\s)>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
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

_markdown = MarkdownIt("commonmark").enable("table")


def parse_deck(path: Path) -> Deck:
    """Read and parse the deck at `path`; bad content raises `ContentError`."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentError(
            path,
            line,
            "the deck is not UTF-8 text",
            "save the file as UTF-8",
            rule="deck-encoding",
        ) from None
    return parse_text(text, path)


# `mkdocs serve` parses every deck again on each save; unchanged text gives
# the same (immutable) Deck, so it is parsed once.
@functools.lru_cache(maxsize=256)
def parse_text(text: str, path: Path) -> Deck:
    line_ending = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front_matter, body_start = _read_front_matter(lines, path)
    body = lines[body_start:]
    tokens = _markdown.parse("\n".join(body))

    divider = _heading_divider(
        {**front_matter, **_comment_globals(tokens)}, path, lines[:body_start]
    )
    ranges = _slide_ranges(tokens, len(body), divider)

    slides: list[Slide] = []
    inherited = {
        key: value
        for key, value in front_matter.items()
        if not key.startswith(SPOT_PREFIX)
    }
    code_lines = {
        index
        for token in tokens
        if token.type in {"fence", "code_block"} and token.map
        for index in range(*token.map)
    }
    for number, (first, last) in enumerate(ranges, start=1):
        spot = {}
        if number == 1:
            spot = {
                directive_name(key): value
                for key, value in front_matter.items()
                if key.startswith(SPOT_PREFIX)
            }
        slide, inherited = _build_slide(
            number,
            [
                "" if index in code_lines else line
                for index, line in enumerate(body[first:last], start=first)
            ],
            body[first:last],
            [t for t in tokens if t.map and first <= t.map[0] < last],
            first_line=body_start + first + 1,
            body_first=first,
            inherited=inherited,
            spot=spot,
        )
        slides.append(slide)

    return Deck(
        path=path,
        front_matter=front_matter,
        slides=tuple(slides),
        front_matter_lines=body_start,
        line_ending=line_ending,
        source_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _read_front_matter(lines: list[str], path: Path) -> tuple[dict[str, object], int]:
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]):
        return {}, 0
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
    if not isinstance(data, dict):
        raise ContentError(
            path,
            2,
            "front matter must be a mapping of directives",
            "write one `key: value` per line, e.g. `marp: true`",
            rule="deck-front-matter",
        )
    return {str(key): value for key, value in data.items()}, index + 1


def _comment_globals(tokens: list[Token]) -> dict[str, object]:
    """Directives set in HTML comments outside code, the last one winning.

    Marp reads global directives such as `headingDivider` from comments
    anywhere in the deck before it splits the slides.
    """
    found: dict[str, object] = {}
    html = [token for token in tokens if token.type == "html_block"]
    html += [
        child
        for token in tokens
        for child in token.children or []
        if child.type == "html_inline"
    ]
    html.sort(key=lambda token: token.map[0] if token.map else 0)
    for token in html:
        for match in _COMMENT.finditer(token.content):
            found.update(_directive_values(match.group(1)) or {})
    return found


def _heading_divider(
    front_matter: dict[str, object], path: Path, front_lines: list[str]
) -> int:
    value = front_matter.get("headingDivider", 0)
    if isinstance(value, list):
        value = max(value, default=0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        line = next(
            (n for n, text in enumerate(front_lines, 1) if "headingDivider" in text), 2
        )
        raise ContentError(
            path,
            line,
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


def _is_comment_only(token: Token) -> bool:
    """An HTML block of only comments: directives or notes, not slide content."""
    return token.type == "html_block" and not _COMMENT.sub("", token.content).strip()


def _build_slide(
    number: int,
    prose_lines: list[str],
    lines: list[str],
    tokens: list[Token],
    *,
    first_line: int,
    body_first: int,
    inherited: dict[str, object],
    spot: dict[str, object],
) -> tuple[Slide, dict[str, object]]:
    """One slide from its lines; `prose_lines` has its code lines blanked out."""
    prose = "\n".join(prose_lines)
    text = "\n".join(lines)
    directives = dict(inherited)
    local: dict[str, object] = {}
    notes: list[Note] = []

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
                if key.startswith(SPOT_PREFIX):
                    spot.setdefault(directive_name(key), value)
                else:
                    local.setdefault(key, value)
        blank = "\n" * body.count("\n")
        prose = prose[: match.start()] + blank + prose[match.end() :]
        text = text[: match.start()] + blank + text[match.end() :]
    notes.reverse()

    directives.update(local)
    next_inherited = dict(directives)
    directives.update(spot)

    kept = text.split("\n")
    leading = next((i for i, line in enumerate(kept) if line.strip()), len(kept))
    markdown = "\n".join(kept[leading:]).rstrip()
    shift = body_first + leading
    slide = Slide(
        number=number,
        line=first_line + leading,
        markdown=markdown,
        directives=directives,
        notes=tuple(notes),
        images=tuple(_images(prose, first_line)),
        headings=tuple(_headings(tokens, shift)),
    )
    return slide, next_inherited


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
        images.append(_image(match.group(0), match["alt"], match["src"], line))
    return images


def _image(markup: str, alt: str, src: str, line: int) -> Image:
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
