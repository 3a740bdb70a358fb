"""coursekit.notebooks: real kernels, a cache that starts none on a hit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest
from coursekit.fsutil import source_files
from coursekit.notebooks import (
    NotebookExecutionError,
    execute_notebook,
    execute_notebooks,
)
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from coursekit import notebooks

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write_notebook(path: Path, *sources: str, kernel: dict = KERNELSPEC) -> Path:
    """A notebook whose strings become cells: markdown if they start with '#'."""
    cells = [
        new_markdown_cell(source) if source.startswith("#") else new_code_cell(source)
        for source in sources
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": kernel}), path)
    return path


def counting_notebook(folder: Path, *more: str) -> Path:
    """Each real execution appends a line to runs.txt beside the notebook, a
    relative path that only resolves there if the kernel runs in that folder."""
    return write_notebook(
        folder / "lab.ipynb",
        "with open('runs.txt', 'a') as runs:\n    runs.write('ran\\n')",
        *more,
    )


def runs(folder: Path) -> int:
    record = folder / "runs.txt"
    return len(record.read_text().splitlines()) if record.exists() else 0


def printed(executed: Path) -> str:
    notebook = nbformat.read(executed, as_version=4)
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def test_executes_in_the_notebooks_folder_and_returns_the_cached_copy(tmp_path):
    notebook = counting_notebook(
        tmp_path / "labs", "# Title", "import os\nprint(os.getcwd())"
    )
    executed = execute_notebook(notebook, tmp_path / "cache")
    assert sorted(executed.parent.iterdir()) == [
        executed,
        executed.with_name(executed.name + ".sha256"),
    ]
    assert executed.suffix == ".ipynb"
    nbformat.validate(nbformat.read(executed, as_version=4))
    assert printed(executed) == f"{(tmp_path / 'labs').resolve()}\n"
    assert runs(tmp_path / "labs") == 1
    assert not nbformat.read(notebook, as_version=4).cells[2].outputs


def test_a_cache_hit_starts_no_kernel(tmp_path):
    notebook = counting_notebook(tmp_path / "labs")
    first = execute_notebook(notebook, tmp_path / "cache")
    second = execute_notebook(notebook, tmp_path / "cache")
    assert second == first
    assert runs(tmp_path / "labs") == 1


def test_editing_the_notebook_runs_it_again(tmp_path):
    notebook = counting_notebook(tmp_path / "labs", "print('one')")
    first = execute_notebook(notebook, tmp_path / "cache")
    counting_notebook(tmp_path / "labs", "print('two')")
    second = execute_notebook(notebook, tmp_path / "cache")
    assert second != first
    assert printed(second) == "two\n"
    assert runs(tmp_path / "labs") == 2


def test_a_changed_extra_input_runs_it_again_and_an_unchanged_one_does_not(
    tmp_path,
):
    notebook = counting_notebook(
        tmp_path / "labs", "print(open('../src/helper.py').read())"
    )
    helper = tmp_path / "src" / "helper.py"
    helper.parent.mkdir()
    helper.write_text("VERSION = 1\n")
    execute_notebook(notebook, tmp_path / "cache", extra_inputs=[helper])
    execute_notebook(notebook, tmp_path / "cache", extra_inputs=[helper])
    assert runs(tmp_path / "labs") == 1
    helper.write_text("VERSION = 2\n")
    executed = execute_notebook(notebook, tmp_path / "cache", extra_inputs=[helper])
    assert runs(tmp_path / "labs") == 2
    assert printed(executed) == "VERSION = 2\n\n"


def test_another_python_version_runs_it_again(tmp_path, monkeypatch):
    notebook = counting_notebook(tmp_path / "labs")
    execute_notebook(notebook, tmp_path / "cache")
    monkeypatch.setattr(notebooks, "PYTHON_VERSION", "3.99.0 (another build)")
    execute_notebook(notebook, tmp_path / "cache")
    assert runs(tmp_path / "labs") == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: text.replace("ran", "RAN"), id="edited"),
        pytest.param(lambda text: "not json at all", id="not-json"),
    ],
)
def test_a_damaged_cache_entry_is_rebuilt_and_said_once(tmp_path, damage):
    notebook = counting_notebook(tmp_path / "labs", "print('hello')")
    executed = execute_notebook(notebook, tmp_path / "cache")
    good = executed.read_text(encoding="utf-8")
    executed.write_text(damage(good), encoding="utf-8")
    said = []
    again = execute_notebook(notebook, tmp_path / "cache", on_notice=said.append)
    assert again == executed
    assert runs(tmp_path / "labs") == 2
    assert printed(again) == "hello\n"
    nbformat.validate(nbformat.read(again, as_version=4))
    (notice,) = said
    assert (notice.path, notice.rule) == (executed, "cache-damaged")
    assert "was damaged; rebuilt" in notice.format()
    execute_notebook(notebook, tmp_path / "cache", on_notice=said.append)
    assert len(said) == 1 and runs(tmp_path / "labs") == 2


def test_a_failing_cell_is_named_at_its_line_in_the_file(tmp_path):
    notebook = write_notebook(
        tmp_path / "broken.ipynb",
        "# Setup",
        "x = 1",
        "ratio = x / 0  # the mistake\nprint(ratio)",
        "print('never reached')",
    )
    with pytest.raises(NotebookExecutionError) as caught:
        execute_notebook(notebook, tmp_path / "cache")
    error = caught.value
    assert (error.notebook, error.cell) == (notebook, 3)
    cell_line = notebook.read_text().splitlines()[error.line - 1]
    assert '"cell_type": "code"' in cell_line and error.rule == "notebook-execution"
    assert str(error).startswith(
        f"{notebook}:{error.line}:1: notebook-execution "
        "cell 3 (`ratio = x / 0  # the mistake`): "
        "ZeroDivisionError: division by zero\n    fix: "
    )
    assert "Traceback" not in str(error)
    assert error.__suppress_context__


def test_a_failure_is_not_cached(tmp_path):
    notebook = counting_notebook(tmp_path / "labs", "raise ValueError('bad data')")
    for _ in range(2):
        with pytest.raises(NotebookExecutionError, match="ValueError: bad data"):
            execute_notebook(notebook, tmp_path / "cache")
    assert runs(tmp_path / "labs") == 2
    assert list((tmp_path / "cache").glob("*")) == []


def test_a_cell_over_the_time_limit_is_named(tmp_path):
    notebook = write_notebook(tmp_path / "slow.ipynb", "import time", "time.sleep(60)")
    with pytest.raises(NotebookExecutionError) as caught:
        execute_notebook(notebook, tmp_path / "cache", timeout=2)
    assert caught.value.cell == 2
    assert caught.value.error == "still running after the 2 s limit per cell"


def test_an_unknown_kernel_is_a_clear_error(tmp_path):
    notebook = write_notebook(
        tmp_path / "other.ipynb",
        "print(1)",
        kernel={"name": "no-such-kernel", "display_name": "Nope"},
    )
    with pytest.raises(
        NotebookExecutionError, match="no Jupyter kernel named 'no-such-kernel'"
    ):
        execute_notebook(notebook, tmp_path / "cache")


def test_a_file_that_is_not_a_notebook_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookExecutionError) as caught:
        execute_notebook(broken, tmp_path / "cache")
    assert str(caught.value).startswith(f"{broken}:1:1: notebook-format not a notebook")
    assert "restore the file from git" in caught.value.fix
    assert caught.value.cell is None


def test_the_batch_runs_notebooks_at_the_same_time(tmp_path):
    """Each notebook waits for the other to have started: this finishes only
    when both kernels run at once (the wait is bounded, so it fails, not hangs)."""
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    wait_for = (
        "import pathlib, time\n"
        "meeting = pathlib.Path({meeting!r})\n"
        "(meeting / {me!r}).touch()\n"
        "for _ in range(600):\n"
        "    if (meeting / {other!r}).exists():\n"
        "        break\n"
        "    time.sleep(0.1)\n"
        "else:\n"
        "    raise RuntimeError('ran alone')\n"
        "print({me!r})"
    )
    paths = [
        write_notebook(
            tmp_path / f"{me}.ipynb",
            wait_for.format(meeting=str(meeting), me=me, other=other),
        )
        for me, other in (("a", "b"), ("b", "a"))
    ]
    executed = execute_notebooks(paths, tmp_path / "cache", jobs=2)
    assert [printed(path) for path in executed] == ["a\n", "b\n"]
    assert execute_notebooks(paths, tmp_path / "cache", jobs=2) == executed


def test_the_batch_runs_every_notebook_then_raises_the_first_failure(tmp_path):
    good = counting_notebook(tmp_path / "good")
    bad = write_notebook(tmp_path / "bad.ipynb", "1 / 0")
    worse = write_notebook(tmp_path / "worse.ipynb", "import nothing_such")
    with pytest.raises(NotebookExecutionError) as caught:
        execute_notebooks([bad, good, worse], tmp_path / "cache")
    assert caught.value.notebook == bad
    assert runs(tmp_path / "good") == 1
    execute_notebook(good, tmp_path / "cache")
    assert runs(tmp_path / "good") == 1


def test_source_files_leaves_out_what_git_ignores(tmp_path):
    folder = tmp_path / "src"
    (folder / "logs").mkdir(parents=True)
    (folder / "__pycache__").mkdir()
    (folder / ".gitignore").write_text("logs/\n__pycache__/\n")
    (folder / "helper.py").write_text("")
    (folder / "logs" / "run.log").write_text("")
    (folder / "__pycache__" / "helper.pyc").write_text("")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    assert source_files(folder) == [folder / ".gitignore", folder / "helper.py"]


def test_source_files_outside_git_skips_only_pycache(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "helper.pyc").write_text("")
    (tmp_path / "helper.py").write_text("")
    assert source_files(tmp_path) == [tmp_path / "helper.py"]
