"""`05_src/.env`: the settings the course code reads must all be there."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem

SRC_DIR = "05_src"
REQUIRED_KEYS = ("LOG_DIR", "LOG_LEVEL", "DB_URL")
"""What 05_src reads from the environment (logger.py and database.py)."""
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_]\w*)\s*=")


def check_env(root: Path) -> list[Problem]:
    src = root / SRC_DIR
    if not src.is_dir():
        return []  # no course code (yet): nothing reads a .env
    env_file = src / ".env"
    if not env_file.is_file():
        return [
            Problem(
                env_file,
                1,
                1,
                "env-missing",
                f"{SRC_DIR}/.env is missing; the course code reads "
                f"{', '.join(REQUIRED_KEYS)} from it",
                f"create {SRC_DIR}/.env with one `KEY=value` line for each",
            )
        ]
    lines = env_file.read_text(encoding="utf-8").splitlines()
    present = {match["key"] for line in lines if (match := _ASSIGNMENT.match(line))}
    return [
        Problem(
            env_file,
            len(lines) + 1,
            1,
            "env-key",
            f"{key} is not set; the course code reads it",
            f"add a line `{key}=...` to {SRC_DIR}/.env",
        )
        for key in REQUIRED_KEYS
        if key not in present
    ]
