"""What `site` publishes where, checked on golden values without MkDocs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from coursekit.config import CourseConfig
from coursekit.decks import DeckReader
from coursekit.site import (
    SiteFile,
    conventions_page,
    export_settings,
    lecture_files,
    lecture_table,
    published_exports,
)

DECK = """\
---
marp: true
title: "Intro | basics"
---

# One

![bg](images/chart.svg)

---

# Two

![w:100](https://example.org/remote.png)
"""


@pytest.fixture
def config(tmp_path: Path) -> CourseConfig:
    slides = tmp_path / "slides"
    (slides / "images").mkdir(parents=True)
    (slides / "images/chart.svg").write_text("<svg/>", encoding="utf-8")
    (slides / "01_intro.md").write_text(DECK, encoding="utf-8")
    (slides / "notes.md").write_text("# Not a deck\n", encoding="utf-8")
    return CourseConfig(
        config_file=tmp_path / "mkdocs.yml",
        docs_dir=tmp_path / "docs",
        site_dir=tmp_path / "site",
        slides_dir=slides,
        labs_dir=tmp_path / "labs",
        cache_dir=tmp_path / ".cache",
        node_dir=tmp_path,
    )


URLS = {"use_directory_urls": True}


def decks(config: CourseConfig):
    return DeckReader().lectures(config.slides_dir, config.root)


def test_lecture_page_images_and_exports_are_published_at_their_uris(config):
    exports = {"01_intro": {"html": Path("/x/01_intro.html")}}
    files = lecture_files(
        decks(config), config, exports=exports, use_directory_urls=True
    )
    assert [(f.uri, f.source) for f in files if f.source] == [
        ("slides/01_intro.html", Path("/x/01_intro.html")),
        ("slides/images/chart.svg", config.slides_dir / "images/chart.svg"),
    ]
    (page,) = [f for f in files if f.content is not None]
    assert page.uri == "lectures/01_intro.md"
    # Markdown links are relative to the page file, raw HTML ones to its URL.
    assert "![chart](../slides/images/chart.svg)" in page.content
    assert "![remote](https://example.org/remote.png)" in page.content
    assert 'src="../../slides/01_intro.html"' in page.content


def test_handout_is_published_as_deck_handout_pdf_and_linked(config):
    exports = {
        "01_intro": {
            "html": Path("/x/01_intro.html"),
            "handout": Path("/x/01_intro-handout.pdf"),
        }
    }
    files = lecture_files(decks(config), config, exports=exports, **URLS)
    assert ("slides/01_intro-handout.pdf", Path("/x/01_intro-handout.pdf")) in [
        (f.uri, f.source) for f in files
    ]
    (page,) = [f for f in files if f.content is not None]
    assert 'href="../../slides/01_intro-handout.pdf" download>' in page.content


def test_katex_fonts_are_published_beside_the_html_decks(config):
    fonts = config.node_dir / "node_modules/katex/dist/fonts"
    fonts.mkdir(parents=True)
    for name in ("KaTeX_Main-Regular.woff2", "KaTeX_Main-Regular.ttf"):
        (fonts / name).write_bytes(b"font")

    def font_uris(exports) -> list[str]:
        files = lecture_files(decks(config), config, exports=exports, **URLS)
        return [f.uri for f in files if "katex" in f.uri]

    html = {"01_intro": {"html": Path("/x/01_intro.html")}}
    assert font_uris(html) == ["slides/katex/fonts/KaTeX_Main-Regular.woff2"]
    assert font_uris({"01_intro": {"pdf": Path("/x/01_intro.pdf")}}) == []


def test_exports_are_in_the_course_language(config):
    french = replace(config, language="fr")
    assert export_settings(french, ["html"]).lang == "fr"


def test_raw_html_links_follow_the_url_style(config):
    exports = {"01_intro": {"html": Path("/x/01_intro.html")}}
    (page, *_) = lecture_files(
        decks(config), config, exports=exports, use_directory_urls=False
    )
    assert 'src="../slides/01_intro.html"' in page.content


def test_lecture_table_escapes_titles_and_counts_slides(config):
    table = lecture_table(decks(config), config, "index.md")
    assert table == (
        "| # | Lecture | Slides |\n"
        "|---:|---|---:|\n"
        "| 1 | [Intro \\| basics](lectures/01_intro.md) | 2 |"
    )


def test_no_lectures_says_how_to_add_one(config):
    assert "add a Marp deck" in lecture_table([], config, "index.md")


def test_published_exports_are_the_ones_on_disk(config):
    config.exports_dir.mkdir(parents=True)
    (config.exports_dir / "01_intro.html").write_text("<html/>", encoding="utf-8")
    handout = config.exports_dir / "01_intro-handout.pdf"
    handout.write_bytes(b"%PDF-")
    found = published_exports(decks(config), config, ["html", "pdf", "handout"])
    assert found == {
        "01_intro": {"html": config.exports_dir / "01_intro.html", "handout": handout}
    }


def test_conventions_page_only_with_a_hooks_configuration(config):
    assert conventions_page(config) is None
    hooks = config.root / ".pre-commit-config.yaml"
    hooks.write_text("repos: []\n", encoding="utf-8")
    page = conventions_page(config)
    assert isinstance(page, SiteFile) and page.uri == "git-conventions.md"
    assert page.content and page.content.startswith("# ")
