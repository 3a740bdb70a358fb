"""Publish the course site as one term's offering on the gh-pages branch.

    python -m offerings.publish 2027-winter   # `make publish TERM=2027-winter`

Every term keeps its own copy of the site on gh-pages (`/2027-winter/`),
built once by mike and never rebuilt, so the learners of a past term keep
the site they were taught from while the next term's site changes. The
newest term is also `latest`, where the site's root leads; every page of an
older term shows a banner naming its term and linking to the current one.

In order: check the term name; bring gh-pages up to date with the remote
and read the terms published so far; build the site strictly, as this term,
and commit it to gh-pages with mike, moving `latest` only when this term is
the newest (republishing a past term leaves `latest` where it is); order
versions.json by term; on the first publication, lead the root to
`latest`; push gh-pages. A build that fails commits nothing, so gh-pages
keeps every site it had.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

from .terms import EXAMPLE, Term, TermError, is_term, order_versions, parse_term

REMOTE = "origin"
BRANCH = "gh-pages"
CURRENT_ALIAS = "latest"
"""mike's alias of the newest term; Material's banner shows on every other."""
CURRENT_TERM_FILE = Path("CURRENT_TERM")
"""The term that main is taught in: the Pages workflow publishes main as it."""


class PublishError(Exception):
    """A step failed; the message says which and what git or mike said."""


def build_environment(term: Term) -> dict[str, str]:
    """What mkdocs.yml reads when mike builds the site as `term`.

    Plain builds and `mkdocs serve` have none of these: their pages have no
    versions.json beside them, so they get no version selector to fill.
    """
    scripts = sysconfig.get_path("scripts")
    return {
        **os.environ,
        # mike runs `mkdocs` by name: the one of this environment.
        "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")]),
        "COURSE_VERSION_PROVIDER": "mike",
        "COURSE_TERM_TITLE": term.title,
        # mike cannot pass --strict: a warning fails this build all the same.
        "COURSE_STRICT": "true",
    }


def run(
    args: Sequence[str],
    env: dict[str, str],
    *,
    capture: bool = False,
    stdin: str | None = None,
) -> str:
    """Run a git or mike command; its output is shown unless captured."""
    result = subprocess.run(
        args,
        env=env,
        # git and mike write UTF-8, whatever the system's code page is.
        encoding="utf-8",
        input=stdin,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if result.returncode != 0:
        said = f":\n{result.stderr.strip()}" if capture and result.stderr else ""
        raise PublishError(f"`{shlex.join(args)}` failed{said}")
    return result.stdout if capture else ""


def published_versions(env: dict[str, str]) -> list[dict]:
    """versions.json of the gh-pages that mike is about to publish onto.

    The remote's gh-pages is fetched first. mike then fast-forwards the local
    branch to it, or keeps the local one when that already holds it (a
    publication whose push failed, pushed with this one); branches that
    diverged make mike stop before it builds.
    """
    remote = subprocess.run(
        ["git", "ls-remote", "--exit-code", "--heads", REMOTE, BRANCH],
        env=env,
        capture_output=True,
        encoding="utf-8",
    )
    if remote.returncode not in (0, 2):  # 2: the remote has no gh-pages yet
        raise PublishError(f"cannot read the remote {REMOTE}:\n{remote.stderr.strip()}")
    tracking = f"refs/remotes/{REMOTE}/{BRANCH}"
    local = f"refs/heads/{BRANCH}"
    if remote.returncode == 0:
        run(["git", "fetch", "--quiet", REMOTE, f"+{local}:{tracking}"], env)
        holds_remote = _git_succeeds(
            ["merge-base", "--is-ancestor", tracking, local], env
        )
        branch = local if holds_remote else tracking
    elif _git_succeeds(["rev-parse", "--verify", "--quiet", local], env):
        branch = local
    else:
        return []
    return json.loads(
        run(["git", "show", f"{branch}:versions.json"], env, capture=True)
    )


def _git_succeeds(args: Sequence[str], env: dict[str, str]) -> bool:
    return subprocess.run(["git", *args], env=env, capture_output=True).returncode == 0


def newest_published(versions: list[dict]) -> Term | None:
    names = [entry["version"] for entry in versions]
    return max((parse_term(name) for name in names if is_term(name)), default=None)


def deploy(term: Term, newest: bool, env: dict[str, str]) -> None:
    aliases = [CURRENT_ALIAS] if newest else []
    update = ["--update-aliases"] if newest else []
    # `latest` is made of pages that redirect to the newest term, so a
    # learner's address bar (and bookmark) names the term.
    run(
        [
            "mike",
            "deploy",
            *update,
            "--alias-type",
            "redirect",
            "--title",
            term.title,
            term.name,
            *aliases,
        ],
        env,
    )


def order_published_versions(env: dict[str, str]) -> None:
    """Commit versions.json with the terms newest first, if mike's order differs.

    The commit changes that one file of the tree mike committed (with git's
    plumbing: mike has no ordering option).
    """
    current = json.loads(
        run(["git", "show", f"{BRANCH}:versions.json"], env, capture=True)
    )
    ordered = order_versions(current)
    if ordered == current:
        return
    content = json.dumps(ordered, indent=2) + "\n"
    write_blob = ["git", "hash-object", "-w", "--stdin"]
    blob = run(write_blob, env, capture=True, stdin=content).strip()
    entries = run(["git", "ls-tree", BRANCH], env, capture=True).splitlines()
    tree = "".join(
        f"100644 blob {blob}\tversions.json\n"
        if entry.endswith("\tversions.json")
        else f"{entry}\n"
        for entry in entries
    )
    new_tree = run(["git", "mktree"], env, capture=True, stdin=tree).strip()
    parent = run(["git", "rev-parse", BRANCH], env, capture=True).strip()
    message = "Order the terms newest first in versions.json"
    commit = run(
        ["git", "commit-tree", new_tree, "-p", parent, "-m", message], env, capture=True
    ).strip()
    run(["git", "update-ref", f"refs/heads/{BRANCH}", commit, parent], env)


def lead_root_to_current(env: dict[str, str]) -> None:
    """On the first publication, make the site's root redirect to `latest`."""
    if not _git_succeeds(["cat-file", "-e", f"{BRANCH}:index.html"], env):
        run(["mike", "set-default", CURRENT_ALIAS], env)


def warn_if_dirty(env: dict[str, str]) -> None:
    status = run(["git", "status", "--porcelain"], env, capture=True)
    if status.strip():
        print(
            "publish: warning: the work tree has uncommitted changes; the site "
            "is built with them, but the gh-pages commit names HEAD only",
            file=sys.stderr,
        )


def publish(term: Term) -> str:
    """Publish the site as `term`; returns what happened, in one sentence."""
    env = build_environment(term)
    warn_if_dirty(env)
    current = newest_published(published_versions(env))
    newest = current is None or term >= current
    deploy(term, newest, env)
    order_published_versions(env)
    lead_root_to_current(env)
    run(["git", "push", "--quiet", REMOTE, BRANCH], env)
    if newest:
        where = f"it is the current term ({CURRENT_ALIAS})"
    else:
        where = f"{CURRENT_ALIAS} stays on {current}, a newer term"
    return f"published {term.title} as /{term.name}/ on {BRANCH} of {REMOTE}; {where}"


def _suggested_term(error: TermError) -> str:
    """The term to suggest: the one meant, else main's current term."""
    if error.guess:
        return error.guess
    try:
        return parse_term(CURRENT_TERM_FILE.read_text(encoding="utf-8").strip()).name
    except (OSError, TermError):
        return EXAMPLE


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m offerings.publish",
        description="Publish the course site as one term's offering on gh-pages.",
    )
    parser.add_argument(
        "term", nargs="?", default="", help=f"the term, <year>-<season>: {EXAMPLE}"
    )
    args = parser.parse_args(argv)
    try:
        term = parse_term(args.term)
    except TermError as error:
        suggestion = f"make publish TERM={_suggested_term(error)}"
        print(f"publish: {error}\n  run: {suggestion}", file=sys.stderr)
        return 2
    try:
        print(f"publish: {publish(term)}")
    except PublishError as error:
        print(f"publish: {error}\n  gh-pages on {REMOTE} is unchanged", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
