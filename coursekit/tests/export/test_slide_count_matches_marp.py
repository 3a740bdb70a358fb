"""Differential test: coursekit's parser and Marp agree on every slide count.

The lecture pages and the exports number slides the same way only if
`parse_deck` splits a deck exactly where Marp does. The tricky fixtures
hold what splits decks in surprising ways; the repository's own decks are
checked too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coursekit.export.sources import read_source
from coursekit.parse import parse_deck
from coursekit.themes import load_theme_set

from .support import FIXTURES, REPO_ROOT, convert_to_html, html_slide_count

TRICKY = sorted(path.stem for path in (FIXTURES / "tricky").glob("*.md"))
CRLF = ["code_fences", "setext_headings", "heading_divider"]
REPO_DECKS = sorted(path.stem for path in (REPO_ROOT / "slides").glob("*.md"))

CASES = (
    [("tricky", stem) for stem in TRICKY]
    + [("tricky", f"{stem}_crlf") for stem in CRLF]
    + [("repository", stem) for stem in REPO_DECKS]
)


def _convert_to_html(
    slides: Path, workdir: Path, marp: tuple[str, ...]
) -> dict[str, Path]:
    """Every deck of `slides` to HTML by one Marp run, unchecked."""
    themes = load_theme_set(slides / "themes")
    sources = [read_source(parse_deck(path), themes) for path in slides.glob("*.md")]
    return convert_to_html(marp, sources, themes, workdir)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, marp: tuple[str, ...]) -> dict:
    tricky = tmp_path_factory.mktemp("tricky")
    for path in (FIXTURES / "tricky").glob("*.md"):
        shutil.copy(path, tricky)
    for stem in CRLF:
        text = (FIXTURES / "tricky" / f"{stem}.md").read_text("utf-8")
        (tricky / f"{stem}_crlf.md").write_bytes(text.replace("\n", "\r\n").encode())
    shutil.copytree(FIXTURES / "slides" / "images", tricky / "images")
    converted = {"tricky": (tricky, _convert_to_html(tricky, tricky / "marp", marp))}
    if REPO_DECKS:
        slides = REPO_ROOT / "slides"
        workdir = tmp_path_factory.mktemp("repository") / "marp"
        converted["repository"] = (slides, _convert_to_html(slides, workdir, marp))
    return converted


@pytest.mark.parametrize(("folder", "stem"), CASES)
def test_parser_and_marp_count_the_same_slides(exports, folder, stem):
    slides, html = exports[folder]
    parsed = parse_deck(slides / f"{stem}.md")
    assert len(parsed.slides) == html_slide_count(html[stem])


def test_crlf_fixtures_really_use_crlf(exports):
    slides, _ = exports["tricky"]
    for stem in CRLF:
        assert parse_deck(slides / f"{stem}_crlf.md").line_ending == "\r\n"
