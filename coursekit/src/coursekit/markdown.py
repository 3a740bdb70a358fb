"""The one Markdown parser that reads decks: markdown-it, set up as Marp's.

Marp renders with markdown-it too, so slide breaks (`hr` tokens), code fences
and headings are where Marp sees them. On top of CommonMark, Marp adds rules
that change what a line is, and this parser adds the same ones (re-written
here from their documented behaviour in Marpit and Marp Core):

- `marpit_comment`: an HTML comment that opens a block, or one inside inline
  text, is a hidden token whose content is the comment's text (a directive or
  a speaker note), not an HTML block;
- `marpit_style`: a `<style>` block is a hidden token (the deck's CSS);
- `marp_math_block` / `marp_math_inline`: `$$` blocks, which interrupt a
  paragraph and run to the line that ends with `$$`, and `$...$` spans.

Inline tokens that later stages rewrite carry `meta["span"]`, the offsets
`(start, end)` of their source in the content of the inline token that holds
them; links and images also carry `meta["label_end"]`, the offset of the `]`
that ends their text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it import rules_inline as inline_rules
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_NOT_RELATIVE = re.compile(r"^([a-zA-Z][\w+.-]*:|//|#)")

COMMENT = re.compile(r"<!--+\s*([\s\S]*?)\s*--+>")
"""Marpit's comment: extra dashes belong to the markers (`<!--- x --->`)."""
_COMMENT_OPENING = "<!--"
_COMMENT_CLOSING = "-->"
_STYLE = re.compile(r"<style([\s\S]*?)>([\s\S]*?)</style>", re.IGNORECASE)
_STYLE_OPENING = re.compile(r"<style(?=\s|>|$)", re.IGNORECASE)
_STYLE_CLOSING = re.compile(r"</style>", re.IGNORECASE)
_SCOPED = re.compile(r"\bscoped\b", re.IGNORECASE)
_MATH = "$$"

InlineRule = Callable[[StateInline, bool], bool]


def marp_markdown() -> MarkdownIt:
    """A new markdown-it parser that finds blocks as Marp Core does.

    A new instance each call: parsers hold rule state, and no module keeps
    one alive.
    """
    md = MarkdownIt("commonmark", {"breaks": True}).enable(["table", "strikethrough"])
    # Neither rule may end a paragraph (no `alt`): `html_block` still does, so
    # lines split as in plain markdown-it; only the token type changes.
    md.block.ruler.before("html_block", "marpit_comment", _comment_block)
    md.block.ruler.before("html_block", "marpit_style", _style_block)
    md.block.ruler.after(
        "blockquote",
        "marp_math_block",
        _math_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.inline.ruler.before("html_inline", "marpit_inline_comment", _inline_comment)
    md.inline.ruler.after("escape", "marp_math_inline", _math_inline)
    for name, rule in (
        ("escape", inline_rules.escape),
        ("backticks", inline_rules.backtick),
        ("autolink", inline_rules.autolink),
        ("html_inline", inline_rules.html_inline),
    ):
        md.inline.ruler.at(name, _spanned(rule))
    md.inline.ruler.at("link", _spanned(inline_rules.link, label_start=0))
    md.inline.ruler.at("image", _spanned(inline_rules.image, label_start=1))
    return md


def _spanned(rule: InlineRule, label_start: int | None = None) -> InlineRule:
    """`rule`, recording where the first token it pushes was written.

    `label_start`: for links and images, where the `[` of the text is, so the
    `]` that ends it is recorded too.
    """

    def spanned(state: StateInline, silent: bool) -> bool:
        start = state.pos
        count = len(state.tokens)
        if not rule(state, silent):
            return False
        if silent:
            return True
        # Pushing a token first flushes the pending text as a `text` token.
        for token in state.tokens[count:]:
            if token.type != "text":
                token.meta["span"] = (start, state.pos)
                if label_start is not None:
                    token.meta["label_end"] = state.md.helpers.parseLinkLabel(
                        state, start + label_start, label_start == 0
                    )
                break
        return True

    return spanned


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _hidden_block(
    state: StateBlock,
    start_line: int,
    end_line: int,
    silent: bool,
    opens: Callable[[str], bool],
    closes: Callable[[str], bool],
    token_type: str,
) -> bool:
    """A block from a line that `opens` to the first line that `closes` it
    (or the end of its container), as Marpit reads comments and styles."""
    line_text = _line_text(state, start_line)
    if not line_text.startswith("<") or not opens(line_text):
        return False
    if silent:
        return True
    next_line = start_line + 1
    if not closes(line_text):
        while next_line < end_line:
            if state.sCount[next_line] < state.blkIndent:
                break
            line_text = _line_text(state, next_line)
            next_line += 1
            if closes(line_text):
                break
    state.line = next_line
    token = state.push(token_type, "", 0)
    token.map = [start_line, next_line]
    token.markup = state.getLines(start_line, next_line, state.blkIndent, True)
    token.hidden = True
    return True


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    found = _hidden_block(
        state,
        start,
        end,
        silent,
        lambda line: line.startswith(_COMMENT_OPENING),
        lambda line: _COMMENT_CLOSING in line,
        "marpit_comment",
    )
    if found and not silent:
        token = state.tokens[-1]
        comment = COMMENT.search(token.markup)
        token.content = comment.group(1).strip() if comment else ""
    return found


def _style_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    found = _hidden_block(
        state,
        start,
        end,
        silent,
        lambda line: bool(_STYLE_OPENING.match(line)),
        lambda line: bool(_STYLE_CLOSING.search(line)),
        "marpit_style",
    )
    if found and not silent:
        token = state.tokens[-1]
        style = _STYLE.search(token.markup)
        if style:
            token.content = style.group(2).strip()
            token.meta["scoped"] = bool(_SCOPED.search(style.group(1)))
    return found


def _inline_comment(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if pos + 2 >= state.posMax or not src.startswith("<!", pos):
        return False
    # Marpit searches from here rather than matching here, then moves on by
    # the match's length: mirrored, odd as it is, so the text agrees.
    comment = COMMENT.search(src, pos)
    if comment is None:
        return False
    if not silent:
        token = state.push("marpit_comment", "", 0)
        token.hidden = True
        token.markup = comment.group(0)
        token.content = comment.group(1).strip()
        token.meta["span"] = (pos, pos + len(comment.group(0)))
    state.pos += len(comment.group(0))
    return True


def _math_block(
    state: StateBlock, start_line: int, end_line: int, silent: bool
) -> bool:
    """`$$` opens a block ended by the first line whose text ends with `$$`
    (the same line for `$$ x $$`), else by the end of the container."""
    src = state.src
    begin = state.bMarks[start_line] + state.tShift[start_line]
    finish = state.eMarks[start_line]
    if begin + 2 > finish or not src.startswith(_MATH, begin):
        return False
    if silent:
        return True
    first = src[begin + 2 : finish]
    closed = first.strip().endswith(_MATH)
    if closed:
        first = first.strip()[: -len(_MATH)]
    last = ""
    line = start_line
    while not closed:
        line += 1
        if line >= end_line:
            break
        begin = state.bMarks[line] + state.tShift[line]
        finish = state.eMarks[line]
        if begin < finish and state.tShift[line] < state.blkIndent:
            break
        if src[begin:finish].strip().endswith(_MATH):
            closed = True
            last = src[begin : src.rfind(_MATH, 0, finish)]
    # Marp Core moves past the line that ended the block, even when that
    # line was only less indented than the container.
    state.line = line + 1
    token = state.push("marp_math_block", "math", 0)
    token.block = True
    token.markup = _MATH
    token.map = [start_line, min(state.line, end_line)]
    content = f"{first}\n" if first.strip() else ""
    content += state.getLines(start_line + 1, line, state.tShift[start_line], True)
    if last.strip():
        content += last
    token.content = content
    return True


def _math_inline(state: StateInline, silent: bool) -> bool:
    """`$...$` as Marp Core reads it: not opened before a space, not closed
    after a space or before a digit, `\\$` escaped."""
    src, pos = state.src, state.pos
    if src[pos] != "$":
        return False
    start = pos + 1

    def consumed(text: str, new_pos: int) -> bool:
        if not silent:
            state.pending += text
        state.pos = new_pos
        return True

    if not _can_open(state, pos):
        return consumed("$", start)
    end = start
    while (end := src.find("$", end)) != -1:
        backslash = end - 1
        while backslash >= 0 and src[backslash] == "\\":
            backslash -= 1
        if (end - backslash) % 2 == 1:
            break
        end += 1
    if end == -1:
        return consumed("$", start)
    if end == start:
        return consumed("$$", start + 1)
    if not _can_close(state, end):
        return consumed("$", start)
    if not silent:
        token = state.push("marp_math_inline", "math", 0)
        token.markup = "$"
        token.content = src[start:end]
        token.meta["span"] = (pos, end + 1)
    state.pos = end + 1
    return True


def _can_open(state: StateInline, pos: int) -> bool:
    following = state.src[pos + 1] if pos + 1 < state.posMax else ""
    return following not in (" ", "\t")


def _can_close(state: StateInline, pos: int) -> bool:
    preceding = state.src[pos - 1] if pos > 0 else ""
    following = state.src[pos + 1] if pos + 1 < state.posMax else ""
    return preceding not in (" ", "\t") and not ("0" <= following <= "9")


class InlineLocator:
    """Finds where the text of inline tokens is written in the parsed lines.

    markdown-it gives an inline token its lines (`map`) and its `content`
    with container markers, indentation and, for headings, the `#` marks
    taken off. Each line of the content is found back in its source line, so
    offsets inside the content (`meta["span"]`) become columns. Cells of a
    table row are found left to right, so it remembers where the last cell
    of each row ended.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._row_ends: dict[int, int] = {}

    def columns(self, parent: Token, inline: Token) -> list[int | None]:
        """The column where each line of `inline.content` starts, or None
        where that line is not written as it is in the content (a tab
        markdown-it expanded, for one)."""
        assert inline.map is not None
        first = inline.map[0]
        parts = inline.content.split("\n")
        if parent.type in ("th_open", "td_open"):
            line = self.lines[first]
            column = line.find(parts[0], self._row_ends.get(first, 0))
            if column < 0:
                return [None]
            self._row_ends[first] = column + len(parts[0])
            return [column]
        if parent.type == "heading_open" and parent.markup.startswith("#"):
            line = self.lines[first]
            marks = line.find("#")
            while 0 <= marks < len(line) and line[marks] == "#":
                marks += 1
            column = line.find(parts[0], max(marks, 0))
            return [column if column >= 0 else None]
        return [
            _suffix_column(self.lines[first + number], part)
            if first + number < len(self.lines)
            else None
            for number, part in enumerate(parts)
        ]


def _suffix_column(line: str, part: str) -> int | None:
    """Where `part` starts when it ends `line` (trailing spaces aside)."""
    line, part = line.rstrip(), part.rstrip()
    return len(line) - len(part) if line.endswith(part) else None


def is_relative_link(href: str) -> bool:
    """A link to a file of the repository: no scheme, no `//`, not `#` alone."""
    return bool(href) and not _NOT_RELATIVE.match(href)
