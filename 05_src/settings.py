"""Load the course settings from 05_src/.env and remember where each came from.

A variable already set in the environment wins over the file: that is how CI,
a test or a learner points DB_URL somewhere else without editing `.env`.

Relative paths written in a `.env` file are relative to that file's folder, not
to the current directory, so the lab (run from `01_materials/labs/`) and a
script run from the repository root use the same `logs/` and `data/` folders.
"""

from __future__ import annotations

import os
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path

from dotenv.parser import parse_stream
from dotenv.variables import Variable, parse_variables
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SRC_DIR = Path(__file__).resolve().parent
ENV_FILE = SRC_DIR / ".env"
SERVICES_ENV_FILE = SRC_DIR / "docker" / ".env"
"""The credentials of the docker services; `.env` may refer to them as `${NAME}`."""

_sources: dict[str, tuple[str, str]] = {}
"""(where it is written, value) of each setting load_env() put into os.environ."""


class SettingsError(Exception):
    """A setting is missing or wrong; the message says what to change."""


def load_env(
    env_file: Path = ENV_FILE, services_env_file: Path = SERVICES_ENV_FILE
) -> Path:
    """Put the settings of `env_file` into `os.environ` and return its path.

    `${NAME}` in a value is replaced by NAME from the environment, from an
    earlier line of `env_file` or from `services_env_file`, in that order.
    """
    env_file = Path(env_file).resolve()
    if not env_file.is_file():
        raise SettingsError(
            f"{env_file} is missing. It holds LOG_DIR, LOG_LEVEL and DB_URL; "
            "restore it with `git checkout -- 05_src/.env`."
        )
    services_file = Path(services_env_file).resolve()
    services = (
        {key: value for key, value, _ in _read(services_file)}
        if services_file.is_file()
        else {}
    )
    # Earlier lines of env_file are in os.environ by the time a later one is read.
    known = ChainMap(os.environ, services)
    for key, raw, line in _read(env_file):
        if key in os.environ and not _set_by_load_env(key):
            continue
        where = f"{env_file}, line {line}"
        value = _interpolate(raw, known, where, services_file)
        os.environ[key] = _anchor_paths(key, value, env_file.parent, where)
        _sources[key] = (where, os.environ[key])
    return env_file


def source_of(name: str) -> str:
    """Say where the setting `name` comes from, for error messages."""
    return _sources[name][0] if _set_by_load_env(name) else "the environment"


def _set_by_load_env(name: str) -> bool:
    """False once something else has changed the variable since."""
    return name in _sources and _sources[name][1] == os.environ.get(name)


def _read(env_file: Path) -> list[tuple[str, str, int]]:
    """(key, raw value, line) of each assignment; a line dotenv cannot parse is
    an error rather than the warning python-dotenv prints and ignores."""
    with env_file.open(encoding="utf-8") as stream:
        bindings = list(parse_stream(stream))
    assignments = []
    for binding in bindings:
        # A binding's text starts with the blank lines before it.
        text = binding.original.string
        line = binding.original.line + text[: len(text) - len(text.lstrip())].count(
            "\n"
        )
        if binding.error:
            raise SettingsError(
                f"{env_file}, line {line}: cannot read "
                f"{binding.original.string.strip()!r}; write it as NAME=value."
            )
        if binding.key is not None:
            assignments.append((binding.key, binding.value or "", line))
    return assignments


def _interpolate(raw: str, known: Mapping[str, str], where: str, services: Path) -> str:
    parts = []
    for atom in parse_variables(raw):
        unset = isinstance(atom, Variable) and atom.default is None
        if unset and atom.name not in known:
            raise SettingsError(
                f"{where}: ${{{atom.name}}} is not set. Define it earlier in "
                f"that file, in {services} or in the environment."
            )
        parts.append(atom.resolve(known))
    return "".join(parts)


def _anchor_paths(key: str, value: str, folder: Path, where: str) -> str:
    """Make a relative LOG_DIR or SQLite file in DB_URL relative to `folder`."""
    if key == "LOG_DIR" and value:
        return str((folder / value).resolve())
    if key != "DB_URL":
        return value
    try:
        url = make_url(value)
    except ArgumentError:
        raise SettingsError(
            f"{where}: DB_URL is not a database URL; write it like "
            # pragma: allowlist nextline secret
            "sqlite:///data/course.db or postgresql+psycopg://user:password@host:port/db."
        ) from None
    database = sqlite_file(url)
    if database is None or Path(database).is_absolute():
        return value
    return url.set(database=str((folder / database).resolve())).render_as_string(
        hide_password=False
    )


def sqlite_file(url: URL) -> str | None:
    """The file a SQLite URL names; None for an in-memory or non-SQLite database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database
