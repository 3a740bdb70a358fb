"""A lab's page: its executed notebook as Markdown, outputs included."""

from __future__ import annotations

import base64
import json

from coursekit.lab_page import render_lab

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


def notebook(*cells: dict) -> str:
    return json.dumps(
        {
            "cells": list(cells),
            "metadata": {"language_info": {"name": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def markdown(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code(source: str, *outputs: dict) -> dict:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": list(outputs),
        "execution_count": 1,
    }


def render(*cells: dict):
    return render_lab(notebook(*cells), image_dir="lab", download="lab.ipynb")


def test_cells_become_markdown_code_and_output_blocks():
    page = render(
        markdown("# Lab 1\n\nIntro."),
        code(
            "print('hi')",
            {"output_type": "stream", "name": "stdout", "text": ["hi\n"]},
        ),
        markdown("## Next"),
    )
    assert page.markdown == (
        "# Lab 1\n\nIntro.\n\n"
        "[Download this notebook](lab.ipynb){ download } to run it yourself.\n\n"
        "```python\nprint('hi')\n```\n\n"
        "```{ .text .ck-output }\nhi\n```\n\n"
        "## Next\n"
    )


def test_images_are_files_and_html_is_sanitized():
    page = render(
        markdown("# Lab"),
        code(
            "plot()",
            {"output_type": "display_data", "data": {"image/png": PNG}},
            {
                "output_type": "execute_result",
                "data": {
                    "text/html": "<table><tr><td onclick='x()'>1</td></tr></table>"
                    "<script>alert(1)</script>",
                    "text/plain": "fallback",
                },
            },
        ),
    )
    assert page.images == {"cell-2-1.png": base64.b64decode(PNG)}
    assert "![Output of the cell above](lab/cell-2-1.png)" in page.markdown
    assert "<td>1</td>" in page.markdown
    assert "script" not in page.markdown and "onclick" not in page.markdown


def test_code_with_backtick_fences_gets_a_longer_fence_and_ansi_is_dropped():
    page = render(
        code(
            'print("```")',
            {"output_type": "stream", "name": "stderr", "text": "\x1b[31mred\x1b[0m\n"},
        )
    )
    assert page.markdown.startswith("[Download this notebook]")
    assert '````python\nprint("```")\n````' in page.markdown
    assert "```{ .text .ck-output }\nred\n```" in page.markdown
