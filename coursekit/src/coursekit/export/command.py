"""`course slides`: export the decks of a course repository for instructors."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ContentError
from ..model import Deck
from ..parse import parse_deck
from ..themes import load_theme_set
from .browser import find_browser
from .pipeline import ExportSettings, export_decks
from .sources import copy_deck_images, read_source
from .watch import watch


def export_slides(args: argparse.Namespace) -> int:
    """Export decks into the output folder, once or on every change."""
    root = Path(args.root).resolve()
    slides_dir = root / "slides"
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr)

    try:
        deck_paths = _chosen_decks(slides_dir, args.decks)
    except FileNotFoundError as error:
        print(f"course slides: {error}", file=sys.stderr)
        return 2
    settings = ExportSettings(
        project_root=root,
        themes_dir=slides_dir / "themes",
        cache_dir=root / ".cache" / "coursekit" / "exports",
        formats=tuple(dict.fromkeys(args.format)),
        browser=find_browser(),
    )
    out_dir = Path(args.output) if args.output else root / "01_materials" / "slides"

    def export_once() -> int:
        try:
            decks = [parse_deck(path) for path in deck_paths()]
            if not args.decks:
                decks = [deck for deck in decks if deck.is_marp]
            _export_slides(decks, out_dir, settings, progress)
        except ContentError as error:
            print(error, file=sys.stderr)
            return 1
        return 0

    status = export_once()
    if not args.watch:
        return status
    progress("watching the decks, themes and images; Ctrl-C stops")
    try:
        watch(
            lambda: {slides_dir, *(path.parent for path in deck_paths())},
            export_once,
            threading.Event(),
        )
    except KeyboardInterrupt:
        progress("stopped watching")
    return 0


def _chosen_decks(slides_dir: Path, names: list[str]) -> Callable[[], list[Path]]:
    """The decks to export, looked up again on each call (new decks appear)."""
    if not names:
        return lambda: sorted(slides_dir.glob("*.md"))
    paths = []
    for name in names:
        candidates = [Path(name), slides_dir / name, slides_dir / f"{name}.md"]
        found = next((path for path in candidates if path.is_file()), None)
        if found is None:
            raise FileNotFoundError(f"no deck {name!r} (looked in {slides_dir})")
        paths.append(found)
    return lambda: paths


def _export_slides(
    decks: list[Deck],
    out_dir: Path,
    settings: ExportSettings,
    progress: Callable[[str], None],
) -> None:
    result = export_decks(decks, out_dir, settings, on_progress=progress)
    for warning in result.warnings:
        print(f"course slides: warning: {warning}", file=sys.stderr)
    if "html" in settings.formats:
        themes = load_theme_set(settings.themes_dir)
        sources = [read_source(deck, themes) for deck in decks]
        for warning in copy_deck_images(sources, out_dir):
            print(f"course slides: warning: {warning}", file=sys.stderr)
    written = sum(len(formats) for formats in result.outputs.values())
    converted = ", ".join(result.converted) or "none"
    progress(f"{written} file(s) in {out_dir} (converted by Marp: {converted})")
