"""Assemble the course site: which pages and files it publishes, and where.

This stage reads the decks (parse), renders their pages (render) and decides
the site's layout; it knows nothing of MkDocs, which the plugin adapts to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from markdown.extensions.toc import slugify

from .config import CourseConfig
from .diskcache import DiskCache, OnDamage
from .export import HANDOUT, ExportSettings, browser_for, export_file_name, katex_fonts
from .hooks.conventions_page import configured_branch_types
from .hooks.conventions_page import render as conventions_page_markdown
from .lab_page import render_lab
from .model import Deck, Image
from .render import LectureLinks, plain_text, render_lecture

if TYPE_CHECKING:
    from .lab_links import SlideLink

LECTURE_TABLE_MARKER = "<!-- coursekit:lectures -->"
CONVENTIONS_URI = "git-conventions.md"

RenderPage = Callable[[Deck, LectureLinks], str]


@dataclass(frozen=True)
class SiteFile:
    """A file the site publishes at `uri`: copied from `source`, or `content`."""

    uri: str
    source: Path | None = None
    content: str | bytes | None = None


def lecture_files(
    decks: list[Deck],
    config: CourseConfig,
    *,
    exports: Mapping[str, Mapping[str, Path]],
    use_directory_urls: bool,
    render_page: RenderPage = render_lecture,
    lab_links: Sequence[SlideLink] = (),
) -> list[SiteFile]:
    """Each deck's lecture page, the images it shows and its slide exports.

    `render_page` writes a page from the deck and its links; the plugin passes
    one that remembers pages of unchanged decks.
    """
    files: list[SiteFile] = []
    images: dict[str, Path] = {}
    backlinks = slide_backlinks(lab_links, config)
    for deck in decks:
        page_uri = config.lecture_uri(deck)
        links = _lecture_links(deck, config, exports, page_uri, use_directory_urls)
        links = replace(links, backlinks=backlinks.get(deck.path.resolve(), {}))
        files.append(SiteFile(page_uri, content=render_page(deck, links)))
        for image in deck.images:
            if image.is_local:
                images[config.image_uri(deck, image)] = deck.resolve(image.src)
    files.extend(export_files(decks, config, exports))
    files.extend(SiteFile(uri, source=path) for uri, path in sorted(images.items()))
    if any("html" in formats for formats in exports.values()):
        # The HTML decks set their math in these, found beside them.
        files.extend(
            SiteFile(f"{config.slides_uri}/{font.src}", source=font.file)
            for font in katex_fonts(config.node_dir)
        )
    return files


def export_files(
    decks: Sequence[Deck],
    config: CourseConfig,
    exports: Mapping[str, Mapping[str, Path]],
) -> list[SiteFile]:
    """Where each deck's slide exports are published."""
    return [
        SiteFile(config.export_uri(deck, fmt), source=path)
        for deck in decks
        for fmt, path in sorted(exports.get(deck.stem, {}).items())
    ]


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
        # MkDocs rewrites the links of Markdown images, written relative to
        # the page's source file, but not URLs in raw HTML, which the
        # browser reads relative to the page's URL.
        base = page_url_dir if image.html else page_dir
        return posixpath.relpath(config.image_uri(deck, image), base)

    def export_url(fmt: str) -> str | None:
        if fmt not in exports.get(deck.stem, {}):
            return None
        return posixpath.relpath(config.export_uri(deck, fmt), page_url_dir)

    return LectureLinks(
        image_url=image_url,
        deck_html=export_url("html"),
        deck_pdf=export_url("pdf"),
        deck_handout=export_url(HANDOUT),
    )


def slide_backlinks(
    lab_links: Sequence[SlideLink], config: CourseConfig
) -> dict[Path, dict[int, tuple[tuple[str, str], ...]]]:
    """Deck -> slide -> the lab sections linking to it, as (text, link from
    the lecture page), each section once, in the labs' order."""
    found: dict[Path, dict[int, dict[tuple[str, str], None]]] = {}
    for link in lab_links:
        if link.slide is None:
            continue
        lab_page = config.lab_uri(link.notebook)
        # A link under the lab's title points at the lab; under a section
        # heading, at that section (the anchor MkDocs gives the heading).
        text, anchor = link.lab_title, ""
        if link.section and link.section != link.lab_title:
            text = f"{link.lab_title} › {link.section}"
            anchor = f"#{slugify(link.section, '-')}"
        url = posixpath.relpath(lab_page, config.lectures_uri) + anchor
        slides = found.setdefault(link.deck, {})
        slides.setdefault(link.slide, {})[(text, url)] = None
    return {
        deck: {slide: tuple(labs) for slide, labs in slides.items()}
        for deck, slides in found.items()
    }


def lab_link_targets(
    lab_links: Sequence[SlideLink], config: CourseConfig
) -> dict[Path, dict[str, str]]:
    """Notebook -> each deck link as written -> the lecture page section it
    means, as a link from the lab's page."""
    found: dict[Path, dict[str, str]] = {}
    for link in lab_links:
        lecture = f"{config.lectures_uri}/{link.deck.stem}.md"
        url = posixpath.relpath(lecture, config.labs_uri)
        if link.anchor:
            url += f"#{link.anchor}"
        found.setdefault(link.notebook, {})[link.href] = url
    return found


def export_settings(config: CourseConfig, formats: Sequence[str]) -> ExportSettings:
    """How to export `formats`; the browser is looked up only if one is needed
    (a bad CHROME_PATH raises then)."""
    return ExportSettings(
        project_root=config.node_dir,
        themes_dir=config.themes_dir,
        cache_dir=config.cache_dir / "exports",
        formats=tuple(formats),
        browser=browser_for(formats),
        browser_timeout=config.browser_timeout,
        lang=config.language,
        full_html=config.full_html,
        deck_timeout=config.export_timeout,
    )


def published_exports(
    decks: list[Deck], config: CourseConfig, formats: Sequence[str]
) -> dict[str, dict[str, Path]]:
    """The exports already on disk, for a build that does not wait for Marp."""
    found: dict[str, dict[str, Path]] = {}
    for deck in decks:
        for fmt in formats:
            path = config.exports_dir / export_file_name(deck.stem, fmt)
            if path.is_file():
                found.setdefault(deck.stem, {})[fmt] = path
    return found


def lab_notebooks(config: CourseConfig) -> list[Path]:
    if not config.labs_dir.is_dir():
        return []
    return sorted(config.labs_dir.glob("*.ipynb"))


def lab_files(
    config: CourseConfig,
    *,
    execute: bool,
    lab_links: Sequence[SlideLink] = (),
    on_notice: OnDamage | None = None,
) -> list[SiteFile]:
    """Each lab's page, its output images and its notebook to download.

    The page shows the notebook executed (from the cache when nothing it
    depends on changed), or as committed when `execute` is off; its links to
    slides point at the slides' sections of the lecture pages. `on_notice`
    hears of damaged cache entries that were made again.
    """
    # Imported here: reading notebooks loads nbformat, which a build that
    # reuses its last result (`unchanged`) never needs.
    from .lab_outputs import publishable_lab

    targets = lab_link_targets(lab_links, config)
    notebooks = lab_notebooks(config)
    shown = _executed_labs(config, notebooks, on_notice) if execute else notebooks
    published = DiskCache(config.cache_dir / "labs", on_notice)
    files = []
    for notebook, result in zip(notebooks, shown, strict=True):
        stem = notebook.stem
        lab = publishable_lab(result, notebook, config.root, published)
        page = render_lab(
            lab,
            image_dir=stem,
            download=f"{stem}.ipynb",
            links=targets.get(notebook, {}),
        )
        files.append(SiteFile(config.lab_uri(notebook), content=page.markdown))
        files.append(SiteFile(config.lab_download_uri(notebook), content=lab))
        files.extend(
            SiteFile(f"{config.labs_uri}/{stem}/{name}", content=data)
            for name, data in sorted(page.images.items())
        )
    return files


def _executed_labs(
    config: CourseConfig, notebooks: list[Path], on_notice: OnDamage | None
) -> list[Path]:
    from .fsutil import input_files
    from .notebooks import execute_notebooks

    inputs = [file for entry in config.lab_inputs for file in input_files(entry)]
    return execute_notebooks(
        notebooks,
        config.cache_dir / "notebooks",
        extra_inputs=inputs,
        timeout=config.lab_cell_timeout,
        on_notice=on_notice,
    )


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
        title = plain_text(deck.title).replace("|", "\\|")
        rows.append(f"| {number} | [{title}]({link}) | {len(deck.slides)} |")
    return "\n".join(rows)


def _page_url_dir(page_uri: str, use_directory_urls: bool) -> str:
    """The folder a page's URL is in, which raw HTML links are relative to."""
    stem = page_uri.removesuffix(".md")
    return stem if use_directory_urls else posixpath.dirname(stem)
