"""Marp CLI kept loaded between exports, for a `mkdocs serve` session.

Each export of a saved deck would start Node and load Marp CLI again: about
a second and a half of CPU before the first slide is converted. The worker
(`marp-worker.js`) is one Node process that loads Marp CLI once and runs each
conversion through Marp CLI's own entry point with the arguments the `marp`
command would get, so its exports are the command's. A job that outlives its
time limit stops the worker; the next job starts a new one.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..processes import ProcessTrees, Stopped

WORKER_SCRIPT = Path(__file__).with_name("marp-worker.js")


class WorkerTimeout(Exception):
    """The job did not finish in time; the worker was stopped."""


class WorkerExited(Exception):
    """The worker ended during the job, not stopped by us."""


class MarpWorker:
    """One Node process running Marp CLI conversions one after another."""

    def __init__(self, node: str, project_root: Path) -> None:
        self._command = (node, str(WORKER_SCRIPT), str(project_root))
        # Its own trees: the worker outlives every single export.
        self._processes = ProcessTrees()
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()

    def run(
        self,
        arguments: Sequence[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        timeout: float,
        processes: ProcessTrees,
    ) -> tuple[int, str]:
        """Marp CLI's exit code and what it printed, as the command would.

        While the job runs the worker is one of `processes`, so stopping
        them (Ctrl-C, the server stopping) stops it too, and its browser.
        """
        with self._lock:
            process = self._started(env)
            processes.track(process.pid)
            job = {"arguments": list(arguments), "cwd": str(cwd), "env": dict(env)}
            try:
                assert process.stdin is not None
                process.stdin.write(json.dumps(job) + "\n")
                process.stdin.flush()
                reply = self._replies.get(timeout=timeout)
            except queue.Empty:
                self._stop()
                raise WorkerTimeout from None
            except OSError:
                reply = None  # the worker had exited: its pipe is closed
            finally:
                processes.forget(process.pid)
            if reply is None:
                self._stop()
                if processes.stopped:
                    raise Stopped("the Marp worker was stopped")
                raise WorkerExited
            answer = json.loads(reply)
            return int(answer["code"]), str(answer["output"])

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _started(self, env: Mapping[str, str]) -> subprocess.Popen:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._replies = queue.Queue()
        process = self._processes.popen(
            self._command,
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            encoding="utf-8",
            errors="replace",
        )
        threading.Thread(
            target=_read_replies,
            args=(process, self._replies),
            name="coursekit-marp-worker",
            daemon=True,
        ).start()
        self._process = process
        return process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            self._processes.kill(process.pid)
        self._processes.forget(process.pid)
        process.wait()


def _read_replies(process: subprocess.Popen, replies: queue.Queue) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        replies.put(line)
    replies.put(None)
