"""Lab 1 runs top to bottom in a real kernel: with SQLite, with PostgreSQL,
and with bad settings, which must read as what to fix."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from coursekit.notebooks import NotebookExecutionError, execute_notebook
from settings import SRC_DIR

LAB = SRC_DIR.parent / "01_materials" / "labs" / "production_1_setup.ipynb"


def run_lab(cache_dir: Path) -> str:
    """Execute the lab and return everything its cells printed."""
    executed = nbformat.read(execute_notebook(LAB, cache_dir), as_version=4)
    return "".join(
        output.get("text", "")
        for cell in executed.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.fixture
def private_logs(tmp_path, monkeypatch) -> Path:
    """Runs of the lab from the tests log into tmp_path, not 05_src/logs/."""
    monkeypatch.setenv("LOG_DIR", str(tmp_path / "logs"))
    return tmp_path / "logs"


def test_the_committed_lab_has_no_outputs_and_clean_metadata():
    lab = nbformat.read(LAB, as_version=4)
    nbformat.validate(lab)
    assert set(lab.metadata) == {"kernelspec", "language_info"}
    assert lab.metadata.kernelspec.name == "python3"
    code = [cell for cell in lab.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs for cell in code)
    assert all(cell.execution_count is None for cell in code)
    assert all(not cell.metadata for cell in lab.cells)


def test_the_lab_runs_on_sqlite_in_this_environments_kernel(
    tmp_path, monkeypatch, private_logs
):
    monkeypatch.setenv("DB_URL", f"sqlite:///{tmp_path / 'lab.db'}")
    printed = run_lab(tmp_path / "cache")
    repo = str(SRC_DIR.parent)
    assert f"Interpreter: {sys.executable.replace(repo, '<repo>')}" in printed
    assert "Inside a virtual environment: True" in printed
    assert "Server: SQLite 3." in printed
    assert "[x] database reachable" in printed
    (log_file,) = private_logs.iterdir()
    assert f"This run logs to {log_file}" in printed
    assert "lab1: Database check passed on sqlite" in log_file.read_text()


@pytest.mark.postgres
def test_the_lab_runs_on_postgres(tmp_path, monkeypatch, private_logs, postgres_url):
    monkeypatch.setenv("DB_URL", postgres_url)
    printed = run_lab(tmp_path / "cache")
    assert "Server: PostgreSQL " in printed
    assert "[x] database reachable" in printed
    assert postgres_url not in printed, "the password must not be printed"


def test_a_typo_in_log_level_stops_the_lab_with_the_fix(
    tmp_path, monkeypatch, private_logs
):
    monkeypatch.setenv("LOG_LEVEL", "INFOO")
    with pytest.raises(NotebookExecutionError) as caught:
        run_lab(tmp_path / "cache")
    assert caught.value.cell_start == "from logger import get_logger, log_file_of"
    assert caught.value.error == (
        "SettingsError: LOG_LEVEL='INFOO' (from the environment) is not a log "
        "level; use one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )


def test_an_unreachable_database_stops_the_lab_with_the_fix(
    tmp_path, monkeypatch, private_logs, unused_port
):
    # pragma: allowlist nextline secret
    unreachable = f"postgresql+psycopg://course:pw@127.0.0.1:{unused_port}/course"
    monkeypatch.setenv("DB_URL", unreachable)
    with pytest.raises(NotebookExecutionError) as caught:
        run_lab(tmp_path / "cache")
    assert caught.value.cell_start.startswith("from database import")
    assert caught.value.error.startswith(
        "DatabaseUnavailableError: cannot reach the database at "
    )
    assert "docker compose" in caught.value.error
