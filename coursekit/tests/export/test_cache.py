"""The export cache, observed through which decks Marp converts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from coursekit.export import ExportError, export_decks
from coursekit.export import pipeline as export_pipeline
from coursekit.parse import parse_deck
from pypdf import PdfReader

from .support import settings_for, write_png


def _decks(project: Path):
    slides = project / "slides"
    return [parse_deck(slides / name) for name in ("lecture.md", "second.md")]


@pytest.fixture
def two_decks(project: Path) -> Path:
    """The fixture project with a second deck that shares the theme."""
    (project / "slides" / "second.md").write_text(
        "---\nmarp: true\ntheme: fixture\n---\n\n# Second deck\n\n---\n\n## Two\n",
        encoding="utf-8",
    )
    return project


def _export(project: Path, out: str = "out"):
    return export_decks(_decks(project), project / out, settings_for(project))


def test_nothing_changed_converts_nothing(two_decks):
    assert _export(two_decks).converted == ["lecture", "second"]
    again = _export(two_decks, out="elsewhere")
    assert again.converted == []
    assert again.marp_runs == 0
    assert sorted(path.name for path in (two_decks / "elsewhere").iterdir()) == [
        "lecture.html",
        "second.html",
    ]


def test_editing_one_deck_converts_only_that_deck(two_decks):
    _export(two_decks)
    second = two_decks / "slides" / "second.md"
    second.write_text(second.read_text("utf-8") + "\n---\n\n## Three\n", "utf-8")
    result = _export(two_decks)
    assert result.converted == ["second"]
    assert result.marp_runs == 1
    assert "Three" in (two_decks / "out" / "second.html").read_text("utf-8")


def test_editing_an_image_converts_the_decks_showing_it(two_decks):
    _export(two_decks)
    write_png(two_decks / "slides" / "images" / "photo.png", 64, 48, (200, 30, 30))
    assert _export(two_decks).converted == ["lecture"]


def test_editing_the_theme_converts_every_deck(two_decks):
    _export(two_decks)
    css = two_decks / "slides" / "themes" / "fixture.css"
    css.write_text(css.read_text("utf-8") + "\nh1 { color: #800; }\n", "utf-8")
    assert _export(two_decks).converted == ["lecture", "second"]


def test_a_killed_marp_run_leaves_nothing_in_the_cache(project, monkeypatch):
    monkeypatch.setattr(export_pipeline, "SECONDS_PER_SLIDE", 0)
    deck = parse_deck(project / "slides" / "lecture.md")
    hasty = settings_for(project, deck_timeout=0.01)
    with pytest.raises(ExportError, match="did not finish"):
        export_decks([deck], project / "out", hasty)
    cached = [path for path in hasty.cache_dir.rglob("*") if path.is_file()]
    assert cached == []
    assert not (project / "out" / "lecture.html").exists()
    assert export_decks([deck], project / "out", settings_for(project)).converted == [
        "lecture"
    ]


def test_threads_sharing_a_cache_convert_once(two_decks):
    decks = _decks(two_decks)
    settings = settings_for(two_decks)
    results = []

    def export(out: str) -> None:
        results.append(export_decks(decks, two_decks / out, settings))

    threads = [threading.Thread(target=export, args=(f"out{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result.marp_runs for result in results) == [0, 1]
    for i in range(2):
        assert (two_decks / f"out{i}" / "second.html").is_file()


def _cached(settings, suffix: str) -> Path:
    (entry,) = settings.cache_dir.rglob(f"*.{suffix}")
    return entry


def test_a_truncated_cached_html_deck_is_rebuilt_and_said_once(project):
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project)
    whole = export_decks([deck], project / "out", settings).outputs["lecture"]["html"]
    good = whole.read_bytes()
    entry = _cached(settings, "html")
    entry.write_bytes(good[: len(good) // 2])
    again = export_decks([deck], project / "again", settings)
    assert again.converted == ["lecture"]
    assert (project / "again" / "lecture.html").read_bytes() == good
    (notice,) = again.notices
    assert (notice.path, notice.rule) == (entry, "cache-damaged")
    assert again.warnings == []
    assert export_decks([deck], project / "third", settings).notices == []


@pytest.mark.browser
def test_a_truncated_cached_pdf_is_rebuilt(project, browser):
    deck = parse_deck(project / "slides" / "lecture.md")
    settings = settings_for(project, formats=("pdf",), browser=browser)
    export_decks([deck], project / "out", settings)
    entry = _cached(settings, "pdf")
    entry.write_bytes(entry.read_bytes()[:1000])
    again = export_decks([deck], project / "again", settings)
    assert again.converted == ["lecture"]
    assert [notice.path for notice in again.notices] == [entry]
    assert len(PdfReader(project / "again" / "lecture.pdf").pages) == 4
