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

from collections.abc import Callable, Mapping
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


def render_raw_html(html: str, *, full: bool = False) -> str:
    """Raw HTML from a deck (an HTML block or inline tag) as the page shows it.

    By default as Marp Core renders it without its `html` option: allowlisted
    tags are kept with their allowed attributes, other tags, comments aside,
    are escaped so they read as text. `full` keeps the HTML as written.
    """
    if full:
        return html
    fragment = _Fragment()
    fragment.feed(html)
    fragment.close()
    return "".join(fragment.parts)


def marp_options(*, full: bool = False) -> tuple[str, ...]:
    """The Marp CLI options that give the deck the page's policy."""
    return ("--html",) if full else ()


class _Fragment(HTMLParser):
    """Splits HTML into tags and text, keeping entities as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        written = self.get_starttag_text() or ""
        if tag not in _CLEANERS:
            self.parts.append(_as_text(written))
            return
        carried = _CLEANERS[tag].clean(f"<{_CARRIER}{written[1 + len(tag) :]}")
        if not _is_one_carrier_tag(carried):
            self.parts.append(_as_text(written))
            return
        self.parts.append(f"<{tag}{carried[1 + len(_CARRIER) :]}")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        end = f"</{tag}>"
        self.parts.append(end if tag in _CLEANERS else _as_text(end))

    def handle_data(self, data: str) -> None:
        self.parts.append(_as_text(data))

    def handle_entityref(self, name: str) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.parts.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        """Marp drops comments inside HTML: they are neither notes nor shown."""

    def handle_decl(self, decl: str) -> None:
        self.parts.append(_as_text(f"<!{decl}>"))

    def unknown_decl(self, data: str) -> None:
        self.parts.append(_as_text(f"<![{data}]>"))

    def handle_pi(self, data: str) -> None:
        self.parts.append(_as_text(f"<?{data}>"))


def _is_one_carrier_tag(html: str) -> bool:
    """nh3 escapes `>` in values: one `>`, at the end, means one whole tag."""
    return html.startswith(f"<{_CARRIER}") and html.find(">") == len(html) - 1


def _as_text(html: str) -> str:
    """Escaped as Marp escapes what it does not allow: `<` and `>` only."""
    return html.replace("<", "&lt;").replace(">", "&gt;")
