"""The plain data a deck is parsed into; every later stage reads only this."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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

    @property
    def is_local(self) -> bool:
        return "://" not in self.src and not self.src.startswith(("data:", "//"))


@dataclass(frozen=True)
class Note:
    """An HTML comment that is not a directive: a speaker note."""

    text: str
    line: int


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
class Slide:
    number: int
    """1-based, as Marp numbers the slide (its `#N` anchor in the HTML deck)."""
    line: int
    """1-based line of the deck where the slide's content starts."""
    markdown: str
    """The slide's Markdown with directives and notes taken out."""
    directives: dict[str, object]
    """Directives in effect on this slide (global, inherited and local)."""
    notes: tuple[Note, ...] = ()
    images: tuple[Image, ...] = ()
    headings: tuple[Heading, ...] = ()
    """The slide's own headings, in order."""

    @property
    def title(self) -> str | None:
        return self.headings[0].text if self.headings else None

    @property
    def is_empty(self) -> bool:
        return not self.markdown.strip() and not self.images


@dataclass(frozen=True)
class Deck:
    path: Path
    """The deck's Markdown file; relative image paths resolve from its folder."""
    front_matter: dict[str, object]
    slides: tuple[Slide, ...]
    front_matter_lines: int = 0
    """How many lines the front matter block takes (0 without one)."""
    line_ending: str = "\n"
    source_hash: str = field(default="", compare=False)

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def is_marp(self) -> bool:
        return self.front_matter.get("marp") is True

    @property
    def theme(self) -> str | None:
        theme = self.front_matter.get("theme")
        return str(theme) if theme else None

    @property
    def title(self) -> str:
        """The `title` directive, else the deck's first heading, else its name."""
        if self.front_matter.get("title"):
            return str(self.front_matter["title"])
        for slide in self.slides:
            if slide.title:
                return slide.title
        return self.stem.replace("_", " ").replace("-", " ").strip().capitalize()

    @property
    def description(self) -> str | None:
        value = self.front_matter.get("description")
        return str(value) if value else None

    @property
    def images(self) -> tuple[Image, ...]:
        return tuple(image for slide in self.slides for image in slide.images)

    def resolve(self, src: str) -> Path:
        """The file a relative path in this deck points at."""
        return (self.path.parent / src.split("#", 1)[0].split("?", 1)[0]).resolve()
