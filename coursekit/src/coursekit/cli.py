"""The `course` command: what instructors and the Makefile call."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

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


def _git_toplevel(root: Path) -> Path | None:
    """The top of the git work tree that `root` is in, or None outside one."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
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
def _check(args: argparse.Namespace) -> int:
    from .check import check_course
    from .check.problems import format_json, format_text

    problems = check_course(Path(args.root))
    formatted = (
        format_json(problems) if args.format == "json" else format_text(problems)
    )
    print(formatted)
    return 1 if problems else 0


def _linkcheck(args: argparse.Namespace) -> int:
    from . import linkcheck

    root = Path(args.root)
    links = linkcheck.find_links(linkcheck.course_files(root))
    cache = linkcheck.ResultCache(root / args.cache)
    results = linkcheck.check_links(links, cache, timeout=args.timeout)
    print(linkcheck.summary_table(links, results, root))
    return 0 if all(result.ok for result in results.values()) else 1


def _slides(args: argparse.Namespace) -> int:
    from .export.command import export_slides

    return export_slides(args)


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
        choices=("html", "pdf", "pptx"),
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
