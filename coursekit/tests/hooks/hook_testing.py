"""Helpers for the hook tests: real git and pre-commit in temporary repositories."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def run(repo: Path, command: list[str], env: dict[str, str], check: bool = False):
    """Run a command; its stdout holds stderr too (git hooks write there)."""
    return subprocess.run(
        command,
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=check,
    )


def git(repo: Path, *args: str, env: dict[str, str], check: bool = True):
    return run(repo, ["git", *args], env, check)


def pre_commit(repo: Path, *args: str, env: dict[str, str]):
    return run(repo, [sys.executable, "-m", "pre_commit", *args], env)


def copy_files(source: Path, target: Path, paths: list[str]) -> None:
    for relative in paths:
        origin = source / relative
        if origin.is_dir():
            shutil.copytree(
                origin, target / relative, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif origin.exists():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target / relative)


def commit_all(repo: Path, message: str, env: dict[str, str]) -> str:
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "--no-verify", "-q", "-m", message, env=env)
    return git(repo, "rev-parse", "HEAD", env=env).stdout.strip()
