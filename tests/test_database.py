"""database.py against SQLite files and a real PostgreSQL server."""

from __future__ import annotations

import pytest
from database import DatabaseUnavailableError, connect, get_engine, ping, server_version
from settings import SettingsError, load_env
from sqlalchemy import text


def test_sqlite_from_db_url_needs_no_server_and_makes_its_folder(tmp_path, monkeypatch):
    database = tmp_path / "data" / "course.db"
    monkeypatch.setenv("DB_URL", f"sqlite:///{database}")
    engine = get_engine()
    ping(engine)
    assert server_version(engine).startswith("SQLite 3.")
    assert database.is_file()


def test_an_unset_db_url_says_to_load_the_settings():
    with pytest.raises(
        SettingsError, match=r"DB_URL is not set; call settings.load_env"
    ):
        get_engine()


@pytest.mark.parametrize("url", ["no-scheme-here", "postgress://u@h/d"])
def test_a_url_sqlalchemy_cannot_use_is_a_settings_error(url, monkeypatch):
    monkeypatch.setenv("DB_URL", url)
    with pytest.raises(SettingsError, match="DB_URL \\(from the environment\\)"):
        get_engine()


def test_an_unreachable_server_names_the_url_the_source_and_the_fix(
    tmp_path, unused_port
):
    port = unused_port
    env_file = tmp_path / ".env"
    env_file.write_text(
        # pragma: allowlist nextline secret
        f"DB_URL=postgresql+psycopg://course:hidden-pw@127.0.0.1:{port}/course\n",
        encoding="utf-8",
    )
    load_env(env_file)
    with pytest.raises(DatabaseUnavailableError) as caught:
        ping(get_engine())
    message = str(caught.value)
    assert message.startswith(
        f"cannot reach the database at postgresql+psycopg://course:***@127.0.0.1:"
        f"{port}/course (DB_URL from {env_file}, line 1): "
    )
    assert "hidden-pw" not in message
    assert "docker compose -f 05_src/docker/docker-compose.yml up -d" in message
    assert caught.value.__suppress_context__


def test_query_errors_are_not_mistaken_for_an_unreachable_database(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(Exception) as caught, connect(engine) as connection:
        connection.execute(text("SELECT * FROM no_such_table"))
    assert not isinstance(caught.value, DatabaseUnavailableError)
    assert "no_such_table" in str(caught.value)


@pytest.mark.postgres
def test_postgres_answers_with_its_version(postgres_url):
    engine = get_engine(postgres_url)
    ping(engine)
    assert server_version(engine).startswith("PostgreSQL ")
    with connect(engine) as connection:
        user, database = connection.execute(
            text("SELECT current_user, current_database()")
        ).one()
    assert (user, database) == (engine.url.username, engine.url.database)
