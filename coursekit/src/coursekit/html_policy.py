"""What raw HTML written in a deck may do, on the lecture page and in the deck.

A deck comes in by pull request, so its raw HTML is not trusted: by default
it is treated as Marp Core treats it. The elements of Marp Core's allowlist
keep the attributes the allowlist names (URLs only with the schemes it
allows); every other tag is escaped, so it shows as text, as in the deck,
instead of vanishing. Scripts, event handlers and `javascript:` URLs never
survive.

Full HTML is a trust decision for a course whose decks all come from trusted
authors: the page keeps the deck's HTML as written and Marp CLI gets `--html`,
so page and deck stay alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

import nh3

AttributeRule = Callable[[str], str | None]
"""An allowed attribute's value as kept, or None when it must go."""


def keep(value: str) -> str:
    """The rule of an attribute whose value is kept as written."""
    return value


def _direction(value: str) -> str | None:
    normalized = value.lower()
    return normalized if normalized in {"ltr", "rtl", "auto"} else None


def _url_rule(*allowed: str) -> AttributeRule:
    """A URL with a scheme must use one of `allowed`; a relative URL is kept.

    `allowed` holds scheme names (`https`) or prefixes with a colon
    (`data:image/`).
    """

    def rule(value: str) -> str | None:
        if ":" not in value:
            return value
        url = value.strip().lower()
        scheme = url.split(":", 1)[0]
        for entry in allowed:
            if url.startswith(entry) if ":" in entry else scheme == entry:
                return value
        return None

    return rule


_web_url = _url_rule("http", "https")
_image_url = _url_rule("http", "https", "data:image/")


def _image_srcset(value: str) -> str | None:
    candidates = value.split(",")
    return value if all(_image_url(candidate) for candidate in candidates) else None


_GLOBAL: dict[str, AttributeRule] = {
    "class": keep,
    "dir": _direction,
    "lang": keep,
    "title": keep,
}
_ALIGN: dict[str, AttributeRule] = {"align": keep, "valign": keep}
_CELL: dict[str, AttributeRule] = {
    **_GLOBAL,
    **_ALIGN,
    "width": keep,
    "rowspan": keep,
    "colspan": keep,
}
_COLUMN: dict[str, AttributeRule] = {**_GLOBAL, **_ALIGN, "span": keep, "width": keep}
_EDIT: dict[str, AttributeRule] = {**_GLOBAL, "cite": _web_url, "datetime": keep}
_MEDIA: dict[str, AttributeRule] = {
    "autoplay": keep,
    "controls": keep,
    "loop": keep,
    "muted": keep,
    "preload": keep,
    "src": _web_url,
}
# Elements that take the global attributes only.
_PLAIN = (
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "big",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "mark",
    "nav",
    "p",
    "picture",
    "pre",
    "rp",
    "rt",
    "ruby",
    "s",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "u",
    "ul",
    "wbr",
)

ALLOWLIST: Mapping[str, Mapping[str, AttributeRule]] = {
    **{tag: _GLOBAL for tag in _PLAIN},
    "a": {
        **_GLOBAL,
        "href": _web_url,
        "name": keep,
        "rel": keep,
        "target": keep,
    },
    "audio": {**_GLOBAL, **_MEDIA},
    "blockquote": {**_GLOBAL, "cite": _web_url},
    "col": _COLUMN,
    "colgroup": _COLUMN,
    "del": _EDIT,
    "details": {**_GLOBAL, "open": keep},
    "img": {
        **_GLOBAL,
        "align": keep,
        "alt": keep,
        "decoding": keep,
        "height": keep,
        "loading": keep,
        "src": _image_url,
        "srcset": _image_srcset,
        "width": keep,
    },
    "ins": _EDIT,
    "li": {**_GLOBAL, "type": keep, "value": keep},
    "ol": {**_GLOBAL, "reversed": keep, "start": keep, "type": keep},
    "q": {**_GLOBAL, "cite": _web_url},
    # `source` takes none of the global attributes in Marp Core.
    "source": {
        "height": keep,
        "media": keep,
        "sizes": keep,
        "src": _image_url,
        "srcset": _image_srcset,
        "type": keep,
        "width": keep,
    },
    "table": {**_GLOBAL, **_ALIGN, "width": keep, "border": keep},
    "tbody": {**_GLOBAL, **_ALIGN},
    "td": _CELL,
    "tfoot": {**_GLOBAL, **_ALIGN},
    "th": _CELL,
    "thead": {**_GLOBAL, **_ALIGN},
    "time": {**_GLOBAL, "datetime": keep},
    "tr": {**_GLOBAL, **_ALIGN, "rowspan": keep},
    "video": {
        **_GLOBAL,
        **_MEDIA,
        "playsinline": keep,
        "poster": _image_url,
        "height": keep,
        "width": keep,
    },
}
"""Marp Core's default HTML allowlist (src/html/allowlist.ts in marp-core
4.4): element -> the attributes it keeps, each with the rule for its value.
`header` and `footer` are left out there on purpose: Marp's directives make
them."""

# html5ever, which nh3 parses with, builds a document tree: a `<td>` outside a
# table is dropped and an open `<div>` gets closed. Marp filters tag by tag (a
# `<div>` opened in one HTML block is closed in another), so each allowed tag's
# attributes are cleaned alone, carried by a `<br>`, which is void and valid
# anywhere, and the tag's own name is put back.
_CARRIER = "br"
_CLEANERS = {
    tag: nh3.Cleaner(
        tags={_CARRIER},
        attributes={_CARRIER: set(rules)},
        attribute_filter=lambda _carrier, name, value, rules=rules: rules[name](value),
        # The rules above decide; ammonia checks the schemes they may allow.
        url_schemes={"http", "https", "data"},
        link_rel=None,
    )
    for tag, rules in ALLOWLIST.items()
}


ImageUrl = Callable[[str], str | None]
"""The URL the page uses for a deck's image URL, or None to keep it."""

IMAGE_ATTRIBUTES: Mapping[str, tuple[str, ...]] = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("poster",),
}
"""Where raw HTML names images: checked and published like Markdown images."""

VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
"""Elements without content or end tag: nothing to close."""

# Elements that hold Markdown between HTML blocks in a deck (a column layout
# of `<div>`s): Python-Markdown reads their content as raw HTML unless told,
# with md_in_html's `markdown="1"`, to read it as Markdown as markdown-it does.
_MARKDOWN_CONTAINERS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "div",
        "figure",
        "nav",
        "section",
    }
)


def render_raw_html(
    html: str, *, full: bool = False, image_url: ImageUrl | None = None
) -> str:
    """Raw HTML from a deck (an HTML block or inline tag) as the page shows it.

    By default as Marp Core renders it without its `html` option: allowlisted
    tags are kept with their allowed attributes, other tags, comments aside,
    are escaped so they read as text. `full` keeps the HTML as written.
    `image_url` gives the URL each image named in the HTML has on the page.
    """
    if full and image_url is None:
        return html
    return "".join(piece.text for piece in _pieces(html, full, image_url))


def marp_options(*, full: bool = False) -> tuple[str, ...]:
    """The Marp CLI options that give the deck the page's policy."""
    return ("--html",) if full else ()


@dataclass(frozen=True)
class HtmlImage:
    src: str
    """The URL as the browser reads it (entities decoded)."""
    alt: str
    line: int
    """1-based line of the HTML where the tag starts."""


def html_images(html: str) -> list[HtmlImage]:
    """The images `html` names that the policy keeps: a URL with a scheme
    must be http(s) or an image data URL, as for the deck; relative URLs are
    files next to the deck."""
    collector = _ImageCollector()
    collector.feed(html)
    collector.close()
    return collector.images


class PageHtml:
    """The raw HTML of one slide (or note) as its part of the lecture page.

    Each HTML block and inline tag goes through the policy, in the order
    written. The page is one document, not a `<section>` per slide: an
    element the slide leaves open would swallow the next slides, so `close`
    gives the end tags of what is still open, and an end tag with nothing
    to close is dropped. A `<style>` element never reaches the page (it would
    restyle the site); in safe mode it is text anyway.
    """

    def __init__(self, *, full: bool, image_url: ImageUrl | None = None) -> None:
        self.full = full
        self.image_url = image_url
        self._open: list[_OpenElement] = []
        self._in_style = False

    def block(self, html: str) -> str:
        """An HTML block; containers it leaves open will hold Markdown."""
        return self._render(html, block=True)

    def inline(self, html: str) -> str:
        return self._render(html, block=False)

    def close(self) -> str:
        """End tags for every element still open, innermost first."""
        ends = "".join(f"</{element.tag}>" for element in reversed(self._open))
        self._open.clear()
        return ends

    def _render(self, html: str, *, block: bool) -> str:
        out: list[str] = []
        opened: list[_OpenElement] = []
        for piece in _pieces(html, self.full, self.image_url):
            if self._in_style:
                self._in_style = not (piece.kind == "end" and piece.tag == "style")
                continue
            if piece.kind == "start" and piece.tag == "style":
                self._in_style = True
                continue
            if piece.kind == "start" and piece.tag not in VOID_ELEMENTS:
                element = _OpenElement(piece.tag or "", len(out))
                self._open.append(element)
                if block and element.tag in _MARKDOWN_CONTAINERS:
                    opened.append(element)
            elif piece.kind == "end" and not self._close(piece.tag or ""):
                continue
            out.append(piece.text)
        for element in opened:
            if any(element is still for still in self._open):
                out[element.index] = _with_markdown_attribute(out[element.index])
        return "".join(out)

    def _close(self, tag: str) -> bool:
        """Close the innermost open `tag` and what is open inside it."""
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return True
        return False


@dataclass
class _OpenElement:
    tag: str
    index: int
    """Where its start tag is in the output of the piece that opened it."""


def _with_markdown_attribute(start_tag: str) -> str:
    end = len(start_tag) - (2 if start_tag.endswith("/>") else 1)
    return f'{start_tag[:end].rstrip()} markdown="1"{start_tag[end:]}'


@dataclass(frozen=True)
class _Piece:
    text: str
    kind: str = "text"
    """`start`, `end` (of an element kept as HTML) or `text`."""
    tag: str | None = None


def _pieces(html: str, full: bool, image_url: ImageUrl | None) -> list[_Piece]:
    fragment = _Fragment(full=full, image_url=image_url)
    fragment.feed(html)
    fragment.close()
    return fragment.pieces


class _Fragment(HTMLParser):
    """Splits HTML into tags and text, keeping entities as written."""

    def __init__(self, *, full: bool, image_url: ImageUrl | None) -> None:
        super().__init__(convert_charrefs=False)
        self.full = full
        self.image_url = image_url
        self.pieces: list[_Piece] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        written = self.get_starttag_text() or ""
        if self.image_url is not None and tag in IMAGE_ATTRIBUTES:
            written = _with_image_urls(tag, attrs, written, self.image_url)
        if self.full:
            self.pieces.append(_Piece(written, "start", tag))
            return
        if tag not in _CLEANERS:
            self._text(written)
            return
        carried = _CLEANERS[tag].clean(f"<{_CARRIER}{written[1 + len(tag) :]}")
        if not _is_one_carrier_tag(carried):
            self._text(written)
            return
        self.pieces.append(
            _Piece(f"<{tag}{carried[1 + len(_CARRIER) :]}", "start", tag)
        )

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        end = f"</{tag}>"
        if self.full or tag in _CLEANERS:
            self.pieces.append(_Piece(end, "end", tag))
        else:
            self._text(end)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self.pieces.append(_Piece(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.pieces.append(_Piece(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        """Marp drops comments inside HTML: they are neither notes nor shown."""

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self._text(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self._text(f"<?{data}>")

    def _text(self, text: str) -> None:
        self.pieces.append(_Piece(text if self.full else _as_text(text)))


class _ImageCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[HtmlImage] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        names = IMAGE_ATTRIBUTES.get(tag, ())
        values = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            if name not in names or not value:
                continue
            for url in _urls(name, value):
                if url and _image_url(url) is not None:
                    self.images.append(HtmlImage(url, values.get("alt") or "", line))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)


def _urls(attribute: str, value: str) -> list[str]:
    """The URLs an image attribute holds: one, or each `srcset` candidate's."""
    if attribute != "srcset":
        return [value.strip()]
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _with_image_urls(
    tag: str, attrs: list[tuple[str, str | None]], written: str, image_url: ImageUrl
) -> str:
    """The start tag with the page's URL for each image it names."""
    changed = False
    rebuilt = []
    for name, value in attrs:
        if value is not None and name in IMAGE_ATTRIBUTES[tag]:
            new = _rewritten(name, value, image_url)
            changed = changed or new != value
            value = new
        rebuilt.append(
            f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
        )
    if not changed:
        return written
    closing = " />" if written.endswith("/>") else ">"
    return f"<{tag}{''.join(rebuilt)}{closing}"


def _rewritten(attribute: str, value: str, image_url: ImageUrl) -> str:
    if attribute != "srcset":
        return image_url(value.strip()) or value
    candidates = []
    for candidate in value.split(","):
        words = candidate.split()
        if words:
            words[0] = image_url(words[0]) or words[0]
        candidates.append(" ".join(words))
    return ", ".join(candidates)


def _is_one_carrier_tag(html: str) -> bool:
    """nh3 escapes `>` in values: one `>`, at the end, means one whole tag."""
    return html.startswith(f"<{_CARRIER}") and html.find(">") == len(html) - 1


def _as_text(html: str) -> str:
    """Escaped as Marp escapes what it does not allow: `<` and `>` only."""
    return html.replace("<", "&lt;").replace(">", "&gt;")


_RUNNING_ELEMENTS = frozenset(
    {"script", "object", "embed", "applet", "base", "link", "meta", "style"}
)
_SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
_CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")


def live_html(html: str) -> list[str]:
    """What in a rendered page could run script or restyle it: `<script>`,
    embedded objects, `<style>`, event handler attributes, URLs with a
    scheme other than the web's (`javascript:`) or an image data URL, and
    `srcdoc`. The page of a deck rendered in safe mode must have none; this
    is the check that no difference between markdown-it and Python-Markdown
    let one through."""
    finder = _LiveFinder()
    finder.feed(html)
    finder.close()
    return finder.found


class _LiveFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _RUNNING_ELEMENTS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc":
                self.found.append(f"<{tag} {name}>")
            elif value and not _is_inert_url(name, value):
                self.found.append(f'<{tag} {name}="{value[:40]}">')

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)


def _is_inert_url(attribute: str, value: str) -> bool:
    """Whether an attribute value, read as a browser reads a URL, cannot run
    script: no scheme, a web scheme, or an image data URL."""
    url = _CONTROL_AND_SPACE.sub("", value).lower()
    scheme, colon, rest = url.partition(":")
    if not colon or not scheme.isalpha():
        return True
    if scheme == "data":
        return rest.startswith("image/") and not rest.startswith("image/svg")
    return scheme in _SAFE_URL_SCHEMES or attribute not in _URL_ATTRIBUTES


_URL_ATTRIBUTES = frozenset(
    {
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "formaction",
        "href",
        "poster",
        "src",
        "srcset",
        "xlink:href",
    }
)
