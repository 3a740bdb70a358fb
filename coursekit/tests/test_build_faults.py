"""Broken, hostile or careless input: the strict build publishes nothing broken."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from coursekit.errors import ContentError
from coursekit.notebooks import cell_lines
from coursekit.plugin.options import load_course_config


def cached(course, folder: str, pattern: str) -> Path:
    (entry,) = (course.root / ".cache/coursekit" / folder).rglob(pattern)
    return entry


def test_damaged_cache_entries_are_rebuilt_and_the_strict_build_passes(course):
    course.write_lab("01_materials/labs/lab_1.ipynb", "print(6 * 7)")
    assert course.build().returncode == 0
    good_deck = course.page("slides/01_fixture.html")
    deck_entry = cached(course, "exports", "*.html")
    deck_entry.write_text(good_deck[:300], encoding="utf-8")
    lab_entry = cached(course, "notebooks", "*.ipynb")
    lab_entry.write_text('{"cells": [', encoding="utf-8")
    published_entry = cached(course, "labs", "*.ipynb")
    published_entry.write_bytes(b"")

    # Nothing changed, so the build publishes its last result again without
    # reading a cache entry; what it publishes is whole.
    reused = course.build()
    assert reused.returncode == 0, reused.stderr
    assert course.page("slides/01_fixture.html") == good_deck
    assert "cache-damaged" not in reused.stderr
    # Without that record the build reads each entry, and finds each damaged.
    shutil.rmtree(course.root / ".cache/coursekit/last-build")
    result = course.build()
    assert result.returncode == 0, result.stderr
    assert course.page("slides/01_fixture.html") == good_deck
    assert re.search(
        r'class="ck-output[^"]*"><pre>.*<code>42\s',
        course.page("labs/lab_1/index.html"),
    )
    for entry in (deck_entry, lab_entry, published_entry):
        shown = entry.relative_to(course.root).as_posix()
        said = (
            f"INFO    -  coursekit: {shown}:1:1: cache-damaged "
            "cache entry was damaged; rebuilt"
        )
        assert result.stderr.count(said) == 1, result.stderr
    again = course.build()
    assert again.returncode == 0 and "cache-damaged" not in again.stderr


def test_a_cut_short_image_fails_the_build_at_the_deck_line(course):
    chart = course.root / "slides/images/chart.svg"
    chart.write_bytes(chart.read_bytes()[:40])
    result = course.build()
    assert result.returncode != 0
    assert (
        "slides/01_fixture.md:20:1: deck-image image './images/chart.svg' is "
        "damaged or not an image (slides/images/chart.svg:"
    ) in result.stderr
    assert not (course.root / "site").exists()


def test_a_theme_css_syntax_error_fails_the_build_at_the_css_line(course):
    course.write(
        "slides/themes/fixture.css",
        "/* @theme fixture-theme */\n@import 'default';\nh1 {\n  color red;\n}\n",
    )
    result = course.build()
    assert result.returncode != 0
    assert "slides/themes/fixture.css:4:12: theme-css text that is neither" in (
        result.stderr
    )
    assert result.stderr.count("theme-css") == 1, "said once, not once a deck"


@pytest.mark.parametrize(
    ("link", "rule", "content"),
    [
        ("slides/02_notes.md", "deck-symlink", "---\nmarp: true\n---\n\n# Notes\n"),
        ("docs/credentials.txt", "page-symlink", "aws_secret_access_key = x\n"),
    ],
)
def test_a_file_linked_from_outside_the_repository_is_refused(
    course, tmp_path_factory, link, rule, content
):
    outside = tmp_path_factory.mktemp("elsewhere") / "private"
    outside.write_text(content, encoding="utf-8")
    (course.root / link).symlink_to(outside)
    result = course.build()
    assert result.returncode != 0
    assert (
        f"{link}:1:1: {rule} the file is a link to {outside}, outside the course "
        "repository"
    ) in result.stderr
    assert not (course.root / "site").exists()


def test_links_inside_the_repository_are_published(course):
    course.write("CHANGELOG.md", "# Changes\n")
    (course.root / "docs/changelog.md").symlink_to(course.root / "CHANGELOG.md")
    (course.root / "slides/02_again.md").symlink_to(
        course.root / "slides/01_fixture.md"
    )
    result = course.build()
    assert result.returncode == 0, result.stderr
    assert "Changes" in course.page("changelog/index.html")


def test_decks_whose_names_differ_only_in_case_are_refused(course):
    course.write("slides/02_Intro.md", "---\nmarp: true\n---\n\n# One\n")
    course.write("slides/02_intro.md", "---\nmarp: true\n---\n\n# Two\n")
    result = course.build()
    assert result.returncode != 0
    assert (
        "slides/02_intro.md:1:1: deck-name-case the name differs from "
        "02_Intro.md only in case"
    ) in result.stderr


def build_with_umask(
    course, umask: int, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=course.root,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        preexec_fn=lambda: os.umask(umask),
    )


def modes(folder: Path) -> dict[str, str]:
    """Each path under `folder` (and itself) with its permission bits."""
    return {
        path.relative_to(folder).as_posix(): oct(stat.S_IMODE(path.lstat().st_mode))
        for path in [folder, *folder.rglob("*")]
    }


def test_the_site_is_readable_by_a_web_server_whatever_the_umask(course):
    course.write_lab("01_materials/labs/lab_1.ipynb", "print(6 * 7)")
    result = build_with_umask(course, 0o077, "--strict")
    assert result.returncode == 0, result.stderr
    site = course.root / "site"
    found = modes(site)
    assert {"slides/01_fixture.html", "labs/lab_1/index.html"} <= set(found)
    wrong = {
        path: mode
        for path, mode in found.items()
        if mode != ("0o755" if (site / path).is_dir() else "0o644")
    }
    assert wrong == {}
    # A dirty build (never strict: MkDocs warns about it) starts from a copy.
    course.write("docs/about.md", "# About\n")
    result = build_with_umask(course, 0o077, "--dirty")
    assert result.returncode == 0, result.stderr
    assert set(modes(site).values()) == {"0o755", "0o644"}


# Built when the test runs, so this file holds no token for the secret scans.
FAKE_TOKEN = "gh" + "p_" + "A1b2C3d4" * 4 + "E5f6"


def test_a_lab_printing_a_token_fails_the_build_naming_cell_and_line(course):
    notebook = course.write_lab(
        "01_materials/labs/lab_1.ipynb",
        "import os",
        "token = 'gh' + 'p_' + 'A1b2C3d4' * 4 + 'E5f6'\nprint(token)",
    )
    result = course.build()
    assert result.returncode != 0
    line = cell_lines(notebook.read_text(encoding="utf-8"))[2]
    assert (
        f"01_materials/labs/lab_1.ipynb:{line}:1: notebook-secret cell 3: "
        "output line 1 looks like a secret (GitHub Token)"
    ) in result.stderr
    assert FAKE_TOKEN not in result.stderr
    assert not (course.root / "site").exists()


def test_lab_outputs_publish_no_path_of_the_build_machine(course):
    home = Path.home()
    if home == Path(home.anchor):
        pytest.skip("the home folder is the file system root: nothing to hide")
    course.write_lab(
        "01_materials/labs/lab_1.ipynb",
        (
            "import os, pathlib\n"
            "print('home:', os.path.expanduser('~'))\n"
            "print('here:', os.getcwd())\n"
            "print('code:', pathlib.Path('../../05_src/db.py').resolve())"
        ),
    )
    result = course.build()
    assert result.returncode == 0, result.stderr
    page = course.page("labs/lab_1/index.html")
    assert "home: ~" in page and "here: 01_materials/labs" in page
    assert "code: 05_src/db.py" in page
    indexed = json.dumps(course.search_index())
    download = course.page("labs/lab_1.ipynb")
    for private in (str(course.root), str(home)):
        assert private not in page and private not in indexed
        assert private not in download
    assert "here: 01_materials/labs" in indexed and "here: 01_materials/labs" in (
        download
    )


def test_committed_outputs_are_published_only_when_fit(course):
    """With execution off the labs are shown as committed: the same rules."""
    with_plugin_option(course, "      execute_labs: false")
    notebook = course.write_lab("01_materials/labs/lab_1.ipynb", "print(where)")
    lab = nbformat.read(notebook, as_version=4)
    printed = nbformat.v4.new_output("stream", name="stdout", text="")
    lab.cells[1].outputs = [printed]
    printed.text = f"data in {course.root}/05_src\n"
    nbformat.write(lab, notebook)
    result = course.build()
    assert result.returncode == 0, result.stderr
    for shown in ("labs/lab_1/index.html", "labs/lab_1.ipynb"):
        assert "data in 05_src" in course.page(shown)
        assert str(course.root) not in course.page(shown)
    printed.text = f"token {FAKE_TOKEN}\n"
    nbformat.write(lab, notebook)
    result = course.build()
    assert result.returncode != 0
    assert "lab_1.ipynb:" in result.stderr and "notebook-secret cell 2: " in (
        result.stderr
    )
    assert FAKE_TOKEN not in course.page("labs/lab_1.ipynb"), "last site kept"


def with_plugin_option(course, option: str) -> None:
    config = (course.root / "mkdocs.yml").read_text(encoding="utf-8")
    course.write(
        "mkdocs.yml",
        config.replace("      exports: [html]\n", f"      exports: [html]\n{option}\n"),
    )


def test_the_time_a_lab_cell_may_take_is_set_in_mkdocs_yml(course):
    with_plugin_option(course, "      lab_cell_timeout: 2")
    assert load_course_config(course.root / "mkdocs.yml").lab_cell_timeout == 2
    course.write_lab("01_materials/labs/lab_1.ipynb", "import time\ntime.sleep(60)")
    result = course.build()
    assert result.returncode != 0
    assert (
        "cell 2 (`import time`): still running after the 2 s limit per cell"
    ) in result.stderr
    assert "`lab_cell_timeout`" in result.stderr


def test_a_lab_cell_timeout_that_is_not_a_positive_number_is_refused(course):
    with_plugin_option(course, "      lab_cell_timeout: 0")
    with pytest.raises(ContentError, match="coursekit.lab_cell_timeout"):
        load_course_config(course.root / "mkdocs.yml")
    result = course.build()
    assert result.returncode != 0
    assert "lab_cell_timeout" in result.stderr
