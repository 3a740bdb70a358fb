"""Marp's directive vocabulary: which comment keys configure slides."""

from __future__ import annotations

GLOBAL_DIRECTIVES = frozenset(
    {
        # Marpit
        "theme",
        "style",
        "headingDivider",
        "lang",
        # Marp Core
        "marp",
        "math",
        "size",
        # Marp CLI metadata
        "title",
        "description",
        "author",
        "image",
        "keywords",
        "url",
    }
)

LOCAL_DIRECTIVES = frozenset(
    {
        "paginate",
        "header",
        "footer",
        "class",
        "backgroundColor",
        "backgroundImage",
        "backgroundPosition",
        "backgroundRepeat",
        "backgroundSize",
        "color",
        "transition",
    }
)

SPOT_PREFIX = "_"

# Marp Core reads `<!-- fit -->` inside a heading as "scale to fit", not a note.
KEYWORD_COMMENTS = frozenset({"fit"})


def directive_name(key: str) -> str:
    """`_class` -> `class`: the directive a (possibly spot) key names."""
    return key[len(SPOT_PREFIX) :] if key.startswith(SPOT_PREFIX) else key


def is_directive(key: str) -> bool:
    if key in GLOBAL_DIRECTIVES:
        return True
    return directive_name(key) in LOCAL_DIRECTIVES
