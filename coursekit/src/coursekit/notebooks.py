"""Execute lab notebooks for the site, with a content-addressed cache.

Notebooks are committed without outputs and the site shows them executed. A
notebook runs again only when something its outputs depend on has changed: its
own content, the kernel, the Python version, or one of the extra input files
(the course code it imports). Otherwise the executed copy in the cache is used
as it is and no kernel starts; a copy that was damaged on disk is not
(`coursekit.diskcache`): the notebook runs again.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
import zmq
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat.validator import get_validator

from .config import LAB_CELL_TIMEOUT
from .diskcache import DiskCache, OnDamage, content_key
from .errors import CourseError, Problem
from .processes import ProcessTrees, run_side_by_side

CACHE_VERSION = "2"
"""Part of every key: change it when the way notebooks are executed changes."""
DEFAULT_KERNEL = "python3"
PYTHON_VERSION = sys.version
"""The kernel is the python3 kernelspec of ipykernel, which starts this same
interpreter (jupyter_client runs it with sys.executable)."""
_NOTEBOOK_VERSIONS = (3, 4)
"""The nbformat versions the build reads (and converts to 4)."""
_JSON_KINDS = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}
_CELL_START = re.compile(r'^\s*"cell_type":')


def cell_lines(text: str) -> list[int]:
    """The 1-based line where each cell starts in a notebook file's JSON."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if _CELL_START.match(line)
    ]


class NotebookExecutionError(CourseError):
    """A notebook could not be executed: which notebook, which cell and why."""

    def __init__(
        self,
        notebook: Path,
        error: str,
        cell: int | None = None,
        cell_start: str = "",
        line: int = 1,
        *,
        rule: str = "notebook-execution",
        fix: str = "run the notebook in Jupyter to see the whole traceback, fix "
        "the cell and build again",
        also: Sequence[Problem] = (),
    ) -> None:
        self.notebook = notebook
        self.error = error
        """What went wrong, e.g. `ZeroDivisionError: division by zero`."""
        self.cell = cell
        """1-based position of the failing cell among all cells, if one failed."""
        self.cell_start = cell_start
        """The first line of the failing cell's source, to find it by."""
        label = f"cell {cell} (`{cell_start}`)" if cell_start else f"cell {cell}"
        where = "" if cell is None else f"{label}: "
        problem = Problem(notebook, line, 1, rule, f"{where}{error}", fix)
        super().__init__(problem, *also)


def read_notebook(path: Path) -> tuple[str, nbformat.NotebookNode]:
    """The text of the notebook file at `path` and the notebook it holds.

    What `course check` and the build both read, so they judge a file alike: a
    file that is not a notebook (not UTF-8, not JSON, JSON of another shape)
    raises NotebookExecutionError with the rule `notebook-format`, at the line
    where it goes wrong when there is one.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise _not_a_notebook(path, "it is not UTF-8 text", line) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _not_a_notebook(
            path, f"invalid JSON ({error.msg})", error.lineno
        ) from None
    try:
        problem = _shape_problem(data)
        if problem is None:
            return text, nbformat.reads(text, as_version=4)
    # nbformat assumes the shape its schema describes; what it still trips
    # on (an odd `nbformat_minor`) is a problem of the file, not a crash.
    except Exception as error:
        problem = f"nbformat cannot read it ({type(error).__name__}: {error})"
    raise _not_a_notebook(path, problem, 1)


def _shape_problem(data: object) -> str | None:
    """Why JSON `data` is not a notebook of a version Jupyter reads, if not."""
    if not isinstance(data, dict):
        kind = _JSON_KINDS.get(type(data), type(data).__name__)
        return f"the file holds a JSON {kind}, not a notebook object"
    version = data.get("nbformat")
    if version is None:
        return "it names no `nbformat` version, as every notebook does"
    if type(version) is not int or version not in _NOTEBOOK_VERSIONS:
        return f"`nbformat` is {json.dumps(version)}; Jupyter writes 4"
    validator = get_validator(version=version, version_minor=data.get("nbformat_minor"))
    error = next(iter(validator.iter_errors(data)), None) if validator else None
    return None if error is None else f"it breaks the notebook format ({error.message})"


def _not_a_notebook(path: Path, problem: str, line: int) -> NotebookExecutionError:
    return NotebookExecutionError(
        path,
        f"not a notebook: {problem}",
        line=line,
        rule="notebook-format",
        fix="restore the file from git or save it again from Jupyter",
    )


def execute_notebook(
    path: Path,
    cache_dir: Path,
    *,
    extra_inputs: Sequence[Path] = (),
    timeout: int = LAB_CELL_TIMEOUT,
    processes: ProcessTrees | None = None,
    on_notice: OnDamage | None = None,
) -> Path:
    """Execute the notebook at `path` and return the executed copy in `cache_dir`.

    The kernel runs in the notebook's folder; `timeout` is in seconds per cell.
    An unchanged notebook with unchanged `extra_inputs` is not run again.
    The kernel's process tree is kept in `processes`, to be stopped with it.
    `on_notice` hears of a damaged cache entry that is made again.
    Raises NotebookExecutionError if the notebook cannot be read or a cell
    fails.
    """
    path = Path(path)
    text, notebook = read_notebook(path)
    kernel = notebook.metadata.get("kernelspec", {}).get("name", DEFAULT_KERNEL)
    key = _cache_key(path, text, kernel, extra_inputs)
    cache = DiskCache(Path(cache_dir), on_notice)
    executed = cache.get(key, ".ipynb")
    if executed is not None:
        return executed
    _run(notebook, path, kernel, timeout, processes or ProcessTrees())
    return cache.put(key, ".ipynb", nbformat.writes(notebook))


def execute_notebooks(
    paths: Sequence[Path],
    cache_dir: Path,
    *,
    extra_inputs: Sequence[Path] = (),
    timeout: int = LAB_CELL_TIMEOUT,
    jobs: int | None = None,
    on_notice: OnDamage | None = None,
) -> list[Path]:
    """execute_notebook() for each of `paths`, `jobs` at a time (default: one
    per CPU), returning the executed copies in the order of `paths`.

    Each kernel is its own process, so threads that wait on them keep every core
    busy. All notebooks are run before the first failure in the order of
    `paths` is raised, so the cache holds every one that did succeed. An
    interrupt (Ctrl-C, SIGTERM) stops every kernel with what it started.
    """
    processes = ProcessTrees()
    runs = run_side_by_side(
        [
            functools.partial(
                execute_notebook,
                path,
                cache_dir,
                extra_inputs=extra_inputs,
                timeout=timeout,
                processes=processes,
                on_notice=on_notice,
            )
            for path in paths
        ],
        processes,
        workers=jobs or os.cpu_count() or 1,
    )
    return [run.result() for run in runs]


def _cache_key(
    path: Path, source: str, kernel: str, extra_inputs: Sequence[Path]
) -> str:
    parts = [CACHE_VERSION, kernel, PYTHON_VERSION, source]
    # Named relative to the notebook, the key does not depend on where the
    # repository is checked out.
    for extra in sorted(Path(p) for p in extra_inputs):
        name = os.path.relpath(extra.resolve(), path.parent.resolve())
        parts += [name, extra.read_bytes()]
    return content_key(*parts)


def _first_line(notebook: nbformat.NotebookNode, index: int) -> str:
    """The first line of cell `index`'s source, to find the cell by."""
    first_line = notebook.cells[index].source.strip().split("\n", 1)[0]
    return first_line if len(first_line) <= 60 else first_line[:57] + "..."


def cell_line(starts: Sequence[int], index: int) -> int:
    """The line of the notebook file where cell `index` (0-based) starts,
    given the `cell_lines` of its text."""
    return starts[index] if index < len(starts) else 1


class _TrackedClient(NotebookClient):
    """A NotebookClient whose kernel is kept in `processes` while it runs."""

    def __init__(self, *args, processes: ProcessTrees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._processes = processes
        self.kernel_pid: int | None = None

    async def async_start_new_kernel(self, **kwargs) -> None:
        # The kernel listens on TCP; with CurveZMQ keys (jupyter_client 8.10
        # provisions them where the kernelspec supports them) its traffic is
        # encrypted, and ipykernel stops warning about it in every build.
        if zmq.has("curve") and self.km and self.km.has_trait("transport_encryption"):
            kwargs.setdefault("transport_encryption", "auto")
        await super().async_start_new_kernel(**kwargs)
        # Only a local kernel has a process of ours to stop.
        pid = getattr(self.km.provisioner, "pid", None) if self.km else None
        if isinstance(pid, int):
            self.kernel_pid = pid
            self._processes.track(pid)


def _run(
    notebook: nbformat.NotebookNode,
    path: Path,
    kernel: str,
    timeout: int,
    processes: ProcessTrees,
) -> None:
    """Execute `notebook` in place, its outputs stored in its cells."""
    client = _TrackedClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel,
        record_timing=False,
        # Every output has arrived once the last cell is done; a graceful
        # shutdown would only add seconds of waiting to each run.
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        processes=processes,
    )
    running: list[int] = []
    client.on_cell_execute = lambda cell, cell_index: running.append(cell_index)

    def failure(error: str, **fix: str) -> NotebookExecutionError:
        if not running:
            return NotebookExecutionError(path, error, **fix)
        index = running[-1]
        text = path.read_text(encoding="utf-8")
        return NotebookExecutionError(
            path,
            error,
            index + 1,
            _first_line(notebook, index),
            cell_line(cell_lines(text), index),
            **fix,
        )

    try:
        client.execute()
    except CellExecutionError as error:
        raise failure(f"{error.ename}: {error.evalue}") from None
    except CellTimeoutError:
        raise failure(
            f"still running after the {timeout} s limit per cell",
            fix="make the cell faster, or give every cell more time with the "
            "option `lab_cell_timeout` (seconds) of the coursekit plugin in "
            "mkdocs.yml",
        ) from None
    except DeadKernelError as error:
        raise failure(f"the kernel died: {error}") from None
    except NoSuchKernel:
        raise failure(
            f"no Jupyter kernel named {kernel!r}; the notebook's kernelspec must "
            f"name one of `jupyter kernelspec list` (the course uses "
            f"{DEFAULT_KERNEL!r})"
        ) from None
    finally:
        if client.kernel_pid is not None:
            processes.forget(client.kernel_pid)
