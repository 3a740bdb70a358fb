"""A build that finds the course as its last build left it redoes nothing.

Builds run as MkDocs runs them, in a fresh interpreter; Python's own import
log (`-X importtime`) tells which stages a build loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STAGES = ("coursekit.parse", "coursekit.check", "coursekit.lab_links", "nbformat")


def build(course) -> set[str]:
    """Build `course` strictly; the modules the build imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mkdocs", "build", "--strict"],
        cwd=course.root,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": os.defpath},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def site_files(course) -> dict[str, bytes]:
    site = course.root / "site"
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        # MkDocs dates the sitemap with the day of the build.
        if path.is_file() and not path.name.startswith("sitemap")
    }


def test_a_build_of_an_unchanged_course_loads_no_stage(course):
    course.write_lab("01_materials/labs/lab_1.ipynb", "print(6 * 7)")
    first = build(course)
    assert {"coursekit.parse", "nbformat"} <= first
    published = site_files(course)

    again = build(course)

    assert again.isdisjoint(STAGES), sorted(again.intersection(STAGES))
    assert site_files(course) == published


def test_an_edited_deck_is_built_again(course):
    build(course)
    deck = course.root / "slides/01_fixture.md"
    deck.write_text(
        deck.read_text(encoding="utf-8") + "\n---\n\n## Added later\n",
        encoding="utf-8",
    )

    assert "coursekit.parse" in build(course)
    assert "Added later" in course.page("lectures/01_fixture/index.html")
    assert "Added later" in course.page("slides/01_fixture.html")


def test_a_published_export_that_changed_is_made_again(course):
    build(course)
    exported = _export(course)
    exported.write_text("<html>damaged</html>", encoding="utf-8")

    assert "coursekit.parse" in build(course)
    assert "damaged" not in course.page("slides/01_fixture.html")


def _export(course) -> Path:
    """The HTML deck the build copies into the site."""
    (found,) = (course.root / ".cache").rglob("01_fixture.html")
    return found
