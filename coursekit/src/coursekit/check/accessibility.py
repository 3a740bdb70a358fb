"""Accessibility rules (WCAG 2.1 AA) of a deck and of its theme.

The deck rules read the text: every image says what it shows
(`deck-image-alt`), headings do not skip a level within a slide
(`deck-heading-order`) and a link's words say where it goes
(`deck-link-text`). The theme rule (`theme-contrast`) reads the theme's CSS
the way a browser would for a typical slide of each class the theme defines
and measures the contrast of every text colour against the background it is
drawn on.

`check.decks.check_deck` calls both, so the build and `course check` refuse
the same decks.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import cssselect2
import tinycss2
import tinycss2.color4
from markdown_it.token import Token

from ..errors import Problem
from ..model import DECORATIVE_TITLE, Deck, Image
from ..themes import BUILTIN_THEMES, ThemeSet
from .locate import find_text

__all__ = [
    "contrast_ratio",
    "paint_over",
    "parse_rgba",
    "text_problems",
    "theme_contrast_problems",
]

# Words that only say "a link is here": the words of a link are what a
# screen reader lists when a learner jumps from link to link.
VAGUE_LINK_TEXTS = frozenset(
    {
        "article",
        "click",
        "click here",
        "continue",
        "details",
        "go",
        "go here",
        "here",
        "info",
        "learn more",
        "link",
        "more",
        "more info",
        "more information",
        "page",
        "post",
        "read more",
        "see here",
        "see more",
        "source",
        "sources",
        "this",
        "this link",
        "this page",
        "url",
        "web site",
        "website",
    }
)

MIN_CONTRAST = 4.5
MIN_CONTRAST_LARGE = 3.0
"""WCAG 2.1 SC 1.4.3: 4.5:1, or 3:1 for large text."""
LARGE_TEXT_PX = 24.0
LARGE_BOLD_TEXT_PX = 18.66
"""Large text is 18 pt (24 px), or 14 pt (18.66 px) when bold."""


# Deck text rules ------------------------------------------------------------


def text_problems(
    deck: Deck, tokens: list[Token], body: list[str]
) -> Iterator[Problem]:
    """Problems of the deck's text: alt text, heading levels, link words.

    `tokens` are markdown-it's tokens of `body`, the deck's lines after its
    front matter.
    """
    yield from _image_alt_problems(deck)
    yield from _html_image_alt_problems(deck, tokens, body)
    yield from _heading_order_problems(deck)
    yield from _link_text_problems(deck, tokens, body)


def _image_alt_problems(deck: Deck) -> Iterator[Problem]:
    for image in deck.images:
        # An image written in HTML is judged by its `alt` attribute, below.
        if image.html or image.alt or image.decorative or _is_colour(image):
            continue
        yield Problem(
            deck.path,
            image.line,
            deck.column(image.line, image.markup),
            "deck-image-alt",
            f"{'background ' if image.background else ''}image '{image.src}' "
            "has no alt text: a screen reader cannot tell what it shows",
            _alt_fix(image),
        )


def _alt_fix(image: Image) -> str:
    keywords = image.markup[2 : image.markup.index("]")].strip()
    shown = f"![{keywords} What it shows]({image.src})".replace("[ ", "[")
    if not image.background:
        return (
            f"write what the image shows after the keywords: `{shown}` "
            "(only a background can be marked decorative)"
        )
    return (
        f"write what it shows: `{shown}`; or, if it is pure decoration, "
        f'mark it: `![{keywords}]({image.src} "{DECORATIVE_TITLE}")`'
    )


def _is_colour(image: Image) -> bool:
    """`![bg](#123)`, `![bg](red)`: Marp paints a background colour, no image."""
    return image.background and tinycss2.color4.parse_color(image.src) is not None


class _ImageTags(HTMLParser):
    """The `<img>` tags of some HTML, with their attributes and line."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[tuple[dict[str, str | None], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append((dict(attrs), self.getpos()[0]))

    handle_startendtag = handle_starttag


def _html_image_alt_problems(
    deck: Deck, tokens: list[Token], body: list[str]
) -> Iterator[Problem]:
    """`<img>` written as HTML: no `alt` at all is a problem; `alt=""` says
    the image is decorative, as HTML defines it."""
    for html, first, last in _html_pieces(tokens):
        tags = _ImageTags()
        tags.feed(html)
        tags.close()
        for attrs, offset in tags.images:
            if "alt" in attrs:
                continue
            src = attrs.get("src") or ""
            line, column = find_text(body, "<img", first + offset - 1, last)
            yield Problem(
                deck.path,
                line + deck.front_matter_lines,
                column,
                "deck-image-alt",
                f"HTML image '{src}' has no alt attribute: a screen reader "
                "cannot tell what it shows",
                'add `alt="what it shows"`, or `alt=""` if it is pure decoration',
            )


def _html_pieces(tokens: list[Token]) -> Iterator[tuple[str, int, int]]:
    """Each piece of raw HTML with the 0-based body lines [first, last) it is on."""
    for token in tokens:
        if token.map is None:
            continue
        if token.type == "html_block":
            yield token.content, *token.map
        for child in token.children or []:
            if child.type == "html_inline":
                yield child.content, *token.map


def _heading_order_problems(deck: Deck) -> Iterator[Problem]:
    for slide in deck.slides:
        for previous, heading in itertools.pairwise(slide.headings):
            if heading.level <= previous.level + 1:
                continue
            line = slide.line + heading.first
            wanted = "#" * (previous.level + 1)
            yield Problem(
                deck.path,
                line,
                deck.column(line, "#" * heading.level),
                "deck-heading-order",
                f"heading level skips from h{previous.level} to h{heading.level} "
                f"on slide {slide.number}: a screen reader's outline of the "
                "slide has a hole",
                f"make it a level {previous.level + 1} heading (`{wanted} "
                f"{heading.text}`), and style its size in the theme if needed",
            )


def _link_text_problems(
    deck: Deck, tokens: list[Token], body: list[str]
) -> Iterator[Problem]:
    for token in tokens:
        if token.type != "inline" or token.map is None:
            continue
        for href, words in _links(token.children or []):
            if not _is_vague(words):
                continue
            line, column = find_text(body, f"]({href}", *token.map)
            column = body[line - 1].rfind("[", 0, column) + 1 or column
            said = f"'{words.strip()}'" if words.strip() else "no words"
            yield Problem(
                deck.path,
                line + deck.front_matter_lines,
                column,
                "deck-link-text",
                f"link text {said} does not say where the link goes "
                "(a screen reader lists links by their words alone)",
                "name the destination in the link, e.g. `[Huyen, Designing "
                "ML Systems, ch. 2](https://...)` instead of `[source](https://...)`",
            )


def _links(children: list[Token]) -> Iterator[tuple[str, str]]:
    """Each link of an inline token: its href and the words it shows."""
    href: str | None = None
    words: list[str] = []
    for child in children:
        if child.type == "link_open":
            if child.markup == "autolink":
                continue  # `<https://...>` shows its address
            href, words = str(child.attrGet("href") or ""), []
        elif child.type == "link_close" and href is not None:
            yield href, "".join(words)
            href = None
        elif href is not None:
            if child.type in {"text", "code_inline", "image"}:
                words.append(child.content)
            elif child.type in {"softbreak", "hardbreak"}:
                words.append(" ")


def _is_vague(words: str) -> bool:
    """No letters or digits, only a number (`[1]`), or a phrase like 'here'."""
    kept = "".join(
        char if unicodedata.category(char)[0] in "LN" else " " for char in words.lower()
    )
    normal = " ".join(kept.split())
    return not normal or normal.isdigit() or normal in VAGUE_LINK_TEXTS


# Theme contrast -------------------------------------------------------------

Rgba = tuple[float, float, float, float]
"""sRGB red, green, blue and alpha, each from 0 to 1."""

_WHITE: Rgba = (1.0, 1.0, 1.0, 1.0)
_BLACK: Rgba = (0.0, 0.0, 0.0, 1.0)
_TRANSPARENT: Rgba = (0.0, 0.0, 0.0, 0.0)
_LINK_BLUE: Rgba = (0.0, 0.0, 0xEE / 255, 1.0)
"""The browser's colour of an unvisited link (`#0000ee`)."""

# What the browser's own style sheet gives the elements of a slide.
_UA_FONT_SCALE = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h4": 1.0, "h5": 0.83, "h6": 0.67}
_UA_BOLD = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "th", "strong", "b"})
_UA_FONT_PX = 16.0
_SECTION_CLASS = re.compile(r"\bsection((?:\.[-\w]+)+)")
_HLJS_CLASS = re.compile(r"\.(hljs-[-\w]+)")
_FONT_WEIGHTS = {"normal": False, "bold": True, "bolder": True, "lighter": False}

# A slide with one of everything a deck usually shows. `data-check` names
# the elements whose text is measured, as the problems name them.
_SLIDE = """\
<section class="{classes}">
<header data-check="header">Header</header>
<h1 data-check="h1">H</h1><h2 data-check="h2">H</h2><h3 data-check="h3">H</h3>
<h4 data-check="h4">H</h4><h5 data-check="h5">H</h5><h6 data-check="h6">H</h6>
<p data-check="text">Text <strong data-check="bold text">bold</strong>
<em data-check="emphasis">em</em> <a href="#" data-check="link">link</a>
<code data-check="inline code">code</code></p>
<p><img src="figure.svg" alt=""/><span data-check="figure caption">Caption</span></p>
<ul><li data-check="list item">Item</li></ul>
<blockquote><p data-check="quote">Quote</p></blockquote>
<pre><code data-check="code block">code{tokens}</code></pre>
<table><thead><tr><th data-check="table header">H</th></tr></thead>
<tbody><tr><td data-check="table cell">C</td></tr>
<tr><td data-check="table cell (even row)">C</td></tr></tbody></table>
<footer data-check="footer">Footer</footer>
</section>"""
# Marp's divider slides: a slide holding a heading alone.
_HEADING_SLIDE = '<section class="{classes}"><h1 data-check="h1">H</h1></section>'
# Marp numbers the pages with `section::after`.
_PSEUDO_CHECKS = {"after": "page number"}


@dataclass(frozen=True)
class _Declaration:
    name: str
    value: tuple
    """tinycss2 component values."""
    path: Path
    line: int
    column: int
    important: bool


@dataclass(frozen=True)
class _Origin:
    """Where a colour is written: a declaration, or the browser's default."""

    declaration: _Declaration | None

    @property
    def line(self) -> int | None:
        return self.declaration.line if self.declaration else None


_BROWSER = _Origin(None)


@dataclass(frozen=True)
class _Colour:
    rgba: Rgba
    origin: _Origin


@dataclass
class _Style:
    """The computed values of one element that contrast depends on."""

    color: _Colour | None
    """None when it cannot be known (a colour function the check cannot read)."""
    background: _Colour
    background_image: bool
    font_px: float
    root_px: float
    """The slide's font size: Marp makes `rem` relative to the `section`."""
    bold: bool
    custom: dict[str, tuple[tuple, _Origin]] = field(default_factory=dict)
    """Custom properties: their component values and where they are written."""


@dataclass(frozen=True)
class _Finding:
    path: Path
    line: int
    column: int
    text: Rgba
    background: Rgba
    ratio: float
    minimum: float
    text_by_browser: bool
    """The text colour is the browser's default: the theme sets none."""
    background_line: int | None
    where: str


def theme_contrast_problems(css: Path, themes: ThemeSet) -> list[Problem]:
    """Text colours of the theme at `css` that are too faint on their background.

    Every class the theme gives `section` (`invert`, `lead`...) is checked
    with the default, on a slide showing headings, text, links, code, lists,
    quotes, tables, header, footer and page number. Gradients and images are
    decoration: contrast is measured against the solid colour under them.
    Colours a theme takes from a built-in Marp theme it imports are Marp's
    and are left alone.
    """
    rules, imports_builtin = _read_rules(css, themes, set())
    matcher = cssselect2.Matcher()
    selectors = []
    for order, (prelude, declarations) in enumerate(rules):
        try:
            compiled = cssselect2.compile_selector_list(prelude)
        except cssselect2.SelectorError:
            continue  # a selector the check cannot read: the browser's business
        selectors.append(prelude)
        for selector in compiled:
            matcher.add_selector(selector, (order, declarations))
    classes = sorted(
        {
            name
            for prelude in selectors
            for found in _SECTION_CLASS.finditer(prelude)
            for name in found.group(1).split(".")
            if name
        }
    )
    tokens = sorted({name for p in selectors for name in _HLJS_CLASS.findall(p)})
    token_spans = "".join(
        f' <span class="{name}" data-check="code `{name}`">x</span>' for name in tokens
    )
    # One problem for each colour pair written at one place, naming every
    # element and class it shows up in, for the strictest minimum among them.
    findings: dict[_Finding, dict[str, list[str]]] = {}
    minimums: dict[_Finding, float] = {}
    for variant in [None, *classes]:
        for template, slide in (
            (_SLIDE, "slides"),
            (_HEADING_SLIDE, "heading-only slides"),
        ):
            html = template.format(classes=variant or "", tokens=token_spans)
            kind = f"`{variant}` {slide}" if variant else f"{slide} without a class"
            for finding in _slide_findings(html, matcher, imports_builtin):
                key = replace(finding, where="", minimum=0.0)
                findings.setdefault(key, {}).setdefault(kind, []).append(finding.where)
                minimums[key] = max(minimums.get(key, 0.0), finding.minimum)
    return [
        _problem(replace(finding, minimum=minimums[finding]), elements)
        for finding, elements in findings.items()
    ]


def _read_rules(
    css: Path, themes: ThemeSet, seen: set[Path]
) -> tuple[list[tuple[str, tuple[_Declaration, ...]]], bool]:
    """The style rules of `css` after those of the themes it imports, and
    whether it imports a built-in Marp theme."""
    seen.add(css)
    rules: list[tuple[str, tuple[_Declaration, ...]]] = []
    imports_builtin = False
    sheet = tinycss2.parse_stylesheet(
        css.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True
    )
    for node in sheet:
        if node.type == "at-rule" and node.lower_at_keyword in {
            "import",
            "import-theme",
        }:
            name = _imported_name(node.prelude)
            imported = themes.files.get(name or "")
            if imported is not None and imported not in seen:
                more, builtin = _read_rules(imported, themes, seen)
                rules.extend(more)
                imports_builtin |= builtin
            imports_builtin |= name in BUILTIN_THEMES
        elif node.type == "qualified-rule":
            # Marp's theme CSS says `:root` for the slide's `section`.
            prelude = re.sub(r":root\b", "section", tinycss2.serialize(node.prelude))
            declarations = tuple(
                _Declaration(
                    item.lower_name,
                    tuple(_significant(item.value)),
                    css,
                    item.source_line,
                    item.source_column,
                    item.important,
                )
                for item in tinycss2.parse_blocks_contents(
                    node.content, skip_comments=True, skip_whitespace=True
                )
                if item.type == "declaration"
            )
            rules.append((prelude.strip(), declarations))
    return rules, imports_builtin


def _imported_name(prelude: list) -> str | None:
    for token in prelude:
        if token.type in {"string", "url"}:
            return token.value
        if token.type == "function" and token.lower_name == "url":
            return next((t.value for t in token.arguments if t.type == "string"), None)
    return None


def _significant(values: Iterable) -> Iterator:
    for token in values:
        if token.type not in {"whitespace", "comment"}:
            yield token


def _slide_findings(
    html: str, matcher: cssselect2.Matcher, imports_builtin: bool
) -> Iterator[_Finding]:
    root = cssselect2.ElementWrapper.from_html_root(ElementTree.fromstring(html))
    chain: dict[ElementTree.Element, list[_Style]] = {}
    for element in root.iter_subtree():
        parent = element.parent
        parent_styles = chain[parent.etree_element] if parent is not None else []
        style = _compute(element, parent_styles[-1] if parent_styles else None, matcher)
        chain[element.etree_element] = [*parent_styles, style]
        what = element.etree_element.get("data-check")
        if what:
            yield from _measure(chain[element.etree_element], what, imports_builtin)
        if parent is None:
            for pseudo, what in _PSEUDO_CHECKS.items():
                pseudo_style = _compute(element, style, matcher, pseudo)
                yield from _measure([style, pseudo_style], what, imports_builtin)


def _compute(
    element: cssselect2.ElementWrapper,
    parent: _Style | None,
    matcher: cssselect2.Matcher,
    pseudo: str | None = None,
) -> _Style:
    """The element's style from the rules that match it, as a browser cascades."""
    tag = element.local_name
    declared: list[tuple[tuple, _Declaration]] = []
    for specificity, order, pseudo_type, (rule, declarations) in matcher.match(element):
        if pseudo_type != pseudo:
            continue
        for index, declaration in enumerate(declarations):
            key = (declaration.important, specificity, rule, order, index)
            declared.append((key, declaration))
    declared.sort(key=lambda item: item[0])

    inherited_px = parent.font_px if parent else _UA_FONT_PX
    style = _Style(
        color=parent.color if parent else _Colour(_BLACK, _BROWSER),
        background=_Colour(_TRANSPARENT, _BROWSER),
        background_image=False,
        font_px=inherited_px * (1.0 if pseudo else _UA_FONT_SCALE.get(tag, 1.0)),
        root_px=parent.root_px if parent else _UA_FONT_PX,
        bold=(parent.bold if parent else False) or (tag in _UA_BOLD and not pseudo),
        custom=dict(parent.custom) if parent else {},
    )
    if tag == "a" and not pseudo:
        style.color = _Colour(_LINK_BLUE, _BROWSER)
    # Custom properties first: the other values may use them.
    for _, declaration in declared:
        if declaration.name.startswith("--"):
            value, origin = _substitute(declaration.value, style.custom)
            style.custom[declaration.name] = (value, origin or _Origin(declaration))
    for _, declaration in declared:
        value, via = _substitute(declaration.value, style.custom)
        origin = via or _Origin(declaration)
        name = declaration.name
        if name == "color":
            inherited = parent.color if parent else _Colour(_BLACK, _BROWSER)
            style.color = _colour_value(
                value,
                origin,
                {
                    "inherit": inherited,
                    "unset": inherited,
                    "currentcolor": inherited,
                    "initial": _Colour(_BLACK, _BROWSER),
                },
            )
        elif name == "background-color":
            none = _Colour(_TRANSPARENT, origin)
            style.background = (
                _colour_value(
                    value,
                    origin,
                    {
                        "inherit": parent.background if parent else none,
                        "unset": none,
                        "initial": none,
                        "currentcolor": style.color,
                    },
                )
                or none
            )
        elif name == "background":
            style.background, style.background_image = _background(value, origin)
        elif name == "background-image":
            style.background_image = _has_image(value)
        elif name == "font-size":
            style.font_px = (
                _font_px(value, inherited_px, style.root_px) or style.font_px
            )
        elif name == "font-weight":
            style.bold = _is_bold(value, style.bold)
        elif name == "font":
            style.bold = any(_is_bold([token], False) for token in value)
    if parent is None:
        style.root_px = style.font_px
    return style


def _substitute(
    values: tuple, custom: dict[str, tuple[tuple, _Origin]], depth: int = 0
) -> tuple[tuple, _Origin | None]:
    """`values` with each `var()` replaced, and where the last one was written."""
    out: list = []
    origin: _Origin | None = None
    for token in values:
        if token.type == "function" and token.lower_name == "var" and depth < 16:
            arguments = list(_significant(token.arguments))
            name = (
                arguments[0].value if arguments and arguments[0].type == "ident" else ""
            )
            if name in custom:
                found, origin = custom[name]
            else:
                comma = next(
                    (
                        i
                        for i, t in enumerate(arguments)
                        if t.type == "literal" and t.value == ","
                    ),
                    None,
                )
                fallback = tuple(arguments[comma + 1 :]) if comma is not None else ()
                found, origin = _substitute(fallback, custom, depth + 1)
            out.extend(found)
        else:
            out.append(token)
    return tuple(out), origin


def _colour_value(
    values: tuple, origin: _Origin, keywords: dict[str, _Colour | None]
) -> _Colour | None:
    """A colour value: a colour, or one of the CSS-wide `keywords` (`inherit`,
    `currentcolor`...) resolved; None when the check cannot read it."""
    if len(values) != 1:
        return None
    token = values[0]
    if token.type == "ident" and token.lower_value in keywords:
        return keywords[token.lower_value]
    rgba = parse_rgba(token)
    return _Colour(rgba, origin) if rgba else None


def parse_rgba(token) -> Rgba | None:
    """A CSS colour (text or a tinycss2 token) as sRGB, None if it is none."""
    colour = tinycss2.color4.parse_color(token)
    if colour is None or isinstance(colour, str):
        return None
    red, green, blue = (
        min(max(value, 0.0), 1.0) for value in colour.to("srgb").coordinates
    )
    return (red, green, blue, float(colour.alpha))


def _background(values: tuple, origin: _Origin) -> tuple[_Colour, bool]:
    """The `background` shorthand: its colour (of the last layer) and whether
    any layer paints an image or a gradient."""
    layers: list[list] = [[]]
    for token in values:
        if token.type == "literal" and token.value == ",":
            layers.append([])
        else:
            layers[-1].append(token)
    colour = _Colour(_TRANSPARENT, origin)
    for token in layers[-1]:
        rgba = parse_rgba(token)
        if rgba is not None:
            colour = _Colour(rgba, origin)
    return colour, _has_image(values)


def _has_image(values: Iterable) -> bool:
    return any(
        token.type == "url"
        or (
            token.type == "function"
            and token.lower_name in {"url", "image", "image-set"}
        )
        or (token.type == "function" and token.lower_name.endswith("gradient"))
        for token in values
    )


def _font_px(values: tuple, inherited: float, root: float) -> float | None:
    if len(values) != 1:
        return None
    token = values[0]
    if token.type == "percentage":
        return inherited * token.value / 100
    if token.type != "dimension":
        return None
    scale = {"px": 1.0, "em": inherited, "rem": root, "pt": 4 / 3, "pc": 16.0}
    factor = scale.get(token.lower_unit)
    return token.value * factor if factor else None


def _is_bold(values: Iterable, current: bool) -> bool:
    for token in values:
        if token.type == "ident" and token.lower_value in _FONT_WEIGHTS:
            return _FONT_WEIGHTS[token.lower_value]
        if token.type == "number":
            return token.value >= 600
    return current


def _measure(
    chain: list[_Style], what: str, imports_builtin: bool
) -> Iterator[_Finding]:
    """The finding for the text of the last style of `chain`, if too faint."""
    style = chain[-1]
    if style.color is None:
        return
    layers: list[_Colour] = []
    for ancestor in reversed(chain):
        if ancestor.background_image and ancestor.background.rgba[3] == 0:
            return  # text on an image alone: no colour to measure against
        if ancestor.background.rgba[3] > 0:
            layers.append(ancestor.background)
        if ancestor.background.rgba[3] >= 1:
            break
    else:
        layers.append(_Colour(_WHITE, _BROWSER))
    decided_by_browser = (
        style.color.origin.declaration is None or layers[-1].origin.declaration is None
    )
    if imports_builtin and decided_by_browser:
        return  # the built-in theme decides that colour, not this one
    background = layers[-1].rgba
    for layer in reversed(layers[:-1]):
        background = paint_over(layer.rgba, background)
    text = paint_over(style.color.rgba, background)
    ratio = contrast_ratio(text, background)
    large = style.font_px >= LARGE_TEXT_PX or (
        style.bold and style.font_px >= LARGE_BOLD_TEXT_PX
    )
    minimum = MIN_CONTRAST_LARGE if large else MIN_CONTRAST
    if ratio >= minimum:
        return
    written = style.color.origin.declaration or layers[0].origin.declaration
    assert written is not None, "the browser's own colours are readable"
    yield _Finding(
        path=written.path,
        line=written.line,
        column=written.column,
        text=text,
        background=background,
        ratio=ratio,
        minimum=minimum,
        text_by_browser=style.color.origin.declaration is None,
        background_line=layers[0].origin.line,
        where=what,
    )


def paint_over(colour: Rgba, below: Rgba) -> Rgba:
    """`colour` painted over the opaque colour `below`."""
    alpha = colour[3]
    red, green, blue = (
        alpha * top + (1 - alpha) * bottom
        for top, bottom in zip(colour[:3], below[:3], strict=True)
    )
    return (red, green, blue, 1.0)


def contrast_ratio(first: Rgba, second: Rgba) -> float:
    """The WCAG 2 contrast ratio of two opaque sRGB colours, from 1 to 21."""

    def luminance(colour: Rgba) -> float:
        red, green, blue = (
            value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
            for value in colour[:3]
        )
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _problem(finding: _Finding, elements: dict[str, list[str]]) -> Problem:
    text, background = _hex(finding.text), _hex(finding.background)
    if finding.text_by_browser:
        text += " (the browser's default, as the theme sets none)"
    at = (
        f" (background at line {finding.background_line})"
        if finding.background_line
        else ""
    )
    # Not rounded up: 4.49:1 does not meet 4.5:1.
    ratio = int(finding.ratio * 100) / 100
    return Problem(
        finding.path,
        finding.line,
        finding.column,
        "theme-contrast",
        f"text {text} on {background}{at} has contrast {ratio:.2f}:1, below "
        f"{finding.minimum:g}:1: {_places(elements)}",
        f"use a text colour such as {_hex(_readable(finding))} "
        f"({finding.minimum:g}:1), or change the background",
    )


def _places(elements: dict[str, list[str]]) -> str:
    """`h2, link on `invert` slides; h2 on slides without a class`."""
    kinds: dict[tuple[str, ...], list[str]] = {}
    for kind, names in elements.items():
        kinds.setdefault(tuple(dict.fromkeys(names)), []).append(kind)
    return "; ".join(
        f"{', '.join(names)} on {' and '.join(kind_list)}"
        for names, kind_list in kinds.items()
    )


def _readable(finding: _Finding) -> Rgba:
    """The text colour moved toward black or white until it is readable."""
    towards = (
        _BLACK
        if contrast_ratio(_BLACK, finding.background)
        > contrast_ratio(_WHITE, finding.background)
        else _WHITE
    )
    for step in range(1, 101):
        mixed = paint_over((*towards[:3], step / 100), finding.text)
        if contrast_ratio(mixed, finding.background) >= finding.minimum:
            return mixed
    return towards


def _hex(colour: Rgba) -> str:
    return "#" + "".join(f"{round(value * 255):02x}" for value in colour[:3])
