"""The `course` command: what instructors and the Makefile call."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def _git_toplevel(root: Path) -> Path | None:
    """The top of the git work tree that `root` is in, or None outside one."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            cwd=root,
        )
    except FileNotFoundError:
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def _install_hooks(args: argparse.Namespace) -> int:
    """Install the pre-commit git hooks, but only in this repository's own clone."""
    root = Path(args.root).resolve()
    toplevel = _git_toplevel(root)
    # A course unpacked inside some other repository (a home directory under
    # git, a monorepo) must not install its hooks into that repository.
    if toplevel is None or toplevel.resolve() != root:
        print("course: not a git clone, git hooks not installed", file=sys.stderr)
        return 0
    if not (root / ".pre-commit-config.yaml").exists():
        return 0
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--install-hooks"],
        cwd=root,
        stdout=subprocess.DEVNULL,
    ).returncode


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="course",
        description="Build, check and export the course in this repository.",
    )
    parser.add_argument(
        "--root", default=".", help="course repository root (default: %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    hooks = commands.add_parser(
        "install-hooks", help="install the git hooks (does nothing outside a clone)"
    )
    hooks.set_defaults(run=_install_hooks)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
