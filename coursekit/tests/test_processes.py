"""Process trees are stopped whole, on every platform's terms.

Real processes: a Python that starts a child that starts a grandchild, the
shape of Marp starting a browser that starts its helpers. Windows is faked
where the code branches on it (no process groups there: psutil alone).
"""

from __future__ import annotations

import _thread
import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest
from coursekit.processes import (
    CREATE_NEW_PROCESS_GROUP,
    ProcessTrees,
    Stopped,
    Terminated,
    kill_tree,
    own_group_options,
    run_side_by_side,
    sigterm_interrupts,
)

# A process whose child starts a grandchild; each prints its pid and sleeps.
TREE = """
import subprocess, sys, time
depth = int(sys.argv[1])
print(__import__("os").getpid(), flush=True)
if depth:
    subprocess.Popen([sys.executable, "-c", sys.argv[2], str(depth - 1), sys.argv[2]])
time.sleep(600)
"""


def start_tree(trees: ProcessTrees | None = None) -> tuple[psutil.Process, list]:
    """A root with a child and a grandchild; returns the root and all three."""
    args = [sys.executable, "-c", TREE, "2", TREE]
    if trees is None:
        popen = subprocess.Popen(args, **own_group_options())
    else:
        popen = trees.popen(args)
    root = psutil.Process(popen.pid)
    deadline = time.monotonic() + 30
    while len(root.children(recursive=True)) < 2:
        assert time.monotonic() < deadline, "the tree did not start"
        time.sleep(0.05)
    return root, [root, *root.children(recursive=True)]


def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    """Those of `processes` still running (a zombie has ended)."""
    running = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                running.append(process)
        except psutil.NoSuchProcess:
            pass
    return running


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("win32", {"creationflags": CREATE_NEW_PROCESS_GROUP}),
        ("linux", {"start_new_session": True}),
        ("darwin", {"start_new_session": True}),
    ],
)
def test_each_platform_starts_trees_in_a_group_of_their_own(
    monkeypatch, platform, expected
):
    monkeypatch.setattr(sys, "platform", platform)
    assert own_group_options() == expected


def test_the_windows_flag_is_windows_own_value():
    if sys.platform == "win32":
        assert subprocess.CREATE_NEW_PROCESS_GROUP == CREATE_NEW_PROCESS_GROUP
    else:
        assert not hasattr(subprocess, "CREATE_NEW_PROCESS_GROUP")


def test_kill_tree_ends_the_root_and_every_descendant():
    root, tree = start_tree()
    kill_tree(root)
    assert alive(tree) == []


@pytest.mark.skipif(sys.platform == "win32", reason="fakes Windows on POSIX")
def test_kill_tree_needs_no_process_group_where_there_is_none(monkeypatch):
    """Windows has no process groups: psutil's tree alone must do it."""
    root, tree = start_tree()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(os, "killpg")
    kill_tree(root)
    assert alive(tree) == []


@pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")
def test_the_group_reaches_a_descendant_that_left_the_tree():
    """A grandchild whose parent died is no one's descendant any more."""
    root, _ = start_tree()
    child = root.children()[0]
    orphan = child.children()[0]
    child.kill()
    deadline = time.monotonic() + 30
    while alive([child]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert orphan not in root.children(recursive=True)
    kill_tree(root)
    assert alive([root, orphan]) == []


def test_an_ended_root_is_left_alone():
    process = subprocess.Popen([sys.executable, "-c", "pass"], **own_group_options())
    root = psutil.Process(process.pid)
    process.wait()
    kill_tree(root)  # its pid may be another process's by now: no error, no kill


def test_stop_kills_every_tree_and_whatever_is_tracked_later():
    trees = ProcessTrees()
    first, first_tree = start_tree(trees)
    second, second_tree = start_tree(trees)
    trees.stop()
    assert alive(first_tree + second_tree) == []
    late = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    trees.track(late.pid)
    # Killed, and not reaped behind Popen's back: it reads the real status.
    assert late.wait(timeout=10) != 0
    with pytest.raises(Stopped):
        trees.popen([sys.executable, "-c", "pass"])


def test_kill_ends_one_tree_and_leaves_the_others():
    trees = ProcessTrees()
    slow, slow_tree = start_tree(trees)
    other, other_tree = start_tree(trees)
    trees.kill(slow.pid)
    assert alive(slow_tree) == []
    assert alive(other_tree) == other_tree
    trees.stop()


def test_an_interrupt_stops_the_trees_before_the_threads_are_joined():
    trees = ProcessTrees()
    started: list[list[psutil.Process]] = []

    def run_a_tree() -> None:
        root, tree = start_tree(trees)
        started.append(tree)
        root.wait()  # as Marp's thread waits for Marp

    def interrupt_when_started() -> None:
        while len(started) < 2:
            time.sleep(0.05)
        _thread.interrupt_main()

    threading.Thread(target=interrupt_when_started, daemon=True).start()
    begun = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_side_by_side([run_a_tree, run_a_tree, run_a_tree], trees, workers=2)
    assert time.monotonic() - begun < 60, "the threads waited for their trees"
    assert len(started) == 2, "the call not started yet was dropped"
    assert alive([process for tree in started for process in tree]) == []


def test_a_stop_from_another_thread_ends_the_waiting_with_stopped():
    trees = ProcessTrees()

    def run_a_tree() -> None:
        start_tree(trees)[0].wait()

    threading.Timer(1, trees.stop).start()
    with pytest.raises(Stopped):
        run_side_by_side([run_a_tree], trees, workers=1)


def test_results_come_back_in_order_with_each_failure_kept():
    def fail() -> int:
        raise ValueError("second")

    futures = run_side_by_side([lambda: 1, fail, lambda: 3], ProcessTrees(), 2)
    assert futures[0].result() == 1 and futures[2].result() == 3
    with pytest.raises(ValueError, match="second"):
        futures[1].result()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be handled")
def test_sigterm_interrupts_inside_and_is_left_as_it_was_after():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as raised, sigterm_interrupts():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)
    assert raised.value.signum == signal.SIGTERM
    assert isinstance(raised.value, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigterm_handled_by_someone_else_is_not_taken_over():
    def theirs(signum, frame) -> None:
        pass

    previous = signal.signal(signal.SIGTERM, theirs)
    try:
        with sigterm_interrupts():
            assert signal.getsignal(signal.SIGTERM) is theirs
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_sigterm_outside_the_main_thread_is_left_alone():
    seen = []

    def in_a_thread() -> None:
        with sigterm_interrupts():
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert seen == [signal.getsignal(signal.SIGTERM)]
