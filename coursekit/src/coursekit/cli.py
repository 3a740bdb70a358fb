"""The `course` command: what instructors and the Makefile call."""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ContentError
from .export import (
    FORMATS,
    ExportSettings,
    copy_deck_images,
    export_decks,
    find_browser,
    load_theme_set,
    read_source,
)
from .export.watch import watch
from .model import Deck
from .parse import parse_deck

SLIDES_EPILOG = """\
examples:
  course slides                          every deck in slides/ to HTML and PDF
  course slides 01_introduction          one deck (a name in slides/ or a path)
  course slides --format html pdf pptx   PowerPoint files as well, on demand
  course slides --output /tmp/decks      somewhere else than 01_materials/slides/
  course slides --watch --format html    re-export while you edit

Unchanged decks come from the cache in .cache/coursekit/exports, so a second
run only converts what changed. PDF and PPTX need Chrome, Chromium, Edge or
Firefox (CHROME_PATH, or one on PATH); without one only HTML is exported.
"""


def _install_hooks(args: argparse.Namespace) -> int:
    """Install the pre-commit git hooks, but only inside a git work tree."""
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        cwd=args.root,
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        print("course: not a git clone, git hooks not installed", file=sys.stderr)
        return 0
    config = Path(args.root) / ".pre-commit-config.yaml"
    if not config.exists():
        return 0
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
        cwd=args.root,
        stdout=subprocess.DEVNULL,
    ).returncode


def _slides(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course",
        description="Build, check and export the course in this repository.",
    )
    parser.add_argument(
        "--root", default=".", help="course repository root (default: %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    hooks = commands.add_parser(
        "install-hooks", help="install the git hooks (does nothing outside a clone)"
    )
    hooks.set_defaults(run=_install_hooks)
    slides = commands.add_parser(
        "slides",
        help="export slide decks to HTML, PDF (and PPTX) with Marp CLI",
        description="Export Marp decks from slides/ with Marp CLI "
        "(node_modules/.bin/marp, installed by `npm ci`).",
        epilog=SLIDES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    slides.add_argument(
        "decks",
        nargs="*",
        metavar="DECK",
        help="decks to export: names in slides/ or paths (default: every deck "
        "in slides/ with `marp: true`)",
    )
    slides.add_argument(
        "--format",
        nargs="+",
        choices=FORMATS,
        default=["html", "pdf"],
        help="formats to export (default: html pdf)",
    )
    slides.add_argument(
        "--output",
        metavar="DIR",
        help="folder for the exports and the images the HTML decks show "
        "(default: 01_materials/slides/ in the repository)",
    )
    slides.add_argument(
        "--watch",
        action="store_true",
        help="keep running and re-export when a deck, theme or image changes",
    )
    slides.set_defaults(run=_slides)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
