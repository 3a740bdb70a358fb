"""The lecture page `render` writes for a parsed deck, as golden strings."""

from __future__ import annotations

from pathlib import Path

from coursekit.parse import parse_text
from coursekit.render import LectureLinks, render_lecture

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
title: "Golden \\"deck\\""
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
