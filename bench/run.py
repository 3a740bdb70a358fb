"""Benchmark the course build on two courses and report the medians.

Two course sets run in one run: the course of this repository as it is (what
instructors and learners feel) and a generated 12-deck course (how the build
scales). On each: the baseline (one Marp process per deck and format, then
`mkdocs build` executing every notebook), the cold build, rebuilds after no
change and after one edit, `mkdocs serve` picking up a saved deck; on the
generated course also notebook and theme edits and the notebook tests.

    python -m bench.run                   # both courses, into docs/benchmarks.md
    python -m bench.run --smoke --output /tmp/bench.md
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil
from coursekit.parse import parse_deck

from .deck_size import section_of, write_section
from .generate import (
    REPO_ROOT,
    CourseSize,
    GeneratedCourse,
    add_size_arguments,
    copy_real_course,
    edit_deck,
    edit_notebook,
    edit_theme,
    generate_course,
    size_from,
)
from .watch import (
    KINDS,
    PSS_EVERY,
    SAMPLE_SECONDS,
    CommandFailed,
    Watched,
    run_watched,
)

SMOKE_SIZE = CourseSize(decks=2, slides=3, images=1, notebooks=1, cells=2)
SERVE_TIMEOUT = 120.0
POLL_SECONDS = 0.05
GIB = 1024**3


@dataclass
class Scenario:
    key: str
    label: str
    seconds: list[float | None] = field(default_factory=list)
    """One entry per repetition; None when the awaited result never came."""
    runs: list[Watched] = field(default_factory=list)
    skipped: str = ""
    """Why the scenario could not run on this course, if it could not."""

    @property
    def median(self) -> float | None:
        done = [s for s in self.seconds if s is not None]
        if self.skipped or not done or len(done) < len(self.seconds):
            return None
        return statistics.median(done)


@dataclass(frozen=True)
class Target:
    text: str
    met: bool | None
    """None when the scenario has no result to judge."""


@dataclass(frozen=True)
class Goals:
    """The targets of one course set (issue 13)."""

    cold: float
    """Cold build, times the baseline."""
    noop: float
    """No-op rebuild, times the cold build (and nothing started)."""
    edit_deck: float | None
    """Rebuild after one deck edit, times the cold build (and only that deck)."""
    serve_page: float = 1.0
    serve_deck: float = 2.0
    memory_gib: float | None = None


@dataclass(frozen=True)
class CourseSet:
    title: str
    goals: Goals
    make: Callable[[Path], GeneratedCourse]
    full: bool
    """Also the notebook and theme edits and the notebook tests."""


REAL_GOALS = Goals(cold=0.8, noop=0.1, edit_deck=None)
GENERATED_GOALS = Goals(cold=0.35, noop=0.05, edit_deck=0.15, memory_gib=2.0)


class Bench:
    def __init__(
        self, course: GeneratedCourse, goals: Goals, repeat: int, cold_repeat: int
    ) -> None:
        self.course = course
        self.goals = goals
        self.repeat = repeat
        self.cold_repeat = cold_repeat
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        self.env["NO_MKDOCS_2_WARNING"] = "1"
        # Measure what an installed course does from its second use on: with
        # the bytecode of its packages cached (see warm_up).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.scenarios: dict[str, Scenario] = {}
        self.loads: list[float] = []
        """The 1-minute load average as each scenario starts."""
        self._edits = 0

    def warm_up(self) -> None:
        """Compile the environment's bytecode once, as its first use would."""
        sources = [sysconfig.get_paths()["purelib"], str(REPO_ROOT / "coursekit/src")]
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "-j", "0", *sources],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # -- the scenarios, in the order they run -------------------------------

    def baseline(self) -> None:
        scenario = self._scenario(
            "baseline",
            "Baseline: Marp per deck and format, then mkdocs build executing notebooks",
        )
        for _ in range(self.cold_repeat):
            self._clean()
            runs = [
                self._marp(deck, fmt)
                for deck in self.course.decks
                for fmt in ("html", "pdf")
            ]
            runs.append(self._build("--config-file", self.course.baseline_config.name))
            self._record(scenario, _sequence(runs))

    def cold(self) -> None:
        scenario = self._scenario(
            "cold", "Cold build (site + HTML + PDF, empty caches)"
        )
        for _ in range(self.cold_repeat):
            self._clean()
            self._record(scenario, self._build())

    def noop(self) -> None:
        scenario = self._scenario("noop", "No-op rebuild")
        for _ in range(self.repeat):
            self._record(scenario, self._build())

    def edit_one_deck(self) -> None:
        scenario = self._scenario("edit_deck", "Rebuild after editing one deck")
        for index in range(self.repeat):
            edit_deck(self._deck(index), self._revision())
            self._record(scenario, self._build())

    def edit_one_notebook(self) -> None:
        scenario = self._scenario("edit_notebook", "Rebuild after editing one notebook")
        if not self.course.notebooks:
            scenario.skipped = "the course has no notebooks"
            return
        for index in range(self.repeat):
            notebooks = self.course.notebooks
            edit_notebook(notebooks[index % len(notebooks)], self._next_edit())
            self._record(scenario, self._build())

    def edit_the_theme(self) -> None:
        scenario = self._scenario("edit_theme", "Rebuild after editing the theme")
        for _ in range(self.cold_repeat):
            edit_theme(self.course.theme, self._revision())
            self._record(scenario, self._build())

    def serve(self, enabled: bool = True) -> None:
        page = self._scenario(
            "serve_page", "`mkdocs serve`: deck saved → lecture page served"
        )
        deck_html = self._scenario(
            "serve_deck", "`mkdocs serve`: deck saved → HTML deck served"
        )
        if not enabled:
            page.skipped = deck_html.skipped = "not run (--no-serve)"
            return
        has_html = (
            self.course.root / "site/slides" / f"{self._deck(0).stem}.html"
        ).exists()
        if not has_html:
            deck_html.skipped = "the build publishes no HTML deck"
        port = _free_port()
        log = (self.course.root / ".bench-serve.log").open("w", encoding="utf-8")
        server = subprocess.Popen(
            self._mkdocs("serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"),
            cwd=self.course.root,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for index in range(self.repeat):
                deck = self._deck(index)
                page_url = f"{base}/lectures/{deck.stem}/"
                html_url = f"{base}/slides/{deck.stem}.html"
                _wait_for(page_url, "", SERVE_TIMEOUT * 3, server)
                if has_html:
                    _wait_for(html_url, "", SERVE_TIMEOUT * 3, server)
                revision = self._revision()
                edit_deck(deck, revision)
                saved = time.perf_counter()
                waits = [(page, page_url)] + (
                    [(deck_html, html_url)] if has_html else []
                )
                for scenario, url in waits:
                    seconds = _wait_for(url, revision, SERVE_TIMEOUT, server, saved)
                    scenario.seconds.append(seconds)
                    shown = "timed out" if seconds is None else f"{seconds:7.2f} s"
                    print(f"    {shown}  {url}", file=sys.stderr, flush=True)
        finally:
            _stop(server)
            log.close()

    def notebook_tests(self) -> None:
        for key, label, workers in (
            ("nbmake_serial", "`pytest --nbmake` (serial)", []),
            ("nbmake_xdist", "`pytest --nbmake -n 2`", ["-n", "2"]),
        ):
            scenario = self._scenario(key, label)
            if not self.course.notebooks:
                scenario.skipped = "the course has no notebooks"
                continue
            command = [
                sys.executable,
                "-m",
                "pytest",
                "--nbmake",
                "-q",
                "-p",
                "no:cacheprovider",
                *workers,
                "01_materials/labs",
            ]
            for _ in range(self.repeat):
                self._record(scenario, run_watched(command, self.course.root, self.env))

    # -- helpers ------------------------------------------------------------

    def _scenario(self, key: str, label: str) -> Scenario:
        self.scenarios[key] = Scenario(key, label)
        self.loads.append(os.getloadavg()[0])
        print(f"… {label}", file=sys.stderr, flush=True)
        return self.scenarios[key]

    @staticmethod
    def _record(scenario: Scenario, run: Watched) -> None:
        scenario.runs.append(run)
        scenario.seconds.append(run.seconds)
        print(
            f"    {run.seconds:7.2f} s  (CPU {run.cpu_seconds:.1f} s)  {_started(run)}",
            file=sys.stderr,
            flush=True,
        )

    def _deck(self, index: int) -> Path:
        return self.course.decks[index % len(self.course.decks)]

    def _next_edit(self) -> int:
        self._edits += 1
        return self._edits

    def _revision(self) -> str:
        return f"bench{self._next_edit()}{uuid.uuid4().hex[:8]}"

    def _clean(self) -> None:
        for folder in ("site", ".cache"):
            shutil.rmtree(self.course.root / folder, ignore_errors=True)

    def _build(self, *args: str) -> Watched:
        command = self._mkdocs("build", "--strict", *args)
        return run_watched(command, self.course.root, self.env)

    @staticmethod
    def _mkdocs(*args: str) -> list[str]:
        return [sys.executable, "-m", "mkdocs", *args]

    def _marp(self, deck: Path, fmt: str) -> Watched:
        """Export one deck to one format with its own Marp process."""
        output = self.course.root / ".cache/baseline" / f"{deck.stem}.{fmt}"
        command = [
            *self.course.marp,
            "--no-config-file",
            "--allow-local-files",
            *(["--pdf"] if fmt == "pdf" else []),
            "--output",
            str(output),
            # --theme-set takes every path after it: it comes last but the deck.
            "--theme-set",
            str(self.course.theme.parent),
            "--",
            str(deck),
        ]
        run = run_watched(command, self.course.root, self.env)
        if not output.is_file():
            # Marp exits with 0 after printing its usage for bad arguments.
            raise CommandFailed(command, self.course.root, f"Error: no {output}")
        return run


class ServerStopped(RuntimeError):
    """`mkdocs serve` exited while a scenario waited for it."""


def _sequence(runs: list[Watched]) -> Watched:
    """The steps of a sequential pipeline as one run."""
    return Watched(
        seconds=sum(run.seconds for run in runs),
        cpu_seconds=sum(run.cpu_seconds for run in runs),
        peak_rss=max(run.peak_rss for run in runs),
        peak_pss=max(run.peak_pss for run in runs),
        started={kind: sum(run.started[kind] for run in runs) for kind in KINDS},
        busy={kind: sum(run.busy[kind] for run in runs) for kind in KINDS},
        marp_inputs=set().union(*(run.marp_inputs for run in runs)),
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(
    url: str,
    text: str,
    timeout: float,
    server: subprocess.Popen,
    since: float | None = None,
) -> float | None:
    """Seconds from `since` until `url` serves a body holding `text`."""
    since = time.perf_counter() if since is None else since
    while time.perf_counter() - since < timeout:
        if server.poll() is not None:
            raise ServerStopped(f"mkdocs serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8", "replace"):
                    return time.perf_counter() - since
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(POLL_SECONDS)
    return None


def _stop(server: subprocess.Popen) -> None:
    """Stop the server and whatever it started (a Marp export, a browser)."""
    try:
        children = psutil.Process(server.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


def _started(run: Watched) -> str:
    parts = [f"{kind} {run.started[kind]}" for kind in KINDS]
    if run.marp_inputs and len(run.marp_inputs) <= 3:
        parts[0] += f" ({', '.join(sorted(run.marp_inputs))})"
    elif run.marp_inputs:
        parts[0] += f" ({len(run.marp_inputs)} decks)"
    return ", ".join(parts)


# -- targets and report -----------------------------------------------------


def targets(bench: Bench) -> dict[str, Target]:
    s = bench.scenarios
    baseline, cold = s["baseline"].median, s["cold"].median

    def ratio_target(
        key: str,
        limit: float,
        of: float | None,
        name: str,
        extra: Callable[[], bool] = lambda: True,
    ) -> Target:
        value = s[key].median
        text = f"≤ {limit} × {name}"
        if value is None or of is None:
            return Target(text, None)
        return Target(text, value <= limit * of and extra())

    def nothing_started() -> bool:
        return all(not any(run.started.values()) for run in s["noop"].runs)

    def only_edited_deck() -> bool:
        return all(
            run.marp_inputs == {bench._deck(i).name}
            for i, run in enumerate(s["edit_deck"].runs)
        )

    def seconds_target(key: str, limit: float) -> Target:
        value = s[key].median
        return Target(f"≤ {limit} s", None if value is None else value <= limit)

    goals = bench.goals
    noop = ratio_target("noop", goals.noop, cold, "cold", nothing_started)
    found = {
        "cold": ratio_target("cold", goals.cold, baseline, "baseline"),
        "noop": Target(f"no Marp, browser or kernel; {noop.text}", noop.met),
        "serve_page": seconds_target("serve_page", goals.serve_page),
        "serve_deck": seconds_target("serve_deck", goals.serve_deck),
    }
    if goals.edit_deck is None:
        found["edit_deck"] = Target(
            "only that deck re-exported",
            only_edited_deck() if s["edit_deck"].runs else None,
        )
    else:
        edit = ratio_target(
            "edit_deck", goals.edit_deck, cold, "cold", only_edited_deck
        )
        found["edit_deck"] = Target(
            f"only that deck re-exported; {edit.text}", edit.met
        )
    if goals.memory_gib is not None:
        peak = max((run.peak_rss for run in s["cold"].runs), default=0)
        limit = goals.memory_gib * GIB
        found["memory"] = Target(
            f"≤ {goals.memory_gib:g} GiB", peak <= limit if peak else None
        )
    return found


def markdown_table(bench: Bench) -> str:
    baseline = bench.scenarios["baseline"].median
    cold = bench.scenarios["cold"].median
    goals = targets(bench)
    rows = [
        (
            "Scenario",
            "Median",
            "CPU",
            "Runs",
            "× baseline",
            "× cold",
            "Started (Marp, browser, kernel)",
            "Target",
            "Met",
        )
    ]
    for scenario in bench.scenarios.values():
        median = scenario.median
        if scenario.skipped:
            shown = f"n/a: {scenario.skipped}"
        elif median is None:
            shown = "timed out"
        else:
            shown = f"{median:.2f} s"
        ratio = cold_ratio = "–"
        if median is not None and baseline and scenario.key in _BUILD_KEYS:
            ratio = f"{median / baseline:.2f}"
        if median is not None and cold and scenario.key in _BUILD_KEYS:
            cold_ratio = f"{median / cold:.2f}"
        cpu = "–"
        if scenario.runs:
            cpu = f"{statistics.median(run.cpu_seconds for run in scenario.runs):.1f} s"
        started = "; ".join(dict.fromkeys(_started(run) for run in scenario.runs))
        goal = goals.get(scenario.key, Target("", None))
        rows.append(
            (
                scenario.label,
                shown,
                cpu,
                str(len(scenario.seconds)),
                ratio,
                cold_ratio,
                started or "–",
                goal.text,
                _met(goal),
            )
        )
    cold_runs = bench.scenarios["cold"].runs
    cold_peak = max((run.peak_rss for run in cold_runs), default=0)
    base_runs = bench.scenarios["baseline"].runs
    base_peak = max((run.peak_rss for run in base_runs), default=0)
    memory = goals.get("memory", Target("", None))
    cold_pss = max((run.peak_pss for run in cold_runs), default=0)
    rows.append(
        (
            "Peak memory of the cold build (RSS of the tree)",
            f"{cold_peak / GIB:.2f} GiB",
            "–",
            str(len(cold_runs)),
            f"{cold_peak / base_peak:.2f}" if base_peak else "–",
            "–",
            f"PSS (shared pages counted once): {cold_pss / GIB:.2f} GiB",
            memory.text,
            _met(memory),
        )
    )
    lines = [_table_row(row) for row in rows]
    lines.insert(1, "|---|---:|---:|---:|---:|---:|---|---|---|")
    return "\n".join(lines)


def _table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


_BUILD_KEYS = {"baseline", "cold", "noop", "edit_deck", "edit_notebook", "edit_theme"}


def _met(target: Target) -> str:
    return {True: "yes", False: "**no**", None: "–"}[target.met]


def time_profile(bench: Bench) -> str:
    """Where the builds that start helpers spend their time, by helper."""
    rows = [
        "| Build | Median | Marp alive | Browser alive | Kernel alive |",
        "|---|---:|---:|---:|---:|",
    ]
    for key in ("baseline", "cold", "edit_deck", "edit_notebook", "edit_theme"):
        scenario = bench.scenarios.get(key)
        if not scenario or not scenario.runs:
            continue
        busy = [
            f"{statistics.median(run.busy[kind] for run in scenario.runs):.1f} s"
            for kind in KINDS
        ]
        rows.append(
            f"| {scenario.label} | {scenario.median:.1f} s | {' | '.join(busy)} |"
        )
    return "\n".join(rows)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = psutil.virtual_memory().total / GIB
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return (
        f"{head} (with uncommitted changes)"
        if git("status", "--porcelain", "--untracked-files=no")
        else head
    )


def report(results: list[tuple[CourseSet, Bench, str]]) -> str:
    loads = [load for _, bench, _ in results for load in bench.loads]
    repeat, cold_repeat = results[0][1].repeat, results[0][1].cold_repeat
    sections = "\n\n".join(
        f"""\
## Results: {course_set.title}

{description}

{markdown_table(bench)}

### Where the time goes

Seconds during which at least one process of each kind was running (they
overlap each other and the Python work of MkDocs).

{time_profile(bench)}"""
        for course_set, bench, description in results
    )
    return f"""\
# Build benchmark

The build is fast because it skips what did not change. This page is written
by `make bench` (`python -m bench.run`); numbers are medians over the runs
shown, measured in one run on two courses: the course of this repository as
it is, and a generated course large enough to show how the build scales.

- Date: {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
- Commit: `{commit()}`
- Machine: {machine()}
- Load: the 1-minute load average was {min(loads):.1f} to {max(loads):.1f} as
  the scenarios started; above the core count, other work slows the
  wall-clock times (the CPU column, the run's own user and system time, does
  not depend on it)
- Repetitions: {repeat} for the fast scenarios, {cold_repeat} for the cold
  build, the baseline and the theme edit

{sections}

## Method

- **Baseline**: one `marp` process per deck and format, one after the other,
  then `mkdocs build` with `mkdocs-baseline.yml` (mkdocs-jupyter executes
  and renders every notebook; coursekit only renders the lecture pages).
- **Builds** are `mkdocs build --strict` in the course folder, which is what
  `make build` runs; the cold build starts without `site/` and `.cache/`.
- **Started** counts the processes seen in the build's process tree, sampled
  every {int(1000 * SAMPLE_SECONDS)} ms: Marp CLI, the browser itself (not its helper
  processes), notebook kernels; Marp's deck arguments are shown in brackets.
- **Serve**: `mkdocs serve --livereload` on a free port; the time runs from
  writing the edited deck until the page (or the HTML deck) served over HTTP
  holds the new text.
- **Python bytecode** of the environment is compiled before the first run,
  as a course's first build leaves it (this runner clears
  `PYTHONDONTWRITEBYTECODE` for the builds it times).
- **Memory** is the largest sum of resident set sizes over the build's process
  tree; pages shared between processes (Chromium's) count more than once, so
  it is an upper bound. The sum of proportional set sizes, sampled every
  {PSS_EVERY}th time, counts each shared page once.
"""


def run(bench: Bench, course_set: CourseSet, serve: bool) -> None:
    scenarios = [bench.baseline, bench.cold, bench.noop, bench.edit_one_deck]
    if course_set.full:
        scenarios += [bench.edit_one_notebook, bench.edit_the_theme]
    scenarios.append(lambda: bench.serve(enabled=serve))
    if course_set.full:
        scenarios.append(bench.notebook_tests)
    for scenario in scenarios:
        try:
            scenario()
        except (CommandFailed, ServerStopped) as error:
            # The report says which scenario broke and how; the others still run.
            failed = list(bench.scenarios.values())[-1]
            summary = getattr(error, "summary", str(error))
            failed.skipped = f"failed: {summary}"
            print(error, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_size_arguments(parser)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each fast scenario"
    )
    parser.add_argument(
        "--cold-repeat",
        type=int,
        default=2,
        help="runs of the cold build, the baseline and the theme edit",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a tiny course, one run of each scenario, to check the harness",
    )
    parser.add_argument(
        "--no-serve",
        dest="serve",
        action="store_false",
        help="skip the `mkdocs serve` scenario",
    )
    parser.add_argument(
        "--only",
        choices=("real", "generated"),
        help="measure one course set (no report is written unless --output)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="Markdown report to write "
        "(default: docs/benchmarks.md; none if --smoke or --only)",
    )
    args = parser.parse_args(argv)
    size = SMOKE_SIZE if args.smoke else size_from(args)
    repeat, cold_repeat = (1, 1) if args.smoke else (args.repeat, args.cold_repeat)
    partial = args.smoke or args.only
    output = args.output or (None if partial else REPO_ROOT / "docs/benchmarks.md")
    course_sets = [
        CourseSet(
            "the course of this repository",
            REAL_GOALS,
            copy_real_course,
            full=False,
        ),
        CourseSet(
            f"a generated {size.decks}-deck course",
            GENERATED_GOALS,
            lambda root: generate_course(root, size),
            full=True,
        ),
    ]
    if args.only:
        course_sets = [course_sets[("real", "generated").index(args.only)]]
    results = []
    for number, course_set in enumerate(course_sets):
        with tempfile.TemporaryDirectory(prefix="coursekit-bench-") as folder:
            course = course_set.make(Path(folder) / "course")
            bench = Bench(course, course_set.goals, repeat, cold_repeat)
            if number == 0:
                bench.warm_up()
            print(f"## {course_set.title}", file=sys.stderr, flush=True)
            run(bench, course_set, args.serve)
            results.append((course_set, bench, describe(course, course_set, size)))
            print(markdown_table(bench))
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        previous = output.read_text(encoding="utf-8") if output.is_file() else ""
        output.write_text(report(results), encoding="utf-8")
        # `python -m bench.deck_size` writes that section, not this run.
        deck_size = section_of(previous)
        if deck_size:
            write_section(output, deck_size)
        print(f"written to {output}")
    return 0


def describe(course: GeneratedCourse, course_set: CourseSet, size: CourseSize) -> str:
    slides = sum(len(parse_deck(deck).slides) for deck in course.decks)
    if course_set.full:
        return (
            f"{size.decks} decks × {size.slides} slides ({size.images} SVG images per "
            f"deck), {size.notebooks} notebooks × {size.cells} cells."
        )
    return (
        f"{len(course.decks)} deck(s) with {slides} slides in all, "
        f"{len(course.notebooks)} lab notebook(s), as committed."
    )


if __name__ == "__main__":
    raise SystemExit(main())
