"""The published hooks under real git and pre-commit, in a course repository
that uses them through `repo:` and `rev:` (see conftest.course_repo)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from coursekit.hooks.check_commit_msg import SCISSORS
from hook_testing import git


def commit(repo: Path, env: dict[str, str], *args: str):
    (repo / "notes.txt").write_text(f"{args}\n", encoding="utf-8")
    git(repo, "add", "notes.txt", env=env)
    return git(repo, "commit", *args, env=env, check=False)


def editor(tmp_path: Path, content: str) -> str:
    """A GIT_EDITOR that writes `content` above what git put in the file."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"path.write_text({content!r} + path.read_text())\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return f"{sys.executable} {script}"


def test_a_commit_on_main_is_refused(course_repo, git_env) -> None:
    repo = course_repo("main")
    result = commit(repo, git_env, "-m", "Add notes")
    assert result.returncode != 0
    assert "error [no-commit-on-trunk]" in result.stdout
    assert git(repo, "rev-list", "--count", "HEAD", env=git_env).stdout.strip() == "1"


def test_a_badly_named_branch_is_refused_at_commit(course_repo, git_env) -> None:
    repo = course_repo("my-branch")
    result = commit(repo, git_env, "-m", "Add notes")
    assert result.returncode != 0
    assert "error [branch-name]" in result.stdout
    assert "git branch -m my-branch feature/<what-it-changes>" in result.stdout


def test_the_configured_types_are_the_allowed_ones(course_repo, git_env) -> None:
    repo = course_repo("docs/update-readme", args='--types, "feature,fix"')
    result = commit(repo, git_env, "-m", "Add notes")
    assert result.returncode != 0
    assert "Types: feature, fix." in result.stdout


def test_a_good_commit_goes_through(course_repo, git_env) -> None:
    repo = course_repo("feature/add-notes")
    result = commit(repo, git_env, "-m", "Add notes")
    assert result.returncode == 0, result.stdout


def test_a_bad_message_is_refused_with_the_rules_and_a_correction(
    course_repo, git_env
) -> None:
    repo = course_repo("feature/add-notes")
    result = commit(repo, git_env, "-m", "Added notes.")
    assert result.returncode != 0
    assert "[subject-imperative]" in result.stdout
    assert "[subject-no-period]" in result.stdout
    assert "Corrected message:\n\n    Add notes\n" in result.stdout


def test_a_badly_named_branch_is_refused_at_push(
    course_repo, git_env, tmp_path
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote), env=git_env)
    repo = course_repo("feature/add-notes")
    git(repo, "remote", "add", "origin", str(remote), env=git_env)
    assert commit(repo, git_env, "-m", "Add notes").returncode == 0
    # Neither the local nor the remote name is what is checked out.
    git(repo, "branch", "stuff", env=git_env)
    git(repo, "switch", "-q", "-c", "fix/unrelated", env=git_env)
    refused = git(repo, "push", "origin", "stuff", env=git_env, check=False)
    assert refused.returncode != 0
    assert '"stuff"' in refused.stdout
    renamed = git(
        repo, "push", "origin", "feature/add-notes:changes", env=git_env, check=False
    )
    assert renamed.returncode != 0
    assert "git push origin feature/add-notes:feature/" in renamed.stdout
    pushed = git(repo, "push", "origin", "feature/add-notes", env=git_env, check=False)
    assert pushed.returncode == 0, pushed.stdout
    assert git(remote, "branch", "--list", env=git_env).stdout.split() == [
        "feature/add-notes"
    ]


def test_pushing_main_is_not_blocked(course_repo, git_env, tmp_path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote), env=git_env)
    repo = course_repo("main")
    git(repo, "remote", "add", "origin", str(remote), env=git_env)
    pushed = git(repo, "push", "origin", "main", env=git_env, check=False)
    assert pushed.returncode == 0, pushed.stdout


def test_a_detached_head_commits(course_repo, git_env) -> None:
    repo = course_repo("main")
    git(repo, "checkout", "-q", "--detach", env=git_env)
    result = commit(repo, git_env, "-m", "Add notes")
    assert result.returncode == 0, result.stdout


def test_git_commit_verbose_and_a_custom_comment_char(
    course_repo, git_env, tmp_path
) -> None:
    repo = course_repo("feature/add-notes")
    git(repo, "config", "core.commentChar", ";", env=git_env)
    env = {
        **git_env,
        "GIT_EDITOR": editor(tmp_path, "Add notes\n\nWhy: to remember.\n"),
    }
    result = commit(repo, env, "-v")
    assert result.returncode == 0, result.stdout
    message = git(repo, "log", "-1", "--format=%B", env=git_env).stdout
    assert message.strip() == "Add notes\n\nWhy: to remember."
    # The editor buffer really held the scissors and a diff below it.
    assert f"; {SCISSORS}" in (repo / ".git" / "COMMIT_EDITMSG").read_text()


def test_a_message_only_of_comments_is_refused(course_repo, git_env, tmp_path) -> None:
    repo = course_repo("feature/add-notes")
    env = {**git_env, "GIT_EDITOR": editor(tmp_path, "")}
    result = commit(repo, env, "--allow-empty-message")
    assert result.returncode != 0
    assert "error [message-not-empty]" in result.stdout
