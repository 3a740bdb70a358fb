"""Temporary git repositories with the course's hooks installed by pre-commit."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hook_testing import REPO_ROOT, commit_all, copy_files, git, pre_commit

# What a course repository that uses our .pre-commit-hooks.yaml gets from us.
PUBLISHED_HOOK_FILES = (
    ".pre-commit-hooks.yaml",
    "coursekit/run-hook",
    "coursekit/src/coursekit/__init__.py",
    "coursekit/src/coursekit/hooks",
)


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the whole run, shared by the xdist workers (the
    parent of the per-worker base temp): hook environments are built once.
    pre-commit locks its store itself while it installs into it."""
    home = tmp_path_factory.getbasetemp().parent / "pre-commit-home"
    home.mkdir(exist_ok=True)
    return home


@pytest.fixture
def git_env(pre_commit_home: Path, tmp_path: Path) -> dict[str, str]:
    """An environment free of the caller's git state and configuration."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))
    }
    home = tmp_path / "home"
    home.mkdir()
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Learner",
        GIT_AUTHOR_EMAIL="learner@example.com",
        GIT_COMMITTER_NAME="Learner",
        GIT_COMMITTER_EMAIL="learner@example.com",
        PRE_COMMIT_HOME=str(pre_commit_home),
        PRE_COMMIT_COLOR="never",
    )
    return env


@pytest.fixture
def hook_source(tmp_path: Path, git_env: dict[str, str]) -> tuple[Path, str]:
    """A repository holding the published hooks as the work tree has them now,
    and its commit: what `repo:` and `rev:` point at in a course repository."""
    source = tmp_path / "coursekit-hooks"
    source.mkdir()
    copy_files(REPO_ROOT, source, list(PUBLISHED_HOOK_FILES))
    git(source, "init", "-q", "-b", "main", env=git_env)
    return source, commit_all(source, "Publish the hooks", git_env)


@pytest.fixture
def course_repo(
    tmp_path: Path, git_env: dict[str, str], hook_source: tuple[Path, str]
) -> Callable[..., Path]:
    """A course repository with one commit on main that uses the published
    hooks, installed for the three stages; `branch` is then checked out."""

    def make(branch: str = "main", args: str = "") -> Path:
        source, rev = hook_source
        repo = tmp_path / "course"
        repo.mkdir()
        (repo / ".pre-commit-config.yaml").write_text(
            "default_install_hook_types: [pre-commit, commit-msg, pre-push]\n"
            "repos:\n"
            f"  - repo: {source}\n"
            f"    rev: {rev}\n"
            "    hooks:\n"
            f"      - id: check-branch-name\n        args: [{args}]\n"
            "      - id: check-commit-msg\n",
            encoding="utf-8",
        )
        (repo / "README.md").write_text("# Course\n", encoding="utf-8")
        git(repo, "init", "-q", "-b", "main", env=git_env)
        commit_all(repo, "Start the course", git_env)
        installed = pre_commit(repo, "install", env=git_env)
        assert installed.returncode == 0, installed.stdout
        if branch != "main":
            git(repo, "switch", "-q", "-c", branch, env=git_env)
        return repo

    return make
