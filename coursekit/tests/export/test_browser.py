"""Browser discovery on Windows, macOS and Linux, with the platform faked.

Each test sets `sys.platform`, builds the install folders of the faked
platform in a temporary folder (and, for Windows, a registry in memory
standing in for `winreg`), then asks `find_browser` what Marp will use.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from coursekit.export import (
    MISSING_BROWSER,
    ExportError,
    browser_for,
    find_browser,
    missing_browser_warning,
)
from coursekit.export import browser as browser_module
from coursekit.export.browser import APP_PATHS_KEY, browser_kind

EDGE = ("Microsoft", "Edge", "Application", "msedge.exe")
CHROME = ("Google", "Chrome", "Application", "chrome.exe")
CHROMIUM = ("Chromium", "Application", "chrome.exe")
FIREFOX = ("Mozilla Firefox", "firefox.exe")


class FakeWinreg:
    """The part of `winreg` that reads App Paths, over a dict.

    `values` maps (hive, view, key) to the key's default (value, type); the
    view is KEY_WOW64_64KEY, KEY_WOW64_32KEY or 0 (the process's own).
    """

    HKEY_CURRENT_USER = "HKEY_CURRENT_USER"
    HKEY_LOCAL_MACHINE = "HKEY_LOCAL_MACHINE"
    KEY_READ = 0x20019
    KEY_WOW64_64KEY = 0x0100
    KEY_WOW64_32KEY = 0x0200
    REG_SZ = 1
    REG_EXPAND_SZ = 2
    REG_DWORD = 4

    def __init__(self, environ: dict[str, str]) -> None:
        self.values: dict[tuple[str, int, str], tuple[object, int]] = {}
        self.environ = environ

    def register(
        self,
        program: str,
        value: object,
        hive: str = HKEY_LOCAL_MACHINE,
        view: int | None = None,
        kind: int = REG_SZ,
    ) -> None:
        if view is None:  # the view a 64-bit Python reads each hive in
            view = 0 if hive == self.HKEY_CURRENT_USER else self.KEY_WOW64_64KEY
        self.values[hive, view, rf"{APP_PATHS_KEY}\{program}"] = (value, kind)

    @contextmanager
    def OpenKey(self, hive: str, key: str, reserved: int, access: int) -> Iterator:
        assert access & self.KEY_READ == self.KEY_READ
        view = access & (self.KEY_WOW64_64KEY | self.KEY_WOW64_32KEY)
        if (hive, view, key) not in self.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        yield self.values[hive, view, key]

    def QueryValueEx(self, handle: tuple[object, int], name: str):
        assert name == "", "App Paths keep the path in the key's default value"
        return handle

    def ExpandEnvironmentStrings(self, text: str) -> str:
        for name, value in self.environ.items():
            text = text.replace(f"%{name}%", value)
        return text


# shutil.which follows PATHEXT on a real Windows, and every file there passes
# os.access(X_OK): the POSIX rules can only be tested on a POSIX host.
posix_host = pytest.mark.skipif(
    sys.platform == "win32", reason="POSIX PATH and file-mode rules need a POSIX host"
)


@pytest.fixture
def windows(monkeypatch, tmp_path):
    """Windows faked: install roots in tmp_path and an empty registry."""
    monkeypatch.setattr(sys, "platform", "win32")
    environ = {
        "ProgramFiles": str(tmp_path / "Program Files"),
        "ProgramFiles(x86)": str(tmp_path / "Program Files (x86)"),
        "LOCALAPPDATA": str(tmp_path / "Users" / "learner" / "AppData" / "Local"),
        "PATH": "",
    }
    registry = FakeWinreg(environ)
    monkeypatch.setitem(sys.modules, "winreg", registry)
    return environ, registry


def install(root: str | Path, *parts: str, executable: bool = True) -> Path:
    path = Path(root, *parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"MZ fake browser\n")
    path.chmod(0o755 if executable else 0o644)
    return path


@pytest.mark.parametrize("root", ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"])
@pytest.mark.parametrize("browser", [EDGE, CHROME, CHROMIUM, FIREFOX])
def test_windows_finds_each_browser_in_each_install_root(windows, root, browser):
    environ, _ = windows
    installed = install(environ[root], *browser)
    assert find_browser(environ) == installed


def test_windows_variable_names_are_read_whatever_their_case(windows):
    environ, _ = windows
    edge = install(environ["ProgramFiles(x86)"], *EDGE)
    # What dict(os.environ) holds on Windows.
    assert (
        find_browser({name.upper(): value for name, value in environ.items()}) == edge
    )


def test_windows_prefers_edge_then_chrome_then_chromium_then_firefox(windows):
    environ, _ = windows
    order = [
        install(environ["LOCALAPPDATA"], *EDGE),
        install(environ["ProgramFiles"], *CHROME),
        install(environ["LOCALAPPDATA"], *CHROMIUM),
        install(environ["ProgramFiles"], *FIREFOX),
    ]
    for expected in order:
        assert find_browser(environ) == expected
        expected.unlink()
    assert find_browser(environ) is None


def test_windows_prefers_program_files_then_x86_then_local_app_data(windows):
    environ, _ = windows
    order = [
        install(environ[root], *CHROME)
        for root in ("ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA")
    ]
    for expected in order:
        assert find_browser(environ) == expected
        expected.unlink()


def test_windows_app_paths_find_a_browser_installed_elsewhere(windows, tmp_path):
    environ, registry = windows
    install(environ["ProgramFiles"], *EDGE)
    custom = install(tmp_path / "D" / "Browsers" / "Edge", "msedge.exe")
    registry.register("msedge.exe", str(custom))
    assert find_browser(environ) == custom


@pytest.mark.parametrize(
    ("hive", "view"),
    [
        (FakeWinreg.HKEY_CURRENT_USER, 0),
        (FakeWinreg.HKEY_LOCAL_MACHINE, FakeWinreg.KEY_WOW64_64KEY),
        (FakeWinreg.HKEY_LOCAL_MACHINE, FakeWinreg.KEY_WOW64_32KEY),
    ],
)
def test_windows_app_paths_are_read_for_the_user_and_both_machine_views(
    windows, tmp_path, hive, view
):
    environ, registry = windows
    chrome = install(tmp_path / "elsewhere", "chrome.exe")
    registry.register("chrome.exe", str(chrome), hive=hive, view=view)
    assert find_browser(environ) == chrome


def test_windows_app_paths_of_the_user_come_before_the_machines(windows, tmp_path):
    environ, registry = windows
    mine = install(tmp_path / "mine", "firefox.exe")
    everyones = install(tmp_path / "everyones", "firefox.exe")
    registry.register("firefox.exe", str(everyones))
    registry.register("firefox.exe", str(mine), hive=FakeWinreg.HKEY_CURRENT_USER)
    assert find_browser(environ) == mine


def test_windows_app_paths_values_quoted_or_with_variables_are_understood(windows):
    environ, registry = windows
    edge = install(environ["LOCALAPPDATA"], "Edge Portable", "msedge.exe")
    registry.register(
        "msedge.exe",
        f'"%LOCALAPPDATA%{os.sep}Edge Portable{os.sep}msedge.exe"',
        kind=FakeWinreg.REG_EXPAND_SZ,
    )
    assert find_browser(environ) == edge


def test_windows_stale_or_odd_app_paths_entries_are_passed_over(windows, tmp_path):
    environ, registry = windows
    registry.register("msedge.exe", str(tmp_path / "uninstalled" / "msedge.exe"))
    registry.register("chrome.exe", 42, kind=FakeWinreg.REG_DWORD)
    registry.register("firefox.exe", "   ", hive=FakeWinreg.HKEY_CURRENT_USER)
    firefox = install(environ["ProgramFiles(x86)"], *FIREFOX)
    assert find_browser(environ) == firefox


def test_windows_without_winreg_still_searches_the_install_roots(windows, monkeypatch):
    environ, _ = windows
    # None in sys.modules makes `import winreg` raise ImportError.
    monkeypatch.setitem(sys.modules, "winreg", None)
    edge = install(environ["ProgramFiles(x86)"], *EDGE)
    assert find_browser(environ) == edge


def test_windows_does_not_take_linux_commands_on_path(windows, tmp_path):
    environ, _ = windows
    install(tmp_path / "bin", "chromium")
    environ["PATH"] = str(tmp_path / "bin")
    assert find_browser(environ) is None


@pytest.fixture
def macos(monkeypatch, tmp_path):
    """macOS faked: /Applications is tmp_path/Applications, HOME tmp_path/home."""
    monkeypatch.setattr(sys, "platform", "darwin")
    system_apps = tmp_path / "Applications"
    monkeypatch.setattr(
        browser_module, "MACOS_APP_FOLDERS", (str(system_apps), "~/Applications")
    )
    return {"HOME": str(tmp_path / "home"), "PATH": ""}, system_apps


def test_macos_prefers_chrome_chromium_edge_firefox_each_system_then_user(macos):
    environ, system_apps = macos
    user_apps = Path(environ["HOME"], "Applications")
    order = [
        install(folder, *app.split("/"))
        for app in browser_module.MACOS_APPS
        for folder in (system_apps, user_apps)
    ]
    assert [path.name for path in order[::2]] == [
        "Google Chrome",
        "Chromium",
        "Microsoft Edge",
        "firefox",
    ]
    for expected in order:
        assert find_browser(environ) == expected
        expected.unlink()
    assert find_browser(environ) is None


@posix_host
def test_macos_falls_back_to_commands_on_path(macos, tmp_path):
    environ, _ = macos
    chromium = install(tmp_path / "bin", "chromium")
    environ["PATH"] = str(tmp_path / "bin")
    assert find_browser(environ) == chromium
    # Without HOME the user's own Applications folder is skipped, not guessed.
    del environ["HOME"]
    assert find_browser(environ) == chromium


@posix_host
def test_linux_searches_path_in_the_documented_order(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    bin_dir = tmp_path / "bin"
    installed = {
        command: install(bin_dir, command)
        for command in reversed(browser_module.BROWSER_COMMANDS)
    }
    install(bin_dir, "not-executable-chromium", executable=False)
    for command in browser_module.BROWSER_COMMANDS:
        assert find_browser({"PATH": str(bin_dir)}) == installed[command]
        installed[command].unlink()
    assert find_browser({"PATH": str(bin_dir)}) is None


@posix_host
def test_linux_ignores_a_browser_file_that_is_not_executable(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "linux")
    install(tmp_path, "chromium", executable=False)
    assert find_browser({"PATH": str(tmp_path)}) is None


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_chrome_path_wins_over_every_browser_found(
    monkeypatch, tmp_path, platform, windows
):
    environ, _ = windows
    monkeypatch.setattr(sys, "platform", platform)
    install(environ["ProgramFiles"], *EDGE)
    chosen = install(tmp_path / "chosen", "chrome.exe")
    assert find_browser({**environ, "CHROME_PATH": str(chosen)}) == chosen


def chrome_path_error(environ: dict[str, str], value: str) -> ExportError:
    with pytest.raises(ExportError) as raised:
        find_browser({**environ, "CHROME_PATH": value})
    error = raised.value
    # Named as the variable and the value the user set, with a fix.
    assert "CHROME_PATH is set to this path" in error.message
    assert str(error.path) == value
    assert error.fix
    assert error.rule == "chrome-path"
    return error


def test_chrome_path_to_nothing_is_an_error_not_silently_ignored(tmp_path):
    missing = tmp_path / "no-such-browser"
    install(tmp_path / "bin", "chromium")
    error = chrome_path_error({"PATH": str(tmp_path / "bin")}, str(missing))
    assert "does not exist" in error.message
    assert "unset it" in error.fix
    assert error.path == missing


def test_chrome_path_to_a_folder_is_an_error(tmp_path):
    error = chrome_path_error({}, str(tmp_path))
    assert "is a folder" in error.message


@posix_host
def test_chrome_path_to_a_file_that_is_not_executable_is_an_error(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(sys, "platform", "linux")
    text = install(tmp_path, "chromium.txt", executable=False)
    error = chrome_path_error({}, str(text))
    assert "not an executable program" in error.message
    assert "/usr/bin/chromium" in error.fix


def test_chrome_path_in_quotes_says_to_drop_them(tmp_path):
    chrome = install(tmp_path, "chrome")
    error = chrome_path_error({}, f'"{chrome}"')
    assert "without quotes" in error.fix


def test_chrome_path_to_a_macos_app_bundle_names_the_executable_inside(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(sys, "platform", "darwin")
    bundle = tmp_path / "Applications" / "Brave Browser.app"
    install(bundle / "Contents" / "MacOS", "Brave Browser")
    with (bundle / "Contents" / "Info.plist").open("wb") as plist:
        plistlib.dump({"CFBundleExecutable": "Brave Browser"}, plist)
    error = chrome_path_error({}, str(bundle))
    assert "app bundle" in error.message
    assert error.fix == (
        f"set CHROME_PATH to {bundle / 'Contents' / 'MacOS' / 'Brave Browser'}"
    )


def test_chrome_path_to_a_windows_shortcut_says_to_use_its_target(windows, tmp_path):
    environ, _ = windows
    shortcut = install(tmp_path / "Desktop", "Google Chrome.lnk")
    error = chrome_path_error(environ, str(shortcut))
    assert "shortcut" in error.message
    assert "Target" in error.fix


def test_chrome_path_on_windows_must_be_an_exe(windows, tmp_path):
    environ, _ = windows
    script = install(tmp_path, "chrome.cmd")
    error = chrome_path_error(environ, str(script))
    assert "not an executable program" in error.message
    assert "msedge.exe" in error.fix


def _run_with_chrome_path(root: Path, command: list[str], chrome_path: Path):
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHROME_PATH": str(chrome_path)},
    )


@pytest.mark.parametrize(
    "command",
    [["mkdocs", "build", "--strict"], ["coursekit.cli", "slides", "--format", "pdf"]],
    ids=["build", "course-slides"],
)
def test_a_bad_chrome_path_stops_a_pdf_export_with_the_fix(
    course, tmp_path_factory, command
):
    mkdocs_yml = course.root / "mkdocs.yml"
    mkdocs_yml.write_text(
        mkdocs_yml.read_text("utf-8").replace("[html]", "[html, pdf]"), "utf-8"
    )
    missing = tmp_path_factory.mktemp("elsewhere") / "chrome"
    result = _run_with_chrome_path(course.root, command, missing)
    assert result.returncode == 1
    assert (
        f"{missing}:1:1: chrome-path CHROME_PATH is set to this path, which does "
        "not exist"
    ) in result.stderr
    assert "fix: set CHROME_PATH to the browser's executable" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [["mkdocs", "build", "--strict"], ["coursekit.cli", "slides", "--format", "html"]],
    ids=["build", "course-slides"],
)
def test_html_alone_needs_no_browser_and_ignores_chrome_path(
    course, tmp_path_factory, command
):
    """The fixture course exports HTML only: CHROME_PATH is not even read."""
    missing = tmp_path_factory.mktemp("elsewhere") / "chrome"
    result = _run_with_chrome_path(course.root, command, missing)
    assert result.returncode == 0, result.stderr
    assert "CHROME_PATH" not in result.stderr


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe", "edge"),
        (r"C:\Program Files\Google\Chrome\Application\chrome.exe", "chrome"),
        (r"C:\Program Files\Mozilla Firefox\firefox.exe", "firefox"),
        ("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge", "edge"),
        ("/Applications/Firefox.app/Contents/MacOS/firefox", "firefox"),
        ("/Applications/Chromium.app/Contents/MacOS/Chromium", "chrome"),
        ("/usr/bin/microsoft-edge-stable", "edge"),
        ("/usr/bin/chromium", "chrome"),
    ],
)
def test_browser_kind_tells_marp_which_protocol_to_speak(path, kind):
    # Windows paths are read as Windows paths wherever the test runs.
    name = path.replace("\\", "/")
    assert browser_kind(Path(name)) == kind


@posix_host
def test_the_missing_browser_is_told_only_when_a_format_needs_one(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(sys, "platform", "linux")
    nothing = {"PATH": str(tmp_path)}
    assert missing_browser_warning(["html"], nothing) is None
    assert missing_browser_warning(["html", "pdf"], nothing) == MISSING_BROWSER
    assert missing_browser_warning(["pptx"], nothing) == MISSING_BROWSER
    install(tmp_path, "chromium")
    assert missing_browser_warning(["pdf"], nothing) is None


def test_a_chosen_browser_is_not_missing_even_if_the_choice_is_wrong(tmp_path):
    """A bad CHROME_PATH is the export's error to raise, not a warning."""
    chosen = {"PATH": "", "CHROME_PATH": str(tmp_path / "gone")}
    assert missing_browser_warning(["pdf"], chosen) is None


def test_html_alone_does_not_look_for_a_browser(tmp_path):
    bad = {"PATH": "", "CHROME_PATH": str(tmp_path / "gone")}
    assert browser_for(["html"], bad) is None
    with pytest.raises(ExportError):
        browser_for(["html", "pdf"], bad)
