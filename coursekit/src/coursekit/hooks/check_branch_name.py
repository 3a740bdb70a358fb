"""Commit and push hook: branches follow the course's conventions.

At a commit (the commit-msg stage, so that the message hook reports in the same
run): no commit on the trunk, and the checked-out branch is well named. A
detached HEAD (rebase, bisect, a CI checkout) has no branch and passes.
At a push: the branches being pushed (pre-commit's PRE_COMMIT_LOCAL_BRANCH and
PRE_COMMIT_REMOTE_BRANCH) are well named, whatever is checked out; pushing the
trunk is allowed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from collections.abc import Mapping, Sequence

from coursekit.hooks import rules
from coursekit.hooks.rules import Finding

BRANCH_REF_PREFIX = "refs/heads/"


def _name_pattern(types: Sequence[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in types)
    return re.compile(
        rf"(?:{alternatives})/{rules.DESCRIPTION_PATTERN}"
        rf"|{rules.ASSIGNMENT_PATTERN}"
        rf"|{'|'.join(rules.TRUNK_BRANCHES + rules.PUBLISHING_BRANCHES)}"
    )


def suggest_name(name: str, types: Sequence[str]) -> str | None:
    """A conventional name close to `name`, or None when none can be guessed
    (a name like "stuff" needs a type and a description from its author)."""
    lowered = name.strip().lower()
    kind, slash, description = lowered.partition("/")
    kebab = re.sub(r"[^a-z0-9]+", "-", description if slash else kind).strip("-")
    if not slash:
        number = re.fullmatch(r"assignment-?0*([1-9][0-9]*)", kebab)
        return f"assignment-{number.group(1)}" if number else None
    kind = rules.BRANCH_TYPE_ALIASES.get(kind, kind)
    if kind in types and kebab:
        return f"{kind}/{kebab}"
    return None


def name_finding(name: str, types: Sequence[str], rename_hint: str) -> Finding | None:
    """The branch-name rule for one name; `rename_hint` is the command that
    renames it, with {new} where the new name goes."""
    pattern = _name_pattern(types)
    if pattern.fullmatch(name):
        return None
    examples = [good for good in rules.BRANCH_NAME.good if pattern.fullmatch(good)]
    suggestion = suggest_name(name, types)
    new = suggestion or f"{types[0]}/<what-it-changes>"
    detail = (
        f'"{name}" is neither <type>/<short-kebab-description> nor '
        "assignment-<N>.\n"
        f"Types: {', '.join(types)}.\n"
        f"Good names: {', '.join(examples)}.\n"
        f"Rename it: {rename_hint.format(new=new)}"
    )
    return Finding(rules.BRANCH_NAME, detail, fixable=suggestion is not None)


def trunk_finding(branch: str) -> Finding:
    detail = (
        f"You are on {branch}. Take your staged work to a new branch and commit "
        "there:\n"
        "    git switch -c feature/<what-it-changes>\n"
        "then open a pull request to merge it."
    )
    return Finding(rules.NO_COMMIT_ON_TRUNK, detail)


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], capture_output=True, encoding="utf-8", errors="replace"
    )


def current_branch() -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    result = _git("symbolic-ref", "--quiet", "--short", "HEAD")
    return result.stdout.strip() if result.returncode == 0 else None


def head_is_unborn() -> bool:
    return _git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0


def push_findings(environ: Mapping[str, str], types: Sequence[str]) -> list[Finding]:
    remote = environ.get("PRE_COMMIT_REMOTE_NAME", "origin")
    local_ref = environ.get("PRE_COMMIT_LOCAL_BRANCH", "")
    remote_ref = environ["PRE_COMMIT_REMOTE_BRANCH"]
    local = local_ref.removeprefix(BRANCH_REF_PREFIX)
    findings = []
    if local_ref.startswith(BRANCH_REF_PREFIX):
        finding = name_finding(local, types, f"git branch -m {local} {{new}}")
        findings.append(finding)
    if remote_ref.startswith(BRANCH_REF_PREFIX):
        remote_name = remote_ref.removeprefix(BRANCH_REF_PREFIX)
        source = local if local_ref.startswith(BRANCH_REF_PREFIX) else "HEAD"
        if remote_name != local:
            hint = f"git push {remote} {source}:{{new}}"
            findings.append(name_finding(remote_name, types, hint))
    return [f for f in findings if f]


def commit_findings(environ: Mapping[str, str], types: Sequence[str]) -> list[Finding]:
    branch = current_branch()
    if branch is None:
        return []
    # git sets GIT_INDEX_FILE for the hooks of `git commit` only: whatever
    # stage runs this hook, checks on main without a commit (CI) pass.
    committing = "GIT_INDEX_FILE" in environ
    # The first commit of a repository is what creates the trunk.
    if branch in rules.TRUNK_BRANCHES and committing and not head_is_unborn():
        return [trunk_finding(branch)]
    finding = name_finding(branch, types, f"git branch -m {branch} {{new}}")
    return [finding] if finding else []


def _types(value: str) -> tuple[str, ...]:
    types = tuple(t.strip() for t in value.split(",") if t.strip())
    if not types:
        raise argparse.ArgumentTypeError("give at least one branch type")
    return types


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-check-branch",
        description="Check branch names (and refuse commits on the trunk).",
    )
    parser.add_argument(
        "--types",
        type=_types,
        default=rules.DEFAULT_BRANCH_TYPES,
        help="comma-separated branch types (default: "
        f"{','.join(rules.DEFAULT_BRANCH_TYPES)})",
    )
    # pre-commit may pass file names; the branch does not depend on them.
    parser.add_argument("filenames", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if "PRE_COMMIT_REMOTE_BRANCH" in os.environ:
        findings = push_findings(os.environ, args.types)
    else:
        findings = commit_findings(os.environ, args.types)
    if findings:
        print(
            "Branch refused by the course's git conventions\n"
            '(see the "Git conventions" page of the course site).\n\n'
            + "\n\n".join(f.render() for f in findings)
        )
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
