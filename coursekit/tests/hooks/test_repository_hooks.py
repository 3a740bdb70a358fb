"""This repository's own .pre-commit-config.yaml, installed by `course
install-hooks` in a copy of the work tree (fixers must not touch the real one).

The first test to run builds the hook environments from PyPI into the shared
pre-commit store; the others reuse them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from hook_testing import REPO_ROOT, commit_all, copy_files, git, pre_commit, run

pytestmark = pytest.mark.timeout(1200)

# The fake credentials below are marked for detect-secrets (the repository's
# own hook scans this file too); the key header is split for the same reason.
DEV_ONLY_ENV = (
    "POSTGRES_USER=course\n"
    "POSTGRES_PASSWORD=dev-only-postgres-password\n"  # pragma: allowlist secret
    "PGADMIN_DEFAULT_PASSWORD=dev-only-pgadmin-password\n"  # pragma: allowlist secret
    "DATABASE_URL=postgresql://course:dev-only-postgres-password@db:5432/course\n"
)
LEAKED_TOKEN = "API_TOKEN=Zq81nR2wLx0pT5\n"  # pragma: allowlist secret
LEAKED_URL = 'URL = "postgresql://app:Xk9pQ2Lq@db/app"\n'  # pragma: allowlist secret
PRIVATE_KEY = "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nAAAA\n"


def install_hooks(root: Path, env: dict[str, str]):
    command = [sys.executable, "-m", "coursekit.cli", "--root", str(root)]
    return run(root, [*command, "install-hooks"], env)


@pytest.fixture
def clone(tmp_path: Path, git_env: dict[str, str]) -> Path:
    """The work tree as it is now (tracked and new files), committed on main of
    a new repository, with the hooks installed as `make setup` does."""
    listed = git(
        REPO_ROOT,
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
        env=git_env,
    )
    copy = tmp_path / "course"
    copy.mkdir()
    copy_files(REPO_ROOT, copy, [p for p in listed.stdout.split("\0") if p])
    git(copy, "init", "-q", "-b", "main", env=git_env)
    commit_all(copy, "Lay out the course repository", git_env)
    installed = install_hooks(copy, git_env)
    assert installed.returncode == 0, installed.stdout
    return copy


def test_the_repository_passes_its_own_hooks(clone: Path, git_env) -> None:
    # As CI does on main: every file, no commit in progress.
    result = pre_commit(clone, "run", "--all-files", env=git_env)
    assert result.returncode == 0, result.stdout
    assert git(clone, "status", "--porcelain", env=git_env).stdout == ""


def test_a_bad_commit_on_main_is_taught_then_a_good_one_on_a_branch_passes(
    clone: Path, git_env
) -> None:
    (clone / "logger.py").write_text('"""Log what the course tools do."""\n')
    git(clone, "add", "logger.py", env=git_env)
    refused = git(clone, "commit", "-m", "added stuff.", env=git_env, check=False)
    assert refused.returncode != 0
    for code in (
        "no-commit-on-trunk",
        "subject-imperative",
        "subject-capitalized",
        "subject-no-period",
    ):
        assert f"error [{code}]" in refused.stdout, refused.stdout
    assert "Corrected message:\n\n    Add stuff\n" in refused.stdout
    assert git(clone, "rev-list", "--count", "HEAD", env=git_env).stdout == "1\n"

    git(clone, "switch", "-q", "-c", "feature/add-logger", env=git_env)
    accepted = git(clone, "commit", "-m", "Add logger", env=git_env, check=False)
    assert accepted.returncode == 0, accepted.stdout
    assert git(clone, "log", "-1", "--format=%s", env=git_env).stdout == "Add logger\n"


def notebook(outputs: bool) -> str:
    cell = {
        "cell_type": "code",
        "execution_count": 1 if outputs else None,
        "id": "5d1c0a7e",
        "metadata": {},
        "outputs": (
            [{"name": "stdout", "output_type": "stream", "text": ["2\n"]}]
            if outputs
            else []
        ),
        "source": ["print(1 + 1)"],
    }
    content = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(content, indent=1) + "\n"


def test_hygiene_hooks_refuse_what_never_goes_into_a_commit(
    clone: Path, git_env
) -> None:
    files = {
        "05_src/docker/.env": DEV_ONLY_ENV + LEAKED_TOKEN,
        "05_src/settings.py": LEAKED_URL,
        "deploy_key": PRIVATE_KEY,
        "lab.ipynb": notebook(outputs=True),
        "data.csv": "x\n" * 600_000,
        "config.yaml": "key: [unclosed\n",
        "notes.md": "A trailing space \nline break kept  \nno newline",
    }
    for name, content in files.items():
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        (clone / name).write_text(content, encoding="utf-8")
    git(clone, "add", *files, env=git_env)
    result = pre_commit(clone, "run", "--files", *files, env=git_env)
    assert result.returncode != 0
    for hook_id in (
        "env-files-dev-only-credentials",
        "detect-secrets",
        "detect-private-key",
        "strip-notebook-outputs",
        "check-added-large-files",
        "check-yaml",
        "trailing-whitespace",
        "end-of-file-fixer",
    ):
        assert f"- hook id: {hook_id}" in result.stdout, hook_id
    assert "API_TOKEN" in result.stdout
    assert "dev-only-postgres-password" not in result.stdout
    stripped = json.loads((clone / "lab.ipynb").read_text())["cells"][0]
    assert (stripped["outputs"], stripped["execution_count"]) == ([], None)
    assert (clone / "notes.md").read_text().splitlines()[:2] == [
        "A trailing space",
        "line break kept  ",
    ]


def test_the_development_only_credentials_are_allowed(clone: Path, git_env) -> None:
    # The course's own file when the clone has one, else a stand-in.
    env_file = clone / "05_src" / "docker" / ".env"
    if not env_file.exists():
        env_file.parent.mkdir(parents=True)
        env_file.write_text(DEV_ONLY_ENV, encoding="utf-8")
    (clone / "lab.ipynb").write_text(notebook(outputs=False), encoding="utf-8")
    git(clone, "add", "-A", env=git_env)
    result = pre_commit(
        clone, "run", "--files", "05_src/docker/.env", "lab.ipynb", env=git_env
    )
    assert result.returncode == 0, result.stdout


def test_install_hooks_does_nothing_outside_a_clone(tmp_path: Path, git_env) -> None:
    unpacked = tmp_path / "course"
    unpacked.mkdir()
    copy_files(REPO_ROOT, unpacked, [".pre-commit-config.yaml"])
    result = install_hooks(unpacked, git_env)
    assert result.returncode == 0
    assert "not a git clone" in result.stdout
    assert not (unpacked / ".git").exists()


def test_install_hooks_leaves_an_enclosing_repository_alone(
    tmp_path: Path, git_env
) -> None:
    git(tmp_path, "init", "-q", env=git_env)
    unpacked = tmp_path / "downloads" / "course"
    unpacked.mkdir(parents=True)
    copy_files(REPO_ROOT, unpacked, [".pre-commit-config.yaml"])
    result = install_hooks(unpacked, git_env)
    assert result.returncode == 0
    assert "not a git clone" in result.stdout
    assert not (tmp_path / ".git" / "hooks" / "pre-commit").exists()


def test_the_local_hooks_are_the_published_ones() -> None:
    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text())
    local = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    published = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in published:
        for key in ("entry", "language", "stages", "always_run", "pass_filenames"):
            assert local[hook["id"]].get(key) == hook.get(key), (hook["id"], key)
