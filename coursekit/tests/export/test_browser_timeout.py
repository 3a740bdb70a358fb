"""Marp's browser timeout, set in mkdocs.yml and given to Marp CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from coursekit.cli import main
from coursekit.errors import ContentError
from coursekit.export.marp import BROWSER_TIMEOUT_OPTION
from coursekit.plugin.options import CourseOptions, load_course_config
from coursekit.site import export_settings

from .support import REPO_ROOT


def mkdocs_yml(root: Path, option: str = "") -> Path:
    path = root / "mkdocs.yml"
    path.write_text(
        "site_name: Timeout fixture\nplugins:\n  - coursekit:\n"
        f"      node_dir: {REPO_ROOT.as_posix()}\n{option}",
        encoding="utf-8",
    )
    return path


def test_the_option_marp_errors_name_is_the_plugins_option():
    assert BROWSER_TIMEOUT_OPTION in dict(CourseOptions._schema)


def test_it_defaults_to_a_minute_and_reaches_the_export_settings(tmp_path):
    default = load_course_config(mkdocs_yml(tmp_path))
    assert default.browser_timeout == 60
    config = load_course_config(mkdocs_yml(tmp_path, "      browser_timeout: 90\n"))
    assert config.browser_timeout == 90
    assert export_settings(config, ["html"]).browser_timeout == 90


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0", "expected more than 0 seconds, got 0"),
        ("-5", "expected more than 0 seconds, got -5"),
        ("soon", "expected a number of seconds, got 'soon'"),
        ("true", "expected a number of seconds, got True"),
    ],
)
def test_a_value_that_is_not_a_duration_is_refused(tmp_path, value, said):
    with pytest.raises(ContentError) as raised:
        load_course_config(mkdocs_yml(tmp_path, f"      browser_timeout: {value}\n"))
    assert raised.value.rule == "config"
    assert raised.value.message == (
        f"plugin option `coursekit.{BROWSER_TIMEOUT_OPTION}`: {said}"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="the fake browser is a script")
def test_marp_gets_the_timeout_of_mkdocs_yml(project, tmp_path, capsys, monkeypatch):
    """A browser slower to answer than the timeout fails the export, naming it."""
    slow = tmp_path / "slow-chrome"
    slow.write_text("#!/bin/sh\nexec sleep 3\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("CHROME_PATH", str(slow))
    mkdocs_yml(project, "      browser_timeout: 1.5\n")
    status = main(["--root", str(project), "slides", "lecture", "--format", "pdf"])
    error = capsys.readouterr().err
    assert status == 1
    assert "Timed out after 1500 ms" in error
    assert "browser timeout of 1.5 s" in error
    assert f"raise `{BROWSER_TIMEOUT_OPTION}`" in error


@pytest.mark.browser
@pytest.mark.skipif(sys.platform == "win32", reason="the fake browser is a script")
def test_the_handouts_notes_pages_get_the_timeout_too(
    project, tmp_path, capsys, monkeypatch, browser
):
    """With the deck's PDF in the cache, the handout's own Marp run (its
    notes pages) is the one that meets the slow browser."""
    mkdocs_yml(project, "      browser_timeout: 1.5\n")
    monkeypatch.setenv("CHROME_PATH", str(browser))
    slides = ["--root", str(project), "slides", "lecture", "--format"]
    assert main([*slides, "pdf"]) == 0
    slow = tmp_path / "slow-chrome"
    slow.write_text("#!/bin/sh\nexec sleep 3\n", encoding="utf-8")
    slow.chmod(0o755)
    monkeypatch.setenv("CHROME_PATH", str(slow))
    capsys.readouterr()
    assert main([*slides, "handout"]) == 1
    error = capsys.readouterr().err
    assert "Marp: converting lecture to handout" in error
    assert "converting lecture to pdf" not in error
    assert "browser timeout of 1.5 s" in error
