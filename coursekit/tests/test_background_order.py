"""`mkdocs serve` exports the newest save first: the formats an older save
still had to make are dropped, not printed before the newer deck."""

from __future__ import annotations

import threading
from pathlib import Path

from coursekit.background import BackgroundExports
from coursekit.export import ExportResult, ExportSettings

from coursekit import background


def test_a_newer_save_drops_the_older_saves_remaining_formats(monkeypatch):
    made: list[tuple[str, str]] = []
    first_started, release = threading.Event(), threading.Event()

    def export(decks, out_dir, settings, processes=None):
        made.append((decks[0], settings.formats[0]))
        if len(made) == 1:
            first_started.set()
            assert release.wait(10)
        return ExportResult()

    monkeypatch.setattr(background, "export_decks", export)
    exports = BackgroundExports(lambda result: None, lambda error: None)
    settings = ExportSettings(
        project_root=Path("."),
        themes_dir=Path("themes"),
        cache_dir=Path("cache"),
        formats=("html", "pdf", "handout"),
    )

    exports.request(["first save"], Path("out"), settings)
    assert first_started.wait(10)
    exports.request(["second save"], Path("out"), settings)
    release.set()
    exports.wait(10)

    assert made == [
        ("first save", "html"),
        ("second save", "html"),
        ("second save", "pdf"),
        ("second save", "handout"),
    ]
