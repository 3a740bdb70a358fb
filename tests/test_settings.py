"""settings.load_env(): 05_src/.env read the same from any folder, errors that
name the file, the line and the fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import settings
from settings import SRC_DIR as SRC
from settings import SettingsError, load_env, source_of


def write_env(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    env_file = folder / ".env"
    env_file.write_text(text, encoding="utf-8")
    return env_file


@pytest.mark.parametrize("start_in", ["01_materials/labs", "."])
def test_the_course_env_gives_the_same_paths_from_any_folder(start_in, monkeypatch):
    monkeypatch.chdir(SRC.parent / start_in)
    load_env()
    assert os.environ["LOG_DIR"] == str(SRC / "logs")
    assert os.environ["DB_URL"] == f"sqlite:///{SRC / 'data' / 'course.db'}"
    assert os.environ["LOG_LEVEL"] == "INFO"


def test_relative_paths_resolve_against_the_env_files_folder(tmp_path, monkeypatch):
    env_file = write_env(
        tmp_path / "project", "LOG_DIR=out/logs\nDB_URL=sqlite:///data/x.db\n"
    )
    monkeypatch.chdir(tmp_path)
    load_env(env_file)
    assert os.environ["LOG_DIR"] == str(tmp_path / "project" / "out" / "logs")
    assert os.environ["DB_URL"] == f"sqlite:///{tmp_path / 'project' / 'data' / 'x.db'}"


def test_absolute_and_in_memory_urls_are_kept(tmp_path):
    for url in (f"sqlite:///{tmp_path / 'x.db'}", "sqlite://", "sqlite:///:memory:"):
        load_env(write_env(tmp_path, f"DB_URL={url}\n"))
        assert os.environ["DB_URL"] == url


def test_the_environment_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    env_file = write_env(tmp_path, "LOG_LEVEL=INFO\nLOG_DIR=logs\n")
    load_env(env_file)
    assert os.environ["LOG_LEVEL"] == "DEBUG"
    assert source_of("LOG_LEVEL") == "the environment"
    assert source_of("LOG_DIR") == f"{env_file}, line 2"


def test_loading_again_reads_the_file_again(tmp_path):
    first = write_env(tmp_path / "a", "LOG_LEVEL=INFO\n")
    second = write_env(tmp_path / "b", "LOG_LEVEL=ERROR\n")
    load_env(first)
    load_env(second)
    assert os.environ["LOG_LEVEL"] == "ERROR"
    assert source_of("LOG_LEVEL") == f"{second}, line 1"


def test_a_variable_changed_after_loading_is_from_the_environment(tmp_path):
    load_env(write_env(tmp_path, "LOG_LEVEL=INFO\n"))
    os.environ["LOG_LEVEL"] = "WARNING"
    assert source_of("LOG_LEVEL") == "the environment"


def test_names_are_filled_from_the_services_file(tmp_path):
    services = write_env(tmp_path / "docker", "POSTGRES_PASSWORD=secret\n")
    env_file = write_env(
        tmp_path, "DB_URL=postgresql+psycopg://u:${POSTGRES_PASSWORD}@h/d\n"
    )
    load_env(env_file, services)
    # pragma: allowlist nextline secret
    assert os.environ["DB_URL"] == "postgresql+psycopg://u:secret@h/d"
    assert "POSTGRES_PASSWORD" not in os.environ


def test_a_missing_env_file_says_how_to_restore_it(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_env(tmp_path / ".env")
    message = str(caught.value)
    assert str(tmp_path / ".env") in message
    assert "git checkout -- 05_src/.env" in message


def test_an_unknown_name_is_reported_with_its_line(tmp_path):
    env_file = write_env(tmp_path, "LOG_LEVEL=INFO\nDB_URL=postgresql://${NOPE}@h/d\n")
    with pytest.raises(SettingsError, match=r"line 2: \$\{NOPE\} is not set"):
        load_env(env_file, tmp_path / "missing.env")


def test_a_line_dotenv_cannot_read_is_reported_with_its_line(tmp_path):
    env_file = write_env(tmp_path, "LOG_LEVEL=INFO\nthis is not a setting\n")
    with pytest.raises(SettingsError, match=r"line 2: cannot read .*NAME=value"):
        load_env(env_file)


def test_a_malformed_db_url_is_reported_with_its_line(tmp_path):
    env_file = write_env(tmp_path, "\nDB_URL=not a url\n")
    with pytest.raises(SettingsError) as caught:
        load_env(env_file)
    assert f"{env_file}, line 2: DB_URL is not a database URL" in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_the_postgres_line_of_the_course_env_needs_only_uncommenting(
    tmp_path, compose_postgres_url
):
    text = (SRC / ".env").read_text(encoding="utf-8")
    postgres_lines = [line for line in text.splitlines() if "postgresql" in line]
    assert len(postgres_lines) == 1 and postgres_lines[0].startswith("# DB_URL=")
    env_file = write_env(tmp_path, text.replace("# DB_URL=", "DB_URL="))
    load_env(env_file, settings.SERVICES_ENV_FILE)
    assert os.environ["DB_URL"] == compose_postgres_url
