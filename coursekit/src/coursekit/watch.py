"""Poll files for changes: `course slides --watch` re-exports when one changes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[Path, tuple[int, int]]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under `folders`."""
    state: Snapshot = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                stat = path.stat()
            except OSError:
                continue  # removed while walking; the next poll sees it gone
            if path.is_file():
                state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def watch(
    folders: Callable[[], Iterable[Path]],
    on_change: Callable[[], object],
    stop: threading.Event,
    interval: float = 0.5,
) -> None:
    """Call `on_change` after any file under `folders()` changes, until `stop`."""
    last = snapshot(folders())
    while not stop.wait(interval):
        current = snapshot(folders())
        if current != last:
            last = current
            on_change()
