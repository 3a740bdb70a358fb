"""Shared fixtures of the course-level tests.

05_src is not a package: learners run its modules with 05_src on sys.path
(the lab inserts it), and so do these tests.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "05_src"
sys.path.insert(0, str(SRC))

from dotenv import dotenv_values  # noqa: E402
from sqlalchemy import URL, make_url  # noqa: E402

SETTINGS = ("LOG_DIR", "LOG_LEVEL", "DB_URL")


@pytest.fixture(autouse=True)
def no_settings_from_outside() -> Iterator[None]:
    """Each test starts without the course settings in the environment and
    leaves none behind, including those that settings.load_env() sets (which
    monkeypatch.delenv would not undo for a variable that was not set)."""
    saved = {name: os.environ.pop(name) for name in SETTINGS if name in os.environ}
    yield
    for name in SETTINGS:
        os.environ.pop(name, None)
    os.environ.update(saved)


@pytest.fixture
def unused_port() -> int:
    """A port nothing listens on: the system picks a free one, then it is closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def compose_postgres_url() -> str:
    """The URL of the PostgreSQL that docker-compose.yml and .ci/start-postgres
    run, with the credentials of 05_src/docker/.env."""
    values = dotenv_values(SRC / "docker" / ".env")
    return URL.create(
        "postgresql+psycopg",
        username=values["POSTGRES_USER"],
        password=values["POSTGRES_PASSWORD"],
        host="127.0.0.1",
        port=int(values["POSTGRES_PORT"]),
        database=values["POSTGRES_DB"],
    ).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url(compose_postgres_url: str) -> str:
    """compose_postgres_url once the server answers there.

    Skips when none does, except under CI=true, where it must run.
    """
    import psycopg

    url = make_url(compose_postgres_url)
    # Probed with the driver alone, so a bug in database.py fails its tests
    # instead of turning them into skips.
    try:
        psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname=url.database,
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        reason = (
            f"no PostgreSQL answers at {url.render_as_string()}: run "
            f".ci/start-postgres (as root) or docker compose up "
            f"({str(error).splitlines()[0]})"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return compose_postgres_url
