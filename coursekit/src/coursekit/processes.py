"""Child processes stopped together with everything they started.

Marp CLI starts a browser, the browser starts helpers, and a notebook cell
may start programs of its own. Ending only the process the build started
leaves the others running: they are its descendants, not it. psutil lists a
process's descendants on Linux, macOS and Windows alike, so `kill_tree`
ends a whole tree the same way everywhere. On POSIX each tree also runs in a
session of its own, and the session's process group is signalled as well:
that reaches a process that was started between the listing and the kill.

`ProcessTrees` holds the trees one piece of work started (the Marp runs of
an export, the kernels of a lab execution). `run_side_by_side` runs calls in
threads; when the waiting thread is interrupted (Ctrl-C, or SIGTERM through
`sigterm_interrupts`), it stops the trees first, so the threads, which wait
on those processes, end at once and the caller's cleanup (scratch folders)
runs after the processes are gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

import psutil

T = TypeVar("T")

KILL_WAIT = 1.0
"""Seconds to wait for killed processes to be gone (the kill itself cannot
be refused; this covers the OS reaping them)."""
WAIT_STEP = 0.2
"""How long the waiting thread blocks at a time. Windows delivers Ctrl-C to
a blocked lock only when the lock returns, so it must return often."""
CREATE_NEW_PROCESS_GROUP = 0x00000200
"""subprocess.CREATE_NEW_PROCESS_GROUP, which only Windows' subprocess has."""


class Stopped(Exception):
    """The work was stopped from outside (an interrupt, a server shutting
    down) before it finished; whatever it produced is incomplete."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (or Ctrl-Break on Windows) received: handled as Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


def own_group_options() -> dict[str, object]:
    """Popen options that start a process in a process group of its own.

    The terminal's Ctrl-C then reaches only the build, which stops the tree
    itself (all of it, in order, and only once), rather than every process
    at once, each printing its own complaint.
    """
    if sys.platform == "win32":
        return {"creationflags": CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_tree(root: psutil.Process) -> None:
    """Kill `root` and all its descendants, and wait until they are gone.

    A root that has ended is left alone: its number may belong to another
    process by now (psutil tells them apart by their start time).
    """
    if not root.is_running():
        return
    group = _own_group(root)
    try:
        tree = {root, *root.children(recursive=True), *_members(group)}
    except psutil.NoSuchProcess:
        tree = {root}
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    if group is not None:  # and whatever joined the group since the listing
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
    _wait_gone(list(tree), KILL_WAIT)


def _members(group: int | None) -> list[psutil.Process]:
    """The processes in process group `group`, orphans of the tree included."""
    if group is None:
        return []
    members = []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error, OSError):
            if os.getpgid(process.pid) == group:
                members.append(process)
    return members


def _wait_gone(processes: list[psutil.Process], timeout: float) -> None:
    """Wait until `processes` have ended, without reaping them: the Popen
    that started one still reads its real exit status (psutil.wait_procs
    would take it, leaving Popen an exit code of 0)."""
    deadline = time.monotonic() + timeout
    while any(map(_running, processes)) and time.monotonic() < deadline:
        time.sleep(0.02)


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _own_group(root: psutil.Process) -> int | None:
    """The process group `root` leads (POSIX, started by own_group_options)."""
    if sys.platform == "win32":
        return None
    try:
        group = os.getpgid(root.pid)
    except (ProcessLookupError, PermissionError):
        return None
    # A group that `root` leads; never the build's own group.
    return group if group == root.pid and group != os.getpgrp() else None


class ProcessTrees:
    """The process trees of one piece of work, to stop all at once.

    After `stop()`, a process that is started or tracked is killed at once,
    so a thread that was about to start one cannot outlive the stop.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._roots: dict[int, psutil.Process] = {}
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def popen(self, args: Sequence[str], **options: object) -> subprocess.Popen:
        """Start `args` in a group of its own (see own_group_options) and track it."""
        with self._lock:
            if self._stopped:
                raise Stopped("stopped before it started")
            process = subprocess.Popen(args, **own_group_options(), **options)
            self._track(process.pid)
        return process

    def track(self, pid: int) -> None:
        """Stop the tree of `pid` (started by a library) with the others."""
        with self._lock:
            if not self._stopped:
                self._track(pid)
                return
        with contextlib.suppress(psutil.NoSuchProcess):
            kill_tree(psutil.Process(pid))

    def kill(self, pid: int) -> None:
        """Kill the tree of `pid` alone (a run that took too long)."""
        with self._lock:
            root = self._roots.pop(pid, None)
        if root is not None:
            kill_tree(root)

    def forget(self, pid: int) -> None:
        """`pid` has ended: stop will not look for it."""
        with self._lock:
            self._roots.pop(pid, None)

    def stop(self) -> None:
        """Kill every tree, now and whenever one is started from now on."""
        with self._lock:
            self._stopped = True
            roots, self._roots = list(self._roots.values()), {}
        for root in roots:
            kill_tree(root)

    def _track(self, pid: int) -> None:
        with contextlib.suppress(psutil.NoSuchProcess):
            self._roots[pid] = psutil.Process(pid)


def run_side_by_side(
    calls: Sequence[Callable[[], T]], trees: ProcessTrees, workers: int
) -> list[Future[T]]:
    """Run `calls` in up to `workers` threads; their futures once all are done.

    If the waiting thread is interrupted, or another thread stops `trees`
    (Stopped is raised then), the trees are stopped, the calls not started
    yet are dropped, and the threads are waited for (they end as soon as
    their processes do) before the interruption is raised.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        futures = [pool.submit(call) for call in calls]
        pending: set[Future[T]] = set(futures)
        while pending and not trees.stopped:
            _, pending = wait(pending, timeout=WAIT_STEP)
        if trees.stopped:
            raise Stopped("stopped while running")
    except BaseException:
        trees.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return futures


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While inside, SIGTERM interrupts the main thread as Ctrl-C does.

    Python's default for SIGTERM is to end at once, without `finally`
    blocks: Marp, its browser and kernels would be left running and
    scratch folders behind. Here it raises `Terminated` (a
    KeyboardInterrupt) instead, so the cleanup runs. Ctrl-Break, Windows'
    other console stop, is handled alike. Does nothing outside the main
    thread or where another handler than the default is installed (an
    application embedding coursekit decides for itself).
    """
    installed: list[tuple[int, object]] = []

    def interrupt(signum: int, frame: object) -> None:
        raise Terminated(signum)

    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGBREAK"):
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
                installed.append((signum, signal.signal(signum, interrupt)))
    try:
        yield
    finally:
        for signum, previous in installed:
            signal.signal(signum, previous)
