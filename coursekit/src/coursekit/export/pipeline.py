"""Export decks: from the cache, or by one Marp process a format."""

from __future__ import annotations

import functools
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import FolderLock, copy_if_changed
from ..model import Deck
from ..themes import ThemeSet, load_theme_set
from .browser import MISSING_BROWSER, browser_kind
from .cache import ExportCache, export_key
from .errors import ExportError
from .handout import (
    HANDOUT,
    HandoutJob,
    export_file_name,
    handout_key,
    place_slides,
    print_notes_pages,
)
from .marp import (
    BROWSER_FORMATS,
    ENGINE_OPTIONS,
    FORMAT_OPTIONS,
    MarpRun,
    find_marp,
    marp_version,
)
from .sources import (
    DeckSource,
    LocalFile,
    copy_deck_images,
    katex_fonts,
    read_source,
)
from .verify import VERIFIERS

FORMATS = (*FORMAT_OPTIONS, HANDOUT)
MAX_PARALLEL = 8
"""Marp workers at most: each PDF worker drives a browser page."""


@dataclass(frozen=True)
class ExportSettings:
    project_root: Path
    """Where `node_modules/.bin/marp` is installed (`npm ci`)."""
    themes_dir: Path
    """The theme set: every `*.css` here is given to Marp with `--theme-set`."""
    cache_dir: Path
    formats: tuple[str, ...] = ("html", "pdf")
    browser: Path | None = None
    """Chrome, Chromium, Edge or Firefox for PDF/PPTX; None exports HTML only."""
    parallel: int | None = None
    """Marp workers; None uses the core count, at most `MAX_PARALLEL`."""
    browser_timeout: int = 60
    """Seconds Marp gives each browser operation."""
    timeout: float = 900
    """Seconds one Marp run may take before it is stopped."""
    lang: str = "en-US"
    """The HTML `lang` of decks that set none (Marp would take the locale's)."""


@dataclass
class ExportResult:
    outputs: dict[str, dict[str, Path]] = field(default_factory=dict)
    """stem -> format -> the export written into the output folder."""
    converted: list[str] = field(default_factory=list)
    """Stems Marp converted this time (in any format); empty on a no-op."""
    warnings: list[str] = field(default_factory=list)
    marp_runs: int = 0
    """Marp processes started: at most one a format."""


Progress = Callable[[str], None]


def export_decks(
    decks: Sequence[Deck],
    out_dir: Path,
    settings: ExportSettings,
    on_progress: Progress | None = None,
    *,
    copy_images: bool = False,
) -> ExportResult:
    """Write `out_dir/<stem>.<format>` for each deck and format.

    Exports whose inputs are unchanged come from the cache; the rest are
    converted by one Marp process a format, then checked and cached. Bad
    decks raise `ExportError` naming the deck. `copy_images` also puts the
    images and math fonts the HTML decks show beside them (a site publishes
    them itself).
    Calls that share a cache folder, from threads or processes, run one after
    the other.
    """
    progress = on_progress or (lambda message: None)
    unknown = sorted(set(settings.formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown export formats {unknown}; known: {FORMATS}")
    with FolderLock(settings.cache_dir):
        themes = load_theme_set(settings.themes_dir)
        sources = _read_sources(decks, themes, katex_fonts(settings.project_root))
        result = _export(sources, themes, out_dir, settings, progress)
    if copy_images and "html" in settings.formats:
        result.warnings.extend(copy_deck_images(sources, out_dir))
    return result


def _export(
    sources: list[DeckSource],
    themes: ThemeSet,
    out_dir: Path,
    settings: ExportSettings,
    progress: Progress,
) -> ExportResult:
    started = time.monotonic()
    result = ExportResult()
    formats = list(settings.formats)
    needs_browser = BROWSER_FORMATS | {HANDOUT}
    if settings.browser is None and needs_browser & set(formats):
        result.warnings.append(MISSING_BROWSER)
        formats = [fmt for fmt in formats if fmt not in needs_browser]
    if not sources or not formats:
        return result
    if settings.browser is not None and needs_browser & set(formats):
        _check_browser(settings.browser)
    marp = find_marp(settings.project_root)
    version = marp_version(settings.project_root)
    cache = ExportCache(settings.cache_dir)

    pending: dict[str, list[tuple[DeckSource, str]]] = {}
    shared_options = [
        f"lang={settings.lang}",
        json.dumps(ENGINE_OPTIONS, sort_keys=True),
    ]

    keys: dict[tuple[str, str], str] = {}

    def key_of(source: DeckSource, fmt: str) -> str:
        if (source.stem, fmt) not in keys:
            if fmt == HANDOUT:
                key = handout_key(key_of(source, "pdf"))
            else:
                options = [*FORMAT_OPTIONS[fmt], *shared_options]
                key = export_key(source, themes, version, options)
            keys[source.stem, fmt] = key
        return keys[source.stem, fmt]

    for fmt in formats:
        for source in sources:
            key = key_of(source, fmt)
            entry = cache.get(key, fmt)
            if entry is None:
                pending.setdefault(fmt, []).append((source, key))
            else:
                _publish(entry, out_dir, source.stem, fmt, result)
    waiting = sum(len(batch) for batch in pending.values())
    progress(
        f"{len(sources)} deck(s) to {', '.join(formats)}: "
        f"{len(sources) * len(formats) - waiting} export(s) from the cache, "
        f"{waiting} to convert"
    )
    # A handout places the slides of the deck's PDF: taken from the cache, or
    # converted with the PDFs (and cached, but published only if asked for).
    slide_pdfs: dict[str, Path] = {}
    for source, _ in pending.get(HANDOUT, []):
        pdf_key = key_of(source, "pdf")
        slide_pdfs[source.stem] = cache.entry(pdf_key, "pdf")
        converting = {pdf.stem for pdf, _ in pending.get("pdf", [])}
        if cache.get(pdf_key, "pdf") is None and source.stem not in converting:
            pending.setdefault("pdf", []).append((source, pdf_key))
    if pending:
        _convert(
            pending,
            slide_pdfs,
            marp,
            themes,
            settings,
            cache,
            out_dir,
            result,
            progress,
        )
    progress(f"slide exports done in {time.monotonic() - started:.1f} s")
    return result


def _read_sources(
    decks: Sequence[Deck], themes: ThemeSet, fonts: tuple[LocalFile, ...]
) -> list[DeckSource]:
    sources: dict[str, DeckSource] = {}
    for deck in decks:
        if deck.stem in sources:
            raise ExportError(
                deck.path,
                None,
                f"another deck is also named {deck.stem} "
                f"({sources[deck.stem].deck.path}); both would export to "
                f"{deck.stem}.html",
                "rename one of the decks",
                rule="export-name",
            )
        sources[deck.stem] = read_source(deck, themes, fonts)
    return list(sources.values())


def _check_browser(browser: Path) -> None:
    if not (browser.is_file() and os.access(browser, os.X_OK)):
        # Marp would quietly look for another browser instead.
        raise ExportError(
            browser,
            None,
            "the browser for PDF export is not an executable file",
            "install Chromium (`sudo apt-get install chromium`) or Google "
            "Chrome, or set CHROME_PATH to a browser executable",
            rule="export-browser",
        )


def _convert(
    pending: dict[str, list[tuple[DeckSource, str]]],
    slide_pdfs: dict[str, Path],
    marp: Path,
    themes: ThemeSet,
    settings: ExportSettings,
    cache: ExportCache,
    out_dir: Path,
    result: ExportResult,
    progress: Progress,
) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"LC_ALL", "LC_MESSAGES", "LANGUAGE"}
    }
    env["LANG"] = settings.lang
    workers = settings.parallel or min(os.cpu_count() or 1, MAX_PARALLEL)

    def marp_run(
        fmt: str,
        sources: Sequence[DeckSource],
        options: Sequence[str],
        workdir: Path,
        run_themes: ThemeSet,
    ) -> MarpRun:
        options = list(options)
        if run_themes.files:
            options += ["--theme-set", str(run_themes.directory.resolve())]
        if fmt in BROWSER_FORMATS and settings.browser is not None:
            options += [
                "--browser",
                browser_kind(settings.browser),
                "--browser-path",
                str(settings.browser),
                "--browser-timeout",
                str(settings.browser_timeout),
            ]
        return MarpRun(
            marp=marp,
            fmt=fmt,
            sources=tuple(sources),
            options=tuple(options),
            workdir=workdir,
            parallel=max(1, min(workers, len(sources))),
            timeout=settings.timeout,
            env=env,
            themes=run_themes,
        )

    with tempfile.TemporaryDirectory(prefix="coursekit-marp-") as scratch:
        tasks: list[Callable[[], dict[str, Path]]] = []
        for fmt, batch in pending.items():
            workdir = Path(scratch) / fmt
            workdir.mkdir()
            sources = [source for source, _ in batch]
            if fmt == HANDOUT:
                job = HandoutJob(
                    lambda *args: _timed(
                        marp_run(*args), progress, "handout notes pages"
                    ),
                    workdir,
                )
                tasks.append(functools.partial(print_notes_pages, sources, job))
            else:
                run = marp_run(fmt, sources, FORMAT_OPTIONS[fmt], workdir, themes)
                tasks.append(functools.partial(_timed, run, progress))
            result.marp_runs += 1
            stems = ", ".join(source.stem for source in sources)
            progress(f"Marp: converting {stems} to {fmt}")
        # The formats convert side by side: HTML is done while PDF still
        # prints, and the handouts' notes pages print beside the PDF.
        with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
            futures = [pool.submit(task) for task in tasks]
        exports = dict(
            zip(pending, [future.result() for future in futures], strict=True)
        )
        converted: set[str] = set()
        # Handouts last: their slides are the PDFs, checked and cached first.
        for fmt in sorted(pending, key=lambda fmt: fmt == HANDOUT):
            for source, key in pending[fmt]:
                produced = exports[fmt][source.stem]
                if fmt == HANDOUT:
                    produced = place_slides(
                        source,
                        produced,
                        slide_pdfs[source.stem],
                        produced.with_name(export_file_name(source.stem, fmt)),
                    )
                VERIFIERS[fmt](source, produced)
                entry = cache.put(key, fmt, produced)
                if fmt in settings.formats:
                    _publish(entry, out_dir, source.stem, fmt, result)
                    converted.add(source.stem)
    result.converted = [stem for stem in result.outputs if stem in converted]


def _timed(run: MarpRun, progress: Progress, what: str = "") -> dict[str, Path]:
    started = time.monotonic()
    produced = run.run()
    progress(
        f"Marp: {len(produced)} deck(s) to {what or run.fmt} "
        f"in {time.monotonic() - started:.1f} s"
    )
    return produced


def _publish(
    entry: Path, out_dir: Path, stem: str, fmt: str, result: ExportResult
) -> None:
    """Copy a cached export into `out_dir`, leaving an identical file untouched."""
    target = out_dir / export_file_name(stem, fmt)
    copy_if_changed(entry, target)
    result.outputs.setdefault(stem, {})[fmt] = target
