"""Find a browser Marp CLI can print PDFs with, without ever downloading one.

`CHROME_PATH` wins: when it is set, it must name a browser's executable, and
anything else (a missing file, a folder, a macOS app bundle, a Windows
shortcut) is an error that says how to fix it. Otherwise each platform is
searched in one fixed order and the first browser found is used:

Windows
    Microsoft Edge, Google Chrome, Chromium, Firefox. For each: the path the
    registry's App Paths give for its program (``msedge.exe``,
    ``chrome.exe``, ``firefox.exe``; HKEY_CURRENT_USER, then
    HKEY_LOCAL_MACHINE in its 64-bit and 32-bit views), then its standard
    folder under %ProgramFiles%, %ProgramFiles(x86)% and %LOCALAPPDATA%.
    Edge comes first because every Windows 10 and 11 has it.
macOS
    Google Chrome, Chromium, Microsoft Edge, Firefox: each as an app in
    /Applications, then in ~/Applications. Then the Linux commands on PATH.
Linux and other systems
    The commands chromium, chromium-browser, google-chrome,
    google-chrome-stable, microsoft-edge, microsoft-edge-stable, firefox on
    PATH. Ubuntu's snap browsers are found there (/snap/bin is on its PATH).
    Flatpak browsers are not used: their sandbox hides the temporary files
    Marp asks them to print.

Only stable channels are searched; CHROME_PATH selects any other browser.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from xml.parsers.expat import ExpatError

from .errors import ExportError
from .handout import HANDOUT

BROWSER_FORMATS = frozenset({"pdf", "pptx", HANDOUT})
"""The export formats Marp CLI prints with a browser."""
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
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Chromium.app/Contents/MacOS/Chromium",
    "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "Firefox.app/Contents/MacOS/firefox",
)
"""Each browser's executable inside its app bundle, in order."""
MACOS_APP_FOLDERS = ("/Applications", "~/Applications")
"""Where macOS apps are installed: for everyone, then for the user alone."""
WINDOWS_BROWSERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("msedge.exe", ("Microsoft", "Edge", "Application")),
    ("chrome.exe", ("Google", "Chrome", "Application")),
    ("chrome.exe", ("Chromium", "Application")),
    ("firefox.exe", ("Mozilla Firefox",)),
)
"""Each browser's program and its folder under an install root, in order."""
WINDOWS_INSTALL_ROOTS = ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")
"""The environment variables naming the folders installers put browsers in."""
APP_PATHS_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths"

MISSING_BROWSER = (
    "no Chrome, Chromium, Edge or Firefox found: the slides are exported as "
    "HTML decks only, without PDFs and handouts (or PPTX). Install one, e.g. "
    "`sudo apt-get install chromium` on Debian/Ubuntu or Google Chrome on "
    "macOS (Windows has Edge), or set CHROME_PATH to a browser executable."
)
EXAMPLE_BROWSERS = {
    "win32": r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    "darwin": f"{MACOS_APP_FOLDERS[0]}/{MACOS_APPS[0]}",
    "linux": "/usr/bin/chromium",
}
"""A typical browser executable of each platform, shown in CHROME_PATH fixes."""


def browser_for(
    formats: Iterable[str], environ: Mapping[str, str] | None = None
) -> Path | None:
    """The browser that exporting `formats` needs (`find_browser`).

    Nothing is looked up, and CHROME_PATH is not judged, when no format
    needs a browser: an HTML-only build ignores a stale CHROME_PATH.
    """
    if not BROWSER_FORMATS.intersection(formats):
        return None
    return find_browser(environ)


def missing_browser_warning(
    formats: Iterable[str], environ: Mapping[str, str] | None = None
) -> str | None:
    """MISSING_BROWSER if `formats` need a browser and none is installed.

    None when CHROME_PATH is set: a browser was chosen, and if the choice is
    wrong the export says so as an error.
    """
    environ = os.environ if environ is None else environ
    if environ.get("CHROME_PATH") or not BROWSER_FORMATS.intersection(formats):
        return None
    return MISSING_BROWSER if find_browser(environ) is None else None


def find_browser(environ: Mapping[str, str] | None = None) -> Path | None:
    """The browser for PDF export: CHROME_PATH, else the platform's search.

    Raises `ExportError` when CHROME_PATH is set to anything but an
    executable file; returns None when no browser is installed.
    """
    environ = os.environ if environ is None else environ
    chrome_path = environ.get("CHROME_PATH")
    if chrome_path:
        return _checked_chrome_path(chrome_path)
    return next(filter(_is_executable, _candidates(environ)), None)


def browser_kind(path: Path) -> str:
    """Marp CLI's `--browser` choice for the executable at `path`."""
    name = path.name.lower()
    if "firefox" in name:
        return "firefox"
    if "edge" in name:
        return "edge"
    return "chrome"


def _candidates(environ: Mapping[str, str]) -> Iterator[Path]:
    """Where the platform's browsers may be, in the documented order."""
    if sys.platform == "win32":
        yield from _windows_candidates(environ)
        return
    if sys.platform == "darwin":
        folders = [_expand_home(folder, environ) for folder in MACOS_APP_FOLDERS]
        for app in MACOS_APPS:
            yield from (Path(folder, app) for folder in folders if folder)
    search_path = environ.get("PATH", "")
    for command in BROWSER_COMMANDS:
        found = shutil.which(command, path=search_path)
        if found:
            yield Path(found)


def _expand_home(folder: str, environ: Mapping[str, str]) -> str | None:
    """`folder` with a leading ~ replaced by HOME; None when HOME is unset."""
    if not folder.startswith("~"):
        return folder
    home = environ.get("HOME")
    return home + folder[1:] if home else None


def _windows_candidates(environ: Mapping[str, str]) -> Iterator[Path]:
    # Windows variable names ignore case; a copy of os.environ has them upper.
    upper = {name.upper(): value for name, value in environ.items()}
    roots = [
        upper[name] for name in map(str.upper, WINDOWS_INSTALL_ROOTS) if upper.get(name)
    ]
    for program, folder in WINDOWS_BROWSERS:
        yield from _app_paths(program)
        for root in roots:
            yield Path(root, *folder, program)


def _app_paths(program: str) -> Iterator[Path]:
    """Where the registry's App Paths say `program` is installed.

    Installers register their program there so that Windows can start it by
    name; the key's default value is the full path of the executable.
    """
    try:
        import winreg
    except ImportError:  # not Windows
        return
    key = rf"{APP_PATHS_KEY}\{program}"
    views = (
        (winreg.HKEY_CURRENT_USER, 0),
        (winreg.HKEY_LOCAL_MACHINE, winreg.KEY_WOW64_64KEY),
        (winreg.HKEY_LOCAL_MACHINE, winreg.KEY_WOW64_32KEY),
    )
    for hive, view in views:
        try:
            with winreg.OpenKey(hive, key, 0, winreg.KEY_READ | view) as handle:
                value, kind = winreg.QueryValueEx(handle, "")
        except OSError:  # no such key or no default value
            continue
        if not isinstance(value, str):
            continue
        if kind == winreg.REG_EXPAND_SZ:
            value = winreg.ExpandEnvironmentStrings(value)
        # Some installers write the path in quotes, as on a command line.
        value = value.strip().strip('"')
        if value:
            yield Path(value)


def _is_executable(path: Path) -> bool:
    if not path.is_file():
        return False
    if sys.platform == "win32":
        # Every file passes os.access(X_OK) on Windows; Marp starts .exe only.
        return path.suffix.lower() == ".exe"
    return os.access(path, os.X_OK)


def _checked_chrome_path(value: str) -> Path:
    """CHROME_PATH as a Path, or an error saying what is wrong with it."""
    path = Path(value)
    if value != value.strip().strip("\"'"):
        problem = "is written with quotes or spaces around the path"
        fix = "set CHROME_PATH to the path alone, without quotes"
    elif path.suffix.lower() == ".app" and path.is_dir():
        problem = "is a macOS app bundle, not the browser's executable"
        fix = f"set CHROME_PATH to {_bundle_executable(path)}"
    elif path.is_dir():
        problem = "is a folder, not the browser's executable"
        fix = _chrome_path_fix()
    elif not path.exists():
        problem = "does not exist"
        fix = _chrome_path_fix()
    elif sys.platform == "win32" and path.suffix.lower() == ".lnk":
        problem = "is a shortcut, not the browser's executable"
        fix = (
            "set CHROME_PATH to the .exe file the shortcut opens (its "
            "Properties show it as Target)"
        )
    elif not _is_executable(path):
        problem = "is not an executable program"
        fix = _chrome_path_fix()
    else:
        return path
    raise ExportError(
        path,
        None,
        f"CHROME_PATH is set to this path, which {problem} (PDF export "
        "needs the executable of Chrome, Chromium, Edge or Firefox)",
        fix,
        rule="chrome-path",
    )


def _chrome_path_fix() -> str:
    example = EXAMPLE_BROWSERS.get(sys.platform, EXAMPLE_BROWSERS["linux"])
    return (
        f"set CHROME_PATH to the browser's executable file (e.g. {example}), "
        "or unset it to use the first browser found"
    )


def _bundle_executable(bundle: Path) -> Path:
    """The executable inside a macOS app bundle, as its Info.plist names it."""
    try:
        with (bundle / "Contents" / "Info.plist").open("rb") as plist:
            name = plistlib.load(plist)["CFBundleExecutable"]
    except (OSError, ValueError, ExpatError, KeyError, TypeError):
        name = bundle.stem
    return bundle / "Contents" / "MacOS" / str(name)
