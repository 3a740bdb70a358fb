"""`mkdocs serve` on a fixture course: pages first, exports shortly after."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

WAIT = 90  # seconds: a bound for a loaded CI machine, not a speed target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def _wait_for(url: str, text: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if text in _get(url):
            return
        time.sleep(0.2)
    pytest.fail(f"{url} did not serve {text!r} within {WAIT} s")


@pytest.fixture
def served(course):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=course.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    try:
        yield course, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_first_serve_publishes_the_exported_deck(served):
    course, base = served
    _wait_for(f"{base}/lectures/01_fixture/", 'id="slide-2"')
    assert "<iframe" in _get(f"{base}/lectures/01_fixture/")
    _wait_for(f"{base}/slides/01_fixture.html", 'data-theme="fixture-theme"')


def test_saving_a_deck_updates_its_page_then_its_deck(served):
    course, base = served
    _wait_for(f"{base}/slides/01_fixture.html", 'data-theme="fixture-theme"')
    deck = course.root / "slides/01_fixture.md"
    deck.write_text(
        deck.read_text(encoding="utf-8") + "\n---\n\n## Added while serving\n",
        encoding="utf-8",
    )
    _wait_for(f"{base}/lectures/01_fixture/", "Added while serving")
    _wait_for(f"{base}/slides/01_fixture.html", "Added while serving")


def test_a_fresh_export_is_served_before_the_rebuild(course, tmp_path):
    """The export lands in the served folder itself, not only in the exports
    folder whose change makes MkDocs rebuild the whole site."""
    from coursekit.decks import DeckReader
    from coursekit.export import ExportResult
    from coursekit.plugin.course import CoursePlugin
    from coursekit.plugin.options import load_course_config

    plugin = CoursePlugin()
    plugin._course = load_course_config(course.root / "mkdocs.yml")
    plugin._decks = DeckReader().lectures(plugin.course.slides_dir, plugin.course.root)
    plugin._serve_site = served_dir = tmp_path / "served"
    exported = tmp_path / "01_fixture.html"
    exported.write_text("<html>fresh</html>", encoding="utf-8")

    plugin._exported(
        ExportResult(
            outputs={"01_fixture": {"html": exported}}, converted=["01_fixture"]
        )
    )

    published = served_dir / plugin.course.export_uri(plugin._decks[0], "html")
    assert published.read_text(encoding="utf-8") == "<html>fresh</html>"
