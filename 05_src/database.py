"""The development database named by DB_URL: an engine, a ping, its version.

DB_URL is a SQLAlchemy URL. The default in 05_src/.env is a SQLite file, so
nothing has to run; the PostgreSQL of docker/docker-compose.yml is one line away.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from settings import SettingsError, source_of, sqlite_file
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

CONNECT_TIMEOUT_SECONDS = 5
VERSION_QUERIES = {
    "sqlite": "SELECT 'SQLite ' || sqlite_version()",
    "postgresql": "SELECT version()",
}


class DatabaseUnavailableError(Exception):
    """The database named by DB_URL does not answer; the message says why."""


def get_engine(url: str | None = None) -> Engine:
    """An engine for `url`, or for DB_URL from the environment when None."""
    if url is None:
        url = os.environ.get("DB_URL")
        if not url:
            raise SettingsError(
                "DB_URL is not set; call settings.load_env() to read 05_src/.env, "
                "or set DB_URL in the environment."
            )
    try:
        parsed = make_url(url)
        connect_args = {}
        if parsed.get_backend_name() == "postgresql":
            # Without it an address that drops packets hangs for minutes.
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        if database_file := sqlite_file(parsed):
            Path(database_file).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(parsed, connect_args=connect_args)
    except (ArgumentError, NoSuchModuleError) as error:
        raise SettingsError(
            f"DB_URL (from {source_of('DB_URL')}) is not a URL SQLAlchemy can use: "
            f"{error}. Write it like sqlite:///data/course.db or "
            # pragma: allowlist nextline secret
            "postgresql+psycopg://user:password@127.0.0.1:5432/course."
        ) from None


def ping(engine: Engine) -> None:
    """Run `SELECT 1`: raises DatabaseUnavailableError if nothing answers."""
    with connect(engine) as connection:
        connection.execute(text("SELECT 1"))


def server_version(engine: Engine) -> str:
    """The database's own description of its version, e.g. 'SQLite 3.45.1'."""
    with connect(engine) as connection:
        query = VERSION_QUERIES[engine.dialect.name]
        return connection.execute(text(query)).scalar_one()


@contextmanager
def connect(engine: Engine) -> Iterator[Connection]:
    """A connection; failing to open it reads as what to fix, not a driver traceback."""
    try:
        connection = engine.connect()
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise DatabaseUnavailableError(
            f"cannot reach the database at {_described(engine)}: {reason}. "
            f"{_hint(engine)}"
        ) from None
    with connection:
        yield connection


def _described(engine: Engine) -> str:
    """The URL without its password, and where it was set if it is DB_URL's."""
    shown = engine.url.render_as_string(hide_password=True)
    if os.environ.get("DB_URL") == engine.url.render_as_string(hide_password=False):
        return f"{shown} (DB_URL from {source_of('DB_URL')})"
    return shown


def _hint(engine: Engine) -> str:
    if engine.dialect.name == "postgresql":
        return (
            "Is the server running? Start it with `docker compose -f "
            "05_src/docker/docker-compose.yml up -d`, or set DB_URL back to the "
            "SQLite line of 05_src/.env."
        )
    return "Check that you can write to the folder of the database file."
