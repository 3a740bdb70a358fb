"""Two terms published with `offerings.publish` into a local bare repository.

A copy of the course, committed in a temporary repository whose `origin` is
a local bare repository (never GitHub), with the repository's own pre-push
hook installed, publishes three times: Winter 2027; then, with a new home
page, Fall 2027, which becomes `latest`; then Winter 2027 again from its
own commit with a fix, which must leave `latest` on Fall 2027. The pushed
gh-pages branch is then read as git holds it and served to Chromium.

The builds skip the slide exports and the labs' execution (tested
elsewhere): a publication is a full strict MkDocs build all the same.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from coursekit.fsutil import copy_source_files

# One worker builds the offerings once for both tests.
pytestmark = pytest.mark.xdist_group("offerings")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TERMS = ("2027-fall", "2027-winter")

FALL_NEWS = "Office hours move to Thursday afternoons this term."
WINTER_FIX = "Lab 1 is due at the end of week 2, not week 1."
LECTURE = "lectures/01_introduction/"
# Test builds: no slide exports, no lab execution, KaTeX from this checkout.
BUILD_OPTIONS = (
    "      exports: []\n      execute_labs: false\n      node_dir: {node_dir}\n"
)


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stderr}"
    return result.stdout


@dataclass
class Offerings:
    pages: Path
    """The gh-pages branch of the bare repository, checked out."""
    said: list[str]
    """What each publication printed last."""
    log: list[str]
    """gh-pages commit subjects, newest first."""


def course_copy(destination: Path) -> None:
    """The course's files (committed or not, as `git` sees them), test-built."""
    copy_source_files(PROJECT_ROOT, destination)
    config = destination / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - coursekit:\n" in text and "exports:" not in text
    options = BUILD_OPTIONS.format(node_dir=PROJECT_ROOT)
    config.write_text(
        text.replace("  - coursekit:\n", "  - coursekit:\n" + options, 1),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def offerings(tmp_path_factory: pytest.TempPathFactory) -> Offerings:
    root = tmp_path_factory.mktemp("offerings")
    remote, course = root / "remote.git", root / "course"
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(root / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Instructor",
        "GIT_AUTHOR_EMAIL": "instructor@example.org",
        "GIT_COMMITTER_NAME": "Instructor",
        "GIT_COMMITTER_EMAIL": "instructor@example.org",
        "NO_MKDOCS_2_WARNING": "1",
    }
    git("init", "-q", "--bare", str(remote), cwd=root, env=env)
    course_copy(course)
    git("init", "-q", "-b", "main", cwd=course, env=env)
    git("add", "-A", cwd=course, env=env)
    git("commit", "-q", "-m", "Start the course", cwd=course, env=env)
    git("remote", "add", "origin", str(remote), cwd=course, env=env)
    git("push", "-q", "origin", "main", cwd=course, env=env)
    # The hook that checks pushed branch names, as `make setup` installs it.
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "-t", "pre-push"],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    home = course / "docs" / "index.md"
    said = []

    def publish(term: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "offerings.publish", term],
            cwd=course,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        said.append(result.stdout.strip().splitlines()[-1])

    def commit_home_page(line: str, message: str) -> None:
        home.write_text(home.read_text(encoding="utf-8") + f"\n{line}\n")
        git("commit", "-q", "-am", message, cwd=course, env=env)

    publish("2027-winter")
    git("switch", "-q", "-c", "fix/winter-due-date", cwd=course, env=env)
    commit_home_page(WINTER_FIX, "Correct the due date of lab 1")
    git("switch", "-q", "main", cwd=course, env=env)
    commit_home_page(FALL_NEWS, "Announce the office hours of the fall")
    publish("2027-fall")
    git("switch", "-q", "fix/winter-due-date", cwd=course, env=env)
    publish("2027-winter")

    pages = root / "pages"
    git(
        "clone",
        "-q",
        "--branch",
        "gh-pages",
        str(remote),
        str(pages),
        cwd=root,
        env=env,
    )
    log = git("log", "--format=%s", "gh-pages", cwd=remote, env=env).splitlines()
    return Offerings(pages, said, log)


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_gh_pages_holds_both_terms_with_latest_on_the_newest(offerings: Offerings):
    pages = offerings.pages
    assert json.loads(text(pages / "versions.json")) == [
        {"version": "2027-fall", "title": "Fall 2027", "aliases": ["latest"]},
        {"version": "2027-winter", "title": "Winter 2027", "aliases": []},
    ]
    # mike listed 2027-winter first; the publication put the terms in order.
    assert "Order the terms newest first in versions.json" in offerings.log
    assert offerings.said[1].endswith("it is the current term (latest)")
    assert offerings.said[2].endswith("latest stays on 2027-fall, a newer term")

    # Each term is its own site, as published from its own commit.
    fall_home, winter_home = (text(pages / t / "index.html") for t in TERMS)
    assert FALL_NEWS in fall_home and WINTER_FIX not in fall_home
    assert WINTER_FIX in winter_home and FALL_NEWS not in winter_home
    # The root leads to latest, whose pages lead to the same page of the newest.
    assert re.search(r'replace\(\s*"latest/"', text(pages / "index.html"))
    assert '"../../../2027-fall/lectures/01_introduction/"' in text(
        pages / "latest" / LECTURE / "index.html"
    )

    for term, title in zip(TERMS, ("Fall 2027", "Winter 2027"), strict=True):
        for page in sorted((pages / term).rglob("*.html")):
            if page.name == "404.html":
                continue  # written for whatever address went missing
            html = text(page)
            # Material's version selector reads versions.json.
            assert '"version": {"alias": true, "provider": "mike"}' in html, page
            # The banner, shown by Material's script once the term is past.
            assert f"This is the course site of <strong>{title}</strong>" in html
            link = re.search(r'<a href="([^"]+)">Go to the current term', html)
            assert link, f"{page}: the banner has no link to the current term"
            url = "/" + page.relative_to(pages).as_posix()
            assert urljoin(url, link[1]) == "/latest/", page


@pytest.fixture(scope="module")
def site_url(offerings: Offerings, serve_folder) -> Iterator[str]:
    """The gh-pages tree served over HTTP (open_page loads from here)."""
    # Both terms' lecture page side by side, for the screenshot.
    frames = "".join(
        f'<iframe src="{term}/{LECTURE}" title="{term}"></iframe>' for term in TERMS
    )
    (offerings.pages / "side-by-side.html").write_text(
        "<!doctype html><style>body{margin:0;display:flex}"
        "iframe{width:1280px;height:760px;border:0}</style>" + frames,
        encoding="utf-8",
    )
    with serve_folder(offerings.pages) as url:
        yield url


@pytest.mark.browser
def test_terms_side_by_side_with_the_banner_on_the_older(
    open_page, screenshot_dir: Path
):
    root = open_page("")
    assert root.page.url.endswith("/2027-fall/")

    current = open_page(f"2027-fall/{LECTURE}").page
    past_visit = open_page(f"2027-winter/{LECTURE}")
    past = past_visit.page
    assert current.locator("[data-md-component=outdated]").is_hidden()
    banner = past.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible")
    assert "This is the course site of Winter 2027" in banner.inner_text()

    # The selector: both terms, newest first, the newest marked latest.
    items = past.eval_on_selector_all(
        ".md-version__link",
        """links => links.map(link => [
            link.firstChild.textContent.trim(),
            link.querySelector(".md-version__alias")?.textContent ?? "",
        ])""",
    )
    assert items == [["Fall 2027", "latest"], ["Winter 2027", ""]]
    assert "Winter 2027" in past.locator(".md-version__current").inner_text()

    both = open_page("side-by-side.html", viewport={"width": 2560, "height": 760})
    older = both.page.frame_locator('iframe[title="2027-winter"]')
    older.locator("[data-md-component=outdated]").wait_for(state="visible")
    newer = both.page.frame_locator('iframe[title="2027-fall"]')
    newer.locator(".md-version__current").wait_for()
    assert newer.locator("[data-md-component=outdated]").is_hidden()
    both.page.screenshot(path=screenshot_dir / "offerings-side-by-side.png")

    past.get_by_text("Go to the current term's site").click()
    past.wait_for_url("**/2027-fall/")
    problems = root.problems.messages + past_visit.problems.messages
    assert not problems + both.problems.messages
