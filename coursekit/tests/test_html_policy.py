"""The HTML policy on golden strings: what survives of a deck's raw HTML.

Each expected string is what Marp Core 4.4 renders for the same input without
its `html` option, written the way nh3 serializes it (`<img ...>` for Marp's
`<img ... />`, `controls=""` for `controls`), except where a URL is refused:
Marp keeps the attribute with no value (`<a href>`), the policy drops it.
tests/export/test_html_policy_matches_marp.py checks the same against Marp CLI.
"""

from __future__ import annotations

import pytest
from coursekit.html_policy import (
    ALLOWLIST,
    PageHtml,
    html_images,
    live_html,
    marp_options,
    render_raw_html,
)

HOSTILE = {
    "script block": (
        "<script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ),
    "script with a source": (
        '<script src="https://evil.example/x.js"></script>',
        '&lt;script src="https://evil.example/x.js"&gt;&lt;/script&gt;',
    ),
    "event handler on an image": (
        '<img src="chart.png" onerror="alert(1)" alt="Chart">',
        '<img src="chart.png" alt="Chart">',
    ),
    "unquoted event handler": (
        "<img src=x onerror=alert(1)>",
        '<img src="x">',
    ),
    "iframe": (
        '<iframe src="https://example.com/embed"></iframe>',
        '&lt;iframe src="https://example.com/embed"&gt;&lt;/iframe&gt;',
    ),
    "javascript link": (
        '<a href="javascript:alert(1)">run</a>',
        "<a>run</a>",
    ),
    "javascript link in mixed case": (
        '<a href="JaVaScRiPt:alert(1)">run</a>',
        "<a>run</a>",
    ),
    "javascript link behind spaces": (
        '<a href="  javascript:alert(1)">run</a>',
        "<a>run</a>",
    ),
    "javascript link hidden by an entity": (
        '<a href="java&#x73;cript:alert(1)">run</a>',
        "<a>run</a>",
    ),
    "javascript link split by a tab": (
        '<a href="java\tscript:alert(1)">run</a>',
        "<a>run</a>",
    ),
    "javascript image source": (
        '<img src="javascript:alert(1)">',
        "<img>",
    ),
    "html data URL as an image": (
        '<img src="data:text/html,<b>x</b>">',
        "<img>",
    ),
    "javascript video source": (
        '<video src="javascript:alert(1)" poster="javascript:alert(2)"></video>',
        "<video></video>",
    ),
    "click handler on a link": (
        '<a href="https://example.org/" onclick="steal()">docs</a>',
        '<a href="https://example.org/">docs</a>',
    ),
    "svg with onload": (
        '<svg onload="alert(1)"><circle r="5"/></svg>',
        '&lt;svg onload="alert(1)"&gt;&lt;circle r="5"/&gt;&lt;/svg&gt;',
    ),
    "object": (
        '<object data="movie.swf"></object>',
        '&lt;object data="movie.swf"&gt;&lt;/object&gt;',
    ),
    "embed": ('<embed src="x.swf">', '&lt;embed src="x.swf"&gt;'),
    "form and input": (
        '<form action="https://evil.example"><input name="pw"></form>',
        '&lt;form action="https://evil.example"&gt;&lt;input name="pw"&gt;'
        "&lt;/form&gt;",
    ),
    "meta refresh": (
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '&lt;meta http-equiv="refresh" content="0;url=https://evil.example"&gt;',
    ),
    "base": (
        '<base href="https://evil.example/">',
        '&lt;base href="https://evil.example/"&gt;',
    ),
    "inline style element": (
        "<style>body { display: none }</style>",
        "&lt;style&gt;body { display: none }&lt;/style&gt;",
    ),
    "style attribute": (
        '<span style="position:fixed;inset:0">cover</span>',
        "<span>cover</span>",
    ),
    "id and data attributes": (
        '<div id="main" data-x="1" class="columns">',
        '<div class="columns">',
    ),
    "stray end tag of a refused element": ("</script>", "&lt;/script&gt;"),
    "doctype": ("<!DOCTYPE html>", "&lt;!DOCTYPE html&gt;"),
}

KEPT = {
    "web link with target and rel": (
        '<a href="https://example.org/" target="_blank" rel="noopener" title="t">x</a>',
        '<a href="https://example.org/" target="_blank" rel="noopener" title="t">x</a>',
    ),
    "relative link": (
        '<a href="labs/01.html">lab</a>',
        '<a href="labs/01.html">lab</a>',
    ),
    "anchor link": ('<a href="#slide-3">back</a>', '<a href="#slide-3">back</a>'),
    "mail link (not a web URL in Marp)": (
        '<a href="mailto:a@b.c">mail</a>',
        "<a>mail</a>",
    ),
    "image data URL": (
        '<img src="data:image/png;base64,AAAA" alt="dot">',
        '<img src="data:image/png;base64,AAAA" alt="dot">',
    ),
    "image srcset": (
        '<img srcset="a.png 1x, https://cdn.example/a@2x.png 2x">',
        '<img srcset="a.png 1x, https://cdn.example/a@2x.png 2x">',
    ),
    "image srcset with a refused URL": (
        '<img srcset="a.png 1x, javascript:alert(1) 2x">',
        "<img>",
    ),
    "upper-case tag and attributes": (
        '<IMG SRC="chart.png" ALT="Up">',
        '<img src="chart.png" alt="Up">',
    ),
    "self-closing tag": ('<br/><img src="a.png" />', '<br><img src="a.png">'),
    "direction normalized": ('<p dir="RTL">x</p>', '<p dir="rtl">x</p>'),
    "unknown direction": ('<p dir="sideways">x</p>', "<p>x</p>"),
    "source takes no global attribute": (
        '<source class="k" srcset="a.webp" type="image/webp">',
        '<source srcset="a.webp" type="image/webp">',
    ),
    "table cell outside a table": (
        '<td colspan=2 onclick="x()">',
        '<td colspan="2">',
    ),
    "element opened here, closed elsewhere": (
        '<div class="columns">\n<div>',
        '<div class="columns">\n<div>',
    ),
    "end tags alone": ("</div>\n</div>", "</div>\n</div>"),
    "text with angle brackets and entities": (
        "<p>a < b & c > d &amp; &lt; &#169;</p>",
        "<p>a &lt; b & c &gt; d &amp; &lt; &#169;</p>",
    ),
    "comment inside HTML is dropped": ("<div><!-- hidden --></div>", "<div></div>"),
    "quote in an attribute": (
        "<span title='say \"hi\"'>x</span>",
        '<span title="say &quot;hi&quot;">x</span>',
    ),
    "boolean attributes": (
        "<video controls muted></video>",
        '<video controls="" muted=""></video>',
    ),
}


@pytest.mark.parametrize(("html", "expected"), HOSTILE.values(), ids=HOSTILE)
def test_hostile_html_is_escaped_or_loses_its_payload(html, expected):
    assert render_raw_html(html) == expected


@pytest.mark.parametrize(("html", "expected"), KEPT.values(), ids=KEPT)
def test_allowed_html_keeps_what_marp_keeps(html, expected):
    assert render_raw_html(html) == expected


def _benign_value(attribute: str) -> str:
    """A value every rule for `attribute` accepts as it is."""
    if attribute in {"href", "src", "cite", "poster", "srcset"}:
        return "https://example.org/a.png"
    return "rtl" if attribute == "dir" else "1"


ALLOWED_ATTRIBUTES = [
    (tag, attribute) for tag, rules in ALLOWLIST.items() for attribute in rules
]


@pytest.mark.parametrize(
    ("tag", "attribute"),
    ALLOWED_ATTRIBUTES,
    ids=[f"{tag}-{attribute}" for tag, attribute in ALLOWED_ATTRIBUTES],
)
def test_every_allowlisted_attribute_survives(tag, attribute):
    value = _benign_value(attribute)
    tag_html = f'<{tag} {attribute}="{value}">'
    assert render_raw_html(tag_html) == tag_html


@pytest.mark.parametrize("tag", sorted(ALLOWLIST))
def test_every_allowlisted_element_survives_without_its_handlers(tag):
    assert render_raw_html(f'<{tag} onmouseover="x()">') == f"<{tag}>"
    assert render_raw_html(f"</{tag}>") == f"</{tag}>"


def test_allowlist_leaves_out_what_marp_leaves_out():
    # The full comparison with the installed Marp Core is in
    # tests/export/test_html_policy_matches_marp.py.
    refused = {"header", "footer", "script", "style", "iframe", "svg", "font"}
    assert not refused & ALLOWLIST.keys()
    assert not any(
        name.startswith("on") for rules in ALLOWLIST.values() for name in rules
    )


def test_full_html_keeps_everything_for_page_and_deck():
    hostile = "".join(html for html, _ in HOSTILE.values())
    assert render_raw_html(hostile, full=True) == hostile
    assert marp_options(full=True) == ("--html",)
    assert marp_options() == ()


# The page: one document for every slide, so what a slide opens it closes.


def test_page_html_closes_what_a_slide_leaves_open_and_drops_stray_ends():
    page = PageHtml(full=False)
    assert page.block("<div><span>") == '<div markdown="1"><span>'
    assert page.inline("</b>") == ""
    assert page.close() == "</span></div>"
    assert page.block("</div>") == ""


def test_page_html_marks_only_containers_left_open_as_holding_markdown():
    page = PageHtml(full=False)
    assert (
        page.block('<div class="a"><p>x</p></div>') == '<div class="a"><p>x</p></div>'
    )
    assert page.block("<section>") == '<section markdown="1">'
    assert page.inline("<div>") == "<div>"


@pytest.mark.parametrize("full", [False, True])
def test_page_html_never_keeps_a_style_element(full):
    page = PageHtml(full=full)
    assert "<style" not in page.block("<div><style>body { color: red }</style>x</div>")


def test_page_html_points_images_at_their_published_place():
    page = PageHtml(full=False, image_url={"a.png": "../s/a.png"}.get)
    written = page.block('<img src="a.png" srcset="a.png 1x, b.png 2x" alt="A">')
    assert written == '<img src="../s/a.png" srcset="../s/a.png 1x, b.png 2x" alt="A">'


def test_images_named_in_html_are_the_ones_the_policy_keeps():
    html = (
        '<p>\n<img src="a&amp;b.png" alt="A"> <img src="javascript:x()">\n'
        '<video poster="p.png"></video><source srcset="c.webp, https://x.org/d.png 2x">'
    )
    found = [(image.src, image.alt, image.line) for image in html_images(html)]
    assert found == [
        ("a&b.png", "A", 2),
        ("p.png", "", 3),
        ("c.webp", "", 3),
        ("https://x.org/d.png", "", 3),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "<script>x()</script>",
        '<img src="a.png" onerror="x()">',
        '<a href=" java\tscript:x()">a</a>',
        '<iframe srcdoc="&lt;script&gt;x()&lt;/script&gt;"></iframe>',
        '<object data="x.swf"></object>',
        "<style>body{}</style>",
        '<img src="data:text/html,x">',
    ],
)
def test_live_html_finds_what_could_run(html):
    assert live_html(html)


def test_live_html_leaves_what_cannot_run():
    html = (
        '<h2 id="slide-1">A</h2><a href="#slide-2" title="a:b">x</a>'
        '<img src="data:image/png;base64,AA" alt="p"><iframe src="../d.html"></iframe>'
        '<a href="mailto:a@b.org">m</a><span class="arithmatex">\\(a:b\\)</span>'
    )
    assert live_html(html) == []
