"""The "Git conventions" page of the site, generated from the hooks' rules.

render() builds the page from the rule definitions in rules.py and runs every
bad example through the hooks' own checks to show the correction they propose,
so the page cannot drift from what the hooks enforce.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import yaml

from coursekit.hooks import check_branch_name, check_commit_msg, rules

BRANCH_HOOK_ID = "check-branch-name"
SEVERITY_LABELS = {
    rules.ERROR: "the commit is refused",
    rules.WARNING: "the hook warns, the commit goes through",
    rules.GUIDANCE: "reviewers judge it, no hook can",
}


def configured_branch_types(config_file: Path) -> tuple[str, ...]:
    """The branch types that `--types` gives the branch hook in a
    .pre-commit-config.yaml, or the defaults when it gives none."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    for repo in config.get("repos", []):
        for hook in repo.get("hooks", []):
            args = [str(arg) for arg in hook.get("args", [])]
            if hook.get("id") == BRANCH_HOOK_ID and "--types" in args[:-1]:
                value = args[args.index("--types") + 1]
                return tuple(t.strip() for t in value.split(",") if t.strip())
    return rules.DEFAULT_BRANCH_TYPES


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _heading(rule: rules.Rule) -> list[str]:
    return [
        f"### {_text(rule.title)} {{#{rule.code}}}",
        "",
        f"Rule `{rule.code}`: {SEVERITY_LABELS[rule.severity]}.",
        "",
        _text(rule.why),
        "",
    ]


def _admonition(kind: str, title: str, body: Sequence[str]) -> list[str]:
    lines = [f'!!! {kind} "{title}"', ""]
    lines += [f"    {line}" if line else "" for line in body]
    return [*lines, ""]


def _code_block(text: str) -> list[str]:
    return ["```text", *(text.splitlines() or [""]), "```", ""]


def _branch_section(types: Sequence[str]) -> list[str]:
    trunk = " or ".join(f"`{b}`" for b in rules.TRUNK_BRANCHES)
    lines = [
        "## Branches: trunk-based development",
        "",
        f"{trunk} is the trunk. Every change is made on a short-lived branch "
        "cut from it and comes back through a pull request; before you open "
        "the pull request, bring the latest `main` into your branch and "
        "resolve any conflict there.",
        "",
        *_heading(rules.NO_COMMIT_ON_TRUNK),
        *_admonition(
            "tip",
            "Committed on main by mistake? Nothing is lost",
            [
                "The hook stops the commit before it is made. Carry your staged "
                "work to a new branch and commit there:",
                "",
                *_code_block("git switch -c feature/<what-it-changes>"),
            ],
        ),
        *_heading(rules.BRANCH_NAME),
        "| Branch | Use it for |",
        "| --- | --- |",
        *(
            f"| `{kind}/<description>` | {rules.BRANCH_TYPE_PURPOSES.get(kind, '')} |"
            for kind in types
        ),
        "| `assignment-<N>` | the submission of assignment N |",
        "",
        "The description is lower-case words and digits joined by hyphens.",
        "",
        " and ".join(f"`{b}`" for b in rules.PUBLISHING_BRANCHES)
        + " is written and pushed by the tools that publish a site (mike, "
        "`mkdocs gh-deploy`), never by hand, and keeps its name.",
        "",
    ]
    good = [f"- `{name}`" for name in rules.BRANCH_NAME.good]
    lines += _admonition("success", "Good names", good)
    bad = ["| Refused | Suggested by the hook |", "| --- | --- |"]
    for name in rules.BRANCH_NAME.bad:
        suggestion = check_branch_name.suggest_name(name, types)
        shown = (
            f"`{suggestion}`" if suggestion else "choose a type and describe the change"
        )
        bad.append(f"| `{name}` | {shown} |")
    return lines + _admonition("failure", "Refused names", bad)


def _examples(messages: Sequence[str]) -> list[str]:
    """One-line messages as a list, longer ones as code blocks."""
    if all("\n" not in m for m in messages):
        return [f"- `{m}`" if m else "- *(an empty message)*" for m in messages]
    return [line for m in messages for line in _code_block(m)]


def _message_examples(rule: rules.Rule) -> list[str]:
    lines = _admonition("success", "Good", _examples(rule.good))
    title = {rules.ERROR: "Refused", rules.WARNING: "Warned"}.get(
        rule.severity, "Not what the body is for"
    )
    # Judged as written in the editor, where git drops comment lines.
    pairs = [
        (bad, check_commit_msg.check_message(check_commit_msg.stored_message(bad)))
        for bad in rule.bad
    ]
    if all(report.corrected is None for _, report in pairs):
        return lines + _admonition("failure", title, _examples(rule.bad))
    if all("\n" not in f"{bad}{report.corrected}" for bad, report in pairs):
        body = ["| Message | The hook proposes |", "| --- | --- |"]
        body += [
            f"| `{bad}` | "
            + (f"`{report.corrected}` |" if report.corrected else "rewrite it |")
            for bad, report in pairs
        ]
        return lines + _admonition("failure", title, body)
    body = []
    for bad, report in pairs:
        body += _code_block(bad)
        if report.corrected is not None:
            body += ["The hook proposes:", "", *_code_block(report.corrected)]
    return lines + _admonition("failure", title, body)


def _message_section() -> list[str]:
    exempt = ", ".join(
        f"`{prefix.strip()}`" for prefix in rules.EXEMPT_SUBJECT_PREFIXES
    )
    lines = [
        "## Commit messages",
        "",
        'The rules follow Chris Beams, "How to Write a Git Commit Message". '
        "They apply to pull-request titles and descriptions too.",
        "",
    ]
    for rule in rules.MESSAGE_RULES:
        lines += [*_heading(rule), *_message_examples(rule)]
    lines += [
        "### Messages git writes itself",
        "",
        f"Messages whose subject starts with {exempt} are written by git or "
        "by an interactive rebase, not by you: the hook lets them through.",
        "",
        "### Comments, `-m` and `git commit -v`",
        "",
        "The hook checks the message as git will store it, and git cleans "
        "the message up differently depending on how you wrote it:",
        "",
        "- In the editor (`git commit`, `git commit -v`), lines that start "
        "with git's comment character (`#`, or the one set in "
        "`core.commentChar`) are comments and are dropped, and so is "
        "everything below the scissors line that `-v` adds above the diff.",
        "- With `git commit -m` or `-F` no editor opens and git keeps such "
        'lines: `git commit -m "#12 Fix the login"` stores that subject.',
        "- `git config commit.cleanup whitespace` keeps them in the editor "
        "too (you then delete git's help lines yourself), and "
        "`git commit --cleanup=scissors` keeps them and drops only what is "
        "below the scissors line. The hook reads `commit.cleanup`; of the "
        "options typed on the command line it can only recognize "
        "`--cleanup=scissors`, from where git puts the scissors line.",
        "",
        "### Emoji and issue references",
        "",
        "A subject may start with an emoji (`✨ Add login`), a gitmoji code "
        "(`:sparkles: Add login`) or, with `-m`, an issue reference "
        "(`#12 Add login`): the rules judge the words after it, and the "
        "hook's corrections keep it.",
        "",
    ]
    return lines


def render(branch_types: Sequence[str] = rules.DEFAULT_BRANCH_TYPES) -> str:
    """The page, in MkDocs Material Markdown."""
    lines = [
        "# Git conventions",
        "",
        *_admonition(
            "info",
            "Enforced by the repository's git hooks",
            [
                "`make setup` installs git hooks (with pre-commit) that check "
                "branches when you commit and push, and messages when you "
                "commit. This page is generated from the rules those hooks "
                "use: each refused example below is refused by the hook, with "
                "the correction it proposes.",
            ],
        ),
        *_branch_section(branch_types),
        *_message_section(),
        "## When the hooks run",
        "",
        "| When | What is checked |",
        "| --- | --- |",
        "| `git commit`, before the message | file hygiene: lint and format, "
        "YAML/JSON/TOML syntax, whitespace, merge markers, large files, keys "
        "and credentials, notebook outputs |",
        "| `git commit`, with the message | no commit on the trunk, the branch "
        "name and the message rules, all reported together |",
        "| `git push` | the names of the branches being pushed |",
        "",
    ]
    return "\n".join(lines)
