"""The published course site as a learner uses it, in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

HOME = ""
LECTURE = "lectures/01_introduction/"
LAB = "labs/production_1_setup/"
DECK = "slides/01_introduction.html"
# Said on lecture 1's slide about latency, and nowhere else in the course.
SLIDE_PHRASE = "percentiles"
# Marp's HTML export draws each slide as one of these.
SLIDE_SELECTOR = "svg[data-marpit-svg]"
PHONE = {"width": 375, "height": 812}


def deck_frame(page):
    embeds = page.locator(".ck-deck iframe")
    assert embeds.count() == 1, "the lecture page embeds no deck (.ck-deck iframe)"
    frame = embeds.element_handle().content_frame()
    assert frame is not None, "the lecture page's deck iframe has no document"
    frame.wait_for_load_state("load")
    return frame


def deck_button(page, text: str):
    button = page.locator(".ck-deck a.md-button", has_text=text)
    assert button.count() == 1, f"the lecture page has no '{text}' button"
    return button


def test_search_finds_a_slide_phrase_and_lands_on_its_slide(open_page):
    page = open_page(HOME).page
    page.locator(".md-search__input").press_sequentially(SLIDE_PHRASE)
    best = page.locator(".md-search-result__item").first
    best.wait_for()
    assert f"/{LECTURE}" in best.locator("a").first.get_attribute("href")

    hit = best.locator("a", has=page.locator("mark")).first
    hit.click()
    page.wait_for_load_state("load")
    anchor = page.evaluate("location.hash")
    assert re.fullmatch(r"#slide-\d+", anchor), page.url
    assert f"/{LECTURE}" in page.url
    heading = page.locator(anchor)
    assert heading.is_visible()
    assert SLIDE_PHRASE in slide_text(page, anchor[1:]).lower()


def slide_text(page, anchor: str) -> str:
    """The text of one slide's section: its heading up to the next slide's."""
    return page.evaluate(
        """(id) => {
            const start = document.getElementById(id);
            const parts = [start.textContent];
            let node = start.nextElementSibling;
            while (node && !/^slide-\\d+$/.test(node.id)) {
                parts.push(node.textContent);
                node = node.nextElementSibling;
            }
            return parts.join(" ");
        }""",
        anchor,
    )


def test_embedded_deck_loads_and_arrow_keys_turn_the_slides(open_page):
    page = open_page(LECTURE).page
    frame = deck_frame(page)
    assert frame.url.endswith(f"/{DECK}")
    slides = frame.locator(SLIDE_SELECTOR).count()
    assert slides == page.locator("a.ck-slide-link").count() > 1

    page.locator(".ck-deck iframe").focus()
    page.keyboard.press("ArrowRight")
    frame.wait_for_function("location.hash === '#2'")
    page.keyboard.press("ArrowRight")
    frame.wait_for_function("location.hash === '#3'")
    page.keyboard.press("ArrowLeft")
    frame.wait_for_function("location.hash === '#2'")


def test_slide_links_open_the_deck_at_their_slide(open_page):
    page = open_page(LECTURE).page
    links = page.locator("a.ck-slide-link")
    assert links.count() > 1, "the lecture page links no slide (a.ck-slide-link)"
    numbers = [
        int(href.rsplit("#", 1)[1])
        for href in links.evaluate_all("links => links.map(a => a.href)")
    ]
    assert numbers == list(range(1, len(numbers) + 1))

    third = links.nth(2)
    page.goto(third.evaluate("a => a.href"))
    page.wait_for_function("location.hash === '#3'")
    active = page.locator(f"{SLIDE_SELECTOR}.bespoke-marp-active")
    assert active.count() == 1
    assert active.locator("section").get_attribute("id") == "3"


def test_present_opens_the_deck(open_page):
    page = open_page(LECTURE).page
    slides = page.locator("a.ck-slide-link").count()
    with page.context.expect_page() as opened:
        deck_button(page, "Present").click()
    deck = opened.value
    deck.wait_for_load_state("load")
    assert deck.url.endswith(f"/{DECK}")
    assert deck.locator(SLIDE_SELECTOR).count() == slides


def test_download_pdf_returns_the_deck_as_a_pdf(open_page, tmp_path: Path):
    page = open_page(LECTURE).page
    slides = page.locator("a.ck-slide-link").count()
    with page.expect_download() as download:
        deck_button(page, "Download PDF").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(pdf).pages) == slides


def test_lab_page_shows_executed_outputs(open_page):
    page = open_page(LAB).page
    code = page.locator(".md-content .highlight:not(.ck-output)").all_inner_texts()
    assert code, "the lab page shows no code cells"
    outputs = page.locator(".md-content .ck-output").all_inner_texts()
    assert outputs, "no code cell shows an output"
    assert any("Files git tracks in 05_src/" in text for text in outputs)
    assert not [text for text in outputs if "Traceback" in text]
    download = page.get_by_role("link", name="Download this notebook")
    assert download.get_attribute("href").endswith("production_1_setup.ipynb")


def test_every_page_loads_without_errors_or_failed_requests(open_page, site_pages):
    expected = (HOME, LECTURE, LAB, DECK)
    problems = [
        f"/{path}: not in the site" for path in expected if path not in site_pages
    ]
    for path in site_pages:
        visit = open_page(path)
        # Lazy images and the embedded deck load once they are scrolled to.
        visit.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        visit.page.wait_for_load_state("networkidle")
        problems.extend(f"/{path}: {message}" for message in visit.problems.messages)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("scheme", "palette", "dark"),
    [("light", "default", False), ("dark", "slate", True)],
)
def test_palette_follows_the_system_and_renders(open_page, scheme, palette, dark):
    body = open_page(LECTURE, color_scheme=scheme).page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == palette
    background = luminance(body.evaluate("b => getComputedStyle(b).backgroundColor"))
    text = luminance(body.evaluate("b => getComputedStyle(b).color"))
    assert (background < text) is dark, (background, text)
    assert abs(background - text) > 0.5


def test_palette_toggle_switches_light_to_dark(open_page):
    page = open_page(HOME, color_scheme="light").page
    page.locator("form[data-md-component=palette] label:visible").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def luminance(css_color: str) -> float:
    """Relative luminance (0 black .. 1 white) of an `rgb(...)` CSS colour."""
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("path", [HOME, LECTURE, LAB])
def test_layout_holds_at_phone_width(open_page, path):
    page = open_page(path, viewport=PHONE).page
    widths = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            viewport: document.documentElement.clientWidth,
        })"""
    )
    assert widths["viewport"] == PHONE["width"]
    assert max(widths["page"], widths["body"]) <= widths["viewport"], widths


@pytest.mark.parametrize(
    ("name", "path"), [("home", HOME), ("lecture-1", LECTURE), ("lab-1", LAB)]
)
def test_screenshots(open_page, screenshot_dir, name, path):
    """Pictures of the main pages for a person to look at (CI uploads them)."""
    shots = {
        f"{name}.png": ({}, True),
        f"{name}-dark.png": ({"color_scheme": "dark"}, False),
        f"{name}-phone.png": ({"viewport": PHONE}, False),
    }
    for filename, (options, full_page) in shots.items():
        page = open_page(path, **options).page
        target = screenshot_dir / filename
        target.unlink(missing_ok=True)
        page.screenshot(path=target, full_page=full_page)
        assert target.stat().st_size > 0
