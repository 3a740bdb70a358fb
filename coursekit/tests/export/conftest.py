"""Fixtures of the export tests: real Marp CLI, a real browser, poppler."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coursekit.export import MISSING_BROWSER, find_browser

from .support import REPO_ROOT, make_project, require


@pytest.fixture(scope="session")
def marp() -> Path:
    binary = REPO_ROOT / "node_modules" / ".bin" / "marp"
    require(binary.is_file(), "Marp CLI is not installed: run `npm ci`")
    return binary


@pytest.fixture(scope="session")
def browser() -> Path:
    found = find_browser()
    require(found is not None, MISSING_BROWSER)
    assert found is not None
    return found


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    require(found is not None, "pdftoppm not found: `apt-get install poppler-utils`")
    assert found is not None
    return found


@pytest.fixture
def project(tmp_path: Path, marp: Path) -> Path:
    """A course root holding the fixture slides; Marp must be installed."""
    return make_project(tmp_path / "course")
