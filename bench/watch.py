"""Run a command and watch its whole process tree: time, memory, what it starts.

psutil samples the tree every few tens of milliseconds. Memory is the sum of
the resident sets of every process alive at a sample, which counts pages that
Chromium's processes share more than once (an upper bound), and the sum of
their proportional set sizes, which counts each shared page once.
"""

from __future__ import annotations

import os
import resource
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.04
PSS_EVERY = 5
"""Proportional set sizes cost a read of smaps per process: every 5th sample."""
KINDS = ("marp", "browser", "kernel")
"""The heavy helpers a build may start; a no-op rebuild should start none."""


@dataclass
class Watched:
    seconds: float
    cpu_seconds: float
    """User and system time of the tree: what the run costs on an idle machine."""
    peak_rss: int
    peak_pss: int
    """Largest sum of proportional set sizes: shared pages split between users."""
    started: dict[str, int]
    """How many processes of each kind in KINDS were seen."""
    busy: dict[str, float]
    """Seconds during which at least one process of each kind was alive."""
    marp_inputs: set[str] = field(default_factory=set)
    """Names of the Markdown files Marp processes were given."""


class CommandFailed(RuntimeError):
    def __init__(self, command: Sequence[str], cwd: Path, log: str) -> None:
        super().__init__(
            f"`{' '.join(command)}` failed in {cwd}; its last output:\n{log[-3000:]}"
        )
        lines = [line.strip() for line in log.splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith(("ERROR", "Error"))]
        self.summary = (errors or lines or ["no output"])[0]
        """The first error the command printed, for a one-line report."""


def run_watched(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> Watched:
    """Run `command` to the end; raise CommandFailed if it fails."""
    log_path = cwd / ".bench-command.log"
    with log_path.open("w+", encoding="utf-8") as log:
        cpu_before = _children_cpu()
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        tree = _TreeSampler(process.pid, start)
        while process.poll() is None:
            tree.sample()
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        cpu_seconds = _children_cpu() - cpu_before
        tree.finish(seconds)
        log.seek(0)
        output = log.read()
    log_path.unlink()
    if process.returncode != 0:
        raise CommandFailed(command, cwd, output)
    return Watched(
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        peak_rss=tree.peak_rss,
        peak_pss=tree.peak_pss,
        started=tree.started,
        busy=tree.busy,
        marp_inputs=tree.marp_inputs,
    )


def _children_cpu() -> float:
    """CPU seconds of every descendant reaped so far (their parents waited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _TreeSampler:
    def __init__(self, pid: int, start: float) -> None:
        self.root = psutil.Process(pid)
        self.start = start
        self.peak_rss = 0
        self.peak_pss = 0
        self._samples = 0
        self.busy = dict.fromkeys(KINDS, 0.0)
        self.marp_inputs: set[str] = set()
        self._kinds: dict[int, str | None] = {}
        """Each process's kind as last seen: a child is a copy of its parent
        between fork and exec, so a first look can be wrong."""
        self._busy_since: dict[str, float] = {}

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        now = time.perf_counter() - self.start
        with_pss = self._samples % PSS_EVERY == 0
        self._samples += 1
        rss = pss = 0
        alive = set()
        for process in processes:
            try:
                rss += process.memory_info().rss
                if with_pss:
                    pss += process.memory_full_info().pss
                kind = self._kinds[process.pid] = self._classify(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if kind:
                alive.add(kind)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        for kind in KINDS:
            if kind in alive:
                self._busy_since.setdefault(kind, now)
            elif kind in self._busy_since:
                self.busy[kind] += now - self._busy_since.pop(kind)

    def finish(self, now: float) -> None:
        for kind, since in self._busy_since.items():
            self.busy[kind] += now - since
        self._busy_since.clear()

    @property
    def started(self) -> dict[str, int]:
        kinds = list(self._kinds.values())
        return {kind: kinds.count(kind) for kind in KINDS}

    def _classify(self, process: psutil.Process) -> str | None:
        name = process.name().lower()
        command = process.cmdline()
        # Chromium first: its profile folder is often named after Marp.
        if ("chrom" in name or "firefox" in name) and "crashpad" not in name:
            # Only the browser itself, not its renderer and GPU helpers.
            return None if any(a.startswith("--type=") for a in command) else "browser"
        if any("ipykernel" in arg for arg in command):
            return "kernel"
        if any(os.path.basename(arg) in {"marp", "marp-cli.js"} for arg in command[:3]):
            self.marp_inputs.update(_marp_inputs(process, command))
            return "marp"
        return None


def _marp_inputs(process: psutil.Process, command: list[str]) -> set[str]:
    """The decks a Marp process converts: named, or in its `--input-dir`."""
    names = {os.path.basename(arg) for arg in command if arg.endswith(".md")}
    for index, arg in enumerate(command):
        folder = None
        if arg in {"-I", "--input-dir"} and index + 1 < len(command):
            folder = command[index + 1]
        elif arg.startswith("--input-dir="):
            folder = arg.partition("=")[2]
        if folder:
            names.update(
                path.name for path in Path(process.cwd(), folder).rglob("*.md")
            )
    return names
