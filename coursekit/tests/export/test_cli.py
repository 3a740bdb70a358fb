"""`course slides`: the instructors' export command, run for real."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from coursekit.cli import main

from .support import REPO_ROOT, html_slide_count


@pytest.fixture
def course(project: Path) -> Path:
    """The fixture project as a repository root, Marp in this repository's
    node_modules (named in mkdocs.yml: a symlink needs developer mode on
    Windows)."""
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return project


MKDOCS_YML = (
    "site_name: Export fixture\nplugins:\n  - coursekit:\n"
    f"      node_dir: {REPO_ROOT.as_posix()}\n"
)


def test_exports_every_marp_deck_with_its_images_and_fonts(course, capsys, monkeypatch):
    monkeypatch.chdir(course)
    assert main(["slides", "--format", "html"]) == 0
    out = course / "01_materials" / "slides"
    assert sorted(p.name for p in out.iterdir()) == [
        "images",
        "katex",
        "lecture.html",
    ]
    assert sorted(p.name for p in (out / "images").iterdir()) == [
        "diagram.svg",
        "photo.png",
    ]
    # The fonts the deck's math is set in, where the deck looks for them.
    assert (out / "katex/fonts/KaTeX_Main-Regular.woff2").is_file()
    progress = capsys.readouterr().err
    assert "converted by Marp: lecture" in progress

    assert main(["slides", "--format", "html"]) == 0
    assert "converted by Marp: none" in capsys.readouterr().err


def test_chosen_deck_into_a_chosen_folder(course, tmp_path, capsys):
    out = tmp_path / "exported"
    status = main(
        [
            "--root",
            str(course),
            "slides",
            "lecture",
            "--format",
            "html",
            "--output",
            str(out),
        ]
    )
    assert status == 0
    assert html_slide_count(out / "lecture.html") == 4


def test_unknown_deck_is_a_usage_error(course, capsys):
    assert main(["--root", str(course), "slides", "nosuch"]) == 2
    assert "no deck 'nosuch'" in capsys.readouterr().err


def test_content_error_prints_path_and_line(course, capsys, monkeypatch):
    (course / "slides" / "broken.md").write_text(
        "---\nmarp: true\n---\n\n# Hi\n\n![](./images/gone.svg)\n", encoding="utf-8"
    )
    monkeypatch.chdir(course)
    assert main(["slides", "--format", "html"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(
        "slides/broken.md:7:1: deck-image image `./images/gone.svg` not found"
    )
    assert "fix:" in error


def test_decks_are_found_where_mkdocs_yml_says(course, capsys, monkeypatch):
    (course / "slides").rename(course / "lectures")
    (course / "mkdocs.yml").write_text(
        MKDOCS_YML.replace("Export fixture", "Moved") + "      slides_dir: lectures\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(course)
    assert main(["slides", "--format", "html"]) == 0
    assert (course / "01_materials/slides/lecture.html").is_file()
    assert main(["slides", "lecture", "--format", "html"]) == 0


def test_a_course_without_mkdocs_yml_gets_a_clear_error(course, capsys):
    (course / "mkdocs.yml").unlink()
    assert main(["--root", str(course), "slides"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("mkdocs.yml:1:1: config cannot read the site")
    assert "Traceback" not in error


def test_install_hooks_still_works_outside_a_clone(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "install-hooks"]) == 0
    assert "not a git clone" in capsys.readouterr().err


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit):
        main(["slides", "--help"])
    assert "course slides --watch" in capsys.readouterr().out


def _wait_for(condition, what: str, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


def test_watch_re_exports_an_edited_deck(course, tmp_path):
    out = tmp_path / "watched"
    html = out / "lecture.html"
    command = [sys.executable, "-m", "coursekit.cli", "--root", str(course)]
    command += ["slides", "--watch", "--format", "html", "--output", str(out)]
    log = (tmp_path / "watch.log").open("w")
    process = subprocess.Popen(command, stderr=log)
    try:
        _wait_for(html.is_file, "the first export")
        _wait_for(
            lambda: "watching" in (tmp_path / "watch.log").read_text(),
            "the watch loop",
        )
        deck = course / "slides" / "lecture.md"
        deck.write_text(deck.read_text("utf-8") + "\n---\n\n## Added\n", "utf-8")
        _wait_for(lambda: html_slide_count(html) == 5, "the re-export")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        log.close()
    assert process.returncode == 0
    assert "stopped watching" in (tmp_path / "watch.log").read_text()


def test_a_damaged_cache_entry_is_said_and_exported_again(course, capsys):
    assert main(["--root", str(course), "slides", "--format", "html"]) == 0
    (entry,) = (course / ".cache/coursekit/exports").rglob("*.html")
    entry.write_bytes(b"<html>")
    capsys.readouterr()
    assert main(["--root", str(course), "slides", "--format", "html"]) == 0
    said = capsys.readouterr().err
    shown = entry.relative_to(course).as_posix()
    assert f"{shown}:1:1: cache-damaged cache entry was damaged; rebuilt" in said
    assert "converted by Marp: lecture" in said
    assert html_slide_count(course / "01_materials/slides/lecture.html") == 4
