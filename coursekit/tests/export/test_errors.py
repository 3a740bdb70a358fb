"""What Marp would get wrong silently becomes an error naming the deck."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coursekit.errors import ContentError
from coursekit.export import MISSING_BROWSER, ExportError, export_decks, find_browser
from coursekit.export.browser import MACOS_APPS
from coursekit.export.marp import parse_log
from coursekit.parse import parse_deck

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


def test_find_browser_prefers_chrome_path(tmp_path):
    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_browser({"CHROME_PATH": str(fake), "PATH": ""}) == fake


def test_find_browser_searches_path_and_finds_nothing_in_an_empty_one(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    assert find_browser({"PATH": str(tmp_path)}) == chromium
    # Only an installed macOS app could still be found.
    installed_apps = [Path(app) for app in MACOS_APPS if Path(app).is_file()]
    assert find_browser({"PATH": str(tmp_path / "none")}) in (None, *installed_apps)


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
