"""The `course` command: what instructors and the Makefile call."""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .config import CONFIG_FILE, CourseConfig
from .errors import CourseError, format_json, format_problems, format_text
from .processes import Terminated, sigterm_interrupts

DEFAULT_SLIDES_OUTPUT = "01_materials/slides"
"""Where `course slides` writes by default (gitignored: build artifacts)."""

SLIDES_EPILOG = """\
examples:
  course slides                          every deck in slides/ to HTML and PDF
  course slides 01_introduction          one deck (a name in slides/ or a path)
  course slides --format html pdf pptx   PowerPoint files as well, on demand
  course slides --format handout         handouts: each slide with its notes
  course slides --output /tmp/decks      somewhere else than 01_materials/slides/
  course slides --watch --format html    re-export while you edit

Unchanged decks come from the cache in .cache/coursekit/exports, so a second
run only converts what changed. PDF, PPTX and handouts need Chrome, Chromium,
Edge or Firefox (CHROME_PATH, or one found where it is installed); without
one only HTML is exported. Ctrl-C stops Marp and its browser too.
"""
SIGINT = 2
"""Ctrl-C's signal number on every platform; exit codes are 128 + signal."""


def _git_toplevel(root: Path) -> Path | None:
    """The top of the git work tree that `root` is in, or None outside one."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            # Git writes UTF-8 whatever the code page (C:\Users\José\...).
            encoding="utf-8",
            errors="replace",
            cwd=root,
        )
    except FileNotFoundError:
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _install_hooks(args: argparse.Namespace) -> int:
    """Install the pre-commit git hooks, but only in this repository's own clone."""
    root = Path(args.root).resolve()
    toplevel = _git_toplevel(root)
    # A course unpacked inside some other repository (a home directory under
    # git, a monorepo) must not install its hooks into that repository.
    if toplevel is None or toplevel.resolve() != root:
        print("course: not a git clone, git hooks not installed", file=sys.stderr)
        return 0
    if not (root / ".pre-commit-config.yaml").exists():
        return 0
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
        cwd=root,
        stdout=subprocess.DEVNULL,
    ).returncode


# The subcommands import their modules when run: MkDocs is slow to import and
# `course install-hooks` (run by `make setup`) needs none of it.
def _course_config(args: argparse.Namespace) -> CourseConfig:
    from .plugin.options import load_course_config

    return load_course_config(Path(args.root).resolve() / CONFIG_FILE)


def _check(args: argparse.Namespace) -> int:
    from .check import check_course

    config = _course_config(args)
    problems = check_course(config)
    formatter = format_json if args.format == "json" else format_text
    print(formatter(problems, config.root))
    return 1 if problems else 0


def _linkcheck(args: argparse.Namespace) -> int:
    from . import linkcheck

    config = _course_config(args)
    links = linkcheck.find_links(linkcheck.course_files(config))
    cache = linkcheck.ResultCache(config.root / args.cache)
    results = linkcheck.check_links(links, cache, timeout=args.timeout)
    print(linkcheck.summary_table(links, results, config.root))
    return 0 if all(result.ok for result in results.values()) else 1


def _slides(args: argparse.Namespace) -> int:
    from .decks import DeckReader
    from .export import export_decks
    from .site import export_settings
    from .watch import watch

    config = _course_config(args)
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr)

    chosen = [_deck_path(config, name) for name in args.decks]
    if None in chosen:
        missing = args.decks[chosen.index(None)]
        print(
            f"course slides: no deck {missing!r} (looked in {config.slides_dir})",
            file=sys.stderr,
        )
        return 2
    formats = tuple(dict.fromkeys(args.format))
    settings = export_settings(config, formats)
    out_dir = Path(args.output) if args.output else config.root / DEFAULT_SLIDES_OUTPUT
    reader = DeckReader()

    def export_once() -> int:
        try:
            if chosen:
                decks = [reader.read(path) for path in chosen]
            else:
                decks = reader.lectures(config.slides_dir, config.root)
            result = export_decks(
                decks, out_dir, settings, on_progress=progress, copy_images=True
            )
        except CourseError as error:
            print(format_problems(error.problems, config.root), file=sys.stderr)
            return 1
        for warning in result.warnings:
            print(f"course slides: warning: {warning}", file=sys.stderr)
        if result.notices:
            print(format_problems(result.notices, config.root), file=sys.stderr)
        written = sum(len(formats) for formats in result.outputs.values())
        converted = ", ".join(result.converted) or "none"
        progress(f"{written} file(s) in {out_dir} (converted by Marp: {converted})")
        return 0

    status = export_once()
    if not args.watch:
        return status
    progress("watching the decks, themes and images; Ctrl-C stops")
    # The slides folder holds the decks, their themes and images.
    watched = {config.slides_dir, *(path.parent for path in chosen)}
    try:
        watch(lambda: watched, export_once, threading.Event())
    except KeyboardInterrupt:
        progress("stopped watching")
    return 0


def _deck_path(config: CourseConfig, name: str) -> Path | None:
    """A deck named on the command line: a path, or a name in the slides folder."""
    candidates = [
        Path(name),
        config.slides_dir / name,
        config.slides_dir / f"{name}.md",
    ]
    return next((path for path in candidates if path.is_file()), None)


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
    check = commands.add_parser(
        "check", help="validate decks, pages, notebooks and 05_src/.env (offline)"
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=_check)
    links = commands.add_parser(
        "linkcheck", help="check the external links of the course (needs network)"
    )
    links.add_argument("--timeout", type=float, default=10, help="seconds per URL")
    links.add_argument(
        "--cache",
        default=".cache/coursekit/linkcheck.json",
        help="answers kept for a day, relative to --root (default: %(default)s)",
    )
    links.set_defaults(run=_linkcheck)
    slides = commands.add_parser(
        "slides",
        help="export slide decks to HTML, PDF (and PPTX) with Marp CLI",
        description="Export Marp decks from slides/ with Marp CLI "
        "(node_modules/@marp-team/marp-cli, installed by `npm ci`, run by Node).",
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
        choices=("html", "pdf", "pptx", "handout"),
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
    try:
        with sigterm_interrupts():
            return args.run(args)
    except CourseError as error:
        print(
            format_problems(error.problems, Path(args.root).resolve()), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt as interrupt:
        # What it started (Marp, browsers, kernels) is stopped by now.
        signum = interrupt.signum if isinstance(interrupt, Terminated) else SIGINT
        print(
            f"course {args.command}: interrupted, nothing left running", file=sys.stderr
        )
        return 128 + signum


if __name__ == "__main__":
    raise SystemExit(main())
