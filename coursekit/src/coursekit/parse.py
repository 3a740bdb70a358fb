"""Parse a Marp deck into the plain data of `coursekit.model`, as Marp reads it.

The deck goes through the steps Marp CLI takes (see `coursekit.markdown` for
the parser): the front matter is read as Marp Core reads it (loose YAML:
unquoted directive values are strings, and every value is a string); global
directives are resolved over the whole deck (front matter, then every
directive comment, the last one winning) before the slides are split, so a
`headingDivider` written on the last slide still splits the first; slides
split at every top-level thematic break and, with `headingDivider`, before
each selected heading once anything visible came before it in the deck;
local directives then flow from slide to slide.

Parsing is linear in the deck: markdown-it reads it once, the tokens are
walked a fixed number of times, and only comments that could hold a
directive are read as YAML.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it.token import Token

from .directives import (
    GLOBAL_DIRECTIVES,
    LOCAL_DIRECTIVES,
    LOOSE_IN_COMMENTS,
    LOOSE_IN_FRONT_MATTER,
    directive_name,
    is_directive,
    is_spot,
    read_directive,
)
from .errors import ContentError
from .html_policy import HtmlImage, html_images
from .markdown import InlineLocator, marp_markdown
from .model import Deck, Heading, IgnoredKey, Image, Note, Slide

_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^\s)>]+)>?"
    r"(?:\s+\"(?P<title>[^\"]*)\")?\s*\)"
)
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
# Editor comments Marpit neither shows as notes nor reads as directives.
_MAGIC_COMMENT = re.compile(
    r"^(prettier-ignore(-(start|end))?|markdownlint-((disable|enable).*|capture|restore)"
    r"|lint (disable|enable|ignore).*)$"
)
# Marp Core reads `<!-- fit -->` inside a heading as "scale to fit".
_FIT = "fit"
# Values that YAML would read as something else than a plain string: Marpit
# leaves them as written when it quotes loose values.
_YAML_SPECIAL = "[\"'{|>~&*"
_DIRECTIVE_WORD = re.compile(
    "|".join(sorted(GLOBAL_DIRECTIVES | LOCAL_DIRECTIVES, key=len, reverse=True))
)
# A `?` key is YAML's explicit mapping key: a comment without `:` or `?`
# cannot be a mapping, so it is a note without reading it as YAML.
_MAPPING_SIGNS = (":", "?")
_YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def _loose_pattern(keys: Sequence[str]) -> re.Pattern[str]:
    names = "|".join(re.escape(key) for key in keys)
    key = f"_?(?:{names})"
    return re.compile(rf"^((?:{key}|\"{key}\"|'{key}')\s*:)(.+)$")


_LOOSE_FRONT_MATTER = _loose_pattern(LOOSE_IN_FRONT_MATTER)
_LOOSE_COMMENT = _loose_pattern(LOOSE_IN_COMMENTS)


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
    with _collector_paused():
        return _parse_text(text, path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """CPython's cycle collector paused while a deck is read.

    markdown-it makes some thirty objects a slide that live until the deck
    is read, and the collector walks all live objects each time it runs: with
    it on, parsing grew faster than the deck (21x the time for 17x the
    slides, measured). Tokens hold no reference cycles, so reference counting
    frees them; the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_text(text: str, path: Path) -> Deck:
    line_ending = "\r\n" if "\r\n" in text else "\n"
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    front = _read_front_matter(lines, path)
    body = lines[front.body_start :]
    tokens = marp_markdown().parse("\n".join(body))
    comments = list(_comments(tokens))
    deck_globals = _resolve_globals(front, comments, line_shift=front.body_start)
    boundaries = _slide_boundaries(
        tokens, len(body), deck_globals.values.get("headingDivider")
    )
    reader = _SlideReader(
        tokens, body, comments, front, deck_globals.values, front.body_start
    )
    slides = tuple(
        reader.read(number, boundary)
        for number, boundary in enumerate(boundaries, start=1)
    )
    ignored = deck_globals.ignored + reader.ignored
    ignored.extend(
        IgnoredKey(key, comment.line + front.body_start + 1)
        for comment in comments
        if comment.is_directive
        for key in comment.values or {}
        if not is_directive(key)
    )
    return Deck(
        path=path,
        text=text,
        front_matter=front.values,
        slides=slides,
        front_matter_lines=front.body_start,
        key_lines=front.key_lines,
        global_directives=deck_globals.values,
        directive_lines=deck_globals.lines,
        ignored_keys=tuple(sorted(ignored, key=lambda ignored: ignored.line)),
        line_ending=line_ending,
        source_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


# Front matter ---------------------------------------------------------------


@dataclass(frozen=True)
class _FrontMatter:
    values: dict[str, object] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each key."""
    body_start: int = 0
    """Index of the first line after the front matter (0 without one)."""


def _read_front_matter(lines: list[str], path: Path) -> _FrontMatter:
    """The front matter as markdown-it-front-matter finds it and Marp reads it.

    It opens only on the very first line, with three or more dashes, and
    closes at the first later line (indented less than four columns) of at
    least as many dashes and nothing else but spaces, or at a `...` line.
    """
    first = lines[0]
    fence = len(first) - len(first.lstrip("-"))
    if fence < 3:
        return _FrontMatter()
    close = _front_matter_end(lines, fence)
    if close is None:
        raise ContentError(
            path,
            1,
            "front matter is not closed: Marp would read the whole deck as "
            "front matter",
            f"end the front matter with a line holding only `{'-' * fence}`",
            rule="deck-front-matter",
        )
    # The opening line's text after its dashes (and one more character) is
    # part of the YAML, as markdown-it-front-matter cuts it.
    head = [first[fence + 1 :]] if len(first) > fence else []
    source = "\n".join(head + lines[1:close])
    first_line = 1 if head else 2
    values, key_lines = _front_matter_values(source, first_line, path)
    return _FrontMatter(values, key_lines, close + 1)


def _front_matter_end(lines: list[str], fence: int) -> int | None:
    """Index of the line that closes the front matter, or None."""
    for index in range(1, len(lines)):
        line = lines[index]
        stripped = line.lstrip(" \t")
        if stripped == "...":
            return index
        indent = len(line[: len(line) - len(stripped)].expandtabs(4))
        if indent >= 4 or not stripped.startswith("-"):
            continue
        dashes = len(stripped) - len(stripped.lstrip("-"))
        if dashes >= fence and not stripped[dashes:].strip(" \t"):
            return index
    return None


def _front_matter_values(
    source: str, first_line: int, path: Path
) -> tuple[dict[str, object], dict[str, int]]:
    """The keys and values of the front matter, and each key's line."""
    loose, shift = _loosened(source, _LOOSE_FRONT_MATTER)
    try:
        node = yaml.compose(loose, Loader=_YAML_LOADER) if loose else None
        data = _node_value(node)
    except yaml.YAMLError as error:
        line = _error_line(error, loose) + first_line + shift
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError(
            path,
            line,
            f"front matter is not valid YAML, even read as Marp reads it: {problem}",
            "write one `key: value` per line, e.g. `theme: my-theme`",
            rule="deck-front-matter",
        ) from None
    except _DuplicateKey as duplicate:
        raise ContentError(
            path,
            duplicate.line + first_line + shift,
            f"front matter key `{duplicate.key}` is written twice: Marp then "
            "ignores the whole front matter",
            f"keep one `{duplicate.key}:` line",
            rule="deck-front-matter",
        ) from None
    except RecursionError:
        raise ContentError(
            path,
            first_line,
            "front matter YAML refers to itself (a recursive alias)",
            "write the directive values out",
            rule="deck-front-matter",
        ) from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ContentError(
            path,
            first_line,
            "front matter must be a mapping of directives",
            "write one `key: value` per line, e.g. `marp: true`",
            rule="deck-front-matter",
        )
    assert isinstance(node, yaml.MappingNode)
    key_lines = {
        str(key.value): key.start_mark.line + first_line + shift
        for key, _ in node.value
    }
    return data, key_lines


def _error_line(error: yaml.YAMLError, source: str) -> int:
    """0-based line of `source` to fix: where the problem was found, or where
    the construct it is in began when the problem is the end of the text
    (an unclosed `[`)."""
    problem = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    last = source.count("\n")
    at_the_end = problem is None or problem.index >= len(source)
    if problem is not None and problem.line <= last and not (context and at_the_end):
        return problem.line
    if context is not None:
        return context.line
    return min(problem.line, last) if problem is not None else 0


def _loosened(text: str, pattern: re.Pattern[str]) -> tuple[str, int]:
    """`text` with Marpit's loose YAML applied, and how many leading lines
    the trimming dropped.

    A directive key whose value is not quoted and does not start as YAML
    syntax gets its value quoted, so `footer: ![w:150](logo.png)`,
    `backgroundColor: #0F172A` and `header: Live: today` are strings.
    Backslashes are not escaped: Marpit does not either.
    """
    loosened = []
    for line in text.split("\n"):
        match = pattern.match(line)
        if match:
            key, value = match.group(1), match.group(2)
            trimmed = value.strip()
            if trimmed and trimmed[0] not in _YAML_SPECIAL:
                spaces = value[: len(value) - len(value.lstrip())]
                quoted = trimmed.replace('"', '\\"')
                line = f'{key}{spaces}"{quoted}"'
        loosened.append(line)
    joined = "\n".join(loosened)
    stripped = joined.strip()
    dropped = joined[: len(joined) - len(joined.lstrip())].count("\n")
    return stripped, dropped


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        self.key, self.line = key, line


def _node_value(node: yaml.Node | None) -> object:
    """A composed YAML node as the failsafe schema reads it: strings, lists
    and dicts; a key written twice in a mapping raises `_DuplicateKey`."""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_node_value(item) for item in node.value]
    mapping: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = str(_node_value(key_node))
        if key in mapping:
            raise _DuplicateKey(key, key_node.start_mark.line)
        mapping[key] = _node_value(value_node)
    return mapping


# Comments -------------------------------------------------------------------


@dataclass
class _Comment:
    """An HTML comment Marpit reads: a directive, a note or an editor's."""

    token: int
    """Index of its block token, or of the inline token that holds it."""
    line: int
    """0-based line of the body where it starts."""
    content: str
    values: dict[str, object] | None
    """The keys and values it writes when it is a YAML mapping."""
    in_heading: bool = False
    is_directive: bool = False

    @property
    def is_note(self) -> bool:
        if self.is_directive or not self.content:
            return False
        if _MAGIC_COMMENT.match(self.content):
            return False
        return not (self.in_heading and self.content == _FIT)


def _comments(tokens: list[Token]) -> Iterator[_Comment]:
    """Every comment Marpit tokenizes, in the order written: comment blocks
    (at any depth) and comments inside inline text. A comment inside another
    HTML block is part of that block, not one of these."""
    for index, token in enumerate(tokens):
        if token.type == "marpit_comment" and token.map:
            yield _Comment(
                index,
                token.map[0],
                token.content,
                _comment_values(token.content),
            )
        elif token.type == "inline" and token.map:
            in_heading = tokens[index - 1].type == "heading_open"
            for child in token.children or []:
                if child.type != "marpit_comment":
                    continue
                start = child.meta["span"][0]
                yield _Comment(
                    index,
                    token.map[0] + token.content.count("\n", 0, start),
                    child.content,
                    _comment_values(child.content),
                    in_heading=in_heading,
                )


def _comment_values(content: str) -> dict[str, object] | None:
    """The mapping a comment's text is in (loose) YAML, else None.

    Only a text that names a directive somewhere can set one, so the others
    are not read as YAML at all.
    """
    if not any(sign in content for sign in _MAPPING_SIGNS):
        return None
    if not _DIRECTIVE_WORD.search(content):
        return None
    loose, _ = _loosened(content, _LOOSE_COMMENT)
    try:
        value = _node_value(yaml.compose(loose, Loader=_YAML_LOADER))
    except (yaml.YAMLError, _DuplicateKey, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# Directives -----------------------------------------------------------------


@dataclass
class _Directives:
    """Directive values as Marp keeps them, and the line each was written on."""

    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    ignored: list[IgnoredKey] = field(default_factory=list)

    def write(self, key: str, value: object, line: int) -> bool:
        """Apply `key: value` if it is a global directive; whether it is one."""
        if key not in GLOBAL_DIRECTIVES:
            return False
        kept = read_directive(key, value)
        if not kept:
            self.ignored.append(IgnoredKey(key, line, value, is_directive=True))
        for name, written in kept.items():
            self.values[name] = written
            self.lines[name] = line
        return True


def _resolve_globals(
    front: _FrontMatter, comments: list[_Comment], line_shift: int
) -> _Directives:
    """Global directives as Marp resolves them before splitting the slides:
    front matter, then each comment in the order written; the last wins."""
    found = _Directives()
    for key, value in front.values.items():
        found.write(key, value, front.key_lines.get(key, 1))
    for comment in comments:
        for key, value in (comment.values or {}).items():
            if found.write(key, value, comment.line + line_shift + 1):
                comment.is_directive = True
    return found


def _write_local(
    key: str, value: object, local: dict[str, object], spot: dict[str, object]
) -> bool | None:
    """Apply a local or spot directive: whether `key` is one, or None when
    it is one but Marp ignores its value."""
    if key in LOCAL_DIRECTIVES:
        kept = read_directive(key, value)
        local.update(kept)
    elif is_spot(key):
        kept = read_directive(directive_name(key), value)
        spot.update(kept)
    else:
        return False
    return True if kept else None


# Slides ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Boundary:
    """Where one slide is in the token stream and in the body's lines."""

    tokens: tuple[int, int]
    lines: tuple[int, int]
    separator: int | None
    """0-based body line of the rule or heading that starts it."""


def _slide_boundaries(
    tokens: list[Token], line_count: int, divider: object
) -> list[_Boundary]:
    """Split where Marpit splits: at every top-level `hr` token, and with a
    heading divider before each selected heading (at any depth) once any
    visible token came before it in the deck, a rule included."""
    split_tags = _divider_tags(divider)
    boundaries = []
    token_start, line_start, separator = 0, 0, None
    seen_visible = False
    for index, token in enumerate(tokens):
        if token.type == "hr" and token.level == 0 and token.map:
            boundaries.append(
                _Boundary((token_start, index), (line_start, token.map[0]), separator)
            )
            token_start, line_start, separator = index + 1, token.map[1], token.map[0]
        elif (
            token.type == "heading_open"
            and token.tag in split_tags
            and seen_visible
            and token.map
        ):
            boundaries.append(
                _Boundary((token_start, index), (line_start, token.map[0]), separator)
            )
            token_start, line_start, separator = index, token.map[0], token.map[0]
        seen_visible = seen_visible or not token.hidden
    boundaries.append(
        _Boundary((token_start, len(tokens)), (line_start, line_count), separator)
    )
    return boundaries


def _divider_tags(divider: object) -> frozenset[str]:
    """The heading tags a `headingDivider` value splits before."""
    if isinstance(divider, int) and not isinstance(divider, bool):
        return frozenset(f"h{level}" for level in range(1, divider + 1))
    if isinstance(divider, tuple):
        return frozenset(f"h{level}" for level in divider)
    return frozenset()


class _SlideReader:
    """Reads the slides in order, carrying local directives from one to the
    next as Marpit does."""

    def __init__(
        self,
        tokens: list[Token],
        body: list[str],
        comments: list[_Comment],
        front: _FrontMatter,
        deck_globals: dict[str, object],
        line_shift: int,
    ) -> None:
        self.tokens = tokens
        self.body = body
        self.comments = comments
        self.next_comment = 0
        self.deck_globals = deck_globals
        self.line_shift = line_shift
        self.locator = InlineLocator(body)
        self.local: dict[str, object] = {}
        self.spot: dict[str, object] = {}
        self.ignored: list[IgnoredKey] = []
        for key, value in front.values.items():
            self._write(key, value, front.key_lines.get(key, 1))

    def _write(self, key: str, value: object, line: int) -> bool:
        written = _write_local(key, value, self.local, self.spot)
        if written is None:
            self.ignored.append(IgnoredKey(key, line, value, is_directive=True))
        return written is not False

    def read(self, number: int, boundary: _Boundary) -> Slide:
        comments = self._comments_until(boundary.tokens[1])
        for comment in comments:
            line = comment.line + self.line_shift + 1
            for key, value in (comment.values or {}).items():
                if self._write(key, value, line):
                    comment.is_directive = True
        directives = {**self.local, **self.spot, **self.deck_globals}
        self.spot = {}

        first, last = boundary.lines
        lines = self.body[first:last]
        images: list[Image] = []
        headings: list[tuple[Token, Token]] = []
        hidden: list[tuple[int, int]] = []
        removed: list[tuple[int, int, int]] = []
        for index in range(*boundary.tokens):
            token = self.tokens[index]
            if token.type in ("marpit_comment", "marpit_style") and token.map:
                hidden.append((token.map[0], token.map[1]))
            elif token.type == "inline" and token.map:
                parent = self.tokens[index - 1]
                columns = self.locator.columns(parent, token)
                removed.extend(_inline_comment_cuts(token, columns))
                images.extend(self._inline_images(token))
                if parent.type == "heading_open":
                    headings.append((parent, token))
            elif token.type == "html_block" and token.map:
                images.extend(self._html_images(token.content, token.map[0]))
        for start, end in hidden:
            _hide_lines(lines, self.body, start - first, end - first, first)
        for line, column, end in reversed(removed):
            text = lines[line - first]
            lines[line - first] = text[:column] + text[end:]

        leading = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
        return Slide(
            number=number,
            line=self.line_shift + first + leading + 1,
            markdown="\n".join(lines[leading:]).rstrip(),
            directives=directives,
            notes=tuple(
                Note(_dedent(comment.content), comment.line + self.line_shift + 1)
                for comment in comments
                if comment.is_note
            ),
            images=tuple(images),
            headings=tuple(
                _heading(opening, inline, first + leading)
                for opening, inline in headings
            ),
            separator_line=(
                0
                if boundary.separator is None
                else self.line_shift + boundary.separator + 1
            ),
        )

    def _comments_until(self, token_end: int) -> list[_Comment]:
        start = self.next_comment
        while (
            self.next_comment < len(self.comments)
            and self.comments[self.next_comment].token < token_end
        ):
            self.next_comment += 1
        return self.comments[start : self.next_comment]

    def _inline_images(self, inline: Token) -> Iterator[Image]:
        content = inline.content
        assert inline.map is not None
        line = self.line_shift + inline.map[0] + 1
        counted = 0
        for child in inline.children or []:
            span = child.meta.get("span")
            if span is None or child.type not in ("image", "html_inline"):
                continue
            line += content.count("\n", counted, span[0])
            counted = span[0]
            if child.type == "image":
                yield _markdown_image(content[span[0] : span[1]], child, line)
            elif child.type == "html_inline":
                for image in html_images(content[span[0] : span[1]]):
                    yield _html_image(image, line + image.line - 1)

    def _html_images(self, html: str, first: int) -> Iterator[Image]:
        for image in html_images(html):
            yield _html_image(image, self.line_shift + first + image.line)


def _inline_comment_cuts(
    inline: Token, columns: list[int | None]
) -> Iterator[tuple[int, int, int]]:
    """(body line, first column, end column) of each piece of line that an
    inline comment of `inline` takes, in order."""
    assert inline.map is not None
    comments = [c for c in inline.children or [] if c.type == "marpit_comment"]
    if not comments:
        return
    content = inline.content
    line_starts = [0]
    for position, character in enumerate(content):
        if character == "\n":
            line_starts.append(position + 1)
    for comment in comments:
        start, end = comment.meta["span"]
        for number, line_start in enumerate(line_starts):
            line_end = (
                line_starts[number + 1] - 1
                if number + 1 < len(line_starts)
                else len(content)
            )
            piece_start, piece_end = max(start, line_start), min(end, line_end)
            column = columns[number]
            if piece_start >= piece_end or column is None:
                continue
            yield (
                inline.map[0] + number,
                column + piece_start - line_start,
                column + piece_end - line_start,
            )


def _hide_lines(
    lines: list[str], body: list[str], start: int, end: int, offset: int
) -> None:
    """Blank the lines [start, end) of a hidden block (a comment or a
    `<style>`), keeping what marks its container (`>`, indentation)."""
    for index in range(max(start, 0), min(end, len(lines))):
        text = body[index + offset]
        prefix = text[: len(text) - len(text.lstrip(" \t>"))]
        lines[index] = prefix.rstrip() if ">" in prefix else ""


def _heading(opening: Token, inline: Token, shift: int) -> Heading:
    assert opening.map is not None
    words = "".join(
        f"${child.content}$" if child.type == "marp_math_inline" else child.content
        for child in inline.children or []
        if child.type in {"text", "code_inline", "marp_math_inline"}
    )
    return Heading(
        level=int(opening.tag[1:]),
        text=" ".join(words.split()),
        first=opening.map[0] - shift,
        last=opening.map[1] - shift,
    )


def _dedent(text: str) -> str:
    lines = text.strip("\n").split("\n")
    indent = min(
        (len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0
    )
    return "\n".join(line[indent:].rstrip() for line in lines).strip()


# Images ---------------------------------------------------------------------


def _markdown_image(markup: str, token: Token, line: int) -> Image:
    """Read Marp's image keywords (`bg`, `right:40%`, `w:500`, filters)."""
    match = _IMAGE.fullmatch(markup)
    alt = match["alt"] if match else token.content
    src = match["src"] if match else str(token.attrGet("src") or "")
    title = match["title"] if match else token.attrGet("title")
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
        title=None if title is None else str(title),
    )


def _html_image(image: HtmlImage, line: int) -> Image:
    return Image(markup=image.src, src=image.src, alt=image.alt, line=line, html=True)


def _css_length(value: str) -> str:
    return f"{value}px" if value.replace(".", "", 1).isdigit() else value
