"""Each broken fixture is reported with its rule, file and line; fixed, it passes."""

from __future__ import annotations

from dataclasses import dataclass

import nbformat
import pytest
from coursekit.check import check_course
from coursekit.check.decks import check_deck_file
from coursekit.decks import DeckReader, deck_files
from coursekit.plugin.options import load_course_config

DECK = "slides/02_case.md"
HEAD = "---\nmarp: true\ntheme: fixture-theme\n---\n\n"
THEME = "slides/themes/fixture.css"


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    broken: str | bytes
    fixed: str | bytes
    rule: str
    line: int


def deck(body: str) -> str:
    return HEAD + body


def theme(css: str) -> str:
    return "/* @theme fixture-theme */\n" + css


def notebook(*, outputs=(), count=None, kernel="python3") -> str:
    cell = nbformat.v4.new_code_cell("print(1 / 0)", execution_count=count)
    cell.outputs = [nbformat.from_dict(output) for output in outputs]
    book = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Lab"), cell]
    )
    book.metadata["kernelspec"] = {"name": kernel, "display_name": kernel}
    return nbformat.writes(book)


ERROR_OUTPUT = {
    "output_type": "error",
    "ename": "ZeroDivisionError",
    "evalue": "division by zero",
    "traceback": [],
}
STREAM_OUTPUT = {"output_type": "stream", "name": "stdout", "text": "1\n"}

CASES = [
    # Decks: front matter
    Case(
        "yaml",
        DECK,
        "---\nmarp: true\ntitle: [oops\n---\n# A\n",
        "---\nmarp: true\ntitle: oops\n---\n# A\n",
        "deck-front-matter",
        3,
    ),
    Case(
        "unclosed-front-matter",
        DECK,
        "---\nmarp: true\n# A\n",
        "---\nmarp: true\n---\n# A\n",
        "deck-front-matter",
        1,
    ),
    Case(
        "front-matter-list",
        DECK,
        "---\n- marp\n---\n# A\n",
        "---\nmarp: true\n---\n# A\n",
        "deck-front-matter",
        2,
    ),
    Case(
        "no-marp",
        DECK,
        "---\ntheme: fixture-theme\n---\n# A\n",
        "---\nmarp: true\ntheme: fixture-theme\n---\n# A\n",
        "deck-marp",
        1,
    ),
    Case(
        "marp-false",
        DECK,
        "---\nmarp: false\n---\n# A\n",
        "---\nmarp: true\n---\n# A\n",
        "deck-marp",
        2,
    ),
    Case(
        "theme",
        DECK,
        "---\nmarp: true\ntheme: dsi-certificates-theme\n---\n# A\n",
        "---\nmarp: true\ntheme: fixture-theme\n---\n# A\n",
        "deck-theme",
        3,
    ),
    # Marp applies the last theme named, in front matter or a comment.
    Case(
        "theme-in-comment",
        DECK,
        deck("# A\n\n---\n\n<!-- theme: gaia-dark -->\n# B\n"),
        deck("# A\n\n---\n\n<!-- theme: gaia -->\n# B\n"),
        "deck-theme",
        10,
    ),
    Case(
        "heading-divider",
        DECK,
        "---\nmarp: true\nheadingDivider: 9\n---\n# A\n",
        "---\nmarp: true\nheadingDivider: 2\n---\n# A\n",
        "deck-directive",
        3,
    ),
    Case(
        "not-utf8",
        DECK,
        "---\nmarp: true\n---\n# Caf\xe9\n".encode("latin-1"),
        "---\nmarp: true\n---\n# Café\n",
        "deck-encoding",
        4,
    ),
    # Decks: images and links
    Case(
        "image",
        DECK,
        deck("# A\n\n![w:300](./images/missing.svg)\n"),
        deck("# A\n\n![w:300 A chart](./images/chart.svg)\n"),
        "deck-image",
        8,
    ),
    Case(
        "image-case",
        DECK,
        deck("# A\n\n![](images/Chart.svg)\n"),
        deck("# A\n\n![A chart](images/chart.svg)\n"),
        "deck-image",
        8,
    ),
    Case(
        "background",
        DECK,
        deck("# A\n\ntext\n\n![bg right](./images/gone.svg)\n"),
        deck("# A\n\ntext\n\n![bg right A chart](./images/chart.svg)\n"),
        "deck-image",
        10,
    ),
    Case(
        "html-image",
        DECK,
        deck('# A\n\n<div class="box">\n<img src="images/gone.svg" alt="">\n</div>\n'),
        deck('# A\n\n<div class="box">\n<img src="images/chart.svg" alt="">\n</div>\n'),
        "deck-image",
        9,
    ),
    Case(
        "html-image-case",
        DECK,
        deck('# A\n\n<p>See <img src="images/Chart.svg" alt="chart"></p>\n'),
        deck('# A\n\n<p>See <img src="images/chart.svg" alt="chart"></p>\n'),
        "deck-image",
        8,
    ),
    Case(
        "html-image-srcset-outside",
        DECK,
        deck('# A\n\n<img srcset="images/chart.svg 1x, ../docs/x.svg 2x" alt="C">\n'),
        deck(
            '# A\n\n<img srcset="images/chart.svg 1x, images/chart.svg 2x" alt="C">\n'
        ),
        "deck-image",
        8,
    ),
    Case(
        "image-outside",
        DECK,
        deck("# A\n\n![](../docs/index.md)\n"),
        deck("# A\n\n![A chart](./images/chart.svg)\n"),
        "deck-image",
        8,
    ),
    Case(
        "link",
        DECK,
        deck("# A\n\nSee [the notes](./notes.md).\n"),
        deck("# A\n\nSee [the notes](./01_fixture.md).\n"),
        "deck-link",
        8,
    ),
    Case(
        "link-case",
        DECK,
        deck("# A\n\n- [chart](images/CHART.svg#top)\n"),
        deck("# A\n\n- [chart](images/chart.svg#top)\n"),
        "deck-link",
        8,
    ),
    # Decks: mojibake
    Case(
        "mac-roman-quotes",
        DECK,
        deck("# A\n\n> ‚ÄúLearn.‚Äù - Mitchell\n"),
        deck("# A\n\n> “Learn.” - Mitchell\n"),
        "mojibake",
        8,
    ),
    Case(
        "mac-roman-emoji",
        DECK,
        deck("# A\n\n- ([\uf8ffüîó X.org notes](https://x.org))\n"),
        deck("# A\n\n- ([🔗 X.org notes](https://x.org))\n"),
        "mojibake",
        8,
    ),
    Case(
        "windows-1252",
        DECK,
        deck("# A\n\nIt doesnâ€™t scale.\n"),
        deck("# A\n\nIt doesn’t scale.\n"),
        "mojibake",
        8,
    ),
    Case("latin-1", DECK, deck("# CafÃ© data\n"), deck("# Café data\n"), "mojibake", 6),
    Case(
        "front-matter-mojibake",
        DECK,
        "---\nmarp: true\ntitle: RÃ©sumÃ©\n---\n# A\n",
        "---\nmarp: true\ntitle: Résumé\n---\n# A\n",
        "mojibake",
        3,
    ),
    # Decks: structure
    Case(
        "fence",
        DECK,
        deck("# A\n\n```python\nx = 1\n\n---\n\n# B\n"),
        deck("# A\n\n```python\nx = 1\n```\n\n---\n\n# B\n"),
        "deck-code-fence",
        8,
    ),
    Case(
        "tilde-fence",
        DECK,
        deck("# A\n\n~~~\nx\n"),
        deck("# A\n\n~~~\nx\n~~~\n"),
        "deck-code-fence",
        8,
    ),
    Case(
        "short-close",
        DECK,
        deck("# A\n\n````md\n```\ntext\n```\n"),
        deck("# A\n\n````md\n```\ntext\n```\n````\n"),
        "deck-code-fence",
        8,
    ),
    Case(
        "empty-slide",
        DECK,
        deck("# A\n\n---\n\n---\n\n# C\n"),
        deck("# A\n\n---\n\n# C\n"),
        "deck-empty-slide",
        8,
    ),
    Case(
        "trailing-break",
        DECK,
        deck("# A\n\n---\n"),
        deck("# A\n"),
        "deck-empty-slide",
        8,
    ),
    Case(
        "notes-only-slide",
        DECK,
        deck("# A\n\n---\n\n<!-- say hi -->\n\n---\n\n# C\n"),
        deck("# A\n\n---\n\n# B\n\n<!-- say hi -->\n\n---\n\n# C\n"),
        "deck-empty-slide",
        8,
    ),
    # Decks: directives
    Case(
        "directive",
        DECK,
        deck("<!-- paginat: true -->\n# A\n"),
        deck("<!-- paginate: true -->\n# A\n"),
        "deck-directive",
        6,
    ),
    Case(
        "spot-directive",
        DECK,
        deck("# A\n\n---\n\n<!-- _clas: lead -->\n# B\n"),
        deck("# A\n\n---\n\n<!-- _class: lead -->\n# B\n"),
        "deck-directive",
        10,
    ),
    Case(
        "directive-among-others",
        DECK,
        deck("# A\n\n<!--\n_class: lead\nbackgroundcolor: white\n-->\n"),
        deck("# A\n\n<!--\n_class: lead\nbackgroundColor: white\n-->\n"),
        "deck-directive",
        10,
    ),
    Case(
        "directive-value",
        DECK,
        deck("# A\n\n<!-- math: latex -->\n"),
        deck("# A\n\n<!-- math: katex -->\n"),
        "deck-directive",
        8,
    ),
    Case(
        "front-matter-key",
        DECK,
        "---\nmarp: true\npaginte: true\n---\n# A\n",
        "---\nmarp: true\npaginate: true\n---\n# A\n",
        "deck-directive",
        3,
    ),
    # Theme CSS: what Marp refuses to register (it then drops the theme)
    *(
        Case(f"theme-css-{name}", THEME, theme(broken), theme(fixed), "theme-css", line)
        for name, broken, fixed, line in [
            ("unclosed-block", "h1 {\n  color: red;\n", "h1 {\n  color: red;\n}\n", 2),
            ("extra-brace", "h1 { color: red; }\n}\n", "h1 { color: red; }\n", 3),
            ("missing-colon", "h1 {\n  color red;\n}\n", "h1 {\n  color: red;\n}\n", 3),
            ("double-colon", "h1 {\n  color:: red;\n}\n", "h1 { color: red; }\n", 3),
            (
                "unclosed-string",
                "h1::after { content: 'a\n}\n",
                "h1 { color: red; }\n",
                2,
            ),
            ("unclosed-comment", "h1 { color: red; }\n/* to do\n", "/* done */\n", 3),
            (
                "unclosed-paren",
                "h1 { width: calc(1px + 2px; }\n",
                "h1 { width: 3px; }\n",
                2,
            ),
        ]
    ),
    # Decks: accessibility
    Case(
        "image-alt",
        DECK,
        deck("# A\n\n![w:300](./images/chart.svg)\n"),
        deck("# A\n\n![w:300 Latency doubles under load](./images/chart.svg)\n"),
        "deck-image-alt",
        8,
    ),
    # A split background shows content beside the text: it needs words too.
    Case(
        "split-background-alt",
        DECK,
        deck("# A\n\ntext\n\n![bg right:40% w:400](./images/chart.svg)\n"),
        deck(
            "# A\n\ntext\n\n![bg right:40% w:400 Latency chart](./images/chart.svg)\n"
        ),
        "deck-image-alt",
        10,
    ),
    Case(
        "decorative-background",
        DECK,
        deck("# A\n\n![bg opacity:.2](./images/chart.svg)\n"),
        deck('# A\n\n![bg opacity:.2](./images/chart.svg "decorative")\n'),
        "deck-image-alt",
        8,
    ),
    # Only a background can be decoration: an inline image is content.
    Case(
        "decorative-inline-image",
        DECK,
        deck('# A\n\n![w:300](./images/chart.svg "decorative")\n'),
        deck('# A\n\n![w:300 Latency chart](./images/chart.svg "Latency")\n'),
        "deck-image-alt",
        8,
    ),
    Case(
        "html-image-alt",
        DECK,
        deck('# A\n\ntext\n\n<img src="https://x.org/logo.svg" width="80">\n'),
        deck('# A\n\ntext\n\n<img src="https://x.org/logo.svg" alt="">\n'),
        "deck-image-alt",
        10,
    ),
    Case(
        "heading-order",
        DECK,
        deck("## A\n\ntext\n\n#### B\n"),
        deck("## A\n\ntext\n\n### B\n"),
        "deck-heading-order",
        10,
    ),
    # Each slide starts its own outline: a slide may open with any level.
    Case(
        "heading-order-per-slide",
        DECK,
        deck("# A\n\n---\n\n## B\n\n#### C\n"),
        deck("# A\n\n---\n\n#### B\n\ntext\n"),
        "deck-heading-order",
        12,
    ),
    Case(
        "link-text",
        DECK,
        deck("# A\n\n- Chapter 2, [source](https://x.org/ch2).\n"),
        deck("# A\n\n- [Chapter 2 of the X.org book](https://x.org/ch2).\n"),
        "deck-link-text",
        8,
    ),
    Case(
        "link-text-click-here",
        DECK,
        deck("# A\n\nThe slides are online:\n**[Click here!](https://x.org)**\n"),
        deck("# A\n\nThe slides are online:\n**[X.org slides](https://x.org)**\n"),
        "deck-link-text",
        9,
    ),
    Case(
        "link-text-emoji-only",
        DECK,
        deck("# A\n\n- Huyen (2022) [🔗](https://x.org)\n"),
        deck("# A\n\n- [🔗 Huyen (2022)](https://x.org)\n"),
        "deck-link-text",
        8,
    ),
    # Themes: contrast, reported where the colour is written
    Case(
        "contrast",
        THEME,
        theme("section { color: #777; background: #fff; }\n"),
        theme("section { color: #767676; background: #fff; }\n"),
        "theme-contrast",
        2,
    ),
    Case(
        "contrast-large-text",
        THEME,
        theme("section { background: #fff; }\nh1 { color: #999; }\n"),
        theme("section { background: #fff; }\nh1 { color: #949494; }\n"),
        "theme-contrast",
        3,
    ),
    Case(
        "contrast-variable",
        THEME,
        theme(
            "section {\n  --muted: #aaa;\n  background: #fff;\n}\n"
            "h4 { color: var(--muted); }\n"
        ),
        theme(
            "section {\n  --muted: #595959;\n  background: #fff;\n}\n"
            "h4 { color: var(--muted); }\n"
        ),
        "theme-contrast",
        3,
    ),
    Case(
        "contrast-class",
        THEME,
        theme(
            "section { background: #fff; color: #222; }\n"
            "section.invert { background: #222; }\n"
        ),
        theme(
            "section { background: #fff; color: #222; }\n"
            "section.invert { background: #222; color: #eee; }\n"
            "section.invert a { color: #9cf; }\n"
        ),
        "theme-contrast",
        2,
    ),
    Case(
        "contrast-link-in-class",
        THEME,
        theme("section.dark { background: #111; color: #fff; }\n"),
        theme(
            "section.dark { background: #111; color: #fff; }\n"
            "section.dark a { color: #9cf; }\n"
        ),
        "theme-contrast",
        2,
    ),
    Case(
        "contrast-transparent-text",
        THEME,
        theme("section { background: #fff; }\ncode { color: rgb(0 0 0 / 40%); }\n"),
        theme("section { background: #fff; }\ncode { color: rgb(0 0 0 / 70%); }\n"),
        "theme-contrast",
        3,
    ),
    Case(
        "contrast-page-number",
        THEME,
        theme("section { background: #fff; }\nsection::after { color: #aaa; }\n"),
        theme("section { background: #fff; }\nsection::after { color: #767676; }\n"),
        "theme-contrast",
        3,
    ),
    # Pages
    Case(
        "page-link",
        "docs/about.md",
        "# About\n\nSee [missing](nope.md).\n",
        "# About\n\nSee [home](index.md).\n",
        "page-link",
        3,
    ),
    Case(
        "slide-anchor",
        "docs/about.md",
        "# About\n\nIntro\n\n[Latency](lectures/01_fixture.md#slide-12)\n",
        "# About\n\nIntro\n\n[Latency](lectures/01_fixture.md#slide-2)\n",
        "page-anchor",
        5,
    ),
    Case(
        "page-mojibake",
        "docs/about.md",
        "# About\n\nItâ€™s here.\n",
        "# About\n\nIt’s here.\n",
        "mojibake",
        3,
    ),
    # Notebooks
    Case(
        "outputs",
        "01_materials/labs/lab.ipynb",
        notebook(outputs=[STREAM_OUTPUT], count=1),
        notebook(),
        "notebook-outputs",
        12,
    ),
    Case(
        "error-output",
        "01_materials/labs/lab.ipynb",
        notebook(outputs=[ERROR_OUTPUT], count=3),
        notebook(),
        "notebook-error-output",
        12,
    ),
    Case(
        "kernel",
        "01_materials/labs/lab.ipynb",
        notebook(kernel="julia-1.9"),
        notebook(),
        "notebook-kernel",
        1,
    ),
    Case(
        "json",
        "01_materials/labs/lab.ipynb",
        notebook()[:-30],
        notebook(),
        "notebook-format",
        28,
    ),
    Case(
        "not-a-notebook-shape",
        "01_materials/labs/lab.ipynb",
        '{"cells": 5}\n',
        notebook(),
        "notebook-format",
        1,
    ),
    Case(
        "json-list",
        "01_materials/labs/lab.ipynb",
        "[1, 2, 3]\n",
        notebook(),
        "notebook-format",
        1,
    ),
    Case(
        "not-text",
        "01_materials/labs/lab.ipynb",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        notebook(),
        "notebook-format",
        1,
    ),
    # 05_src/.env
    Case(
        "env-key",
        "05_src/.env",
        "LOG_DIR=logs\n# DB_URL=sqlite://\nLOG_LEVEL=INFO\n",
        "LOG_DIR=logs\nDB_URL=sqlite://\nLOG_LEVEL=INFO\n",
        "env-key",
        4,
    ),
]
CASES_BY_NAME = {case.name: case for case in CASES}


def write(course, case: Case, content: str | bytes) -> None:
    path = course.root / case.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def check(course) -> list:
    config = load_course_config(course.root / "mkdocs.yml")
    return [problem.relative_to(course.root) for problem in check_course(config)]


def problems_of(course, case: Case) -> list:
    if case.path.startswith("slides/"):  # decks alone: no site build needed
        config = load_course_config(course.root / "mkdocs.yml")
        reader = DeckReader()
        found = [
            problem
            for path in deck_files(config.slides_dir, config.root).paths
            for problem in check_deck_file(path, config, reader)
        ]
        return [problem.relative_to(course.root) for problem in found]
    return check(course)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_fixture_is_reported_with_rule_file_and_line(course, case):
    write(course, case, case.broken)
    found = {(p.rule, p.path.as_posix(), p.line) for p in problems_of(course, case)}
    assert (case.rule, case.path, case.line) in found


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_fixed_fixture_passes(course, case):
    write(course, case, case.fixed)
    assert problems_of(course, case) == []


def test_missing_env_file_is_reported_only_when_05_src_exists(course):
    assert check(course) == []
    (course.root / "05_src").mkdir()
    (problem,) = check(course)
    assert (problem.rule, problem.path.as_posix()) == ("env-missing", "05_src/.env")


def test_a_notebook_that_is_not_one_leaves_the_other_findings(course):
    course.write("01_materials/labs/lab.ipynb", "[]\n")
    (course.root / "01_materials/labs/data.ipynb").write_bytes(b"\x00\xff" * 8)
    course.write("01_materials/labs/other.ipynb", notebook(kernel="julia-1.9"))
    course.write("05_src/.env", "LOG_DIR=logs\n")
    found = {(p.rule, p.path.as_posix(), p.line) for p in check(course)}
    assert {
        ("notebook-format", "01_materials/labs/lab.ipynb", 1),
        ("notebook-format", "01_materials/labs/data.ipynb", 1),
        ("notebook-kernel", "01_materials/labs/other.ipynb", 1),
    } <= found
    assert any(rule.startswith("env-") for rule, _, _ in found)
    # The site cannot build with them: that is said once, not as a crash.
    rules = [rule for rule, _, _ in found]
    assert "site-build" not in rules and rules.count("pages-unchecked") == 1


def _image_bytes(fmt: str) -> bytes:
    from io import BytesIO

    from PIL import Image

    stream = BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 200)).save(stream, fmt)
    return stream.getvalue()


SVG_OK = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'
DAMAGED_IMAGES = {
    "png-empty": ("png", b""),
    "png-cut": ("png", _image_bytes("PNG")[:-200]),
    "jpeg-cut": ("jpg", _image_bytes("JPEG")[:-300]),
    "gif-cut": ("gif", _image_bytes("GIF")[:-40]),
    "webp-cut": ("webp", _image_bytes("WEBP")[:-30]),
    "png-holding-text": ("png", b"404: Not Found\n"),
    "svg-cut": ("svg", SVG_OK.encode()[:30]),
    "svg-empty": ("svg", b""),
    "svg-html": ("svg", b"<!DOCTYPE html><html><body>Not Found</body></html>"),
}
WHOLE_IMAGES = {
    "png": _image_bytes("PNG"),
    "jpg": _image_bytes("JPEG"),
    "gif": _image_bytes("GIF"),
    "webp": _image_bytes("WEBP"),
    "svg": SVG_OK.encode(),
}


def _deck_showing(course, suffix: str, data: bytes) -> list:
    (course.root / f"slides/images/figure.{suffix}").write_bytes(data)
    course.write(DECK, deck(f"# A\n\n![w:300 A figure](./images/figure.{suffix})\n"))
    config = load_course_config(course.root / "mkdocs.yml")
    found = check_deck_file(course.root / DECK, config, DeckReader())
    return [problem.relative_to(course.root) for problem in found]


@pytest.mark.parametrize("name", sorted(DAMAGED_IMAGES))
def test_a_damaged_image_is_refused_at_the_deck_line(course, name):
    suffix, data = DAMAGED_IMAGES[name]
    (problem,) = _deck_showing(course, suffix, data)
    assert (problem.rule, problem.path.as_posix(), problem.line) == (
        "deck-image",
        DECK,
        8,
    )
    assert f"slides/images/figure.{suffix}" in problem.message
    assert "damaged" in problem.message


@pytest.mark.parametrize("suffix", sorted(WHOLE_IMAGES))
def test_a_whole_image_passes(course, suffix):
    assert _deck_showing(course, suffix, WHOLE_IMAGES[suffix]) == []


def test_files_linked_from_outside_and_names_that_differ_in_case_are_reported(
    course, tmp_path_factory
):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "deck.md").write_text("---\nmarp: true\n---\n\n# X\n", "utf-8")
    (elsewhere / "page.md").write_text("# Private\n", "utf-8")
    (course.root / "slides/03_linked.md").symlink_to(elsewhere / "deck.md")
    (course.root / "docs/linked.md").symlink_to(elsewhere / "page.md")
    course.write("slides/04_Case.md", "---\nmarp: true\n---\n\n# One\n")
    course.write("slides/04_case.md", "---\nmarp: true\n---\n\n# Two\n")
    found = {(p.rule, p.path.as_posix(), p.line) for p in check(course)}
    assert {
        ("deck-symlink", "slides/03_linked.md", 1),
        ("deck-name-case", "slides/04_case.md", 1),
    } <= found
    # Deck problems stop the site build: the page link is found once they
    # are fixed, as a problem of its own rather than a failed build.
    for path in ("slides/03_linked.md", "slides/04_Case.md"):
        (course.root / path).unlink()
    found = {(p.rule, p.path.as_posix(), p.line) for p in check(course)}
    assert found == {("page-symlink", "docs/linked.md", 1)}


def test_a_theme_shared_by_decks_is_reported_once(course):
    write(course, CASES_BY_NAME["contrast"], CASES_BY_NAME["contrast"].broken)
    course.write("slides/03_more.md", deck("# More\n"))
    found = [problem for problem in check(course) if problem.rule == "theme-contrast"]
    assert len(found) == 1
