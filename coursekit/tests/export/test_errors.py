"""What Marp would get wrong silently becomes an error naming the deck."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from coursekit.errors import ContentError, CourseError
from coursekit.export import (
    MISSING_BROWSER,
    ExportError,
    export_decks,
    load_theme_set,
    read_source,
)
from coursekit.export import pipeline as export_pipeline
from coursekit.export.marp import (
    BROWSER_TIMEOUT_OPTION,
    EXPORT_TIMEOUT_OPTION,
    FORMAT_OPTIONS,
    MarpRun,
    parse_log,
)
from coursekit.parse import parse_deck

from coursekit import fsutil

from .support import settings_for


def _export_error(project: Path, deck_text: str) -> ExportError:
    """The error exporting `slides/bad.md` holding `deck_text` raises."""
    path = project / "slides" / "bad.md"
    path.write_text(deck_text, encoding="utf-8")
    with pytest.raises(ExportError) as raised:
        export_decks([parse_deck(path)], project / "out", settings_for(project))
    assert raised.value.path == path
    return raised.value


def test_unknown_theme_names_the_deck_and_line(project):
    error = _export_error(
        project, "---\nmarp: true\ntitle: x\ntheme: nosuch\n---\n\n# Hi\n"
    )
    assert error.line == 4
    assert "theme 'nosuch'" in error.message and error.rule == "deck-theme"
    assert "fixture" in error.fix


def test_theme_set_in_a_comment_is_checked_too(project):
    error = _export_error(project, "---\nmarp: true\n---\n\n<!-- theme: gone -->\n")
    assert error.line == 5


def test_missing_image_names_the_deck_and_line(project):
    error = _export_error(
        project, "---\nmarp: true\n---\n\n# Hi\n\n![bg](./images/none.png)\n"
    )
    assert error.line == 7
    assert "./images/none.png" in error.message
    assert not (project / "out").exists(), "nothing is exported before the check"


@pytest.mark.parametrize(
    ("css_text", "expected"),
    [
        # Caught before Marp runs: a theme without a name is never used, and
        # one that does not parse Marp would drop with a warning.
        ("section { color: red; }\n", "declares no theme name"),
        ("/* @theme broken */\nsection {\n", "block opened here is never closed"),
    ],
)
def test_bad_theme_css_is_named(project, css_text, expected):
    css = project / "slides" / "themes" / "extra.css"
    css.write_text(css_text, encoding="utf-8")
    deck = parse_deck(project / "slides" / "lecture.md")
    with pytest.raises(ContentError) as raised:
        export_decks([deck], project / "out", settings_for(project))
    assert raised.value.path == css
    assert expected in raised.value.message


def test_two_decks_with_one_name_are_an_error(project, tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(project / "slides" / "lecture.md", other / "lecture.md")
    shutil.copytree(project / "slides" / "images", other / "images")
    decks = [
        parse_deck(project / "slides" / "lecture.md"),
        parse_deck(other / "lecture.md"),
    ]
    with pytest.raises(ExportError, match="also named lecture"):
        export_decks(decks, project / "out", settings_for(project))


def test_missing_marp_says_to_run_npm_ci(project):
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, project_root=project)
    with pytest.raises(ExportError) as raised:
        export_decks([deck], project / "out", settings)
    assert "npm ci" in raised.value.fix


def test_without_a_browser_only_html_is_exported_with_one_warning(project):
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("html", "pdf", "pptx"), browser=None)
    result = export_decks([deck], project / "out", settings)
    assert result.warnings == [MISSING_BROWSER]
    assert "apt-get install chromium" in MISSING_BROWSER
    assert result.outputs == {"lecture": {"html": project / "out" / "lecture.html"}}
    assert sorted(path.name for path in (project / "out").iterdir()) == ["lecture.html"]


def test_marp_log_joins_wrapped_lines():
    log = (
        "[  INFO ] Converting 1 markdown...\n"
        "[  WARN ] The local file is missing and will be ignored. Make sure the\n"
        "          file path is correct.\n"
        "[ ERROR ] Failed converting Markdown.\n"
    )
    assert [(m.level, m.text) for m in parse_log(log)] == [
        ("INFO", "Converting 1 markdown..."),
        (
            "WARN",
            "The local file is missing and will be ignored. Make sure the "
            "file path is correct.",
        ),
        ("ERROR", "Failed converting Markdown."),
    ]


# Failure hints name the real cause: `npm ci` only when Marp itself is broken.

posix_scripts = pytest.mark.skipif(
    sys.platform == "win32", reason="the fake browsers are shell scripts"
)


def _lecture(project: Path):
    return [parse_deck(project / "slides" / "lecture.md")]


def _fake_browser(folder: Path, script: str) -> Path:
    browser = folder / "fake-chrome"
    browser.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    browser.chmod(0o755)
    return browser


def _tool_error(project: Path, **settings: object) -> CourseError:
    with pytest.raises(CourseError) as raised:
        export_decks(
            _lecture(project), project / "out", settings_for(project, **settings)
        )
    assert "npm ci" not in raised.value.fix
    return raised.value


def test_an_export_timeout_names_the_deck_the_limit_and_the_option(
    project, monkeypatch
):
    monkeypatch.setattr(export_pipeline, "SECONDS_PER_SLIDE", 0)
    error = _tool_error(project, deck_timeout=0.5)
    assert error.rule == "export-timeout"
    assert error.path == project / "slides" / "lecture.md"
    assert "exporting lecture to html within its time limit of 0.5 s" in (error.message)
    assert f"`{EXPORT_TIMEOUT_OPTION}`" in error.fix and "mkdocs.yml" in error.fix


@posix_scripts
def test_a_browser_that_does_not_start_is_named_with_chrome_path(project, tmp_path):
    browser = _fake_browser(tmp_path, "exit 3")
    error = _tool_error(project, formats=("pdf",), browser=browser)
    assert error.rule == "export-browser"
    assert error.path == browser
    assert "the browser did not start" in error.message
    assert "Code: 3" in error.message
    assert "CHROME_PATH" in error.fix


@posix_scripts
def test_a_browser_timeout_names_the_option_that_raises_it(project, tmp_path):
    browser = _fake_browser(tmp_path, "exec sleep 3")
    error = _tool_error(project, formats=("pdf",), browser=browser, browser_timeout=1)
    assert error.rule == "export-timeout"
    assert "browser timeout of 1 s" in error.message
    assert f"`{BROWSER_TIMEOUT_OPTION}`" in error.fix


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_a_full_disk_under_marp_says_so(project, tmp_path, marp):
    """/dev/full answers every write with ENOSPC, a full disk for real."""
    themes = load_theme_set(project / "slides" / "themes")
    source = read_source(_lecture(project)[0], themes)
    workdir = tmp_path / "work"
    (workdir / "out" / "lecture").mkdir(parents=True)
    (workdir / "out" / "lecture" / "lecture.html").symlink_to("/dev/full")
    run = MarpRun(
        command=marp,
        fmt="html",
        sources=(source,),
        options=FORMAT_OPTIONS["html"],
        workdir=workdir,
        parallel=1,
        timeout=120,
        env=dict(os.environ),
        themes=themes,
    )
    with pytest.raises(CourseError) as raised:
        run.run()
    assert raised.value.rule == "disk-full"
    assert raised.value.message.startswith("the disk is full")
    assert "ENOSPC" in raised.value.message
    assert "npm ci" not in raised.value.fix


def test_a_full_disk_while_writing_the_cache_names_the_cache(project, monkeypatch):
    def no_space(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil.shutil, "copyfileobj", no_space)
    error = _tool_error(project)
    assert error.rule == "disk-full"
    assert error.path.is_relative_to(project / ".cache" / "exports")
    assert "the disk is full" in error.message
    assert "make clean" in error.fix
    cached = [path for path in (project / ".cache").rglob("*") if path.is_file()]
    # A hash record whose entry was never written is a plain miss.
    assert all(
        path.suffix in (".lock", ".sha256") or ".lock" in path.name for path in cached
    )


def test_a_broken_marp_install_says_to_run_npm_ci(project, tmp_path):
    """Marp's package is there, but Node cannot load it."""
    root = tmp_path / "broken"
    for package, version in (("marp-cli", "4.0.0"), ("marp-core", "4.0.0")):
        folder = root / "node_modules" / "@marp-team" / package
        folder.mkdir(parents=True)
        manifest = {"name": f"@marp-team/{package}", "version": version}
        if package == "marp-cli":
            manifest["bin"] = {"marp": "marp-cli.js"}
            (folder / "marp-cli.js").write_text(
                "require('./lib/gone.js')\n", encoding="utf-8"
            )
        (folder / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ExportError) as raised:
        export_decks(
            _lecture(project), project / "out", settings_for(project, project_root=root)
        )
    assert raised.value.rule == "export-install"
    assert "Marp CLI did not run" in raised.value.message
    assert "Cannot find module" in raised.value.message
    assert "npm ci" in raised.value.fix
