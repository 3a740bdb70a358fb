"""The published hooks under real git and pre-commit, in a course repository
that uses them through `repo:` and `rev:` (see conftest.course_repo)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from coursekit.hooks.check_commit_msg import SCISSORS
from hook_testing import git


def commit(repo: Path, env: dict[str, str], *args: str):
    (repo / "notes.txt").write_text(f"{args}\n", encoding="utf-8")
    git(repo, "add", "notes.txt", env=env)
    return git(repo, "commit", *args, env=env, check=False)


def editor(tmp_path: Path, content: str, keep: bool = True) -> str:
    """A GIT_EDITOR that writes `content` above what git put in the file, or
    instead of it (keep=False, as an author who deletes git's help does)."""
    script = tmp_path / "editor.py"
    kept = " + path.read_text()" if keep else ""
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"path.write_text({content!r}{kept})\n",
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


def stored(repo: Path, env: dict[str, str]) -> str:
    return git(repo, "log", "-1", "--format=%B", env=env).stdout.strip()


ISSUE_FIRST = "#12 Fix the login"
EXPLAINED = "Fix the login\n\nThe session expired early."


@pytest.mark.parametrize(
    ("options", "config", "written", "keep", "message"),
    [
        # The editor: git's help lines are left out.
        ((), {}, EXPLAINED, True, EXPLAINED),
        # No editor opens: git keeps "#" lines.
        (("-m", ISSUE_FIRST), {}, "", True, ISSUE_FIRST),
        (("--cleanup=verbatim", "-m", ISSUE_FIRST), {}, "", True, ISSUE_FIRST),
        # commit.cleanup=whitespace keeps them in the editor too (the author
        # deletes git's help).
        ((), {"commit.cleanup": "whitespace"}, ISSUE_FIRST, False, ISSUE_FIRST),
        # The scissors mode keeps what is above git's scissors line.
        (("--cleanup=scissors",), {}, ISSUE_FIRST, True, ISSUE_FIRST),
        # With another comment character "#" is not a comment.
        ((), {"core.commentChar": ";"}, ISSUE_FIRST, True, ISSUE_FIRST),
    ],
    ids=["editor", "m", "verbatim", "commit.cleanup", "scissors", "commentChar"],
)
def test_the_message_git_stores_is_the_one_judged(
    course_repo, git_env, tmp_path, options, config, written, keep, message
) -> None:
    repo = course_repo("fix/login")
    for key, value in config.items():
        git(repo, "config", key, value, env=git_env)
    env = {**git_env, "GIT_EDITOR": editor(tmp_path, f"{written}\n", keep)}
    result = commit(repo, env, *options)
    assert result.returncode == 0, result.stdout
    assert stored(repo, git_env) == message


def test_in_the_editor_an_issue_reference_first_is_refused(
    course_repo, git_env, tmp_path
) -> None:
    # git would drop the line as a comment and store the body as the subject.
    repo = course_repo("fix/login")
    written = f"{ISSUE_FIRST}\n\nThe session expired early.\n"
    env = {**git_env, "GIT_EDITOR": editor(tmp_path, written)}
    result = commit(repo, env)
    assert result.returncode != 0
    assert "error [subject-not-a-comment]" in result.stdout
    assert "    Fix the login (#12)\n\n    The session expired early.\n" in (
        result.stdout
    )
    assert git(repo, "rev-list", "--count", "HEAD", env=git_env).stdout.strip() == "1"


@pytest.mark.parametrize(
    ("subject", "rule", "corrected"),
    [
        ("✨ added login", "subject-imperative", "✨ Add login"),
        (":sparkles: added login", "subject-capitalized", ":sparkles: Add login"),
        ("feat: added login", "subject-no-type-prefix", "Add login"),
    ],
)
def test_emoji_and_type_labels_are_judged_at_commit(
    course_repo, git_env, subject, rule, corrected
) -> None:
    repo = course_repo("feature/add-login")
    result = commit(repo, git_env, "-m", subject)
    assert result.returncode != 0
    assert f"error [{rule}]" in result.stdout
    assert f"Corrected message:\n\n    {corrected}\n" in result.stdout
