"""Fixtures of the export tests: real Marp CLI and poppler (the browser is
coursekit/tests/conftest.py's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coursekit.errors import CourseError
from coursekit.export.marp import marp_command

from .support import REPO_ROOT, make_project, require


@pytest.fixture(scope="session")
def marp() -> tuple[str, ...]:
    """The command that runs Marp CLI: Node and the package's script."""
    try:
        return marp_command(REPO_ROOT)
    except CourseError as error:
        require(False, f"Marp CLI cannot run: {error.message}; {error.fix}")
        raise


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    require(found is not None, "pdftoppm not found: `apt-get install poppler-utils`")
    assert found is not None
    return found


@pytest.fixture
def project(tmp_path: Path, marp: tuple[str, ...]) -> Path:
    """A course root holding the fixture slides; Marp must be installed."""
    return make_project(tmp_path / "course")
