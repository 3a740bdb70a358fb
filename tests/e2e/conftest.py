"""The built course site in a real headless Chromium.

The site is built once per test session (per xdist worker: the e2e tests share
the `site` group so one worker runs them all) with `mkdocs build --strict`
into a temporary folder and served from a thread on a free port of 127.0.0.1.
The browser is Debian's Chromium (or $CHROME_PATH), driven by Playwright:
Playwright never downloads a browser of its own here.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


def find_chromium() -> str | None:
    """$CHROME_PATH (what Marp CLI reads too), else a Chromium on PATH."""
    candidates = [os.environ.get("CHROME_PATH"), "chromium", "chromium-browser"]
    for candidate in filter(None, candidates):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path:
        return path
    reason = "no Chromium found: set CHROME_PATH or install Debian's chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests are required under CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core (npm, pinned in package-lock.json), to inject into a page."""
    axe = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if axe.is_file():
        return axe.read_text(encoding="utf-8")
    reason = f"axe-core is not installed ({axe} is missing): run `npm ci`"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def build_site(chromium_path: str):
    """build_site(site_dir, **environment): `mkdocs build --strict` of the
    real course into site_dir, which it returns."""

    def build_site(site_dir: Path, **env: str) -> Path:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"]
            + ["--site-dir", str(site_dir)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            # Marp CLI renders the PDF export with the browser the tests use.
            env={
                **os.environ,
                "NO_MKDOCS_2_WARNING": "1",
                "CHROME_PATH": chromium_path,
                **env,
            },
        )
        if result.returncode != 0:
            pytest.fail(
                f"mkdocs build --strict failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}",
                pytrace=False,
            )
        return site_dir

    return build_site


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, build_site) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the site (decks included) as the path a browser
    asks for.

    404.html is left out: the server answers a missing page with it, and its
    links are written for whatever URL went missing.
    """
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        path = html.relative_to(site_dir).as_posix()
        if path != "404.html":
            pages.append(path.removesuffix("index.html"))
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def serve_folder():
    """serve_folder(folder): a context manager that serves `folder` over HTTP
    from a thread on a free port of 127.0.0.1 and yields its URL."""
    return _served


@pytest.fixture(scope="session")
def site_url(site_dir: Path, serve_folder) -> Iterator[str]:
    with serve_folder(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Problems:
    """What went wrong in a browser context, as messages a person can act on.

    Watches the whole context, so a page it opens (the deck behind "Present")
    and the frames inside a page (the embedded deck) are watched too.
    """

    origin: str
    messages: list[str] = field(default_factory=list)

    def watch(self, context) -> None:
        context.on("console", self._console)
        context.on("weberror", lambda error: self.messages.append(f"{error.error}"))
        context.on("response", self._response)
        context.on("requestfailed", self._failed)
        context.route("**/*", self._keep_local)

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.messages.append(f"console error: {message.text} ({where})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.messages.append(f"HTTP {response.status}: {response.url}")

    def _failed(self, request) -> None:
        if self._is_local(request.url):
            self.messages.append(f"request failed: {request.url} ({request.failure})")

    def _keep_local(self, route) -> None:
        # Learners may be offline and the tests run without internet: the
        # site must not need any other host.
        url = route.request.url
        if self._is_local(url):
            route.continue_()
        else:
            self.messages.append(f"request to another host: {url}")
            route.abort()

    def _is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("data", "blob", "about", "file") or (
            f"{parts.scheme}://{parts.netloc}" == self.origin
        )


SETTLE_TIMEOUT_MS = 90_000


@dataclass
class Visit:
    """A loaded page and the problems of its browser context so far."""

    page: object
    problems: Problems


@pytest.fixture
def open_page(browser, site_url: str):
    """open_page(path, **context options) -> Visit, loaded and settled.

    Each call gets a fresh context: no palette or search state carries over.
    """
    contexts = []

    def open_page(path: str = "", **options) -> Visit:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        # A page of the lecture loads a deck and KaTeX: on a busy 2-core
        # runner settling can take longer than Playwright's 30 s default.
        context.set_default_timeout(SETTLE_TIMEOUT_MS)
        contexts.append(context)
        problems = Problems(site_url.rstrip("/"))
        problems.watch(context)
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        return Visit(page, problems)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
