"""Assemble the course site: which pages and files it publishes, and where.

This stage reads the decks (parse), renders their pages (render) and decides
the site's layout; it knows nothing of MkDocs, which the plugin adapts to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import CourseConfig
from .diskcache import OnDamage
from .export import ExportSettings, katex_fonts
from .fsutil import copy_if_changed
from .hooks.conventions_page import configured_branch_types
from .hooks.conventions_page import render as conventions_page_markdown
from .model import Deck, Image
from .notebooks import execute_notebooks, source_files
from .render import LectureLinks, render_lecture

LECTURE_TABLE_MARKER = "<!-- coursekit:lectures -->"
CONVENTIONS_URI = "git-conventions.md"

RenderPage = Callable[[Deck, LectureLinks], str]


@dataclass(frozen=True)
class SiteFile:
    """A file the site publishes at `uri`: copied from `source`, or `content`."""

    uri: str
    source: Path | None = None
    content: str | None = None


def lecture_files(
    decks: list[Deck],
    config: CourseConfig,
    *,
    exports: Mapping[str, Mapping[str, Path]],
    use_directory_urls: bool,
    render_page: RenderPage = render_lecture,
) -> list[SiteFile]:
    """Each deck's lecture page, the images it shows and its slide exports.

    `render_page` writes a page from the deck and its links; the plugin passes
    one that remembers pages of unchanged decks.
    """
    files: list[SiteFile] = []
    images: dict[str, Path] = {}
    for deck in decks:
        page_uri = config.lecture_uri(deck)
        links = _lecture_links(deck, config, exports, page_uri, use_directory_urls)
        files.append(SiteFile(page_uri, content=render_page(deck, links)))
        for image in deck.images:
            if image.is_local:
                images[config.image_uri(deck, image)] = deck.resolve(image.src)
        files.extend(
            SiteFile(config.export_uri(deck, fmt), source=path)
            for fmt, path in sorted(exports.get(deck.stem, {}).items())
        )
    files.extend(SiteFile(uri, source=path) for uri, path in sorted(images.items()))
    if any("html" in formats for formats in exports.values()):
        # The HTML decks set their math in these, found beside them.
        files.extend(
            SiteFile(f"{config.slides_uri}/{font.src}", source=font.file)
            for font in katex_fonts(config.node_dir)
        )
    return files


def _lecture_links(
    deck: Deck,
    config: CourseConfig,
    exports: Mapping[str, Mapping[str, Path]],
    page_uri: str,
    use_directory_urls: bool,
) -> LectureLinks:
    page_dir = posixpath.dirname(page_uri)
    page_url_dir = _page_url_dir(page_uri, use_directory_urls)

    def image_url(image: Image) -> str:
        if not image.is_local:
            return image.src
        return posixpath.relpath(config.image_uri(deck, image), page_dir)

    def export_url(fmt: str) -> str | None:
        if fmt not in exports.get(deck.stem, {}):
            return None
        return posixpath.relpath(config.export_uri(deck, fmt), page_url_dir)

    return LectureLinks(
        image_url=image_url,
        deck_html=export_url("html"),
        deck_pdf=export_url("pdf"),
    )


def export_settings(
    config: CourseConfig, formats: Sequence[str], browser: Path | None
) -> ExportSettings:
    return ExportSettings(
        project_root=config.node_dir,
        themes_dir=config.themes_dir,
        cache_dir=config.cache_dir / "exports",
        formats=tuple(formats),
        browser=browser,
        lang=config.language,
    )


def published_exports(
    decks: list[Deck], config: CourseConfig, formats: Sequence[str]
) -> dict[str, dict[str, Path]]:
    """The exports already on disk, for a build that does not wait for Marp."""
    found: dict[str, dict[str, Path]] = {}
    for deck in decks:
        for fmt in formats:
            path = config.exports_dir / f"{deck.stem}.{fmt}"
            if path.is_file():
                found.setdefault(deck.stem, {})[fmt] = path
    return found


def lab_notebooks(config: CourseConfig) -> list[Path]:
    if not config.labs_dir.is_dir():
        return []
    return sorted(config.labs_dir.glob("*.ipynb"))


def lab_files(
    config: CourseConfig, *, execute: bool, on_notice: OnDamage | None = None
) -> list[SiteFile]:
    """The labs as the site shows them: executed (from the cache when unchanged).

    `on_notice` hears of damaged cache entries that were made again.
    """
    notebooks = lab_notebooks(config)
    if not execute:
        return [SiteFile(config.lab_uri(path), source=path) for path in notebooks]
    inputs = [
        file
        for entry in config.lab_inputs
        for file in (source_files(entry) if entry.is_dir() else [entry])
        if file.is_file()
    ]
    executed = execute_notebooks(
        notebooks,
        config.cache_dir / "notebooks",
        extra_inputs=inputs,
        timeout=config.lab_cell_timeout,
        root=config.root,
        on_notice=on_notice,
    )
    files = []
    for notebook, result in zip(notebooks, executed, strict=True):
        uri = config.lab_uri(notebook)
        target = config.published_dir / uri
        # Rewritten only when its content changed, so `mkdocs serve`, which
        # watches nothing here, and MkDocs' dirty builds see stable times.
        copy_if_changed(result, target)
        files.append(SiteFile(uri, source=target))
    return files


def conventions_page(config: CourseConfig) -> SiteFile | None:
    """The git conventions page, written from the rules the hooks enforce."""
    hooks_config = config.root / ".pre-commit-config.yaml"
    if not hooks_config.is_file():
        return None
    page = conventions_page_markdown(configured_branch_types(hooks_config))
    return SiteFile(CONVENTIONS_URI, content=page)


def lecture_table(decks: list[Deck], config: CourseConfig, page_uri: str) -> str:
    """The Markdown table of lectures that replaces `LECTURE_TABLE_MARKER`."""
    if not decks:
        return "*No lectures yet: add a Marp deck to the slides folder.*"
    page_dir = posixpath.dirname(page_uri)
    rows = ["| # | Lecture | Slides |", "|---:|---|---:|"]
    for number, deck in enumerate(decks, start=1):
        link = posixpath.relpath(config.lecture_uri(deck), page_dir)
        title = deck.title.replace("|", "\\|")
        rows.append(f"| {number} | [{title}]({link}) | {len(deck.slides)} |")
    return "\n".join(rows)


def _page_url_dir(page_uri: str, use_directory_urls: bool) -> str:
    """The folder a page's URL is in, which raw HTML links are relative to."""
    stem = page_uri.removesuffix(".md")
    return stem if use_directory_urls else posixpath.dirname(stem)
