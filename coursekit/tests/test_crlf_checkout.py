"""A Windows checkout (core.autocrlf=true) builds what a Linux one builds.

Git for Windows converts text files to CRLF line endings when it checks them
out. The fixture course is committed, cloned once with LF and once with
autocrlf=true, and both clones are built with one shared export cache: the
CRLF clone must find every export in the cache (same keys, nothing for Marp
to convert), so it publishes the very same HTML and PDF bytes, and its
lecture page must be the LF clone's, byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from coursekit.diskcache import RECORD_SUFFIX

GIT_IDENTITY = ["-c", "user.name=Course Tests", "-c", "user.email=tests@example.org"]
# Both clones read their cache from one folder, named by the environment.
CACHE_OPTION = "exports: [html, pdf]\n      cache_dir: !ENV [COURSE_CACHE, .cache/ck]"
PUBLISHED = (
    "lectures/01_fixture/index.html",
    "slides/01_fixture.html",
    "slides/01_fixture.pdf",
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, check=True)


def build(root: Path, cache: Path, browser: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "COURSE_CACHE": str(cache),
            "CHROME_PATH": str(browser),
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def cache_keys(cache: Path) -> list[str]:
    return sorted(
        path.name
        for path in (cache / "exports").rglob("*.*")
        if path.suffix != RECORD_SUFFIX
    )


@pytest.mark.browser
def test_a_crlf_checkout_gives_the_same_page_exports_and_cache_keys(
    course, tmp_path_factory, browser
):
    mkdocs_yml = (course.root / "mkdocs.yml").read_text("utf-8")
    course.write("mkdocs.yml", mkdocs_yml.replace("exports: [html]", CACHE_OPTION))
    git("init", "--quiet", cwd=course.root)
    # Stored with LF, however this system wrote the files.
    git("-c", "core.autocrlf=input", "add", "--all", cwd=course.root)
    git("commit", "--quiet", "-m", "Add the fixture course", cwd=course.root)
    clones = tmp_path_factory.mktemp("clones")
    for name, autocrlf in (("lf", "false"), ("crlf", "true")):
        git(
            "clone", "--quiet", "-c", f"core.autocrlf={autocrlf}",
            str(course.root), name, cwd=clones,
        )  # fmt: skip
    lf, crlf = clones / "lf", clones / "crlf"
    for text_file in ("slides/01_fixture.md", "slides/themes/fixture.css"):
        assert b"\r\n" in (crlf / text_file).read_bytes(), text_file
        assert b"\r\n" not in (lf / text_file).read_bytes(), text_file
    assert b"\r\n" in (crlf / "slides/images/chart.svg").read_bytes()

    cache = tmp_path_factory.mktemp("shared-cache")
    assert "Exported slides of 01_fixture" in build(lf, cache, browser)
    keys = cache_keys(cache)
    # Keys are hashes: which format sorts first depends on the inputs.
    assert sorted(Path(key).suffix for key in keys) == [".html", ".pdf"]
    # Same keys: every export comes from the cache, Marp converts nothing.
    assert "Exported slides" not in build(crlf, cache, browser)
    assert cache_keys(cache) == keys
    for published in PUBLISHED:
        same = (lf / "site" / published).read_bytes()
        assert (crlf / "site" / published).read_bytes() == same, published
