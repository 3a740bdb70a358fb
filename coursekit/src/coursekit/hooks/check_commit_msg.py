"""commit-msg hook: the message follows the course's commit-message rules.

Usage: course-check-commit-msg MESSAGE_FILE (pre-commit passes git's file).

The hook judges the message git will store. git runs it on the file as
written and cleans the file up only afterwards, in the mode that
`git commit --cleanup` describes: when git opens an editor, comment lines and
everything below the `git commit -v` scissors line go; with -m or -F no editor
opens, lines starting with "#" are kept, and "#12 Fix the login" is a subject.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coursekit.hooks import rules
from coursekit.hooks.rules import Finding

SCISSORS = "------------------------ >8 ------------------------"
# The characters git picks from when core.commentChar is "auto".
AUTO_COMMENT_CHARS = "#;@!$%^&|:"
URL_ONLY_LINE = re.compile(r"\s*(?:\[\d+\]:?\s+)?<?[a-z][a-z0-9+.-]*://\S+?>?\s*")
LIST_MARKER = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")
DESCRIPTIVE_OPENER = re.compile(rules.DESCRIPTIVE_OPENER_PATTERN)
FIRST_WORD = re.compile(r"[A-Za-z]+")
SUBJECT_TAG = re.compile(rules.SUBJECT_TAG_PATTERN)
# Characters that build an emoji besides the symbols themselves: zero-width
# joiner, variation selectors, keycap.
EMOJI_PARTS = frozenset("\u200d\ufe0e\ufe0f\u20e3")
SKIN_TONES = range(0x1F3FB, 0x1F400)
FLAG_TAGS = range(0xE0020, 0xE0080)
TYPE_LABEL = re.compile(
    rf"(?i)(?P<type>{'|'.join(sorted(rules.SUBJECT_TYPE_LABELS))})"
    r"(?:\((?P<scope>[^()]*)\))?(?P<breaking>!)?:\s+(?=\S)"
)
ISSUE_FIRST = re.compile(r"#(?P<number>\d+)[\s:.)-]+(?P<words>\S.*)")
# What git sets GIT_EDITOR to for the hooks of a commit that opens no editor
# (githooks(5)).
NO_EDITOR = ":"


@dataclass(frozen=True)
class GitSettings:
    """What git tells a commit-msg hook about the clean-up to come."""

    # commit.cleanup; `git commit --cleanup=...` overrides it unseen.
    cleanup: str = "default"
    # core.commentChar or core.commentString ("auto" lets git choose).
    comment_prefix: str = "#"
    # False when git sets GIT_EDITOR=: for the hook: -m, -F, -C, --no-edit.
    editor: bool = True


@dataclass(frozen=True)
class StoredMessage:
    """A message as git will store it."""

    lines: tuple[str, ...]
    # The clean-up git applies: strip, whitespace, verbatim or scissors.
    mode: str
    comment_prefix: str
    # The author's first line when git will drop it as a comment ("#12 Fix
    # the login" typed in the editor), else None.
    commented_first_line: str | None = None


@dataclass(frozen=True)
class MessageReport:
    findings: tuple[Finding, ...]
    # The message with every correction the hook knows applied, or None when
    # it cannot correct anything.
    corrected: str | None

    @property
    def refused(self) -> bool:
        return any(f.rule.severity == rules.ERROR for f in self.findings)


def read_git_settings() -> GitSettings:
    """The settings git gives this hook: its configuration (including
    `git -c`) and GIT_EDITOR."""
    result = subprocess.run(
        [
            "git",
            "config",
            "--get-regexp",
            r"^(core\.comment(char|string)|commit\.cleanup)$",
        ],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
    )
    values: dict[str, str] = {}
    for setting in result.stdout.splitlines():
        # The last one git reads wins; its value follows the key and one space.
        key, _, value = setting.partition(" ")
        values["cleanup" if key == "commit.cleanup" else "comment"] = value
    return GitSettings(
        cleanup=values.get("cleanup") or "default",
        comment_prefix=values.get("comment") or "#",
        editor=os.environ.get("GIT_EDITOR") != NO_EDITOR,
    )


def cleanup_mode(setting: str, editor: bool) -> str:
    """The clean-up git applies for a --cleanup or commit.cleanup setting
    (git-commit(1)): `default` strips comments when git opens an editor and
    only whitespace otherwise; `scissors` needs an editor to cut anything."""
    if setting in ("strip", "whitespace", "verbatim"):
        return setting
    if setting == "scissors":
        return "scissors" if editor else "whitespace"
    return "strip" if editor else "whitespace"


def _guess_auto_comment_char(lines: Sequence[str]) -> str:
    """With core.commentChar=auto, git comments with a character that no line of
    the message starts with: find it from the scissors line or git's trailing
    block of comments (lines of the character alone or followed by a blank)."""
    for line in lines:
        if line[:1] in AUTO_COMMENT_CHARS and line[1:] == f" {SCISSORS}":
            return line[0]
    for line in reversed(lines):
        if line.strip():
            if line[0] in AUTO_COMMENT_CHARS and _is_git_comment(line, line[0]):
                return line[0]
            break
    return "#"


def _ends_with_git_help(lines: Sequence[str], comment_prefix: str) -> bool:
    """git closes the help and status it writes into the file with a line of
    the comment prefix alone, and writes them only when it opens an editor."""
    filled = [line for line in lines if line.strip()]
    return bool(filled) and filled[-1].rstrip() == comment_prefix


def _is_git_comment(line: str, comment_prefix: str) -> bool:
    """git follows its comment prefix with a blank, a tab or nothing; a line
    such as "#12 Fix the login" is the author's, though git drops it too."""
    after = line[len(comment_prefix) : len(comment_prefix) + 1]
    return line.startswith(comment_prefix) and after in ("", " ", "\t", "\r")


def _stripspace(lines: Sequence[str], comment_prefix: str | None) -> list[str]:
    """What `git stripspace` keeps: no comment lines (when a prefix is given),
    no trailing blanks, no blank lines at either end, one blank line where
    there were several."""
    kept: list[str] = []
    blank_before = False
    for line in lines:
        if comment_prefix and line.startswith(comment_prefix):
            continue
        line = line.rstrip(" \t\r")
        if not line:
            blank_before = bool(kept)
            continue
        if blank_before:
            kept.append("")
            blank_before = False
        kept.append(line)
    return kept


def stored_message(raw: str, settings: GitSettings = GitSettings()) -> StoredMessage:
    """The message git will store from the file `raw`, cleaned up as git is
    about to (see cleanup_mode). The file tells what the settings cannot:
    git writes its help and the scissors line only when it opens an editor
    (even if the caller exported GIT_EDITOR=:), and in the scissors mode
    (`--cleanup=scissors`, which a hook cannot see) it puts the scissors line
    above its help instead of below."""
    lines = raw.split("\n")
    prefix = settings.comment_prefix
    if prefix == "auto":
        prefix = _guess_auto_comment_char(lines)
    scissors = f"{prefix} {SCISSORS}"
    has_scissors = scissors in lines
    above_cut = lines[: lines.index(scissors)] if has_scissors else lines
    editor = settings.editor or has_scissors or _ends_with_git_help(above_cut, prefix)
    mode = cleanup_mode(settings.cleanup, editor)
    if (
        mode == "strip"
        and has_scissors
        and not any(_is_git_comment(line, prefix) for line in above_cut)
    ):
        mode = "scissors"
    if editor:
        # The line is git's, written for -v or the scissors mode: both cut.
        lines = above_cut
    if mode == "verbatim":
        kept = list(lines)
        while kept and not kept[-1]:
            kept.pop()
    else:
        kept = _stripspace(lines, prefix if mode == "strip" else None)
    first = next((line for line in lines if line.strip()), "")
    authors_comment = first.startswith(prefix) and not _is_git_comment(first, prefix)
    commented = first if mode == "strip" and authors_comment else None
    return StoredMessage(tuple(kept), mode, prefix, commented)


def _inflection_base(word: str, suffixes: Sequence[str]) -> str | None:
    """The base verb of a known verb's inflected form (added, adds, adding),
    or None when the word is a base verb or not a known verb."""
    lowered = word.lower()
    if lowered in rules.BASE_VERBS:
        return None
    if lowered in rules.IRREGULAR_FORMS:
        return rules.IRREGULAR_FORMS[lowered]
    for suffix in suffixes:
        stem = lowered.removesuffix(suffix)
        if stem == lowered or len(stem) < 2:
            continue
        candidates = (
            stem,
            stem + "e",  # updated -> update
            stem[:-1] + "y" if stem.endswith("i") else "",  # applies -> apply
            stem[:-1] if stem[-1] == stem[-2] else "",  # stopped -> stop
        )
        for candidate in candidates:
            if candidate in rules.BASE_VERBS:
                return candidate
    return None


def _uncapitalize(text: str) -> str:
    """Lower the first letter of an ordinary word, keep names like README."""
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and word[1:].islower():
        return text[0].lower() + text[1:]
    return text


def imperative_fix(subject: str) -> tuple[str, str | None] | None:
    """If the subject is not in the imperative, return the words at fault and
    the subject rewritten as a command (None when no rewrite is known)."""
    opener = DESCRIPTIVE_OPENER.match(subject)
    if opener:
        rest = subject[opener.end() :]
        verb = FIRST_WORD.match(rest)
        base = verb and (
            _inflection_base(verb.group(), ("es", "s"))
            or (
                verb.group().lower()
                if verb.group().lower() in rules.BASE_VERBS
                else None
            )
        )
        fixed = f"{base.capitalize()}{rest[verb.end() :]}" if base else None
        return opener.group().strip(), fixed
    first = FIRST_WORD.match(subject)
    if not first:
        return None
    base = _inflection_base(first.group(), ("ing", "ed", "es", "s"))
    if base:
        return first.group(), base.capitalize() + subject[first.end() :]
    if first.group().lower() in rules.BASE_VERBS or first.group().lower().endswith(
        rules.VERB_SUFFIXES
    ):
        return None
    # "Connection to db added": the verb comes last, in the passive.
    *head, last = subject.rstrip(".").split(" ")
    base = _inflection_base(last, ("ed",)) if head else None
    if base:
        return last, f"{base.capitalize()} {_uncapitalize(' '.join(head))}"
    return None


def _is_url_only(line: str) -> bool:
    return URL_ONLY_LINE.fullmatch(line) is not None


def _rewrap(line: str) -> list[str]:
    marker = LIST_MARKER.match(line)
    indent = line[: len(line) - len(line.lstrip())]
    return textwrap.wrap(
        line,
        width=rules.BODY_LINE_LIMIT,
        subsequent_indent=" " * marker.end() if marker else indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) == "So"
        or char in EMOJI_PARTS
        or code in SKIN_TONES
        or code in FLAG_TAGS
    )


def _tags(text: str) -> str:
    """The emoji, gitmoji codes and issue references a text starts with, and
    the blanks after them: "✨ " in "✨ Add login", ":sparkles: " in
    ":sparkles: Add login", "#12 " in "#12 Add login"."""
    end = 0
    while True:
        tag = SUBJECT_TAG.match(text, end)
        stop = tag.end() if tag else end
        while stop < len(text) and _is_emoji(text[stop]):
            stop += 1
        if stop == end:
            return text[:end]
        end = stop
        while end < len(text) and text[end].isspace():
            end += 1


def split_subject(subject: str) -> tuple[str, re.Match[str] | None, str]:
    """A subject's leading tags (see _tags), its type label and the words the
    rules judge: "✨ feat(ui): add login" -> "✨ ", "feat(ui): ", "add login"."""
    lead = _tags(subject)
    words = subject[len(lead) :]
    label = TYPE_LABEL.match(words)
    if label:
        words = words[label.end() :]
        after_label = _tags(words)  # "feat: ✨ add login"
        lead, words = lead + after_label, words[len(after_label) :]
    return lead, label, words


def _type_label_finding(label: re.Match[str]) -> Finding:
    kind = label["type"].lower()
    branch_type = rules.BRANCH_TYPE_ALIASES.get(kind, kind)
    branch = (
        f" ({branch_type}/...)" if branch_type in rules.DEFAULT_BRANCH_TYPES else ""
    )
    detail = (
        f'"{label.group().strip()}" is a Conventional-Commits type label. The '
        "course follows Chris Beams: the subject is a capitalized command, and "
        f"the branch name{branch} already says the type of change."
    )
    if label["scope"]:
        detail += f' Say the scope ("{label["scope"]}") in words if it matters.'
    if label["breaking"]:
        detail += ' Explain in the body what the change breaks (the "!") and why.'
    return Finding(
        rules.SUBJECT_NO_TYPE_PREFIX,
        textwrap.fill(detail, rules.BODY_LINE_LIMIT),
        fixable=not label["breaking"],
    )


def _check_subject(subject: str) -> tuple[list[Finding], str]:
    lead, label, words = split_subject(subject)
    if not words:
        detail = "The subject has no words: say what the change does."
        return [Finding(rules.MESSAGE_NOT_EMPTY, detail, fixable=False)], subject
    findings = [_type_label_finding(label)] if label else []
    fixed = words
    mood = imperative_fix(words)
    if mood:
        faulty, rewrite = mood
        hint = f': start with "{rewrite.split()[0]}"' if rewrite else ""
        findings.append(
            Finding(
                rules.SUBJECT_IMPERATIVE,
                f'"{faulty}" describes the change instead of commanding it{hint}.',
                fixable=rewrite is not None,
            )
        )
        fixed = rewrite or fixed
    if words[:1].islower():
        findings.append(
            Finding(
                rules.SUBJECT_CAPITALIZED,
                f'"{words.split()[0]}" starts with a lower-case letter.',
            )
        )
        fixed = fixed[:1].upper() + fixed[1:]
    fixed = lead + fixed
    if subject.endswith("."):
        findings.append(
            Finding(rules.SUBJECT_NO_PERIOD, "Remove the period at the end.")
        )
        fixed = fixed.rstrip(".").rstrip()
    length = len(subject)
    if length > rules.SUBJECT_SOFT_LIMIT:
        rule = (
            rules.SUBJECT_MAX_LENGTH
            if length > rules.SUBJECT_HARD_LIMIT
            else rules.SUBJECT_SHORT
        )
        findings.append(
            Finding(
                rule,
                f"The subject has {length} characters: say it shorter and move "
                "the detail into the body.",
                fixable=False,
            )
        )
    return findings, fixed


def _rescued_subject(line: str, comment_prefix: str) -> str | None:
    """The subject meant by a first line that git drops as a comment, with an
    issue reference moved to its end: "#12 Fix the login" -> "Fix the login
    (#12)". None when the line holds no words ("#12")."""
    issue = ISSUE_FIRST.fullmatch(line.rstrip())
    if issue:
        return f"{issue['words']} (#{issue['number']})"
    words = line[len(comment_prefix) :].strip()
    return words if any(char.isalpha() for char in words) else None


def _commented_subject_finding(message: StoredMessage) -> Finding:
    consequence = (
        f'"{message.lines[0]}" would become the subject'
        if message.lines
        else "the commit would be aborted as empty"
    )
    detail = (
        f'Line 1 starts with "{message.comment_prefix}", and git drops such '
        f"lines as comments when it opens an editor: {consequence}. Start the "
        "subject with a word (an issue reference can go at its end), or commit "
        "with -m, which keeps the line."
    )
    return Finding(
        rules.SUBJECT_NOT_A_COMMENT, textwrap.fill(detail, rules.BODY_LINE_LIMIT)
    )


def check_message(message: StoredMessage) -> MessageReport:
    """Check a message as git stores it (see stored_message)."""
    stored = list(message.lines)
    lines = stored
    findings: list[Finding] = []
    rescued = message.commented_first_line and _rescued_subject(
        message.commented_first_line, message.comment_prefix
    )
    if rescued:
        findings.append(_commented_subject_finding(message))
        lines = [rescued, *([""] + stored if stored else [])]
    start = next((n for n, line in enumerate(lines) if line.strip()), None)
    if start is None:
        detail = "The message is empty: write a subject line (and a body)."
        return MessageReport((Finding(rules.MESSAGE_NOT_EMPTY, detail, False),), None)
    if start:
        detail = (
            "Line 1 is blank and git keeps the message verbatim, so its subject "
            "would be empty: start the message on line 1."
        )
        findings.append(Finding(rules.MESSAGE_NOT_EMPTY, detail))
        lines = lines[start:]
    subject, rest = lines[0], list(lines[1:])
    if subject.startswith(rules.EXEMPT_SUBJECT_PREFIXES):
        return MessageReport(tuple(findings), None)
    subject_findings, fixed_subject = _check_subject(subject)
    findings += subject_findings
    body = rest
    if rest and rest[0]:
        findings.append(
            Finding(
                rules.BLANK_LINE_AFTER_SUBJECT,
                "Line 2 must be blank: it ends the subject.",
            )
        )
    elif rest:
        body = rest[1:]
    long_lines = [
        (number, line)
        for number, line in enumerate(body, start=len(lines) - len(body) + 1)
        if len(line) > rules.BODY_LINE_LIMIT and not _is_url_only(line)
    ]
    if long_lines:
        where = ", ".join(f"line {n} has {len(line)}" for n, line in long_lines)
        findings.append(
            Finding(
                rules.BODY_WRAPPED,
                f"{where} characters; break the lines at "
                f"{rules.BODY_LINE_LIMIT} characters.",
            )
        )
    fixed_body = [
        wrapped
        for line in body
        for wrapped in (
            _rewrap(line)
            if len(line) > rules.BODY_LINE_LIMIT and not _is_url_only(line)
            else [line]
        )
    ]
    fixed = [fixed_subject, *([""] + fixed_body if fixed_body else [])]
    corrected = None if fixed == stored else "\n".join(fixed)
    return MessageReport(tuple(findings), corrected)


def recommit_command(message: StoredMessage, message_file: str) -> str:
    """The command that reopens the kept message in the editor. There git's
    default clean-up would drop the lines that start with the comment prefix,
    which this message keeps; the scissors mode keeps them and still removes
    the help git adds."""
    command = f"git commit --edit --file={message_file}"
    if message.mode != "strip" and any(
        line.startswith(message.comment_prefix) for line in message.lines
    ):
        command += (
            " --cleanup=scissors\n"
            f'(so that the editor keeps your lines that start with "'
            f'{message.comment_prefix}")'
        )
    return command


def format_report(report: MessageReport, recommit: str) -> str:
    errors = [f for f in report.findings if f.rule.severity == rules.ERROR]
    parts = []
    if errors:
        count = f"{len(errors)} rule{'s' if len(errors) > 1 else ''}"
        parts.append(
            f"Commit refused: the message breaks {count} of the course's git\n"
            'conventions (see the "Git conventions" page of the course site).'
        )
    parts += [finding.render() for finding in report.findings]
    if report.refused and report.corrected is not None:
        parts.append(
            "Corrected message:\n\n" + textwrap.indent(report.corrected, "    ")
        )
        by_hand = [f.rule.code for f in errors if not f.fixable]
        if by_hand:
            parts.append(f"Still to fix by hand: {', '.join(by_hand)}.")
    if report.refused:
        parts.append(
            f"Your message is kept; edit it and commit again with:\n    {recommit}"
        )
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-check-commit-msg",
        description="Check a commit message against the course's conventions.",
    )
    parser.add_argument("message_file", help="the commit message file git wrote")
    args = parser.parse_args(argv)
    raw = Path(args.message_file).read_text(encoding="utf-8", errors="replace")
    message = stored_message(raw, read_git_settings())
    report = check_message(message)
    if report.findings:
        print(format_report(report, recommit_command(message, args.message_file)))
    return 1 if report.refused else 0


if __name__ == "__main__":
    raise SystemExit(main())
