"""The lecture content as committed: figures, theme and the decks' Marp export."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from coursekit.errors import CourseError
from coursekit.export.marp import marp_command

ROOT = Path(__file__).resolve().parents[1]
SLIDES = ROOT / "slides"
IMAGES = SLIDES / "images"
THEMES = SLIDES / "themes"
SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_IMAGE_BYTES = 300_000

# Local image references as Marp writes them: ![keywords alt](path)
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\((?!https?://)([^)\s]+)\)")


def local_images(deck: Path) -> list[Path]:
    return [
        (deck.parent / src).resolve()
        for src in IMAGE_REFERENCE.findall(deck.read_text(encoding="utf-8"))
    ]


def test_every_image_a_deck_references_exists():
    missing = [
        f"{deck.name}: {image.relative_to(ROOT)}"
        for deck in sorted(SLIDES.glob("*.md"))
        for image in local_images(deck)
        if not image.is_file()
    ]
    assert not missing, "referenced images that do not exist:\n" + "\n".join(missing)


def test_committed_figures_match_the_script(tmp_path):
    subprocess.run(
        [sys.executable, str(IMAGES / "draw_figures.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    drawn = sorted(path.name for path in tmp_path.glob("*.svg"))
    assert drawn, "draw_figures.py wrote no SVG files"
    stale = [
        name
        for name in drawn
        if (tmp_path / name).read_bytes() != (IMAGES / name).read_bytes()
    ]
    assert not stale, (
        f"run `python slides/images/draw_figures.py` and commit: {', '.join(stale)}"
    )


@pytest.mark.parametrize("svg", sorted(IMAGES.glob("*.svg")), ids=lambda p: p.name)
def test_figure_is_small_self_contained_and_has_its_own_background(svg):
    assert svg.stat().st_size < MAX_IMAGE_BYTES
    text = svg.read_text(encoding="utf-8")
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}title") is not None, "needs a <title> for readers"
    background = root.find(f"{SVG_NS}rect")
    assert background is not None and background.get("rx"), (
        "the first shape must be the figure's own rounded background"
    )
    # Nothing fetched when the figure is shown: no web fonts, no remote links.
    assert "@font-face" not in text and "@import" not in text
    assert not re.search(r"(?:href|src)=\"https?://", text)


def export_with_our_theme(deck: Path, out_dir: Path) -> str:
    """The deck as Marp's HTML, or a skip (a failure in CI) without Marp."""
    try:
        marp = marp_command(ROOT)
    except CourseError as error:
        reason = f"Marp CLI cannot run: {error.message}; {error.fix}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    out = out_dir / f"{deck.stem}.html"
    subprocess.run(
        # The deck goes first: `--theme-set` takes a list and would swallow it.
        [*marp, str(deck), "--theme-set", str(THEMES), "-o", str(out)],
        check=True,
        capture_output=True,
        cwd=out_dir,
    )
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("deck", sorted(SLIDES.glob("*.md")), ids=lambda p: p.name)
def test_marp_exports_the_deck_with_our_theme(deck, tmp_path):
    html = export_with_our_theme(deck, tmp_path)
    # Marp falls back to its default theme silently; our custom properties
    # only appear when the theme was found and applied.
    assert "--dsi-accent" in html


def test_lecture_1_keeps_its_45_slides(tmp_path):
    html = export_with_our_theme(SLIDES / "01_introduction.md", tmp_path)
    assert len(re.findall(r'<section[^>]*\sid="\d+"', html)) == 45
