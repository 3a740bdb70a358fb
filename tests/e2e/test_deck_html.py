"""A deck that tries to run script, in a real browser: nothing of it is live.

A deck arrives by pull request. This course's deck holds `<script>`,
`<img onerror>`, `<iframe>`, `javascript:` links, `<svg onload>`, a
`<style>` for the whole page, and the Markdown that markdown-it and
Python-Markdown read differently (coursekit's
tests/export/fixtures/html/markdown_attacks.md). Each would change the
document's title, set a global or open a dialog if it ran. The course is
built with `mkdocs build --strict`, served, and its lecture page and HTML
deck are opened in Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

ATTACKS = PROJECT_ROOT / "coursekit/tests/export/fixtures/html/markdown_attacks.md"
TITLE = "Hostile <img src=x onerror=\"document.title = 'title ran'\">"
# Its images carry `alt` (empty: decoration), as the accessibility check
# asks: the build has to succeed for its pages to be opened.
DECK = f"""\
---
marp: true
theme: default
title: {TITLE}
---

# Raw HTML

<script>document.title = "script ran"; window.ckPwned = true</script>

<img src="data:image/png;base64,broken" alt="" onerror="document.title = 'onerror ran'">

<iframe src="javascript:parent.document.title = 'iframe ran'"></iframe>

<p><a href="javascript:document.title = 'link ran'">a javascript link</a>
<a href="JAVA&#x53;CRIPT:alert('entity link ran')">another</a>
<a href=" javascript:alert('spaced link ran')">a third</a></p>

<svg onload="document.title = 'svg ran'"><circle r="5"/></svg>

<div class="figure"><img src="images/chart.svg" alt="A published chart"></div>

---

"""
MKDOCS_YML = f"""\
site_name: Hostile course
plugins:
  - coursekit:
      node_dir: {PROJECT_ROOT}
      exports: [html]
theme:
  name: material
  font: false
"""
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#369"/></svg>\n'
)
LECTURE = "lectures/01_hostile/"
DECK_HTML = "slides/01_hostile.html"
# Reads, in the page, what a script that ran would have left behind.
LIVE_TRACES = """(root) => {
    const selector = root || "body";
    const scope = document.querySelector(selector);
    const handlers = [...scope.querySelectorAll("*")].flatMap((element) =>
        [...element.attributes]
            .filter((attribute) => attribute.name.startsWith("on"))
            .map((attribute) => `${element.localName} ${attribute.name}`));
    const scriptLinks = [...scope.querySelectorAll("[href], [src]")]
        .map((element) => element.getAttribute("href") ?? element.getAttribute("src"))
        .filter((url) => /^\\s*javascript:/i.test(url.replace(/[\\x00-\\x20]/g, "")));
    return {
        title: document.title,
        pwned: window.ckPwned === true,
        handlers,
        scriptLinks,
        scripts: scope.querySelectorAll("script").length,
        frames: [...scope.querySelectorAll("iframe")].map((f) => f.getAttribute("src")),
    };
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str):
    course = tmp_path_factory.mktemp("hostile-course")
    (course / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (course / "docs").mkdir()
    (course / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (course / "slides/images").mkdir(parents=True)
    (course / "slides/images/chart.svg").write_text(SVG, encoding="utf-8")
    deck = DECK + ATTACKS.read_text(encoding="utf-8")
    (course / "slides/01_hostile.md").write_text(deck, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=course,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHROME_PATH": chromium_path},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return course / "site"


@pytest.fixture
def visit(browser, hostile_site: Path, serve_folder):
    """visit(path) -> (page, dialogs): the page loaded and settled, with
    every dialog it tried to open (each dismissed)."""
    with serve_folder(hostile_site) as url:
        context = browser.new_context()
        dialogs: list[str] = []

        def dismiss(dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        def visit(path: str):
            page = context.new_page()
            page.on("dialog", dismiss)
            page.goto(url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            return page, dialogs

        yield visit
        context.close()


def test_nothing_a_deck_writes_runs_on_its_lecture_page(visit):
    page, dialogs = visit(LECTURE)
    traces = page.evaluate(LIVE_TRACES, "article")
    assert traces["title"] == f"{TITLE} - Hostile course", "a deck script ran"
    assert not traces["pwned"]
    assert dialogs == []
    assert traces["handlers"] == []
    assert traces["scriptLinks"] == []
    assert traces["scripts"] == 0
    assert traces["frames"] == ["../../slides/01_hostile.html"]


def test_the_hostile_html_shows_as_text_and_the_page_keeps_its_style(visit):
    page, _ = visit(LECTURE)
    text = page.locator("article").inner_text()
    assert "<script>" in text and "<iframe" in text
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)", "the deck's <style> restyled the site"
    nav = page.locator(".md-nav__link", has_text="Hostile").first
    assert "<img" in nav.inner_text(), "the deck title is not shown as text"


def test_an_image_named_in_html_is_published_with_the_page(visit):
    page, _ = visit(LECTURE)
    chart = page.locator('article img[alt="A published chart"]')
    assert chart.count() == 1
    assert chart.evaluate("(image) => image.complete && image.naturalWidth > 0")


def test_nothing_runs_in_the_exported_deck_either(visit):
    page, dialogs = visit(DECK_HTML)
    traces = page.evaluate(LIVE_TRACES, None)
    assert traces["title"] == TITLE, "a deck script ran"
    assert not traces["pwned"]
    assert dialogs == []
    assert traces["handlers"] == []
    assert traces["scriptLinks"] == []
