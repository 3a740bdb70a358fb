"""WCAG 2.1 AA as a browser sees it: axe-core on every page of the built site
in both palettes and on every slide of every HTML deck.

axe-core is injected by Playwright (the pages never load it). Every rule
tagged WCAG 2.0 or 2.1, level A or AA, runs: none is turned off and no
element is left out.
"""

from __future__ import annotations

import pytest
from coursekit.check.accessibility import (
    MIN_CONTRAST,
    contrast_ratio,
    paint_over,
    parse_rgba,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The browser's colour scheme -> the Material palette that follows it.
PALETTES = {"light": "default", "dark": "slate"}
DECKS = "slides/"
LAB = "labs/production_1_setup/"
# Marp's bespoke template: one of these per slide, the shown one is active.
BESPOKE_SLIDE = "svg.bespoke-marp-slide"
SHOWN_SLIDE = f"{BESPOKE_SLIDE}.bespoke-marp-active"
CODE_CELL = ".md-content pre > code"


# The deck embedded in a lecture page (an iframe) is left to the deck test,
# which shows and checks each slide; through the frame only one is visible.
_RUN_AXE = """async ({context, tags}) => {
    const result = await axe.run(context ? {include: [context]} : document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
        iframes: false,
    });
    return result.violations.flatMap((rule) => rule.nodes.map((node) => ({
        rule: rule.id,
        help: rule.help,
        target: node.target.join(" "),
        summary: node.failureSummary,
    })));
}"""


def axe_violations(page, axe_source: str, where: str, context: str | None = None):
    """One line per element that breaks a rule: where, rule, element, why.

    `context`, a CSS selector, limits the check to what it matches.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    found = page.evaluate(_RUN_AXE, {"context": context, "tags": WCAG_TAGS})
    return [
        f"{where}: {item['rule']} at `{item['target']}`: {item['help']}. "
        + " ".join(line.strip() for line in item["summary"].splitlines()[1:])
        for item in found
    ]


def report(violations: list[str]) -> str:
    return f"{len(violations)} WCAG violations:\n" + "\n".join(violations)


@pytest.mark.parametrize(("scheme", "palette"), PALETTES.items())
def test_every_site_page_passes_axe(open_page, site_pages, axe_source, scheme, palette):
    # A learner lands on 404.html from every broken link: it is checked too.
    pages = [path for path in site_pages if not path.startswith(DECKS)]
    pages.append("404.html")
    violations = []
    for path in pages:
        page = open_page(path, color_scheme=scheme).page
        shown = page.locator("body").get_attribute("data-md-color-scheme")
        assert shown == palette, f"/{path} shows palette {shown}, not {palette}"
        violations += axe_violations(page, axe_source, f"/{path} ({scheme})")
    assert not violations, report(violations)


def test_every_slide_of_every_deck_passes_axe(open_page, site_pages, axe_source):
    decks = [path for path in site_pages if path.startswith(DECKS)]
    assert decks, f"the site has no HTML deck in /{DECKS}"
    violations = []
    for path in decks:
        page = open_page(path).page
        # The document once (its language, its title) with the first slide,
        # the one shown. axe-core skips hidden elements, and every other
        # slide is hidden until it is shown: each is shown, then checked.
        violations += axe_violations(page, axe_source, f"/{path}")
        for number in range(2, page.locator(BESPOKE_SLIDE).count() + 1):
            page.evaluate("(number) => { location.hash = `#${number}`; }", number)
            page.wait_for_function(
                """([selector, index]) => document.querySelectorAll(selector)[index]
                    .classList.contains("bespoke-marp-active")""",
                arg=[BESPOKE_SLIDE, number - 1],
            )
            violations += axe_violations(
                page, axe_source, f"/{path}#{number}", SHOWN_SLIDE
            )
    assert not violations, report(violations)


# Material's code colours: the text and every token class of its highlighter.
CODE_TOKENS = [
    "number",
    "special",
    "function",
    "constant",
    "keyword",
    "string",
    "name",
    "operator",
    "punctuation",
    "comment",
    "generic",
    "variable",
]
CODE_COLOURS = ["fg"] + [f"hl-{token}" for token in CODE_TOKENS]


@pytest.mark.parametrize("scheme", PALETTES)
def test_every_code_colour_is_readable_on_the_code_background(open_page, scheme):
    """axe-core sees the tokens that the pages hold today; this also covers
    the ones a later page brings (the lab notebooks use the same colours)."""
    page = open_page("", color_scheme=scheme).page
    colours = page.evaluate(
        """(names) => {
            const probe = document.createElement("span");
            document.querySelector(".md-typeset").append(probe);
            const read = (property, value) => {
                probe.style[property] = value;
                return getComputedStyle(probe)[property];
            };
            const colours = {
                page: getComputedStyle(document.body).backgroundColor,
                code: read("backgroundColor", "var(--md-code-bg-color)"),
            };
            for (const name of names) {
                colours[name] = read("color", `var(--md-code-${name}-color)`);
            }
            probe.remove();
            return colours;
        }""",
        CODE_COLOURS,
    )
    background = paint_over(
        parse_rgba(colours.pop("code")), parse_rgba(colours.pop("page"))
    )
    low = {}
    for name, value in colours.items():
        ratio = contrast_ratio(paint_over(parse_rgba(value), background), background)
        if ratio < MIN_CONTRAST:
            low[name] = f"{value} at {ratio:.2f}:1"
    assert not low, f"code colours under {MIN_CONTRAST}:1 ({scheme}): {low}"


def test_a_code_cell_that_scrolls_takes_the_focus_and_scrolls_by_keyboard(
    open_page,
):
    page = open_page(LAB).page
    cells = page.locator(CODE_CELL)
    state = """(cells) => cells.map((cell) => [
        cell.scrollWidth > cell.clientWidth,
        cell.getAttribute("tabindex") === "0",
    ])"""
    wide = cells.evaluate_all(state)
    assert any(scrolls for scrolls, _ in wide), "no code cell of the lab scrolls"
    # A cell that fits stays out of the tab order: a stop there does nothing.
    assert all(scrolls == focusable for scrolls, focusable in wide), wide

    # In a narrower window more cells scroll, and they join the tab order.
    page.set_viewport_size({"width": 560, "height": 900})
    page.wait_for_function(
        """([selector, before]) => {
            const cells = [...document.querySelectorAll(selector)];
            const scrolling = cells.filter((c) => c.scrollWidth > c.clientWidth);
            return scrolling.length > before && cells.every((cell) =>
                (cell.scrollWidth > cell.clientWidth) ===
                (cell.getAttribute("tabindex") === "0"));
        }""",
        arg=[CODE_CELL, sum(scrolls for scrolls, _ in wide)],
    )

    cell = cells.nth([scrolls for scrolls, _ in wide].index(True))
    cell.focus()
    assert cell.evaluate("(cell) => cell === document.activeElement")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(cell) => cell.scrollLeft > 0", arg=cell.element_handle())
