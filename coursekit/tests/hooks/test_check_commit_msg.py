"""The commit-message rules, called the way pre-commit calls the hook."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from coursekit.hooks import rules
from coursekit.hooks.check_commit_msg import (
    SCISSORS,
    GitSettings,
    check_message,
    cleanup_mode,
    main,
    stored_message,
)

CHECKED_RULES = [r for r in rules.MESSAGE_RULES if r.severity != rules.GUIDANCE]


def codes(message: str) -> set[str]:
    return {f.rule.code for f in check_message(stored_message(message)).findings}


def run_hook(tmp_path: Path, message: str, capsys) -> tuple[int, str]:
    """Run the hook as git runs it when it opens an editor."""
    message_file = tmp_path / "COMMIT_EDITMSG"
    message_file.write_text(message, encoding="utf-8")
    status = main([str(message_file)])
    return status, capsys.readouterr().out


def assert_refused_and_corrected(
    tmp_path: Path, capsys, subject: str, corrected: str
) -> str:
    status, out = run_hook(tmp_path, subject + "\n", capsys)
    assert status == 1
    assert f"Corrected message:\n\n    {corrected}\n" in out
    return out


@pytest.fixture
def without_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """What git tells the hooks of `git commit -m` (githooks(5))."""
    monkeypatch.setenv("GIT_EDITOR", ":")


def git_config(key: str, value: str) -> None:
    subprocess.run(["git", "config", key, value], check=True)


@pytest.fixture(autouse=True)
def outside_any_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # main() asks git for its settings: give it a repository of our own, and
    # an editor flow unless a test says otherwise.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_EDITOR", "GIT_CONFIG_PARAMETERS", "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)
    subprocess.run(["git", "init", "-q"], check=True)


@pytest.mark.parametrize(
    ("rule", "example"), [(r, g) for r in CHECKED_RULES for g in r.good]
)
def test_every_good_example_passes_its_rule(rule: rules.Rule, example: str) -> None:
    assert rule.code not in codes(example)


@pytest.mark.parametrize(
    ("rule", "example"), [(r, b) for r in CHECKED_RULES for b in r.bad]
)
def test_every_bad_example_breaks_its_rule(rule: rules.Rule, example: str) -> None:
    assert rule.code in codes(example)


@pytest.mark.parametrize(
    "example", [b for r in CHECKED_RULES for b in r.bad if r.severity == rules.ERROR]
)
def test_corrections_pass_the_rules_they_fix(example: str) -> None:
    report = check_message(stored_message(example))
    if report.corrected is None:
        return
    still_broken = codes(report.corrected)
    fixed = {f.rule.code for f in report.findings if f.fixable}
    assert not fixed & still_broken


@pytest.mark.parametrize(
    ("subject", "corrected"),
    [
        ("Added logger", "Add logger"),
        ("Adds logger", "Add logger"),
        ("Adding logger", "Add logger"),
        ("This commit adds logger", "Add logger"),
        ("This change will update the README", "Update the README"),
        ("Fixed bug", "Fix bug"),
        ("Applied review comments", "Apply review comments"),
        ("Stopped the server on exit", "Stop the server on exit"),
        ("Wrote the lab intro", "Write the lab intro"),
        ("README updated", "Update README"),
        ("added stuff.", "Add stuff"),
    ],
)
def test_non_imperative_subjects_are_refused_and_corrected(
    tmp_path: Path, capsys, subject: str, corrected: str
) -> None:
    out = assert_refused_and_corrected(tmp_path, capsys, subject, corrected)
    assert "[subject-imperative]" in out


@pytest.mark.parametrize(
    "subject",
    [
        "Add",
        "Fix",
        "Refactor",
        "Bump",
        "Revert",
        "Document",
        "Process the queue",
        "Embed the video",
        "Bring back the old loader",
        "Memoize results already computed",
        "Use cached results",
    ],
)
def test_imperative_subjects_pass(tmp_path: Path, capsys, subject: str) -> None:
    assert run_hook(tmp_path, subject + "\n", capsys) == (0, "")


def test_a_message_breaking_three_rules_names_each_and_is_corrected(
    tmp_path: Path, capsys
) -> None:
    status, out = run_hook(tmp_path, "added stuff.\n", capsys)
    assert status == 1
    assert "breaks 3 rules" in out
    for code in ("subject-imperative", "subject-capitalized", "subject-no-period"):
        assert f"error [{code}]" in out
    assert "git commit --edit --file=" in out


def test_a_subject_of_51_to_72_characters_passes_with_a_warning(
    tmp_path: Path, capsys
) -> None:
    subject = "Add " + "x" * 47
    status, out = run_hook(tmp_path, subject + "\n", capsys)
    assert (status, len(subject)) == (0, 51)
    assert "warning [subject-short]" in out
    assert "51 characters" in out


def test_a_subject_over_72_characters_is_refused(tmp_path: Path, capsys) -> None:
    status, out = run_hook(tmp_path, "Add " + "x" * 69 + "\n", capsys)
    assert status == 1
    assert "error [subject-max-length]" in out
    assert "73 characters" in out
    assert "Still to fix by hand" not in out  # nothing to correct, no proposal
    assert "Corrected message" not in out


def test_body_lines_over_72_characters_are_refused_and_rewrapped(
    tmp_path: Path, capsys
) -> None:
    long_line = " ".join(["word"] * 20)  # 99 characters
    status, out = run_hook(tmp_path, f"Add logger\n\n{long_line}\n", capsys)
    assert status == 1
    assert "line 3 has 99 characters" in out
    corrected = out.split("Corrected message:\n\n")[1].split("\n\n")[1]
    assert all(len(line) <= 4 + 72 for line in corrected.splitlines())


def test_a_body_line_that_is_only_a_url_may_be_long(tmp_path: Path, capsys) -> None:
    url = "https://example.org/" + "a/" * 40
    message = f"Add logger\n\nSee the log format:\n{url}\n  <{url}>\n[1]: {url}\n"
    assert run_hook(tmp_path, message, capsys) == (0, "")


def test_a_missing_blank_line_after_the_subject_is_refused(
    tmp_path: Path, capsys
) -> None:
    status, out = run_hook(tmp_path, "Add logger\nIt says why.\n", capsys)
    assert status == 1
    assert "[blank-line-after-subject]" in out
    assert "    Add logger\n\n    It says why." in out


@pytest.mark.parametrize(
    "message",
    [
        "Merge branch 'feature/add-login' into main",
        "Merge pull request #12 from learner/assignment-1",
        'Revert "Add logger"\n\nThis reverts commit 0123abc.',
        'Reapply "Add logger"',
        "fixup! Add logger",
        "squash! Add logger",
        "amend! Add logger\n\nadded a body line that is far longer than the"
        " seventy-two characters allowed.",
    ],
)
def test_messages_git_writes_itself_are_exempt(
    tmp_path: Path, capsys, message: str
) -> None:
    assert run_hook(tmp_path, message + "\n", capsys) == (0, "")


def test_comments_and_everything_below_the_scissors_are_ignored(
    tmp_path: Path, capsys
) -> None:
    message = (
        "Add logger\n"
        "# Please enter the commit message for your changes.\n"
        "\n"
        "The command failed silently; the log says why.\n"
        "# On branch feature/add-logger\n"
        f"# {SCISSORS}\n"
        "# Do not modify or remove the line above.\n"
        "diff --git a/x.py b/x.py\n"
        "+added a line that is far longer than seventy-two characters, which is fine\n"
    )
    assert run_hook(tmp_path, message, capsys) == (0, "")


def test_core_comment_char_is_honoured(tmp_path: Path, capsys) -> None:
    subprocess.run(["git", "config", "core.commentChar", ";"], check=True)
    message = f"Add logger\n; a comment\n\nWhy it helps.\n; {SCISSORS}\n+ diff\n"
    assert run_hook(tmp_path, message, capsys) == (0, "")
    # With ";" as the comment character, "#" lines are part of the message.
    status, out = run_hook(tmp_path, "Add logger\n# not a comment now\n", capsys)
    assert status == 1
    assert "[blank-line-after-subject]" in out


def test_core_comment_char_auto_is_recognized() -> None:
    auto = GitSettings(comment_prefix="auto")
    message = f"Add logger\n\n#42 is the issue\n; {SCISSORS}\n; comment\n"
    assert stored_message(message, auto).lines == ("Add logger", "", "#42 is the issue")
    editor = "Add logger\n\n; Please enter the commit message.\n;\n"
    assert stored_message(editor, auto).lines == ("Add logger",)


def test_unicode_subjects_are_checked_by_characters(tmp_path: Path, capsys) -> None:
    subject = "Traduire l'énoncé du laboratoire en français ✓"
    assert len(subject) <= 50 < len(subject.encode())
    assert run_hook(tmp_path, subject + "\n", capsys) == (0, "")
    status, out = run_hook(tmp_path, "élargir la marge des diapositives\n", capsys)
    assert status == 1
    assert "Corrected message:\n\n    Élargir la marge des diapositives" in out


def test_an_empty_message_is_refused(tmp_path: Path, capsys) -> None:
    status, out = run_hook(tmp_path, "# only a comment\n\n", capsys)
    assert status == 1
    assert "error [message-not-empty]" in out


def test_a_subject_only_message_passes(tmp_path: Path, capsys) -> None:
    assert run_hook(tmp_path, "Add logger\n\n\n", capsys) == (0, "")


# --- The message git will store: its clean-up mode ------------------------


@pytest.mark.parametrize(
    ("setting", "editor", "mode"),
    [
        ("default", True, "strip"),
        ("default", False, "whitespace"),
        ("scissors", True, "scissors"),
        ("scissors", False, "whitespace"),
        ("strip", False, "strip"),
        ("whitespace", True, "whitespace"),
        ("verbatim", True, "verbatim"),
    ],
)
def test_the_cleanup_mode_is_the_one_git_documents(
    setting: str, editor: bool, mode: str
) -> None:
    assert cleanup_mode(setting, editor) == mode


def test_with_git_commit_m_an_issue_reference_may_start_the_subject(
    tmp_path: Path, capsys, without_editor
) -> None:
    assert run_hook(tmp_path, "#12 Fix the login\n", capsys) == (0, "")
    # The reference does not hide the words after it from the rules.
    status, out = run_hook(tmp_path, "#12 fixed the login\n", capsys)
    assert status == 1
    assert "Corrected message:\n\n    #12 Fix the login\n" in out
    # The editor would drop the "#" lines this message keeps.
    assert out.rstrip().endswith("--cleanup=scissors\n" + _keeps_hash_lines())


def _keeps_hash_lines() -> str:
    return '(so that the editor keeps your lines that start with "#")'


def test_in_the_editor_an_issue_reference_first_is_a_lost_subject(
    tmp_path: Path, capsys
) -> None:
    message = "#12 Fix the login\n\nThe session expired early.\n"
    status, out = run_hook(tmp_path, message, capsys)
    assert status == 1
    assert "error [subject-not-a-comment]" in out
    explanation = " ".join(out.split())
    assert '"The session expired early." would become the subject' in explanation
    assert (
        "Corrected message:\n\n    Fix the login (#12)\n\n"
        "    The session expired early.\n"
    ) in out
    assert "--cleanup=scissors" not in out
    status, out = run_hook(tmp_path, "#12 fixed the login\n", capsys)
    assert "aborted as empty" in out
    assert "Corrected message:\n\n    Fix the login (#12)\n" in out


@pytest.mark.parametrize(
    ("editor", "comment_char", "message"),
    [
        # git drops its help and a bare reference; the next line is the subject.
        ("", "#", "#12\nFix the login\n# Please enter the commit message.\n#\n"),
        # `GIT_EDITOR=: git commit --amend` opens ":" as the editor, and git
        # strips: its help in the file tells the hook so.
        (":", "#", "Fix the login\n# Please enter the commit message.\n#\n"),
        # With another comment character, "#" lines are the message.
        ("", ";", "#12 Fix the login\n; Please enter the commit message.\n;\n"),
    ],
    ids=["bare-reference", "amend-with-colon-editor", "commentChar"],
)
def test_git_comments_are_told_from_the_message(
    tmp_path: Path,
    capsys,
    monkeypatch: pytest.MonkeyPatch,
    editor: str,
    comment_char: str,
    message: str,
) -> None:
    if editor:
        monkeypatch.setenv("GIT_EDITOR", editor)
    git_config("core.commentChar", comment_char)
    assert run_hook(tmp_path, message, capsys) == (0, "")


def test_commit_cleanup_whitespace_keeps_comment_lines_in_the_editor(
    tmp_path: Path, capsys
) -> None:
    git_config("commit.cleanup", "whitespace")
    assert run_hook(tmp_path, "#12 Fix the login\n", capsys) == (0, "")
    # git's help lines are kept as well, right below the subject here.
    message = "Fix the login\n# Please enter the commit message.\n#\n"
    status, out = run_hook(tmp_path, message, capsys)
    assert status == 1
    assert "[blank-line-after-subject]" in out


def test_commit_cleanup_verbatim_keeps_a_leading_blank_line(
    tmp_path: Path, capsys, without_editor
) -> None:
    git_config("commit.cleanup", "verbatim")
    assert run_hook(tmp_path, "#12 Fix the login\n", capsys) == (0, "")
    status, out = run_hook(tmp_path, "\nFix the login\n", capsys)
    assert status == 1
    assert "error [message-not-empty]" in out
    assert "Line 1 is blank" in out
    assert "Corrected message:\n\n    Fix the login\n" in out
    git_config("commit.cleanup", "whitespace")
    assert run_hook(tmp_path, "\nFix the login\n", capsys) == (0, "")


def test_commit_cleanup_strip_drops_comments_without_an_editor(
    tmp_path: Path, capsys, without_editor
) -> None:
    git_config("commit.cleanup", "strip")
    status, out = run_hook(tmp_path, "#12 Fix the login\n", capsys)
    assert status == 1
    assert "[subject-not-a-comment]" in out


def test_the_scissors_mode_is_recognized_where_git_puts_the_line(
    tmp_path: Path, capsys
) -> None:
    # `git commit --cleanup=scissors` writes the scissors line above its help
    # (`git commit -v` writes it below): lines above it are kept.
    help_text = "# Do not modify or remove the line above.\n#\n# On branch fix/x\n#\n"
    message = f"#12 Fix the login\n\n# {SCISSORS}\n{help_text}"
    assert run_hook(tmp_path, message, capsys) == (0, "")
    verbose = f"#12 Fix the login\n\n# Please enter the message.\n#\n# {SCISSORS}\n"
    status, out = run_hook(tmp_path, verbose, capsys)
    assert status == 1
    assert "[subject-not-a-comment]" in out


# --- Emoji and type labels before the subject ----------------------------


@pytest.mark.parametrize(
    ("subject", "corrected"),
    [
        ("✨ added login", "✨ Add login"),
        (":sparkles: added login", ":sparkles: Add login"),
        ("🐛 fix the crash on start", "🐛 Fix the crash on start"),
        ("👩🏽‍💻 adding the lab setup", "👩🏽‍💻 Add the lab setup"),
        ("🇫🇷 translated the lab.", "🇫🇷 Translate the lab"),
        ("✨ :tada: This commit adds login", "✨ :tada: Add login"),
    ],
)
def test_a_leading_emoji_does_not_skip_the_subject_rules(
    tmp_path: Path, capsys, subject: str, corrected: str
) -> None:
    assert_refused_and_corrected(tmp_path, capsys, subject, corrected)


@pytest.mark.parametrize(
    "subject", ["✨ Add login", ":sparkles: Add login", "🎉 Publish the course"]
)
def test_an_emoji_before_a_good_subject_passes(
    tmp_path: Path, capsys, subject: str
) -> None:
    assert run_hook(tmp_path, subject + "\n", capsys) == (0, "")


@pytest.mark.parametrize(
    ("subject", "corrected"),
    [
        ("feat: added login", "Add login"),
        ("fix(api)!: handles null", "Handle null"),
        ("docs: Update README", "Update README"),
        ("chore(deps): bump ruff to 0.14", "Bump ruff to 0.14"),
        ("Feat(ui): Add login", "Add login"),
        ("feature: add login", "Add login"),
        ("✨ feat: add login", "✨ Add login"),
        ("feat: ✨ add login", "✨ Add login"),
    ],
)
def test_a_type_label_is_refused_and_the_subject_after_it_corrected(
    tmp_path: Path, capsys, subject: str, corrected: str
) -> None:
    out = assert_refused_and_corrected(tmp_path, capsys, subject, corrected)
    assert "error [subject-no-type-prefix]" in out


def test_the_type_label_finding_explains_the_course_choice(
    tmp_path: Path, capsys
) -> None:
    status, out = run_hook(tmp_path, "fix(api)!: handles null\n", capsys)
    assert status == 1
    explanation = " ".join(out.split())
    assert '"fix(api)!:" is a Conventional-Commits type label' in explanation
    assert "follows Chris Beams" in explanation
    assert "branch name (fix/...) already says the type" in explanation
    assert 'Say the scope ("api") in words' in explanation
    assert 'Explain in the body what the change breaks (the "!")' in explanation
    # The correction cannot write that explanation.
    assert "Still to fix by hand: subject-no-type-prefix." in out


@pytest.mark.parametrize(
    "subject", ["Note: Update the README", "Fixed-width: Align the table"]
)
def test_a_word_before_a_colon_is_not_a_type_label(subject: str) -> None:
    assert "subject-no-type-prefix" not in codes(subject)


@pytest.mark.parametrize("subject", ["✨", ":sparkles:", "✨ :tada:"])
def test_a_subject_of_emoji_alone_is_refused(
    tmp_path: Path, capsys, subject: str
) -> None:
    status, out = run_hook(tmp_path, subject + "\n", capsys)
    assert status == 1
    assert "error [message-not-empty]" in out
