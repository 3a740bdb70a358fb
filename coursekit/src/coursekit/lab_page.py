"""Render an executed lab notebook as the Markdown of its site page.

The page is ordinary Markdown for MkDocs: the Markdown cells as they are,
each code cell as a fenced code block, its outputs below it. So a lab looks,
is searched and gets its table of contents like every other page of the
site, and rendering it needs only the notebook's JSON (no nbconvert).

Outputs are shown as the notebook would show them, in the richest form the
site can show safely: images as files beside the page, HTML (a data frame)
through a sanitizer that keeps tables and formatting but never script, and
text as plain text.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import nh3

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
_TEXT_TYPES = ("text/markdown", "text/html", "text/latex", "text/plain")
_BACKTICKS = re.compile(r"`{3,}")


@dataclass(frozen=True)
class LabPage:
    markdown: str
    images: Mapping[str, bytes] = field(default_factory=dict)
    """Output images by file name, to publish in the page's image folder."""


def render_lab(
    notebook_json: str,
    *,
    image_dir: str,
    download: str,
    links: Mapping[str, str] | None = None,
) -> LabPage:
    """The page of an executed notebook (its JSON text).

    `image_dir` is the folder, relative to the page, that output images are
    published in; `download` the page-relative link to the notebook file;
    `links` maps links of the Markdown cells, as written, to what the page
    links to instead (a deck file becomes its lecture page).
    """
    notebook = json.loads(notebook_json)
    language = _language(notebook.get("metadata", {}))
    images: dict[str, bytes] = {}
    cells = notebook.get("cells", [])
    parts = []
    for number, cell in enumerate(cells, start=1):
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            parts.append(_relinked(source, links or {}))
        elif cell.get("cell_type") == "code" and source.strip():
            parts.append(_fenced(source, language))
            for index, output in enumerate(cell.get("outputs", []), start=1):
                shown = _output(output, f"cell-{number}-{index}", image_dir, images)
                if shown:
                    parts.append(shown)
    # Below the opening Markdown cell (the lab's title and aims), else on top.
    opens_with_text = bool(cells) and cells[0].get("cell_type") == "markdown"
    parts.insert(
        1 if opens_with_text else 0,
        f"[Download this notebook]({download}){{ download }} to run it yourself.",
    )
    return LabPage("\n\n".join(parts).rstrip() + "\n", images)


def _relinked(markdown: str, links: Mapping[str, str]) -> str:
    """`markdown` with each link destination in `links` replaced."""
    for written, target in links.items():
        destination = re.escape(written)
        markdown = re.sub(
            rf"(\]\(\s*<?){destination}(?=>?[\s)])|(\]:\s*<?){destination}(?=>?\s|$)",
            lambda match, target=target: (match[1] or match[2]) + target,
            markdown,
            flags=re.MULTILINE,
        )
    return markdown


def _output(
    output: Mapping, name: str, image_dir: str, images: dict[str, bytes]
) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return _output_text(_text(output.get("text", "")))
    if kind == "error":
        traceback = "\n".join(output.get("traceback", []))
        return _output_text(
            traceback or f"{output.get('ename')}: {output.get('evalue')}"
        )
    data = output.get("data", {})
    for mime, suffix in _IMAGE_TYPES.items():
        if mime in data:
            file = f"{name}.{suffix}"
            raw = _text(data[mime])
            images[file] = raw.encode() if suffix == "svg" else base64.b64decode(raw)
            return f"![Output of the cell above]({image_dir}/{file})"
    for mime in _TEXT_TYPES:
        if mime in data:
            return _rich(mime, _text(data[mime]))
    return ""


def _rich(mime: str, text: str) -> str:
    if mime == "text/markdown":
        return text
    if mime == "text/html":
        # Block-level HTML with blank lines around passes Python-Markdown as
        # it is; the sanitizer keeps tables and styling, never script.
        return f'<div class="ck-output ck-output--html">\n{nh3.clean(text)}\n</div>'
    return _output_text(text)


def _output_text(text: str) -> str:
    text = _ANSI_ESCAPE.sub("", text).rstrip("\n")
    return _fenced(text, "text", classes=".ck-output") if text.strip() else ""


def _fenced(code: str, language: str, classes: str = "") -> str:
    """A fenced block longer than any backtick run inside the code."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=2)
    fence = "`" * (longest + 1)
    header = f"{{ .{language} {classes} }}" if classes else language
    return f"{fence}{header}\n{code.rstrip()}\n{fence}"


def _language(metadata: Mapping) -> str:
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    return str(info.get("name") or kernel.get("language") or "python")


def _text(value: str | list[str]) -> str:
    """Notebook strings are a string or a list of lines."""
    return value if isinstance(value, str) else "".join(value)
