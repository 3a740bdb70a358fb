"""How parse and render time grow with the size of one deck.

Generates one deck of each size (the slides `bench.generate` writes: bullets,
code, tables, figures, quotes, speaker notes), times `parse_text`,
`render_lecture` and the page's Python-Markdown conversion with the
extensions the plugin adds, and optionally `mkdocs build` of a course made
of the largest deck (lecture page and HTML export). Writes the figures into
the "Deck size" section of docs/benchmarks.md, leaving the rest of the file
as `make bench` wrote it.

    python -m bench.deck_size                          # 300, 3000, 5000 slides
    python -m bench.deck_size --slides 300 3000 --no-build --output -
    git worktree add /tmp/before main                  # then, to compare:
    python -m bench.deck_size --baseline /tmp/before/coursekit/src
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import markdown
from coursekit.parse import parse_text
from coursekit.plugin.course import _REQUIRED_EXTENSIONS
from coursekit.render import LectureLinks, render_lecture
from mkdocs.utils.meta import get_data

from .generate import (
    REPO_ROOT,
    CourseSize,
    _deck,
    generate_course,
    inherited_config,
)

SECTION = "## Deck size"
DEFAULT_SIZES = (300, 3000, 5000)
SMALL_DECK_RUNS = 3000
"""A deck of N slides is timed at least this many / N times."""


@dataclass(frozen=True)
class Timing:
    slides: int
    parse: float
    render: float
    page: float


def measure(slides: int, repeat: int) -> Timing:
    """CPU seconds of each stage, the fastest of `repeat` runs (more for a
    small deck, whose times are short), on one generated deck."""
    repeat = max(repeat, SMALL_DECK_RUNS // slides)
    figures = [Path(f"images/figure_{k}.svg") for k in range(1, 4)]
    text = _deck(1, slides, "default", figures, random.Random(1))
    path = Path("/course/slides/deck.md")
    links = LectureLinks(image_url=lambda image: image.src)
    deck = parse_text(text, path)
    assert len(deck.slides) == slides, (len(deck.slides), slides)
    page = render_lecture(deck, links)
    body, _ = get_data(page)
    configs = {name: config for name, config in _REQUIRED_EXTENSIONS.items() if config}
    return Timing(
        slides,
        _fastest(lambda: parse_text(text, path), repeat),
        _fastest(lambda: render_lecture(deck, links), repeat),
        _fastest(
            lambda: markdown.markdown(
                body, extensions=list(_REQUIRED_EXTENSIONS), extension_configs=configs
            ),
            repeat,
        ),
    )


def build_seconds(slides: int) -> float:
    """Wall-clock seconds of `mkdocs build` of a course of one deck of
    `slides` slides, exporting it to HTML (no PDF: a browser printing
    thousands of pages measures the browser)."""
    with tempfile.TemporaryDirectory(prefix="coursekit-deck-size-") as folder:
        course = generate_course(
            Path(folder) / "course",
            CourseSize(decks=1, slides=slides, images=3, notebooks=0),
        )
        config = course.root / "mkdocs-size.yml"
        config.write_text(
            inherited_config(
                (course.root / "mkdocs.yml").read_text(encoding="utf-8"),
                {"coursekit": {"exports": ["html"], "execute_labs": False}},
            )
        )
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)],
            cwd=course.root,
            check=True,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        )
        return time.monotonic() - started


def _fastest(action: Callable[[], object], runs: int) -> float:
    """The least CPU time `action` took over `runs` runs: on a shared
    machine the wall clock measures the other work too, and what others do
    only ever adds to the time."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return min(times)


def baseline_timings(source: Path, sizes: Sequence[int], repeat: int) -> list[Timing]:
    """The timings of the coursekit in `source` (another checkout's
    `coursekit/src`), measured by this script in a child process."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.deck_size", "--json", "--no-build"]
        + ["--repeat", str(repeat), "--slides", *map(str, sizes)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": f"{source}{os.pathsep}{REPO_ROOT}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return [Timing(**row) for row in json.loads(result.stdout)]


def report(
    timings: Sequence[Timing],
    before: Sequence[Timing],
    build: tuple[int, float] | None,
    baseline: str | None,
) -> str:
    lines = [
        SECTION,
        "",
        "Parse and render time against the size of one deck, written by",
        "`python -m bench.deck_size` (not by `make bench`). Each slide is one",
        "of the generated kinds of `bench/generate.py`. Seconds are the",
        "process's CPU time, the fastest of several runs (the machine is",
        "shared: the wall clock measures other work too); × is the time over",
        "the smallest deck's.",
    ]
    if before:
        lines.append(f"Before: {baseline}.")
    head = "| Slides | Parse | × | Render | × | Page (Python-Markdown) |"
    rule = "|---:|---:|---:|---:|---:|---:|"
    if before:
        head = (
            "| Slides | Parse before | Parse | × | Render before | Render | × | Page |"
        )
        rule = "|---:|---:|---:|---:|---:|---:|---:|---:|"
    lines += ["", head, rule]
    first = timings[0]
    previous = {timing.slides: timing for timing in before}
    for timing in timings:
        parse = f"{timing.parse:.2f} s | {timing.parse / first.parse:.1f}"
        render = f"{timing.render:.2f} s | {timing.render / first.render:.1f}"
        old = previous.get(timing.slides)
        if old is not None:
            parse = f"{old.parse:.2f} s | {parse}"
            render = f"{old.render:.2f} s | {render}"
        lines.append(
            f"| {timing.slides:,} | {parse} | {render} | {timing.page:.2f} s |"
        )
    if build:
        slides, seconds = build
        lines += [
            "",
            f"`mkdocs build` of a course of one {slides:,}-slide deck (lecture",
            f"page and HTML export, empty caches): {seconds:.0f} s wall clock.",
        ]
    return "\n".join(lines) + "\n"


def section_of(text: str) -> str | None:
    """The "Deck size" section of a benchmarks page, if it has one."""
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        return None
    end = text.find("\n## ", start + len(SECTION) + 2)
    return text[start + 1 : end if end >= 0 else len(text)]


def write_section(path: Path, section: str) -> None:
    """Put `section` in place of the file's "Deck size" section, or append it."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    old = section_of(text)
    if old is not None:
        text = text.replace(old, section, 1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slides", type=int, nargs="+", default=DEFAULT_SIZES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-build", dest="build", action="store_false", help="skip mkdocs build"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="the coursekit/src folder of another checkout, measured as `before`",
    )
    parser.add_argument("--json", action="store_true", help="print timings as JSON")
    parser.add_argument(
        "--output",
        default=str(REPO_ROOT / "docs/benchmarks.md"),
        help="file whose Deck size section is written; `-` prints it only",
    )
    args = parser.parse_args(argv)
    timings = [measure(slides, args.repeat) for slides in args.slides]
    if args.json:
        print(json.dumps([asdict(timing) for timing in timings]))
        return 0
    before = []
    baseline = None
    if args.baseline:
        before = baseline_timings(args.baseline, args.slides, args.repeat)
        baseline = _describe(args.baseline)
    build = None
    if args.build:
        largest = max(args.slides)
        build = (largest, build_seconds(largest))
    section = report(timings, before, build, baseline)
    print(section)
    if args.output != "-":
        write_section(Path(args.output), section)
    return 0


def _describe(source: Path) -> str:
    """`commit abc1234` for a checkout's source folder, else its path."""
    found = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    )
    return f"commit `{found.stdout.strip()}`" if found.returncode == 0 else str(source)


if __name__ == "__main__":
    raise SystemExit(main())
