"""`mkdocs serve`'s background exports stop with the server.

Stopping the server (Ctrl-C, SIGTERM) calls `BackgroundExports.stop`: the
running Marp and its browser are killed and the scratch folder removed, and
nothing is reported as a failed export.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from coursekit.background import BackgroundExports
from coursekit.parse import parse_deck

from .support import settings_for

pytestmark = pytest.mark.browser
# Short enough for Chromium's socket in the scratch folder: macOS's own
# temporary folder is too deep (see MarpRun._environment).
SHORT_ROOT = None if sys.platform == "win32" else "/tmp"


def _headless(process: psutil.Process) -> bool:
    try:
        return any("--headless" in part for part in process.cmdline())
    except psutil.Error:
        return False


def test_stop_kills_the_running_export_and_reports_nothing(
    project: Path, browser: Path, tmp_path: Path, monkeypatch
):
    # This test's own temporary folder, short enough for Chromium's socket.
    temporary = Path(tempfile.mkdtemp(prefix="ck-", dir=SHORT_ROOT))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    slides = "".join(f"\n---\n\n## Slide {n}\n" for n in range(30))
    deck = project / "slides" / "long.md"
    deck.write_text(f"---\nmarp: true\n---\n\n# Long\n{slides}", encoding="utf-8")
    done, failed = [], []
    exports = BackgroundExports(done.append, failed.append)
    settings = settings_for(project, formats=("pdf",), browser=browser)
    exports.request([parse_deck(deck)], tmp_path / "out", settings)

    this = psutil.Process()
    deadline = time.monotonic() + 120
    while not any(map(_headless, this.children(recursive=True))):
        assert time.monotonic() < deadline, "Marp's browser never started"
        time.sleep(0.1)
    started = this.children(recursive=True)
    exports.stop()

    assert [p for p in started if p.is_running() and p.status() != "zombie"] == []
    assert done == [] and failed == []
    assert list(temporary.iterdir()) == [], "the scratch folder is removed"
    temporary.rmdir()
    assert not (tmp_path / "out" / "long.pdf").exists()
    exports.request([parse_deck(deck)], tmp_path / "out", settings)
    exports.wait(timeout=10)
    assert done == [], "a stopped server exports no more"
