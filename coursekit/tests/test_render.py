"""The lecture page `render` writes for a parsed deck, as golden strings."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
from coursekit.html_policy import live_html
from coursekit.parse import parse_text
from coursekit.plugin.course import _REQUIRED_EXTENSIONS
from coursekit.render import LectureLinks, render_lecture
from mkdocs.utils.meta import get_data

DECK = """\
---
marp: true
title: "Golden \\"deck\\""
description: A deck to test against.
---

# Opening

First line
second line
- a list right after

<!-- Say hello. -->

---

<!-- _class: lead -->
Setext title
------------

![bg right:40% w:400](images/chart.svg)
![w:200 A small cat](images/01_cat.png)

---

No heading here.
"""

PAGE_WITH_EXPORTS = """\
---
title: "Golden &quot;deck&quot;"
description: "A deck to test against."
---

# Golden "deck"

<div class="ck-deck">
<div class="ck-deck__frame"><iframe src="../../slides/golden.html" \
title="Slides: Golden &quot;deck&quot;" loading="lazy" allowfullscreen></iframe></div>
<p class="ck-deck__actions"><a class="md-button md-button--primary" \
href="../../slides/golden.html" target="_blank" rel="noopener">Present</a> \
<a class="md-button" href="../../slides/golden.pdf" download>Download PDF</a></p>
</div>

## Opening { #slide-1 }

<a class="ck-slide-link" href="../../slides/golden.html#1" \
title="Open slide 1 in the slide deck">Slide 1</a>

First line\x20\x20
second line

- a list right after

??? note "Speaker notes"

    Say hello.

### Setext title { #slide-2 }

<a class="ck-slide-link" href="../../slides/golden.html#2" \
title="Open slide 2 in the slide deck">Slide 2</a>

<figure class="ck-figure ck-figure--right" markdown="span">
![chart](../../slides/images/chart.svg){ loading="lazy" width="400" }
</figure>

![A small cat](../../slides/images/01_cat.png){ loading="lazy" width="200" }

### Slide 3 { #slide-3 }

<a class="ck-slide-link" href="../../slides/golden.html#3" \
title="Open slide 3 in the slide deck">Slide 3</a>

No heading here.
"""
# (\x20\x20: the two trailing spaces of a hard line break, which editors trim)


def deck():
    return parse_text(DECK, Path("/course/slides/golden.md"))


def test_page_with_exports_embeds_the_deck_and_links_every_slide():
    links = LectureLinks(
        image_url=lambda image: f"../../slides/{image.src}",
        deck_html="../../slides/golden.html",
        deck_pdf="../../slides/golden.pdf",
    )
    assert render_lecture(deck(), links) == PAGE_WITH_EXPORTS


def test_handout_is_linked_next_to_the_pdf():
    links = LectureLinks(
        image_url=lambda image: image.src,
        deck_html="../../slides/golden.html",
        deck_pdf="../../slides/golden.pdf",
        deck_handout="../../slides/golden-handout.pdf",
    )
    page = render_lecture(deck(), links)
    assert (
        '<a class="md-button" href="../../slides/golden.pdf" download>Download PDF</a> '
        '<a class="md-button" href="../../slides/golden-handout.pdf" download>'
        "Download handout</a></p>"
    ) in page


def test_page_without_exports_has_no_deck_and_no_slide_links():
    page = render_lecture(deck(), LectureLinks(image_url=lambda image: image.src))
    assert "ck-deck" not in page and "ck-slide-link" not in page
    assert "## Opening { #slide-1 }\n\nFirst line  \nsecond line" in page
    assert "![chart](images/chart.svg)" in page


def test_decorative_background_gets_an_empty_alt():
    decorative = parse_text(
        '# A\n\ntext\n\n![bg](images/texture.png "decorative")\n', Path("/d.md")
    )
    page = render_lecture(decorative, LectureLinks(image_url=lambda image: image.src))
    assert "![](images/texture.png)" in page


def test_rendering_does_not_change_the_deck():
    parsed = deck()
    before = (parsed.slides, dict(parsed.global_directives))
    render_lecture(parsed, LectureLinks(image_url=lambda image: image.src))
    assert (parsed.slides, dict(parsed.global_directives)) == before


# Raw HTML: the page renders it as the HTML deck does.

FIXTURES = Path(__file__).parent / "export" / "fixtures" / "html"


def page_of(text: str, **options) -> str:
    deck = parse_text(f"---\nmarp: true\n---\n{text}", Path("/course/slides/d.md"))
    links = LectureLinks(image_url=lambda image: f"../../slides/{image.src}")
    return render_lecture(deck, links, **options)


def html_of(page: str) -> str:
    configs = {name: config for name, config in _REQUIRED_EXTENSIONS.items() if config}
    body, _ = get_data(page)
    return markdown.markdown(
        body, extensions=list(_REQUIRED_EXTENSIONS), extension_configs=configs
    )


def test_raw_html_goes_through_marps_allowlist():
    page = page_of(
        '# A\n\n<script>alert(1)</script>\n\n<img src="x.png" onerror="y()">\n'
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<img src="../../slides/x.png">' in page
    assert "onerror" not in page


def test_html_left_open_is_closed_at_the_end_of_its_slide():
    page = page_of('# A\n\n<div class="box">\n\ntext\n\n---\n\n# B\n\n</div>\n\nmore\n')
    first, second = page.split("## B", 1)
    assert first.rstrip().endswith("</div>")
    assert "</div>" not in second
    assert re.findall(r'id="(slide-\d+)"', html_of(page)) == ["slide-1", "slide-2"]


def test_markdown_between_html_blocks_is_markdown_as_in_the_deck():
    layout = '<div class="columns">\n<div>\n\n## Left\n\n- a\n\n</div>\n</div>\n'
    html = html_of(page_of(f"# A\n\n{layout}"))
    assert '<div class="columns">' in html
    assert "<h3" in html and "<li>a</li>" in html


@pytest.mark.parametrize("full_html", [False, True])
def test_deck_styles_never_reach_the_page(full_html):
    text = "<style>\nbody { color: red }\n</style>\n\n# A\n\n"
    text += "<div><style>p{}</style></div>\n"
    page = page_of(text, full_html=full_html)
    assert "<style>" not in page


def test_full_html_keeps_the_decks_html_as_written():
    page = page_of(
        '# A\n\n<script>window.ran = 1</script>\n\n<img src="x.png" onerror="y()">\n',
        full_html=True,
    )
    assert "<script>window.ran = 1</script>" in page
    assert '<img src="../../slides/x.png" onerror="y()">' in page


@pytest.mark.parametrize("fixture", ["raw_html.md", "markdown_attacks.md"])
def test_nothing_a_deck_writes_runs_on_its_page(fixture):
    hostile_title = "title: \"<img src=x onerror=alert('title')>\"\n"
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    deck = parse_text(f"---\nmarp: true\n{hostile_title}---\n{text}", Path("/c/s/d.md"))
    page = render_lecture(deck, LectureLinks(image_url=lambda image: image.src))
    assert live_html(html_of(page)) == []


def test_titles_reach_the_site_templates_as_text():
    page = page_of("# A </title><script>x()</script>\n")
    title = get_data(page)[1]["title"]
    assert "<" not in title
    assert "</" not in html.unescape(title)


def test_a_math_block_under_a_paragraph_is_math_as_in_the_deck():
    page = page_of("# A\n\nText\n$$\nx < y\n$$\nafter\n")
    assert "Text\n\n$$\nx < y\n$$\n\nafter" in page
    assert 'class="arithmatex"' in html_of(page)


def _long_deck(slides: int) -> str:
    """A deck of `slides` slides, each with what a lecture slide holds:
    a heading, bullets, code, an image, inline HTML, math and a note."""
    slide = (
        "## Step {n}\n\n- a point with `code` and $x_{n}$\n- <b>another</b>\n\n"
        "```python\nprint({n})\n```\n\n![A chart of step {n}](images/chart.svg)\n\n"
        "<!-- Say why step {n} matters. -->\n"
    )
    return "---\nmarp: true\n---\n\n" + "\n---\n\n".join(
        slide.format(n=number) for number in range(1, slides + 1)
    )


def test_a_5000_slide_deck_is_read_and_its_page_has_every_slide():
    # Issue 12: a deck this long could not be built (parsing was quadratic).
    # No timing here; docs/benchmarks.md "Deck size" holds the figures.
    deck = parse_text(_long_deck(5000), Path("/course/slides/long.md"))
    assert len(deck.slides) == 5000
    assert deck.slides[-1].title == "Step 5000"
    assert deck.slides[-1].notes[0].text == "Say why step 5000 matters."
    links = LectureLinks(image_url=lambda image: f"../../slides/{image.src}")
    # The page's Markdown, not its HTML: Python-Markdown takes three times
    # as long as parse and render together, and bench/deck_size.py times it.
    page = render_lecture(deck, links)
    anchors = [int(n) for n in re.findall(r"^### .* \{ #slide-(\d+) \}$", page, re.M)]
    assert anchors == list(range(1, 5001))
