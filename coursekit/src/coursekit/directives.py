"""Marp's directive vocabulary, and how Marp reads a directive's value.

Marpit defines the built-in directives; Marp Core (`size`, `math`) and Marp
CLI (metadata, `transition`) add custom ones. Values arrive as YAML read with
the failsafe schema (strings, lists and mappings of strings); each directive
then keeps, converts or ignores its value as Marpit does, so `paginate:
"true"` is True and `headingDivider: "2"` is 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

MARPIT_GLOBALS = ("headingDivider", "style", "theme", "lang")
MARPIT_LOCALS = (
    "backgroundColor",
    "backgroundImage",
    "backgroundPosition",
    "backgroundRepeat",
    "backgroundSize",
    "class",
    "color",
    "footer",
    "header",
    "paginate",
)
CUSTOM_GLOBALS = (
    # Marp Core
    "size",
    "math",
    # Marp CLI metadata
    "author",
    "description",
    "image",
    "keywords",
    "title",
    "url",
)
CUSTOM_LOCALS = ("transition",)

GLOBAL_DIRECTIVES = frozenset(MARPIT_GLOBALS + CUSTOM_GLOBALS)
LOCAL_DIRECTIVES = frozenset(MARPIT_LOCALS + CUSTOM_LOCALS)
FRONT_MATTER_KEYS = frozenset({"marp"})
"""Keys that are not directives but that tools read from the front matter:
`marp: true` tells Marp for VS Code (and coursekit) that the file is a deck."""

SPOT_PREFIX = "_"

LOOSE_IN_FRONT_MATTER = MARPIT_GLOBALS + MARPIT_LOCALS + CUSTOM_GLOBALS + CUSTOM_LOCALS
"""Keys whose unquoted values Marp reads as strings in the front matter."""
LOOSE_IN_COMMENTS = MARPIT_GLOBALS + MARPIT_LOCALS
"""In comments Marpit loosens its built-in directives only."""

_HEADING_LEVELS = range(1, 7)
_LEADING_INTEGER = re.compile(r"\s*([+-]?\d+)")


def directive_name(key: str) -> str:
    """`_class` -> `class`: the directive a (possibly spot) key names."""
    return key[len(SPOT_PREFIX) :] if key.startswith(SPOT_PREFIX) else key


def is_directive(key: str) -> bool:
    """Whether a front matter or comment key means something to Marp."""
    if key in GLOBAL_DIRECTIVES or key in FRONT_MATTER_KEYS:
        return True
    return directive_name(key) in LOCAL_DIRECTIVES


def is_spot(key: str) -> bool:
    return key.startswith(SPOT_PREFIX) and key[len(SPOT_PREFIX) :] in LOCAL_DIRECTIVES


def read_directive(name: str, value: object) -> dict[str, object]:
    """What the directive `name` written with `value` sets: `{name: value}`
    as Marp keeps it, or `{}` when Marp ignores the value (an earlier one then
    stays in effect)."""
    reader = _READERS.get(name)
    return {name: value} if reader is None else reader(name, value)


def _js_int(value: object) -> int | None:
    """JavaScript's `parseInt(value, 10)` on a string: its leading integer."""
    if not isinstance(value, str):
        return None
    match = _LEADING_INTEGER.match(value)
    return int(match.group(1)) if match else None


def _heading_divider(name: str, value: object) -> dict[str, object]:
    if isinstance(value, list):
        listed = {_js_int(level) for level in value}
        return {name: tuple(level for level in _HEADING_LEVELS if level in listed)}
    if value == "false":
        return {name: False}
    level = _js_int(value)
    return {name: level} if level in _HEADING_LEVELS else {}


def _paginate(name: str, value: object) -> dict[str, object]:
    normalized = value.lower() if isinstance(value, str) else ""
    if normalized in ("hold", "skip"):
        return {name: normalized}
    return {name: normalized == "true"}


def _class(name: str, value: object) -> dict[str, object]:
    if isinstance(value, list):
        return {name: " ".join(str(item) for item in value)}
    return {name: value}


def _string(name: str, value: object) -> dict[str, object]:
    return {name: value} if isinstance(value, str) else {}


def _math(name: str, value: object) -> dict[str, object]:
    return {name: value} if value in ("katex", "mathjax") else {}


def _keywords(name: str, value: object) -> dict[str, object]:
    if isinstance(value, list):
        return {name: tuple(str(item) for item in value)}
    return _string(name, value)


_READERS: Mapping[str, Callable[[str, object], dict[str, object]]] = {
    "headingDivider": _heading_divider,
    "theme": _string,
    "paginate": _paginate,
    "class": _class,
    "header": _string,
    "footer": _string,
    "size": _string,
    "math": _math,
    "author": _string,
    "description": _string,
    "image": _string,
    "keywords": _keywords,
    "title": _string,
    "url": _string,
    "transition": _string,
}
