"""get_logger(name): log to the console and to one timestamped file per run.

LOG_DIR (default: 05_src/logs) and LOG_LEVEL (default: INFO) come from the
environment; `settings.load_env()` puts the values of 05_src/.env there.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from settings import SRC_DIR, SettingsError, source_of

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LOG_DIR = SRC_DIR / "logs"
FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
FILE_HANDLER = "course-log-file"
CONSOLE_HANDLER = "course-console"

_run_files: dict[Path, logging.FileHandler] = {}
"""The one log file of this run (this process) in each log folder."""


def get_logger(name: str) -> logging.Logger:
    """The logger `name`, writing to the console and to this run's log file.

    Asking again for the same name returns the same logger untouched, so a
    notebook cell run twice does not print each line twice.
    """
    logger = logging.getLogger(name)
    if {FILE_HANDLER, CONSOLE_HANDLER} <= {handler.name for handler in logger.handlers}:
        return logger
    logger.setLevel(_level())
    console = logging.StreamHandler(sys.stderr)
    console.set_name(CONSOLE_HANDLER)
    console.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(_run_file(_log_dir()))
    logger.addHandler(console)
    # The root logger may have handlers of its own (Jupyter, pytest, a library's
    # basicConfig); passing records up to it would print them a second time.
    logger.propagate = False
    return logger


def log_file_of(logger: logging.Logger) -> Path | None:
    """The file that get_logger() attached to `logger`, if any."""
    for handler in logger.handlers:
        if handler.name == FILE_HANDLER:
            return Path(handler.baseFilename)
    return None


def _level() -> int:
    value = os.environ.get("LOG_LEVEL", "INFO")
    if value.strip().upper() not in LEVELS:
        raise SettingsError(
            f"LOG_LEVEL={value!r} (from {source_of('LOG_LEVEL')}) is not a log "
            f"level; use one of {', '.join(LEVELS)}."
        )
    return logging.getLevelName(value.strip().upper())


def _log_dir() -> Path:
    folder = Path(os.environ.get("LOG_DIR") or DEFAULT_LOG_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SettingsError(
            f"LOG_DIR={str(folder)!r} (from {source_of('LOG_DIR')}) cannot be "
            f"created: {error.strerror}; point LOG_DIR at a folder you can write to."
        ) from None
    return folder.resolve()


def _run_file(folder: Path) -> logging.FileHandler:
    if folder not in _run_files:
        started = datetime.now().strftime("%Y%m%d-%H%M%S")
        handler = logging.FileHandler(
            folder / f"{started}-{os.getpid()}.log", encoding="utf-8"
        )
        handler.set_name(FILE_HANDLER)
        handler.setFormatter(logging.Formatter(FORMAT))
        _run_files[folder] = handler
    return _run_files[folder]
