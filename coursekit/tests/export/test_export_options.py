"""The plugin options the exports take: HTML policy and timeouts, with Marp."""

from __future__ import annotations

from pathlib import Path

from coursekit.export import export_decks, export_timeout
from coursekit.export import pipeline as export_pipeline
from coursekit.parse import parse_deck, parse_text

from .support import settings_for

HTML_DECK = """\
---
marp: true
theme: fixture
---

# Raw HTML

<script>document.title = "script ran"</script>

<img src="images/diagram.svg" onerror="document.title = 'onerror ran'" alt="D">
"""


def _export_html(project: Path, full_html: bool, out: str):
    path = project / "slides" / "html.md"
    path.write_text(HTML_DECK, encoding="utf-8")
    settings = settings_for(project, full_html=full_html)
    result = export_decks([parse_deck(path)], project / out, settings, copy_images=True)
    return result, result.outputs["html"]["html"].read_text(encoding="utf-8")


def test_the_html_option_reaches_marp_and_the_cache_key(project):
    safe, deck = _export_html(project, full_html=False, out="safe")
    assert "&lt;script&gt;" in deck and "onerror" not in deck
    assert (project / "safe" / "images" / "diagram.svg").is_file()

    full, deck = _export_html(project, full_html=True, out="full")
    assert full.converted == ["html"], "the safe export was served for full HTML"
    assert '<script>document.title = "script ran"</script>' in deck
    assert "onerror=" in deck

    again, _ = _export_html(project, full_html=False, out="again")
    assert again.converted == []


def test_the_export_timeout_grows_with_the_slides():
    decks = [
        parse_text("# A\n" + "\n---\n\n## S\n" * (slides - 1), Path(f"d{slides}.md"))
        for slides in (300, 3000)
    ]
    assert [len(deck.slides) for deck in decks] == [300, 3000]
    per_slide = export_pipeline.SECONDS_PER_SLIDE
    assert export_timeout(decks, 120) == 2 * 120 + 3300 * per_slide
    assert export_timeout(decks[1:], 60) == 60 + 3000 * per_slide
