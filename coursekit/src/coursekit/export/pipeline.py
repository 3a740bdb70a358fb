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

FORMATS = tuple(FORMAT_OPTIONS)
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

    pending: dict[str, list[tuple[DeckSource, str]]] = {}
    for fmt in formats:
        options = [
            *FORMAT_OPTIONS[fmt],
            *marp_options(full=settings.full_html),
            f"lang={settings.lang}",
            json.dumps(ENGINE_OPTIONS, sort_keys=True),
        ]
        for source in sources:
            key = export_key(source, themes, version, options)
            entry = cache.get(key, f".{fmt}")
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
    if pending:
        _convert(
            pending, marp, themes, settings, cache, out_dir, result, progress, processes
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
    marp: tuple[str, ...],
    themes: ThemeSet,
    settings: ExportSettings,
    cache: DiskCache,
    out_dir: Path,
    result: ExportResult,
    progress: Progress,
    processes: ProcessTrees,
) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"LC_ALL", "LC_MESSAGES", "LANGUAGE"}
    }
    env["LANG"] = settings.lang
    theme_options = ["--theme-set", str(themes.directory.resolve())]
    workers = settings.parallel or min(os.cpu_count() or 1, MAX_PARALLEL)
    # Removed when the export ends, however it ends: the processes writing
    # into it are stopped first (run_side_by_side), as Windows cannot delete
    # a file that a running process holds open.
    with (
        disk_full_named(Path(tempfile.gettempdir()), _SCRATCH_WHAT, _SCRATCH_FIX),
        tempfile.TemporaryDirectory(prefix="coursekit-marp-") as scratch,
    ):
        runs = []
        for fmt, batch in pending.items():
            options = [
                *FORMAT_OPTIONS[fmt],
                *marp_options(full=settings.full_html),
                *(theme_options if themes.files else []),
            ]
            browser = settings.browser if fmt in BROWSER_FORMATS else None
            if browser is not None:
                kind = browser_kind(browser)
                options += ["--browser", kind, "--browser-path", str(browser)]
            workdir = Path(scratch) / fmt
            workdir.mkdir()
            runs.append(
                MarpRun(
                    command=marp,
                    fmt=fmt,
                    sources=tuple(source for source, _ in batch),
                    options=tuple(options),
                    workdir=workdir,
                    parallel=max(1, min(workers, len(batch))),
                    timeout=export_timeout(
                        [source.deck for source, _ in batch], settings.deck_timeout
                    ),
                    env=env,
                    themes=themes,
                    browser=browser,
                    browser_timeout=settings.browser_timeout if browser else None,
                    processes=processes,
                    worker=settings.worker,
                )
            )
            stems = ", ".join(source.stem for source, _ in batch)
            progress(f"Marp: converting {stems} to {fmt}")
        result.marp_runs += len(runs)
        # The formats convert side by side: HTML is done while PDF still prints.
        futures = run_side_by_side(
            [functools.partial(_timed, run, progress) for run in runs],
            processes,
            workers=len(runs),
        )
        exports = [future.result() for future in futures]
        converted: set[str] = set()
        for run, produced in zip(runs, exports, strict=True):
            for source, key in pending[run.fmt]:
                VERIFIERS[run.fmt](source, produced[source.stem])
                entry = cache.put_file(key, f".{run.fmt}", produced[source.stem])
                _publish(entry, out_dir, source.stem, run.fmt, result)
                converted.add(source.stem)
    result.converted = [stem for stem in result.outputs if stem in converted]


def export_timeout(decks: Sequence[Deck], deck_timeout: float) -> float:
    """Seconds a Marp run converting `decks` may take: each deck's base and
    its share per slide, so a long deck gets the time it needs."""
    return sum(deck_timeout + SECONDS_PER_SLIDE * len(deck.slides) for deck in decks)


def _timed(run: MarpRun, progress: Progress) -> dict[str, Path]:
    started = time.monotonic()
    produced = run.run()
    progress(
        f"Marp: {len(produced)} deck(s) to {run.fmt} "
        f"in {time.monotonic() - started:.1f} s"
    )
    return produced


def _publish(
    entry: Path, out_dir: Path, stem: str, fmt: str, result: ExportResult
) -> None:
    """Copy a cached export into `out_dir`, leaving an identical file untouched."""
    target = out_dir / f"{stem}.{fmt}"
    copy_if_changed(entry, target)
    result.outputs.setdefault(stem, {})[fmt] = target
