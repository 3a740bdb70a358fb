"""The plain data a deck is parsed into; every later stage reads only this.

A `Deck` is immutable all the way down (mappings are read-only views, lists
are tuples), so a parsed deck can be shared and remembered without a later
stage changing what the next one sees. It carries the deck's text, so no
stage after `parse` reads the deck file again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType

DECORATIVE_TITLE = "decorative"
"""The image title that marks a slide background as pure decoration:
`![bg](texture.png "decorative")`. Marp ignores a background's title, so the
slide shows no caption and a screen reader says nothing of it."""


def frozen(value: object) -> object:
    """`value` with every dict made a read-only mapping and every list a tuple."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: frozen(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    return value


def _freeze_fields(instance: object, *names: str) -> None:
    for name in names:
        object.__setattr__(instance, name, frozen(getattr(instance, name)))


def _thawed(value: object) -> object:
    if isinstance(value, Mapping):
        return {key: _thawed(item) for key, item in value.items()}
    return value


class _FrozenPickle:
    """Pickled with plain dicts, frozen again when loaded.

    A read-only mapping cannot be pickled, and parsed decks are kept on disk
    between builds (`unchanged.LastBuild`).
    """

    def __getstate__(self) -> dict[str, object]:
        return {
            spec.name: _thawed(getattr(self, spec.name))
            for spec in fields(self)  # type: ignore[arg-type]
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, frozen(value))


@dataclass(frozen=True)
class Image:
    """A Marp image (`![bg right:40% w:400](path)`) with its keywords read."""

    markup: str
    """The image exactly as written, `![bg right](path)`, to find it again."""
    src: str
    """The path or URL as written in the deck."""
    alt: str
    """The words of the alt text that are not Marp keywords."""
    line: int
    """1-based line of the deck where the image is written."""
    background: bool = False
    """`bg`: a slide background, or a split background with `side`."""
    side: str | None = None
    """`left` or `right` for a split background."""
    width: str | None = None
    """`w:`/`width:` as a CSS length (`500px`, `40%`)."""
    height: str | None = None
    """`h:`/`height:` as a CSS length."""
    title: str | None = None
    """The Markdown title, `![alt](path "title")`."""
    html: bool = False
    """Written in raw HTML (`<img src>`, `<source srcset>`, `<video poster>`)
    rather than as a Markdown image: the page shows it through the HTML
    policy, but it is checked and published like any other image."""

    @property
    def decorative(self) -> bool:
        """A background its author marked as carrying no content."""
        title = (self.title or "").strip().lower()
        return self.background and title == DECORATIVE_TITLE

    @property
    def is_local(self) -> bool:
        return "://" not in self.src and not self.src.startswith(("data:", "//"))


@dataclass(frozen=True)
class Note:
    """An HTML comment that is not a directive: a speaker note."""

    text: str
    line: int


@dataclass(frozen=True)
class IgnoredKey:
    """A key Marp reads and then ignores, which a check can point at.

    Either a directive whose value Marp does not accept (`headingDivider:
    9`, a `header` that is a list), or, in a comment that sets directives,
    a key that is no directive at all (a misspelling).
    """

    key: str
    line: int
    """1-based line of the front matter key, or of the comment's start."""
    value: object = None
    is_directive: bool = False


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    """The heading's words, inline Markdown removed."""
    first: int
    """0-based index of the heading's first line in `Slide.markdown`."""
    last: int
    """0-based index past the heading's last line (setext headings span two)."""


@dataclass(frozen=True)
class Slide(_FrozenPickle):
    number: int
    """1-based, as Marp numbers the slide (its `#N` anchor in the HTML deck)."""
    line: int
    """1-based line of the deck where the slide's content starts."""
    markdown: str
    """The slide's Markdown with directive comments, notes and `<style>`
    blocks taken out (their lines left blank, so lines keep their place)."""
    directives: Mapping[str, object]
    """Directives in effect on this slide (global, inherited and local)."""
    notes: tuple[Note, ...] = ()
    images: tuple[Image, ...] = ()
    headings: tuple[Heading, ...] = ()
    """The slide's own headings, in order."""
    separator_line: int = 0
    """1-based line of the rule (`---`) or, with `headingDivider`, of the
    heading that starts the slide; 0 for the first slide."""

    def __post_init__(self) -> None:
        _freeze_fields(self, "directives")

    @property
    def title(self) -> str | None:
        return self.headings[0].text if self.headings else None

    @property
    def is_empty(self) -> bool:
        return not self.markdown.strip() and not self.images


@dataclass(frozen=True)
class Deck(_FrozenPickle):
    path: Path
    """The deck's Markdown file; relative image paths resolve from its folder."""
    text: str
    """The deck as Marp reads it: no byte-order mark, lines ended by `\\n`."""
    front_matter: Mapping[str, object]
    slides: tuple[Slide, ...]
    front_matter_lines: int = 0
    """How many lines the front matter block takes (0 without one)."""
    key_lines: Mapping[str, int] = field(default_factory=dict)
    """1-based line of each front matter key."""
    global_directives: Mapping[str, object] = field(default_factory=dict)
    """Global directives as Marp resolves them: front matter, then comments,
    the last one written winning for the whole deck. Values are as Marp keeps
    them (`coursekit.directives.read_directive`)."""
    directive_lines: Mapping[str, int] = field(default_factory=dict)
    """1-based line where each global directive's winning value is written."""
    ignored_keys: tuple[IgnoredKey, ...] = ()
    """Keys Marp ignores, in the order written."""
    line_ending: str = "\n"
    """What the file on disk uses; the text is normalized to `\\n`."""
    source_hash: str = field(default="", compare=False)
    """SHA-256 of `text`: equal for the same deck with LF or CRLF endings."""

    def __post_init__(self) -> None:
        _freeze_fields(
            self, "front_matter", "key_lines", "global_directives", "directive_lines"
        )

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        """The deck's lines; `lines[n - 1]` is line n."""
        return tuple(self.text.split("\n"))

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def is_marp(self) -> bool:
        """`marp: true` in the front matter, as Marp for VS Code reads it."""
        return str(self.front_matter.get("marp", "")).lower() == "true"

    @property
    def theme(self) -> str | None:
        """The theme Marp applies to the whole deck (the last one named)."""
        theme = self.global_directives.get("theme")
        return str(theme) if theme else None

    @property
    def theme_line(self) -> int:
        return self.directive_line("theme")

    @property
    def title(self) -> str:
        """The `title` directive, else the deck's first heading, else its name."""
        if self.global_directives.get("title"):
            return str(self.global_directives["title"])
        for slide in self.slides:
            if slide.title:
                return slide.title
        return self.stem.replace("_", " ").replace("-", " ").strip().capitalize()

    @property
    def description(self) -> str | None:
        value = self.global_directives.get("description")
        return str(value) if value else None

    @property
    def images(self) -> tuple[Image, ...]:
        return tuple(image for slide in self.slides for image in slide.images)

    def directive_line(self, key: str) -> int:
        """Where the directive `key` is set; else the front matter's first line."""
        return self.directive_lines.get(key) or self.key_lines.get(key) or 1

    def column(self, line: int, text: str) -> int:
        """1-based column of `text` on `line`, or 1 when it is not there."""
        if not 0 < line <= len(self.lines):
            return 1
        return self.lines[line - 1].find(text) + 1 or 1

    def resolve(self, src: str) -> Path:
        """The file a relative path in this deck points at."""
        return (self.path.parent / src.split("#", 1)[0].split("?", 1)[0]).resolve()
