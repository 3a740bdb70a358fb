"""Slide exports off the critical path, for `mkdocs serve`.

While an instructor edits, the lecture page must update at once; the Marp
export of the edited deck follows a few seconds later. Requests that arrive
while an export runs are merged into one follow-up run with the newest decks,
so a burst of saves never queues a burst of Marp processes, and the formats
still to make of an older save are dropped for the newer one. Stopping the
server stops a running export with its Marp and browser processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from .errors import CourseError
from .export import ExportResult, ExportSettings, export_decks
from .model import Deck
from .processes import ProcessTrees, Stopped

Job = tuple[Sequence[Deck], Path, ExportSettings]


class BackgroundExports:
    def __init__(
        self,
        on_done: Callable[[ExportResult], None],
        on_error: Callable[[CourseError], None],
    ) -> None:
        self._on_done = on_done
        self._on_error = on_error
        self._lock = threading.Lock()
        self._next: Job | None = None
        self._worker: threading.Thread | None = None
        self._processes = ProcessTrees()

    def request(self, decks: Sequence[Deck], out_dir: Path, settings: ExportSettings):
        """Export `decks` soon; a newer request replaces a pending one."""
        with self._lock:
            self._next = (list(decks), out_dir, settings)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._run, name="coursekit-exports", daemon=True
                )
                self._worker.start()

    def wait(self, timeout: float | None = None) -> None:
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def stop(self) -> None:
        """Drop what is pending, stop the running export (Marp and its
        browser), and return once it has cleaned up; later requests are
        ignored."""
        with self._lock:
            self._next = None
        self._processes.stop()
        self.wait()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._next = self._next, None
                if job is None or self._processes.stopped:
                    self._worker = None
                    return
            decks, out_dir, settings = job
            # One format at a time, HTML first: the deck in the page is
            # refreshed without waiting for the browser to print the PDF.
            for fmt in settings.formats:
                if self._next is not None:
                    break  # saved again: print the newest decks, not these
                try:
                    self._on_done(
                        export_decks(
                            decks,
                            out_dir,
                            replace(settings, formats=(fmt,)),
                            processes=self._processes,
                        )
                    )
                except Stopped:
                    return
                except CourseError as error:
                    self._on_error(error)
                    break
