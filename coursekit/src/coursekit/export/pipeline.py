"""Export decks: from the cache, or by one Marp process a format."""

from __future__ import annotations

import functools
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..diskcache import DiskCache
from ..errors import Problem
from ..fsutil import FolderLock, copy_if_changed, disk_full_named
from ..html_policy import marp_options
from ..model import Deck
from ..processes import ProcessTrees, run_side_by_side
from ..themes import ThemeSet, load_theme_set
from .browser import BROWSER_FORMATS, MISSING_BROWSER, browser_kind
from .cache import export_key
from .errors import ExportError
from .handout import (
    HANDOUT,
    NOTES_PAGES_FORMAT,
    NOTES_PAGES_OPTIONS,
    export_file_name,
    handout_key,
    notes_pages_source,
    notes_pages_theme_set,
    place_slides,
)
from .marp import (
    ENGINE_OPTIONS,
    FORMAT_OPTIONS,
    MarpRun,
    marp_command,
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
from .warm import MarpWorker

FORMATS = (*FORMAT_OPTIONS, HANDOUT)
_SCRATCH_WHAT = "Marp's decks and exports cannot be written to the temporary folder"
_SCRATCH_FIX = (
    "free space there, or point TMPDIR (TEMP on Windows) at a folder on a "
    "disk with space"
)
MAX_PARALLEL = 8
"""Marp workers at most: each PDF worker drives a browser page."""
SECONDS_PER_SLIDE = 0.5
"""Export time allowed per slide, on top of a deck's base: a browser prints a
PDF page in about 0.1 s on a busy 2-core machine, HTML takes a fifth of that."""


@dataclass(frozen=True)
class ExportSettings:
    project_root: Path
    """Whose node_modules holds Marp CLI (`npm ci`)."""
    themes_dir: Path
    """The theme set: every `*.css` here is given to Marp with `--theme-set`."""
    cache_dir: Path
    formats: tuple[str, ...] = ("html", "pdf")
    browser: Path | None = None
    """Chrome, Chromium, Edge or Firefox for PDF/PPTX; None exports HTML only."""
    parallel: int | None = None
    """Marp workers; None uses the core count, at most `MAX_PARALLEL`."""
    browser_timeout: float = 60
    """Seconds Marp gives the browser for each step (`--browser-timeout`)."""
    deck_timeout: float = 120
    """Seconds each deck may take, plus `SECONDS_PER_SLIDE` a slide: a Marp
    run converting several decks may take the sum of theirs."""
    full_html: bool = False
    """Keep the decks' raw HTML as written (Marp's `--html`)."""
    lang: str = "en-US"
    """The HTML `lang` of decks that set none (Marp would take the locale's)."""
    worker: MarpWorker | None = None
    """Marp CLI kept loaded for a `mkdocs serve` session, to run each export."""


@dataclass
class ExportResult:
    outputs: dict[str, dict[str, Path]] = field(default_factory=dict)
    """stem -> format -> the export written into the output folder."""
    converted: list[str] = field(default_factory=list)
    """Stems Marp converted this time (in any format); empty on a no-op."""
    warnings: list[str] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    """What was repaired on the way (a damaged cache entry converted again):
    worth saying, not a reason to fail a strict build."""
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
    processes: ProcessTrees | None = None,
) -> ExportResult:
    """Write `out_dir/<stem>.<format>` for each deck and format.

    Exports whose inputs are unchanged come from the cache; the rest are
    converted by one Marp process a format, then checked and cached. Bad
    decks raise `ExportError` naming the deck. `copy_images` also puts the
    images and math fonts the HTML decks show beside them (a site publishes
    them itself).
    Calls that share a cache folder, from threads or processes, run one after
    the other. Marp runs in `processes` (a fresh set by default): stopping
    them from another thread stops the export, which raises `Stopped`.
    """
    progress = on_progress or (lambda message: None)
    unknown = sorted(set(settings.formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown export formats {unknown}; known: {FORMATS}")
    with FolderLock(settings.cache_dir):
        themes = load_theme_set(settings.themes_dir)
        sources = _read_sources(decks, themes, katex_fonts(settings.project_root))
        result = _export(
            sources, themes, out_dir, settings, progress, processes or ProcessTrees()
        )
    if copy_images and "html" in settings.formats:
        result.warnings.extend(copy_deck_images(sources, out_dir))
    return result


def _export(
    sources: list[DeckSource],
    themes: ThemeSet,
    out_dir: Path,
    settings: ExportSettings,
    progress: Progress,
    processes: ProcessTrees,
) -> ExportResult:
    started = time.monotonic()
    result = ExportResult()
    formats = list(settings.formats)
    if settings.browser is None and BROWSER_FORMATS & set(formats):
        result.warnings.append(MISSING_BROWSER)
        formats = [fmt for fmt in formats if fmt not in BROWSER_FORMATS]
    if not sources or not formats:
        return result
    marp = marp_command(settings.project_root)
    version = marp_version(settings.project_root)
    cache = DiskCache(settings.cache_dir, result.notices.append)
    shared_options = [
        *marp_options(full=settings.full_html),
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

    pending: dict[str, list[tuple[DeckSource, str]]] = {}
    cached: dict[tuple[str, str], Path] = {}
    for fmt in formats:
        for source in sources:
            key = key_of(source, fmt)
            entry = cache.get(key, f".{fmt}")
            if entry is None:
                pending.setdefault(fmt, []).append((source, key))
            else:
                cached[source.stem, fmt] = entry
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
        if (source.stem, "pdf") in cached:
            slide_pdfs[source.stem] = cached[source.stem, "pdf"]
            continue
        converting = {pdf.stem for pdf, _ in pending.get("pdf", [])}
        if source.stem in converting:
            continue
        pdf_key = key_of(source, "pdf")
        entry = cache.get(pdf_key, ".pdf")
        if entry is None:
            pending.setdefault("pdf", []).append((source, pdf_key))
        else:
            slide_pdfs[source.stem] = entry
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
            processes,
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


def _convert(
    pending: dict[str, list[tuple[DeckSource, str]]],
    slide_pdfs: dict[str, Path],
    marp: tuple[str, ...],
    themes: ThemeSet,
    settings: ExportSettings,
    cache: DiskCache,
    out_dir: Path,
    result: ExportResult,
    progress: Progress,
    processes: ProcessTrees,
) -> None:
    """Convert `pending` by one Marp run a format, then check, cache and
    publish each export. `slide_pdfs` holds the cached PDF of each deck whose
    handout is pending and whose PDF is not: the rest are converted here."""
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
        options = [*options, *marp_options(full=settings.full_html)]
        if run_themes.files:
            options += ["--theme-set", str(run_themes.directory.resolve())]
        browser = settings.browser if fmt in BROWSER_FORMATS else None
        if browser is not None:
            kind = browser_kind(browser)
            options += ["--browser", kind, "--browser-path", str(browser)]
        return MarpRun(
            command=marp,
            fmt=fmt,
            sources=tuple(sources),
            options=tuple(options),
            workdir=workdir,
            parallel=max(1, min(workers, len(sources))),
            timeout=export_timeout(
                [source.deck for source in sources], settings.deck_timeout
            ),
            env=env,
            themes=run_themes,
            browser=browser,
            browser_timeout=settings.browser_timeout if browser else None,
            processes=processes,
            worker=settings.worker,
        )

    # Removed when the export ends, however it ends: the processes writing
    # into it are stopped first (run_side_by_side), as Windows cannot delete
    # a file that a running process holds open.
    with (
        disk_full_named(Path(tempfile.gettempdir()), _SCRATCH_WHAT, _SCRATCH_FIX),
        tempfile.TemporaryDirectory(prefix="coursekit-marp-") as scratch,
    ):
        runs = []
        for fmt, batch in pending.items():
            workdir = Path(scratch) / fmt
            workdir.mkdir()
            sources = [source for source, _ in batch]
            if fmt == HANDOUT:
                # The notes pages, printed as a PDF in the handout theme.
                run = marp_run(
                    NOTES_PAGES_FORMAT,
                    [notes_pages_source(source) for source in sources],
                    NOTES_PAGES_OPTIONS,
                    workdir,
                    notes_pages_theme_set(workdir / "theme"),
                )
            else:
                run = marp_run(fmt, sources, FORMAT_OPTIONS[fmt], workdir, themes)
            runs.append(run)
            stems = ", ".join(source.stem for source in sources)
            progress(f"Marp: converting {stems} to {fmt}")
        result.marp_runs += len(runs)
        # The formats convert side by side: HTML is done while PDF still
        # prints, and the handouts' notes pages print beside the PDF.
        futures = run_side_by_side(
            [
                functools.partial(_timed, run, fmt, progress)
                for fmt, run in zip(pending, runs, strict=True)
            ],
            processes,
            workers=len(runs),
        )
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
                entry = cache.put_file(key, f".{fmt}", produced)
                if fmt == "pdf":
                    slide_pdfs[source.stem] = entry
                if fmt in settings.formats:
                    _publish(entry, out_dir, source.stem, fmt, result)
                    converted.add(source.stem)
    result.converted = [stem for stem in result.outputs if stem in converted]


def export_timeout(decks: Sequence[Deck], deck_timeout: float) -> float:
    """Seconds a Marp run converting `decks` may take: each deck's base and
    its share per slide, so a long deck gets the time it needs."""
    return sum(deck_timeout + SECONDS_PER_SLIDE * len(deck.slides) for deck in decks)


def _timed(run: MarpRun, fmt: str, progress: Progress) -> dict[str, Path]:
    started = time.monotonic()
    produced = run.run()
    progress(
        f"Marp: {len(produced)} deck(s) to {fmt} in {time.monotonic() - started:.1f} s"
    )
    return produced


def _publish(
    entry: Path, out_dir: Path, stem: str, fmt: str, result: ExportResult
) -> None:
    """Copy a cached export into `out_dir`, leaving an identical file untouched."""
    target = out_dir / export_file_name(stem, fmt)
    copy_if_changed(entry, target)
    result.outputs.setdefault(stem, {})[fmt] = target
