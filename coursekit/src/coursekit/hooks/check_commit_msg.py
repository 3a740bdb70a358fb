"""commit-msg hook: the message follows the course's commit-message rules.

Usage: course-check-commit-msg MESSAGE_FILE (pre-commit passes git's file).
The message is checked as git will store it: comment lines and everything
below the `git commit -v` scissors line are left out.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import textwrap
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


@dataclass(frozen=True)
class MessageReport:
    findings: tuple[Finding, ...]
    # The message with every correction the hook knows applied, or None when
    # it cannot correct anything.
    corrected: str | None

    @property
    def refused(self) -> bool:
        return any(f.rule.severity == rules.ERROR for f in self.findings)


def git_comment_prefix() -> str:
    """The comment prefix git uses here: core.commentChar or core.commentString."""
    result = subprocess.run(
        ["git", "config", "--get-regexp", r"^core\.comment(char|string)$"],
        capture_output=True,
        text=True,
    )
    settings = result.stdout.splitlines()
    # The last one git reads wins; its value follows the key and one space.
    return (settings[-1].partition(" ")[2] if settings else "") or "#"


def _guess_auto_comment_char(lines: Sequence[str]) -> str:
    """With core.commentChar=auto, git comments with a character that no line of
    the message starts with: find it from the scissors line or git's trailing
    block of comments (lines of the character alone or followed by a blank)."""
    for line in lines:
        if line[:1] in AUTO_COMMENT_CHARS and line[1:] == f" {SCISSORS}":
            return line[0]
    for line in reversed(lines):
        if line.strip():
            if line[0] in AUTO_COMMENT_CHARS and line[1:2] in ("", " ", "\t"):
                return line[0]
            break
    return "#"


def message_lines(raw: str, comment_prefix: str = "#") -> list[str]:
    """The lines git will store: no comments, nothing below the scissors line,
    no trailing blanks, no blank lines around the message."""
    lines = raw.splitlines()
    if comment_prefix == "auto":
        comment_prefix = _guess_auto_comment_char(lines)
    kept: list[str] = []
    for line in lines:
        if line == f"{comment_prefix} {SCISSORS}":
            break
        if not line.startswith(comment_prefix):
            kept.append(line.rstrip())
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return kept


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


def _check_subject(subject: str) -> tuple[list[Finding], str]:
    findings: list[Finding] = []
    fixed = subject
    mood = imperative_fix(subject)
    if mood:
        words, rewrite = mood
        hint = f': start with "{rewrite.split()[0]}"' if rewrite else ""
        findings.append(
            Finding(
                rules.SUBJECT_IMPERATIVE,
                f'"{words}" describes the change instead of commanding it{hint}.',
                fixable=rewrite is not None,
            )
        )
        fixed = rewrite or fixed
    if subject[:1].islower():
        findings.append(
            Finding(
                rules.SUBJECT_CAPITALIZED,
                f'The subject starts with a lower-case "{subject[:1]}".',
            )
        )
        fixed = fixed[:1].upper() + fixed[1:]
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


def check_message(lines: Sequence[str]) -> MessageReport:
    """Check a message as git stores it (see message_lines)."""
    if not lines:
        detail = "The message is empty: write a subject line (and a body)."
        return MessageReport((Finding(rules.MESSAGE_NOT_EMPTY, detail, False),), None)
    subject, rest = lines[0], list(lines[1:])
    if subject.startswith(rules.EXEMPT_SUBJECT_PREFIXES):
        return MessageReport((), None)
    findings, fixed_subject = _check_subject(subject)
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
    corrected = None if fixed == list(lines) else "\n".join(fixed)
    return MessageReport(tuple(findings), corrected)


def format_report(report: MessageReport, message_file: str) -> str:
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
            "Your message is kept; edit it and commit again with:\n"
            f"    git commit --edit --file={message_file}"
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
    report = check_message(message_lines(raw, git_comment_prefix()))
    if report.findings:
        print(format_report(report, args.message_file))
    return 1 if report.refused else 0


if __name__ == "__main__":
    raise SystemExit(main())
