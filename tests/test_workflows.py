"""The GitHub Actions workflows pass actionlint, and actionlint catches faults.

actionlint checks the workflow syntax, the expressions, the inputs of known
actions, and (with shellcheck on PATH, as in CI) the shell of `run:` steps.
"""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS_DIR = PROJECT_ROOT / ".github" / "workflows"


def actionlint(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    scripts = sysconfig.get_path("scripts")
    binary = shutil.which("actionlint", path=scripts) or shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint is not installed: run `uv sync` (dev group)")
    return subprocess.run(
        [binary, "-no-color", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_workflows_pass_actionlint():
    workflows = sorted(WORKFLOWS_DIR.glob("*.yml"))
    assert {path.name for path in workflows} >= {"ci.yml", "pages.yml"}
    result = actionlint(*workflows, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def actionlint_changed_ci(tmp_path: Path, old: str, new: str) -> str:
    """actionlint's report on ci.yml with `old` replaced by `new`, in a copy of
    the repository's .github folder (its own actions included); it must fail."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copytree(PROJECT_ROOT / ".github", tmp_path / ".github")
    ci = (WORKFLOWS_DIR / "ci.yml").read_text(encoding="utf-8")
    broken = ci.replace(old, new, 1)
    assert broken != ci
    changed = tmp_path / ".github" / "workflows" / "ci.yml"
    changed.write_text(broken, encoding="utf-8")
    result = actionlint(changed, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path):
    # A job that waits for a job no one defined never runs.
    report = actionlint_changed_ci(
        tmp_path, "needs: notebook-shards", "needs: notebook-shard"
    )
    assert 'needs job "notebook-shard" which does not exist' in report


def test_actionlint_checks_the_inputs_of_the_projects_own_actions(tmp_path: Path):
    # The README runner's heading, misspelt: the Windows job would run nothing.
    report = actionlint_changed_ci(tmp_path, "section: Windows", "sections: Windows")
    assert 'input "sections" is not defined in action' in report
    assert 'missing input "section" which is required' in report
