"""Deck rules: what Marp would render wrong or silently, found before a build.

The MkDocs plugin refuses a deck with any of these problems too, through
`check_deck`, so a rule is defined once for both.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it.token import Token

from ..config import CourseConfig
from ..decks import DeckReader
from ..directives import GLOBAL_DIRECTIVES, LOCAL_DIRECTIVES, SPOT_PREFIX, is_directive
from ..errors import ContentError, Problem
from ..markdown import is_relative_link, marp_markdown
from ..model import Deck
from ..themes import ThemeSet, load_theme_set
from .accessibility import text_problems, theme_contrast_problems
from .images import image_defect
from .locate import find_text
from .mojibake import mojibake_problems

_KNOWN_KEYS = sorted(
    GLOBAL_DIRECTIVES
    | LOCAL_DIRECTIVES
    | {SPOT_PREFIX + name for name in LOCAL_DIRECTIVES}
)
# How alike a key must be to a directive to be taken for a misspelling of it;
# `paginat`/`paginate` score 0.93, `reminder`/`header` only 0.57.
_TYPO_CUTOFF = 0.8
_TEXT_VALUE_FIX = "write the value as plain text, e.g. `header: Week 2`"
_VALUE_FIXES = {
    "headingDivider": "write a heading level from 1 to 6 (`headingDivider: 2`), "
    "a list of levels (`[1, 3]`) or `false`",
    "math": "write `math: katex` or `math: mathjax`",
    "keywords": "write the keywords as text or as a list",
}
_FENCE_LINE = re.compile(r"^[ >]*(?P<fence>`{3,}|~{3,})\s*$")


@dataclass(frozen=True)
class TextFacts:
    """What depends on the deck's text alone: its problems and its links."""

    problems: tuple[Problem, ...]
    links: tuple[tuple[str, int, int], ...]
    """Each relative link with its line and column."""


def check_deck_file(
    path: Path, config: CourseConfig, reader: DeckReader
) -> list[Problem]:
    """Every problem of the deck at `path`, parse errors included."""
    try:
        deck = reader.read(path)
    except ContentError as error:
        return [*_undecodable_mojibake(path), *error.problems]
    return check_deck(deck, config)


ThemeContrast = Callable[[Path, ThemeSet], list[Problem]]
"""The contrast problems of a theme CSS file of a theme set."""


def check_deck(
    deck: Deck,
    config: CourseConfig,
    text_facts: Callable[[Deck], TextFacts] | None = None,
    theme_contrast: ThemeContrast | None = None,
) -> list[Problem]:
    """The problems of a parsed deck: what the build refuses to publish.

    `text_facts` reads what depends on the text alone and `theme_contrast`
    measures a theme; the plugin passes ones that remember their answers for
    unchanged decks and themes. Decks sharing a theme share its problems:
    `unique_problems` lists them once.
    """
    facts = (text_facts or read_text_facts)(deck)
    found = [
        *facts.problems,
        *_theme_problems(deck, config, theme_contrast or theme_contrast_problems),
        *_image_problems(deck, config),
        *_link_problems(deck, facts.links),
    ]
    return sorted(found)


def read_text_facts(deck: Deck) -> TextFacts:
    body = list(deck.lines[deck.front_matter_lines :])
    tokens = marp_markdown().parse("\n".join(body))
    problems = [
        *mojibake_problems(deck.path, deck.text),
        *_marp_problems(deck),
        *_fence_problems(deck, tokens, body),
        *_empty_slide_problems(deck),
        *_directive_problems(deck),
        *text_problems(deck, tokens, body),
    ]
    return TextFacts(tuple(problems), tuple(_relative_links(deck, tokens, body)))


def _undecodable_mojibake(path: Path) -> Iterator[Problem]:
    """Mojibake of a deck that does not parse, when it is text at all."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return  # the parse error says where the file is not UTF-8
    yield from mojibake_problems(path, text)


def _marp_problems(deck: Deck) -> Iterator[Problem]:
    if not deck.is_marp:
        yield Problem(
            deck.path,
            deck.directive_line("marp"),
            1,
            "deck-marp",
            "front matter does not say `marp: true`: Marp and the site skip it",
            "add the line `marp: true` to the front matter",
        )


def unique_problems(problems: Iterable[Problem]) -> list[Problem]:
    """`problems` without repeats (a theme's, found once for each deck)."""
    return list(dict.fromkeys(problems))


def _theme_problems(
    deck: Deck, config: CourseConfig, theme_contrast: ThemeContrast
) -> Iterator[Problem]:
    try:
        themes = load_theme_set(config.themes_dir)
    except ContentError as error:
        yield from error.problems
        return
    problem = themes.unknown_theme(deck)
    if problem is not None:
        yield problem
    elif deck.theme in themes.files:
        # Built-in themes (default, gaia, uncover) are Marp's to keep readable.
        yield from theme_contrast(themes.files[deck.theme], themes)


def _image_problems(deck: Deck, config: CourseConfig) -> Iterator[Problem]:
    slides_root = config.slides_dir.resolve()
    for image in deck.images:
        if not image.is_local:
            continue
        target = deck.resolve(image.src)
        column = deck.column(image.line, image.markup)
        if not target.is_relative_to(slides_root):
            yield Problem(
                deck.path,
                image.line,
                column,
                "deck-image",
                f"image '{image.src}' is outside {config.slides_dir.name}/",
                f"move it into {_shown(config.slides_dir / 'images', config)} "
                "and point at it there",
            )
        elif not exists_exactly(target):
            yield Problem(
                deck.path,
                image.line,
                column,
                "deck-image",
                f"image '{image.src}' not found",
                f"add the file {_shown(target, config)} or fix the path "
                "(paths are case-sensitive)",
            )
        elif (defect := image_defect(target)) is not None:
            yield Problem(
                deck.path,
                image.line,
                column,
                "deck-image",
                f"image '{image.src}' is damaged or not an image "
                f"({_shown(target, config)}: {defect})",
                "export the image again from its source, or restore it from git",
            )


def _link_problems(
    deck: Deck, links: tuple[tuple[str, int, int], ...]
) -> Iterator[Problem]:
    for href, line, column in links:
        if not exists_exactly(deck.resolve(href)):
            yield Problem(
                deck.path,
                line,
                column,
                "deck-link",
                f"link target '{href}' not found",
                "fix the path relative to the deck's folder (paths are case-sensitive)",
            )


def _relative_links(
    deck: Deck, tokens: list[Token], body: list[str]
) -> list[tuple[str, int, int]]:
    """Each relative link of the deck with its line and column."""
    links = []
    for token in tokens:
        if token.type != "inline" or token.map is None:
            continue
        for child in token.children or []:
            href = child.attrGet("href") if child.type == "link_open" else None
            if isinstance(href, str) and is_relative_link(href):
                line, column = find_text(body, href, *token.map)
                links.append((href, line + deck.front_matter_lines, column))
    return links


def _fence_problems(
    deck: Deck, tokens: list[Token], body: list[str]
) -> Iterator[Problem]:
    """A fence never closed swallows the rest of the deck, slide breaks too."""
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        first, last = token.map
        closing = _FENCE_LINE.match(body[last - 1]) if last - 1 > first else None
        fence = closing["fence"] if closing else ""
        if fence[:1] == token.markup[:1] and len(fence) >= len(token.markup):
            continue
        yield Problem(
            deck.path,
            first + 1 + deck.front_matter_lines,
            _column_of(body[first], token.markup),
            "deck-code-fence",
            f"code fence `{token.markup}` is never closed: the rest of the deck "
            "is shown as code",
            f"end the code block with a line holding `{token.markup}`",
        )


def _empty_slide_problems(deck: Deck) -> Iterator[Problem]:
    for slide in deck.slides:
        if not slide.is_empty:
            continue
        # An empty slide is made by the `---` before it (or, for the first
        # slide, by the one that ends it).
        made_by = deck.slides[1] if slide.number == 1 < len(deck.slides) else slide
        yield Problem(
            deck.path,
            made_by.separator_line or 1,
            1,
            "deck-empty-slide",
            f"slide {slide.number} has no content",
            "remove the extra `---` or give the slide its content",
        )


def _directive_problems(deck: Deck) -> Iterator[Problem]:
    """Misspelt directives: Marp takes them for speaker notes and ignores them."""
    lines = deck.lines
    for key in deck.front_matter:
        if not is_directive(key):
            line = deck.key_lines.get(key, 1)
            yield from _typo_problem(deck.path, lines, line, key, "front matter key")
    for ignored in deck.ignored_keys:
        if ignored.is_directive:
            yield Problem(
                deck.path,
                ignored.line,
                deck.column(ignored.line, ignored.key),
                "deck-directive",
                f"Marp ignores `{ignored.key}: {ignored.value}`",
                _VALUE_FIXES.get(ignored.key, _TEXT_VALUE_FIX),
            )
        else:
            yield from _typo_problem(deck.path, lines, ignored.line, ignored.key, "key")
    for slide in deck.slides:
        for note in slide.notes:
            try:
                data = yaml.safe_load(note.text)
            except yaml.YAMLError:
                continue
            if not isinstance(data, dict):
                continue
            for key in data:
                if isinstance(key, str) and not is_directive(key):
                    yield from _typo_problem(
                        deck.path, lines, note.line, key, "directive"
                    )


def _typo_problem(
    path: Path, lines: tuple[str, ...], near: int, key: str, what: str
) -> Iterator[Problem]:
    close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1, cutoff=_TYPO_CUTOFF)
    if not close:
        return
    line, column = find_text(lines, f"{key}:", near - 1, len(lines))
    yield Problem(
        path,
        line,
        column,
        "deck-directive",
        f"unknown {what} '{key}': Marp ignores it",
        f"did you mean '{close[0]}'? write `{close[0]}:`",
    )


def exists_exactly(path: Path) -> bool:
    """Whether `path` exists with this exact case, as on a Linux web server."""
    path = path.resolve()
    if not path.exists():
        return False
    for part in (path, *path.parents):
        if part.parent == part:
            break
        if part.name not in {entry.name for entry in part.parent.iterdir()}:
            return False
    return True


def _column_of(line: str, text: str) -> int:
    return line.find(text) + 1 if text in line else 1


def _shown(path: Path, config: CourseConfig) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return str(path)
