"""The link checker against a local server: a page, a 404 and a timeout."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
from coursekit.cli import main
from coursekit.linkcheck import Link, ResultCache, check_links


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        if self.path == "/slow":
            time.sleep(3)  # longer than the checker's timeout
        self.send_response(200 if self.path in {"/ok", "/slow"} else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_ok_missing_and_slow_links_are_told_apart(course, server, capsys):
    course.write(
        "docs/links.md",
        f"# Links\n\n[ok]({server}/ok)\n\nSee <{server}/gone>.\n\n{server}/slow\n",
    )
    code = main(["--root", str(course.root), "linkcheck", "--timeout", "1"])
    table = capsys.readouterr().out
    assert code == 1
    assert "docs/links.md:5" in table and f"{server}/gone" in table
    assert "docs/links.md:7" in table and "timed out" in table
    assert "3 external links checked: 1 ok, 1 broken, 1 error" in table


def test_links_are_looked_for_where_mkdocs_yml_says(course, server, capsys):
    config = (course.root / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "  - coursekit:\n", "  - coursekit:\n      slides_dir: decks\n"
    )
    course.write("mkdocs.yml", f"docs_dir: pages\n{config}")
    course.write("pages/index.md", f"# Home\n\n[gone]({server}/gone-page)\n")
    course.write(
        "decks/talk.md", f"---\nmarp: true\n---\n\n[gone]({server}/gone-deck)\n"
    )
    main(["--root", str(course.root), "linkcheck", "--timeout", "2"])
    table = capsys.readouterr().out
    assert "pages/index.md:3" in table and "decks/talk.md:5" in table


def test_good_answers_are_cached_and_failures_asked_again(tmp_path, server):
    links = [
        Link(f"{server}/ok", tmp_path / "a.md", 1),
        Link(f"{server}/gone", tmp_path / "a.md", 2),
    ]
    cache = ResultCache(tmp_path / "cache.json")
    first = check_links(links, cache, timeout=2)
    reloaded = ResultCache(tmp_path / "cache.json")
    assert reloaded.get(f"{server}/ok") == first[f"{server}/ok"]
    assert reloaded.get(f"{server}/gone") is None


def test_damaged_cache_is_ignored(tmp_path):
    path = tmp_path / "cache.json"
    path.write_text('[{"url": "http://x"')
    assert ResultCache(path).get("http://x") is None
