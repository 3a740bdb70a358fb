"""logger.get_logger(): console and one file per run, set up once per name."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest
from logger import get_logger, log_file_of
from settings import SRC_DIR as SRC
from settings import SettingsError, load_env


@pytest.fixture
def name(request) -> str:
    """A logger name of this test's own: loggers live as long as the process."""
    return f"test.{request.node.name}"


def test_lines_go_to_the_console_and_to_a_timestamped_file(
    name, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("LOG_DIR", str(tmp_path / "not" / "yet" / "there"))
    log = get_logger(name)
    log.info("model trained")
    log_file = log_file_of(log)
    assert log_file.parent == tmp_path / "not" / "yet" / "there"
    assert re.fullmatch(r"\d{8}-\d{6}-\d+\.log", log_file.name)
    assert f"INFO     {name}: model trained" in log_file.read_text(encoding="utf-8")
    assert f"{name}: model trained" in capsys.readouterr().err


def test_asking_twice_adds_no_handlers_and_prints_once(
    name, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("LOG_DIR", str(tmp_path))
    first = get_logger(name)
    second = get_logger(name)
    second.warning("disk almost full")
    assert second is first
    assert len(second.handlers) == 2
    assert capsys.readouterr().err.count("disk almost full") == 1
    text = log_file_of(second).read_text(encoding="utf-8")
    assert text.count("disk almost full") == 1


def test_the_root_loggers_handlers_do_not_repeat_lines(
    name, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("LOG_DIR", str(tmp_path))
    root_handler = logging.StreamHandler(sys.stderr)
    logging.getLogger().addHandler(root_handler)
    try:
        get_logger(name).error("once only")
    finally:
        logging.getLogger().removeHandler(root_handler)
    assert capsys.readouterr().err.count("once only") == 1


def test_loggers_of_one_run_share_its_file(tmp_path, monkeypatch, name):
    monkeypatch.setenv("LOG_DIR", str(tmp_path))
    data, model = get_logger(f"{name}.data"), get_logger(f"{name}.model")
    data.info("loaded")
    model.info("fitted")
    assert log_file_of(data) == log_file_of(model)
    assert list(tmp_path.iterdir()) == [log_file_of(data)]


def test_log_level_filters_and_is_read_case_insensitively(
    name, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("LOG_DIR", str(tmp_path))
    monkeypatch.setenv("LOG_LEVEL", "warning")
    log = get_logger(name)
    log.info("routine detail")
    log.warning("worth a look")
    printed = capsys.readouterr().err
    assert "worth a look" in printed
    assert "routine detail" not in printed
    assert log.level == logging.WARNING


def test_a_typo_in_log_level_names_the_line_and_the_choices(name, tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_DIR=logs\nLOG_LEVEL=INFOO\n", encoding="utf-8")
    load_env(env_file)
    with pytest.raises(SettingsError) as caught:
        get_logger(name)
    assert str(caught.value) == (
        f"LOG_LEVEL='INFOO' (from {env_file}, line 2) is not a log level; "
        "use one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )


def test_a_log_dir_that_cannot_be_made_says_so(name, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("LOG_DIR", str(blocker / "logs"))
    with pytest.raises(SettingsError, match="cannot be created.*point LOG_DIR at"):
        get_logger(name)


def test_a_script_run_from_another_folder_logs_into_05_src_logs_of_its_env(tmp_path):
    """A script loads the settings and logs like the lab does; here the .env
    is a copy in tmp_path so the run writes nothing into the repository."""
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text("LOG_DIR=logs\nLOG_LEVEL=INFO\n", encoding="utf-8")
    script = tmp_path / "job.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(SRC)!r})\n"
        "from pathlib import Path\n"
        "from settings import load_env\n"
        "from logger import get_logger, log_file_of\n"
        f"load_env(Path({str(project / '.env')!r}))\n"
        "log = get_logger('job')\n"
        "log.info('started')\n"
        "print(log_file_of(get_logger('job')))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    log_file = project / "logs" / done.stdout.strip().rsplit("/", 1)[-1]
    assert done.stdout.strip() == str(log_file)
    assert "job: started" in log_file.read_text(encoding="utf-8")
    assert done.stderr.count("job: started") == 1
