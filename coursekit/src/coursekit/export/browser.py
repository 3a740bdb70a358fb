"""Find a browser Marp CLI can print PDFs with, without ever downloading one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

# Marp CLI drives Chrome, Chromium and Edge through the DevTools protocol and
# Firefox through WebDriver BiDi; it is told which, so it never guesses.
BROWSER_COMMANDS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "firefox",
)
MACOS_APPS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Firefox.app/Contents/MacOS/firefox",
)

MISSING_BROWSER = (
    "no Chrome, Chromium, Edge or Firefox found: the PDF slide exports and "
    "handouts were skipped (the HTML decks were exported). Install one, e.g. "
    "`sudo apt-get install chromium` on Debian/Ubuntu or Google Chrome on "
    "macOS/Windows, or set CHROME_PATH to a browser executable."
)


def find_browser(environ: Mapping[str, str] | None = None) -> Path | None:
    """The browser for PDF export: CHROME_PATH, then PATH, then macOS apps."""
    environ = os.environ if environ is None else environ
    chrome_path = environ.get("CHROME_PATH")
    if chrome_path and _is_executable(Path(chrome_path)):
        return Path(chrome_path)
    search_path = environ.get("PATH", "")
    for command in BROWSER_COMMANDS:
        found = shutil.which(command, path=search_path)
        if found:
            return Path(found)
    for app in MACOS_APPS:
        if _is_executable(Path(app)):
            return Path(app)
    return None


def browser_kind(path: Path) -> str:
    """Marp CLI's `--browser` choice for the executable at `path`."""
    name = path.name.lower()
    if "firefox" in name:
        return "firefox"
    if "edge" in name:
        return "edge"
    return "chrome"


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
