"""The HTML policy against real Marp CLI: what survives is what Marp keeps.

fixtures/html/raw_html.md holds one HTML block per slide, hostile ones
(`<script>`, `onerror=`, `<iframe>`, `javascript:` links) and allowed ones.
Marp CLI converts it; each slide's HTML in Marp's deck must hold the same
elements, attributes and text as `render_raw_html` makes of the block, with
Marp's default allowlist and with full HTML.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from coursekit.html_policy import ALLOWLIST, keep, marp_options, render_raw_html
from coursekit.themes import load_theme_set

from .support import FIXTURES, REPO_ROOT, convert_to_html, require, unparsed_source

# One Marp run converts the decks for every test here: keep them on one
# xdist worker (`--dist loadgroup`) rather than converting once per worker.
pytestmark = pytest.mark.xdist_group("marp-html-policy")

DECK = FIXTURES / "html" / "raw_html.md"
BLOCKS = DECK.read_text(encoding="utf-8").split("\n\n---\n\n")
_SLIDE = re.compile(r'<section\b[^>]*\bid="(\d+)"[^>]*>(.*?)</section>', re.DOTALL)


class _Content(HTMLParser):
    """What HTML shows and does: elements with their non-empty attributes,
    and text. Serialization (quotes, `/>`, entities) and comments do not count.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        kept = tuple(sorted((name, value) for name, value in attrs if value))
        self.events.append(("element", tag, kept))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        words = " ".join(data.split())
        if not words:
            return
        if self.events and self.events[-1][0] == "text":
            words = f"{self.events.pop()[1]} {words}"
        self.events.append(("text", words))


def _convert(marp: tuple[str, ...], folder: Path, *, full: bool) -> list[str]:
    """The HTML of each slide of the deck, as Marp CLI renders it."""
    folder.mkdir()
    deck = folder / DECK.name
    shutil.copy(DECK, deck)
    export = convert_to_html(
        marp,
        [unparsed_source(deck)],
        load_theme_set(folder / "themes"),
        folder / "marp",
        options=marp_options(full=full),
    )[deck.stem]
    slides = _SLIDE.findall(export.read_text(encoding="utf-8"))
    assert [int(number) for number, _ in slides] == list(range(1, len(BLOCKS) + 1))
    return [html for _, html in slides]


@pytest.fixture(scope="module")
def marp_default(
    tmp_path_factory: pytest.TempPathFactory, marp: tuple[str, ...]
) -> list[str]:
    return _convert(marp, tmp_path_factory.mktemp("html") / "default", full=False)


@pytest.fixture(scope="module")
def marp_full(
    tmp_path_factory: pytest.TempPathFactory, marp: tuple[str, ...]
) -> list[str]:
    return _convert(marp, tmp_path_factory.mktemp("html") / "full", full=True)


SLIDES = [pytest.param(index, id=f"slide-{index + 1}") for index in range(len(BLOCKS))]


@pytest.mark.parametrize("index", SLIDES)
def test_page_keeps_what_marp_keeps(marp_default, index):
    ours = _Content(render_raw_html(BLOCKS[index])).events
    assert ours == _Content(marp_default[index]).events


@pytest.mark.parametrize("index", SLIDES)
def test_full_html_keeps_what_marp_html_keeps(marp_full, index):
    ours = _Content(render_raw_html(BLOCKS[index], full=True)).events
    assert ours == _Content(marp_full[index]).events


def test_nothing_live_survives_by_default(marp_default, marp_full):
    ours = [
        event for block in BLOCKS for event in _Content(render_raw_html(block)).events
    ]
    elements = [event for event in ours if event[0] == "element"]
    assert not {"script", "iframe", "svg", "object", "embed", "form", "meta"} & {
        tag for _, tag, _ in elements
    }
    attributes = [pair for _, _, pairs in elements for pair in pairs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [value for _, value in attributes if "script:" in value.lower()]
    # The same deck with --html does keep them: the cases are really hostile.
    assert "<script>" in marp_full[0] and "onerror=" in marp_full[1]


def test_allowlist_is_the_installed_marp_cores():
    node = shutil.which("node")
    require(node is not None, "node not found: Marp CLI needs Node.js 20")
    core = REPO_ROOT / "node_modules" / "@marp-team" / "marp-core"
    require(core.is_dir(), "Marp Core is not installed: run `npm ci`")
    # Marp.html is Marp Core's default allowlist: each element's attributes,
    # `true` to keep the value as written, or a function that checks it.
    script = (
        "const { Marp } = require(process.argv[1]);"
        "const out = {};"
        "for (const [tag, attrs] of Object.entries(Marp.html))"
        "  out[tag] = Object.fromEntries(Object.entries(attrs)"
        "    .map(([name, rule]) => [name, typeof rule === 'function']));"
        "console.log(JSON.stringify(out));"
    )
    result = subprocess.run(
        [node, "-e", script, str(core)], capture_output=True, text=True, check=True
    )
    marp = json.loads(result.stdout)
    assert {tag: set(attrs) for tag, attrs in ALLOWLIST.items()} == {
        tag: set(attrs) for tag, attrs in marp.items()
    }
    checked = {
        (tag, name)
        for tag, rules in ALLOWLIST.items()
        for name, rule in rules.items()
        if rule is not keep
    }
    assert checked == {
        (tag, name)
        for tag, attrs in marp.items()
        for name, is_rule in attrs.items()
        if is_rule
    }
