"""Marp themes: the course's theme CSS files and the names they declare."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tinycss2

from .errors import ContentError, Problem
from .model import Deck

BUILTIN_THEMES = frozenset({"default", "gaia", "uncover"})
"""Themes Marp Core ships; a deck may name them without a theme set."""

_END = "@coursekit-end-of-file"
"""Appended to a theme to find what its text leaves open."""
_OPENED = {
    "{} block": "the `{` block",
    "[] block": "the `[` bracket",
    "() block": "the `(` parenthesis",
    "function": "the function call",
    "comment": "the comment",
}
_BLOCKS = ("{} block", "[] block", "() block")
_CSS_ERRORS = {
    "}": "a `}` that closes no block",
    "]": "a `]` that closes no bracket",
    ")": "a `)` that closes no parenthesis",
    "bad-string": "a string not closed before the end of its line",
    "::": "a `:` after the `:` of a declaration",
    "bad-url": "a malformed url()",
    "invalid": "text that is neither a declaration (`property: value;`) nor a rule",
}
_CSS_COMMENT = re.compile(r"/\*(.*?)\*/", re.DOTALL)
_THEME_NAME = re.compile(r"@theme\s+([^\s*]+)")


@dataclass(frozen=True)
class ThemeSet:
    directory: Path
    files: dict[str, Path]
    """Theme name -> the CSS file that declares it."""

    @property
    def names(self) -> frozenset[str]:
        return BUILTIN_THEMES | frozenset(self.files)

    @property
    def paths(self) -> list[Path]:
        return sorted(self.files.values())

    def unknown_theme(self, deck: Deck) -> Problem | None:
        """The problem of a deck whose theme is not in this set, if it is not.

        Marp would silently fall back to its default theme, so the build and
        `course check` both refuse it, at the line that names the theme.
        """
        if deck.theme is None or deck.theme in self.names:
            return None
        known = ", ".join(sorted(self.names))
        return Problem(
            deck.path,
            deck.theme_line,
            deck.column(deck.theme_line, deck.theme),
            "deck-theme",
            f"theme '{deck.theme}' is not in the theme set {self.directory.name}/ "
            "(Marp would silently use its default theme instead)",
            f"add a CSS file declaring `/* @theme {deck.theme} */` to "
            f"{self.directory.name}/, or use one of: {known}",
        )


def load_theme_set(directory: Path) -> ThemeSet:
    """Read every `*.css` of `directory`; each must parse and name its theme, once.

    A file Marp would refuse to register raises `ContentError` listing every
    syntax error of the set (Marp would drop the theme with a warning and
    convert the decks in its default look).
    """
    files: dict[str, Path] = {}
    css_files = sorted(directory.glob("*.css")) if directory.is_dir() else []
    errors = [problem for css in css_files for problem in css_syntax_problems(css)]
    if errors:
        raise ContentError.from_problems(*errors)
    for css in css_files:
        name, line = _declared_name(css)
        if name is None:
            raise ContentError(
                css,
                1,
                "the theme CSS declares no theme name, so Marp cannot use it",
                "start the file with a comment like `/* @theme course */`",
                rule="theme-css",
            )
        if name in files:
            raise ContentError(
                css,
                line,
                f"theme `{name}` is already declared by {files[name].name}",
                "give each theme CSS file its own `@theme` name",
                rule="theme-css",
            )
        files[name] = css
    return ThemeSet(directory, files)


def css_syntax_problems(css: Path) -> list[Problem]:
    """The syntax errors of a stylesheet that PostCSS (Marp's parser) rejects.

    tinycss2 parses as browsers do: it reports what cannot be parsed (a stray
    `}`, a string or url() cut by a line end, a declaration without its `:`)
    and closes at the end of the file whatever is still open, which PostCSS
    refuses. A marker appended after the text finds those: when everything
    was closed it stands alone at the top level, otherwise it lands inside
    the block, function or comment left open.
    """
    text = css.read_text(encoding="utf-8")
    nodes = tinycss2.parse_component_value_list(f"{text}\n{_END}")
    last = len(nodes) - 1
    while last >= 0 and nodes[last].type == "whitespace":
        last -= 1
    closed = (
        last >= 0
        and nodes[last].type == "at-keyword"
        and (nodes[last].value == _END[1:])
    )
    # The tokens are parsed once: the marker is left out when it stands alone.
    problems = [
        _css_problem(
            css,
            error.source_line,
            error.source_column,
            _CSS_ERRORS.get(error.kind, error.message),
        )
        for error in _parse_errors(
            tinycss2.parse_stylesheet(nodes[:last] if closed else nodes)
        )
    ]
    unclosed = None if closed else _left_open(nodes[last])
    if unclosed is not None:
        what = _OPENED.get(unclosed.type, "a block")
        problems.append(
            _css_problem(
                css,
                unclosed.source_line,
                unclosed.source_column,
                f"{what} opened here is never closed",
            )
        )
    return sorted(set(problems))


def _parse_errors(nodes: list) -> Iterator[tinycss2.ast.ParseError]:
    """Every parse error in `nodes`, the contents of rules included."""
    for node in nodes:
        if node.type == "error":
            yield node
        elif node.type in ("qualified-rule", "at-rule"):
            yield from _parse_errors(node.prelude)
            if node.content is not None:
                # Rules hold declarations and nested rules (CSS nesting).
                yield from _parse_errors(tinycss2.parse_blocks_contents(node.content))
        elif node.type == "declaration":
            # Valid to tinycss2 (a value may hold a colon), refused by PostCSS.
            first = next((t for t in node.value if t.type != "whitespace"), None)
            if first is not None and first.type == "literal" and first.value == ":":
                yield tinycss2.ast.ParseError(
                    first.source_line, first.source_column, "::", "double colon"
                )
            yield from _parse_errors(node.value)
        elif node.type == "function":
            yield from _parse_errors(node.arguments)
        elif node.type in _BLOCKS:
            yield from _parse_errors(node.content)


def _left_open(node: tinycss2.ast.Node) -> tinycss2.ast.Node | None:
    """The innermost block, function or comment in `node` that the end marker
    fell into, from the last node of the text."""
    if node.type == "comment":
        return node
    inner = (
        node.arguments if node.type == "function" else getattr(node, "content", None)
    )
    if not isinstance(inner, list):
        return None
    last = next((n for n in reversed(inner) if n.type != "whitespace"), None)
    return (_left_open(last) if last is not None else None) or node


def _css_problem(css: Path, line: int, column: int, message: str) -> Problem:
    return Problem(
        css,
        line,
        column,
        "theme-css",
        f"{message}: Marp would refuse this theme and use its default look",
        "fix the CSS at this line (a missing `:`, `;`, `}` or quote is the "
        "usual cause)",
    )


def _declared_name(css: Path) -> tuple[str | None, int]:
    text = css.read_text(encoding="utf-8")
    for comment in _CSS_COMMENT.finditer(text):
        found = _THEME_NAME.search(comment.group(1))
        if found:
            start = comment.start(1) + found.start()
            return found.group(1), text.count("\n", 0, start) + 1
    return None, 1
