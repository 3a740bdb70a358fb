"""The one Markdown parser that reads decks: markdown-it, set up as Marp's."""

from __future__ import annotations

from markdown_it import MarkdownIt


def marp_markdown() -> MarkdownIt:
    """A new markdown-it parser that finds blocks, breaks and tables as Marp does.

    Marp renders with markdown-it too, so slide breaks (`hr` tokens), code
    fences and headings are where Marp sees them. A new instance each call:
    parsers hold rule state, and no module keeps one alive.
    """
    return MarkdownIt("commonmark").enable("table")
