"""coursekit.lab_outputs: the lab the site publishes holds no secret, no local path."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from coursekit.diskcache import DiskCache
from coursekit.lab_outputs import publishable_lab
from coursekit.notebooks import NotebookExecutionError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from coursekit import lab_outputs

# Built when the test runs, so this file holds no token for the secret scans.
FAKE_TOKEN = "gh" + "p_" + "A1b2C3d4" * 4 + "E5f6"


def lab_with_outputs(path: Path, *printed: str, html: str = "") -> Path:
    """A lab whose code cell `n` printed `printed[n]` (and showed `html`)."""
    cells = [new_markdown_cell("# Setup")]
    for text in printed:
        outputs = [new_output("stream", name="stdout", text=text)]
        if html:
            outputs.append(new_output("display_data", data={"text/html": html}))
        cells.append(new_code_cell("print(value)", outputs=outputs))
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)
    return path


def shown_text(published: str) -> str:
    return "\n".join(
        output.get("text", "").rstrip("\n")
        + output.get("data", {}).get("text/html", "")
        for cell in nbformat.reads(published, as_version=4).cells
        for output in cell.get("outputs", [])
    )


@pytest.fixture
def said() -> list:
    return []


@pytest.fixture
def cache(tmp_path: Path, said: list) -> DiskCache:
    return DiskCache(tmp_path / "cache", said.append)


def test_a_printed_secret_fails_naming_the_cell_and_line(tmp_path, cache):
    notebook = lab_with_outputs(
        tmp_path / "leaky.ipynb",
        "x = 1\n",
        f"connecting\nwith the token {FAKE_TOKEN}\n",
    )
    with pytest.raises(NotebookExecutionError) as caught:
        publishable_lab(notebook, notebook, tmp_path, cache)
    error = caught.value
    assert (error.rule, error.cell) == ("notebook-secret", 3)
    cell_line = notebook.read_text().splitlines()[error.line - 1]
    assert '"cell_type": "code"' in cell_line
    assert "output line 2 looks like a secret (GitHub Token)" in error.message
    assert FAKE_TOKEN not in str(error), "the report must not repeat the secret"
    assert not (tmp_path / "cache").exists(), "a refused lab is not kept"


def test_the_secret_is_found_at_the_committed_lab_line(tmp_path, cache):
    """An executed copy is scanned; the error points at the file one edits."""
    committed = lab_with_outputs(tmp_path / "labs/lab.ipynb", "", "")
    executed = lab_with_outputs(tmp_path / "cache/run.ipynb", "", f"{FAKE_TOKEN}\n")
    with pytest.raises(NotebookExecutionError) as caught:
        publishable_lab(executed, committed, tmp_path, cache)
    assert caught.value.notebook == committed
    assert (
        '"cell_type": "code"'
        in committed.read_text().splitlines()[caught.value.line - 1]
    )


def test_every_secret_is_listed(tmp_path, cache):
    notebook = lab_with_outputs(
        tmp_path / "leaky.ipynb", f"{FAKE_TOKEN}\n", "", f"ok\n{FAKE_TOKEN}\n"
    )
    with pytest.raises(NotebookExecutionError) as caught:
        publishable_lab(notebook, notebook, tmp_path, cache)
    assert [
        problem.message.split(" looks")[0] for problem in caught.value.problems
    ] == [
        "cell 2: output line 1",
        "cell 4: output line 2",
    ]


def test_development_only_values_may_be_printed(tmp_path, cache):
    notebook = lab_with_outputs(
        tmp_path / "dev.ipynb",
        "DB_URL=postgresql://course:dev-only-password@localhost/course\n",
    )
    assert "dev-only-password" in publishable_lab(notebook, notebook, tmp_path, cache)


def test_paths_of_the_build_machine_are_published_neutral(
    tmp_path, tmp_path_factory, monkeypatch, cache
):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    course = tmp_path / "course"
    notebook = lab_with_outputs(
        course / "labs/paths.ipynb",
        f"{home}\n{home / '.config/app.toml'}\n{course / 'labs'}\n"
        f"{course / '05_src/db.py'}\n{course}2/other\n",
        html=f"<p>saved to {course / 'labs/out.csv'}</p>",
    )
    published = publishable_lab(notebook, notebook, course, cache)
    assert shown_text(published).splitlines() == [
        "~",
        "~/.config/app.toml",
        "labs",
        "05_src/db.py",
        f"{course}2/other",
        "<p>saved to labs/out.csv</p>",
    ]
    nbformat.validate(nbformat.reads(published, as_version=4))


def test_an_unchanged_lab_is_not_scanned_again(tmp_path, cache, monkeypatch):
    notebook = lab_with_outputs(tmp_path / "lab.ipynb", f"{tmp_path}/data.csv\n")
    first = publishable_lab(notebook, notebook, tmp_path, cache)

    def no_scan(notebook):
        raise AssertionError("scanned again")

    monkeypatch.setattr(lab_outputs, "find_secrets", no_scan)
    assert publishable_lab(notebook, notebook, tmp_path, cache) == first
    # The repository moved: its paths are rewritten differently.
    with pytest.raises(AssertionError, match="scanned again"):
        publishable_lab(notebook, notebook, tmp_path / "elsewhere", cache)


def test_a_damaged_kept_lab_is_made_again_and_said_once(tmp_path, cache, said):
    notebook = lab_with_outputs(tmp_path / "lab.ipynb", f"{tmp_path}/data.csv\n")
    first = publishable_lab(notebook, notebook, tmp_path, cache)
    (entry,) = (tmp_path / "cache").rglob("*.ipynb")
    entry.write_text(first.replace("data.csv", "DATA.csv"), encoding="utf-8")
    assert publishable_lab(notebook, notebook, tmp_path, cache) == first
    assert [(problem.path, problem.rule) for problem in said] == [
        (entry, "cache-damaged")
    ]


def test_a_shown_file_that_is_not_a_notebook_is_a_clear_error(tmp_path, cache):
    broken = tmp_path / "broken.ipynb"
    broken.write_bytes(b"\x00\xff" * 8)
    with pytest.raises(NotebookExecutionError) as caught:
        publishable_lab(broken, broken, tmp_path, cache)
    assert caught.value.rule == "notebook-format"
