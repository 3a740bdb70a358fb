"""Assemble the course site: which pages and files it publishes, and where.

This stage reads the decks (parse), renders their pages (render) and decides
the site's layout; it knows nothing of MkDocs, which the plugin adapts to.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .export import ExportSettings
from .hooks.conventions_page import configured_branch_types
from .hooks.conventions_page import render as conventions_page_markdown
from .model import Deck, Image
from .notebooks import execute_notebooks, source_files
from .parse import parse_deck
from .render import LectureLinks, render_lecture

LECTURE_TABLE_MARKER = "<!-- coursekit:lectures -->"
CONVENTIONS_URI = "git-conventions.md"


@dataclass(frozen=True)
class CourseLayout:
    """Where the course's sources are, and where the site publishes them."""

    root: Path
    slides_dir: Path
    labs_dir: Path
    cache_dir: Path
    lab_inputs: tuple[Path, ...] = ()
    """Files and folders the labs import or depend on (their cache key)."""
    lectures_uri: str = "lectures"
    labs_uri: str = "labs"
    slides_uri: str = "slides"

    @property
    def published_dir(self) -> Path:
        """Built files the site copies, laid out as they are in the site."""
        return self.cache_dir / "published"

    @property
    def themes_dir(self) -> Path:
        return self.slides_dir / "themes"

    def lecture_uri(self, deck: Deck) -> str:
        return f"{self.lectures_uri}/{deck.stem}.md"

    def export_uri(self, deck: Deck, fmt: str) -> str:
        return f"{self.slides_uri}/{deck.stem}.{fmt}"

    def image_uri(self, deck: Deck, image: Image) -> str:
        relative = deck.resolve(image.src).relative_to(self.slides_dir.resolve())
        return f"{self.slides_uri}/{relative.as_posix()}"


@dataclass(frozen=True)
class SiteFile:
    """A file the site publishes at `uri`: copied from `source`, or `content`."""

    uri: str
    source: Path | None = None
    content: str | None = None


def find_decks(layout: CourseLayout) -> list[Deck]:
    """Parse every Marp deck (front matter `marp: true`) in the slides folder."""
    decks = []
    for path in sorted(layout.slides_dir.glob("*.md")):
        deck = parse_deck(path)
        if deck.is_marp:
            decks.append(deck)
    return decks


def lecture_files(
    decks: list[Deck],
    layout: CourseLayout,
    *,
    exports: Mapping[str, Mapping[str, Path]],
    use_directory_urls: bool,
) -> list[SiteFile]:
    """Each deck's lecture page, the images it shows and its slide exports."""
    files: list[SiteFile] = []
    images: dict[str, Path] = {}
    for deck in decks:
        page_uri = layout.lecture_uri(deck)
        page_dir = posixpath.dirname(page_uri)
        page_url_dir = _page_url_dir(page_uri, use_directory_urls)

        def image_url(image: Image, deck: Deck = deck, page_dir: str = page_dir) -> str:
            if not image.is_local:
                return image.src
            return posixpath.relpath(layout.image_uri(deck, image), page_dir)

        def export_url(fmt: str, deck: Deck = deck, base: str = page_url_dir) -> str:
            if fmt not in exports.get(deck.stem, {}):
                return ""
            return posixpath.relpath(layout.export_uri(deck, fmt), base)

        links = LectureLinks(
            image_url=image_url,
            deck_html=export_url("html") or None,
            deck_pdf=export_url("pdf") or None,
        )
        # The page depends on the deck's text and where things are published.
        key = (deck.path, deck.source_hash, links.deck_html, links.deck_pdf, page_dir)
        if key not in _RENDERED:
            _RENDERED[key] = render_lecture(deck, links)
        files.append(SiteFile(page_uri, content=_RENDERED[key]))
        for image in deck.images:
            if image.is_local:
                images[layout.image_uri(deck, image)] = deck.resolve(image.src)
        files.extend(
            SiteFile(layout.export_uri(deck, fmt), source=path)
            for fmt, path in sorted(exports.get(deck.stem, {}).items())
        )
    files.extend(SiteFile(uri, source=path) for uri, path in sorted(images.items()))
    return files


_RENDERED: dict[tuple, str] = {}
"""Lecture pages by what they depend on: `mkdocs serve` rebuilds them all on
every save, and most decks did not change."""


def export_settings(
    layout: CourseLayout,
    formats: Sequence[str],
    browser: Path | None,
    node_dir: Path,
) -> ExportSettings:
    return ExportSettings(
        project_root=node_dir,
        themes_dir=layout.themes_dir,
        cache_dir=layout.cache_dir / "exports",
        formats=tuple(formats),
        browser=browser,
    )


def exports_dir(layout: CourseLayout) -> Path:
    """Where the exports are written, laid out as in the site (`slides/x.html`)."""
    return layout.published_dir / layout.slides_uri


def published_exports(
    decks: list[Deck], layout: CourseLayout, formats: Sequence[str]
) -> dict[str, dict[str, Path]]:
    """The exports already on disk, for a build that does not wait for Marp."""
    found: dict[str, dict[str, Path]] = {}
    for deck in decks:
        for fmt in formats:
            path = exports_dir(layout) / f"{deck.stem}.{fmt}"
            if path.is_file():
                found.setdefault(deck.stem, {})[fmt] = path
    return found


def lab_notebooks(layout: CourseLayout) -> list[Path]:
    if not layout.labs_dir.is_dir():
        return []
    return sorted(layout.labs_dir.glob("*.ipynb"))


def lab_files(layout: CourseLayout, *, execute: bool) -> list[SiteFile]:
    """The labs as the site shows them: executed (from the cache when unchanged)."""
    notebooks = lab_notebooks(layout)
    if not execute:
        return [SiteFile(_lab_uri(layout, path), source=path) for path in notebooks]
    inputs = [
        file
        for entry in layout.lab_inputs
        for file in (source_files(entry) if entry.is_dir() else [entry])
        if file.is_file()
    ]
    executed = execute_notebooks(
        notebooks, layout.cache_dir / "notebooks", extra_inputs=inputs
    )
    files = []
    for notebook, result in zip(notebooks, executed, strict=True):
        uri = _lab_uri(layout, notebook)
        files.append(SiteFile(uri, source=publish_copy(result, layout, uri)))
    return files


def publish_copy(source: Path, layout: CourseLayout, uri: str) -> Path:
    """Place a built file at its site path under `published_dir`.

    Rewritten only when its content changed, so `mkdocs serve`, which watches
    nothing here, and MkDocs' dirty builds see stable modification times.
    """
    target = layout.published_dir / uri
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staging.write_bytes(data)
    os.replace(staging, target)
    return target


def _lab_uri(layout: CourseLayout, notebook: Path) -> str:
    return f"{layout.labs_uri}/{notebook.name}"


def conventions_page(layout: CourseLayout) -> SiteFile | None:
    """The git conventions page, written from the rules the hooks enforce."""
    config = layout.root / ".pre-commit-config.yaml"
    if not config.is_file():
        return None
    page = conventions_page_markdown(configured_branch_types(config))
    return SiteFile(CONVENTIONS_URI, content=page)


def lecture_table(decks: list[Deck], layout: CourseLayout, page_uri: str) -> str:
    """The Markdown table of lectures that replaces `LECTURE_TABLE_MARKER`."""
    if not decks:
        return "*No lectures yet: add a Marp deck to the slides folder.*"
    page_dir = posixpath.dirname(page_uri)
    rows = ["| # | Lecture | Slides |", "|---:|---|---:|"]
    for number, deck in enumerate(decks, start=1):
        link = posixpath.relpath(layout.lecture_uri(deck), page_dir)
        title = deck.title.replace("|", "\\|")
        rows.append(f"| {number} | [{title}]({link}) | {len(deck.slides)} |")
    return "\n".join(rows)


def _page_url_dir(page_uri: str, use_directory_urls: bool) -> str:
    """The folder a page's URL is in, which raw HTML links are relative to."""
    stem = page_uri.removesuffix(".md")
    return stem if use_directory_urls else posixpath.dirname(stem)
