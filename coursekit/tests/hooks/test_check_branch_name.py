"""The branch rules, called the way pre-commit calls the hook."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from coursekit.hooks import rules
from coursekit.hooks.check_branch_name import main, name_finding, suggest_name

TYPES = rules.DEFAULT_BRANCH_TYPES
PUSH_VARIABLES = (
    "PRE_COMMIT_LOCAL_BRANCH",
    "PRE_COMMIT_REMOTE_BRANCH",
    "PRE_COMMIT_REMOTE_NAME",
)


def run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one commit on main, as the current directory, and no
    commit or push in progress."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_INDEX_FILE", *PUSH_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    run("git", "init", "-q", "-b", "main")
    run(
        "git",
        "-c",
        "user.name=L",
        "-c",
        "user.email=l@x",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "Start",
    )
    return tmp_path


@pytest.mark.parametrize("name", rules.BRANCH_NAME.good)
def test_good_names_pass(name: str) -> None:
    assert name_finding(name, TYPES, "git branch -m {new}") is None


@pytest.mark.parametrize("name", rules.BRANCH_NAME.bad)
def test_bad_names_are_refused(name: str) -> None:
    finding = name_finding(name, TYPES, "git branch -m {new}")
    assert finding is not None and finding.rule is rules.BRANCH_NAME


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Feature/Add_Login", "feature/add-login"),
        ("feat/login page", "feature/login-page"),
        ("hotfix/crash", "fix/crash"),
        ("assignment1", "assignment-1"),
        ("Assignment_02", "assignment-2"),
        ("stuff", None),
        ("wip/thing", None),
    ],
)
def test_suggestions(name: str, suggestion: str | None) -> None:
    assert suggest_name(name, TYPES) == suggestion


def test_the_types_come_from_the_arguments(repo: Path, capsys) -> None:
    run("git", "switch", "-q", "-c", "analysis/compare-models")
    assert main([]) == 0
    assert main(["--types", "feature,fix"]) == 1
    out = capsys.readouterr().out
    assert "Types: feature, fix." in out
    assert "Good names: feature/add-login, fix/data-loading-error, assignment-1." in out


def test_a_commit_on_main_is_refused(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo / ".git" / "index"))
    assert main([]) == 1
    out = capsys.readouterr().out
    assert "error [no-commit-on-trunk]" in out
    assert "git switch -c feature/<what-it-changes>" in out


def test_checks_on_main_without_a_commit_pass(repo: Path) -> None:
    # What CI does on main: `pre-commit run --all-files`, no commit.
    assert main([]) == 0


def test_the_first_commit_of_a_repository_may_be_on_main(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run("git", "init", "-q", "-b", "main")
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / ".git" / "index"))
    assert main([]) == 0


def test_a_badly_named_branch_is_refused_with_the_rename(repo: Path, capsys) -> None:
    run("git", "switch", "-q", "-c", "Feature/Add_Login")
    assert main([]) == 1
    assert (
        "git branch -m Feature/Add_Login feature/add-login" in capsys.readouterr().out
    )


def test_a_detached_head_passes(repo: Path, monkeypatch) -> None:
    run("git", "checkout", "-q", "--detach")
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo / ".git" / "index"))
    assert main([]) == 0


def test_a_push_checks_the_pushed_branches_not_the_checked_out_one(
    repo: Path, capsys, monkeypatch
) -> None:
    run("git", "switch", "-q", "-c", "stuff")
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/heads/feature/add-login")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/feature/add-login")
    assert main([]) == 0
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/my-branch")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "upstream")
    assert main([]) == 1
    out = capsys.readouterr().out
    assert '"my-branch"' in out and '"stuff"' not in out
    assert "git push upstream feature/add-login:feature/<what-it-changes>" in out


@pytest.mark.parametrize("branch", ["main", "gh-pages"])
def test_pushing_the_trunk_or_the_published_site_passes(
    repo: Path, monkeypatch, branch: str
) -> None:
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", f"refs/heads/{branch}")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", f"refs/heads/{branch}")
    assert main([]) == 0


def test_pushing_a_tag_or_head_checks_only_the_branch_refs(
    repo: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "refs/tags/v1")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", "refs/tags/v1")
    assert main([]) == 0
    monkeypatch.setenv("PRE_COMMIT_LOCAL_BRANCH", "HEAD")
    monkeypatch.setenv("PRE_COMMIT_REMOTE_BRANCH", "refs/heads/changes")
    assert main([]) == 1
    assert "git push origin HEAD:feature/<what-it-changes>" in capsys.readouterr().out


def test_an_empty_type_list_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--types", " , "])
    assert exit_info.value.code == 2
    assert "give at least one branch type" in capsys.readouterr().err
