"""A disk cache entry is used only while its content is what was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from coursekit.diskcache import DiskCache, content_key
from coursekit.errors import Problem

KEY = content_key("deck text", b"\x89PNG image")


@pytest.fixture
def said() -> list[Problem]:
    return []


@pytest.fixture
def cache(tmp_path: Path, said: list[Problem]) -> DiskCache:
    return DiskCache(tmp_path / "cache", said.append)


def test_the_key_changes_with_any_input_and_only_with_it():
    assert content_key("a", b"b") == content_key(b"a", "b")
    assert content_key("a", "b") != content_key("b", "a")
    # Each part is length-prefixed: moving a boundary is another input.
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key("ab") != content_key("a", "b")


def test_an_entry_reads_back_as_written(cache, said):
    assert cache.get(KEY, ".pdf") is None
    assert cache.read(KEY, ".pdf") is None
    path = cache.put(KEY, ".pdf", b"%PDF-1.7 whole")
    assert cache.get(KEY, ".pdf") == path
    assert cache.read(KEY, ".pdf") == b"%PDF-1.7 whole"
    assert cache.get(KEY, ".html") is None, "the suffix is part of the entry"
    assert said == []


def test_text_is_stored_as_utf8(cache):
    cache.put(KEY, ".md", "# Cours d'été")
    assert cache.read(KEY, ".md") == "# Cours d'été".encode()


def test_a_copied_file_is_an_entry_too(cache, tmp_path):
    produced = tmp_path / "deck.html"
    produced.write_text("<html>deck</html>", encoding="utf-8")
    path = cache.put_file(KEY, ".html", produced)
    assert path.read_text(encoding="utf-8") == "<html>deck</html>"
    assert cache.get(KEY, ".html") == path


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:5]), id="cut"),
        pytest.param(lambda path: path.write_bytes(b""), id="emptied"),
        pytest.param(lambda path: path.write_text('{"cells": [', "utf-8"), id="json"),
    ],
)
def test_a_damaged_entry_is_discarded_and_said_once(cache, said, damage):
    path = cache.put(KEY, ".ipynb", b'{"cells": [], "nbformat": 4}')
    damage(path)
    assert cache.get(KEY, ".ipynb") is None
    assert not path.exists()
    (problem,) = said
    assert (problem.path, problem.rule) == (path, "cache-damaged")
    assert problem.message == "cache entry was damaged; rebuilt"
    assert cache.get(KEY, ".ipynb") is None
    assert cache.read(KEY, ".ipynb") is None
    assert len(said) == 1, "a discarded entry is a plain miss afterwards"


def test_a_damaged_entry_read_whole_is_discarded(cache, said):
    path = cache.put(KEY, ".html", b"<h1>Lecture</h1>")
    path.write_bytes(b"<h1>Lec")
    assert cache.read(KEY, ".html") is None
    assert [problem.path for problem in said] == [path]


def test_an_entry_whose_record_is_lost_is_damaged(cache, said):
    path = cache.put(KEY, ".pdf", b"%PDF")
    for record in path.parent.glob("*.sha256"):
        record.unlink()
    assert cache.get(KEY, ".pdf") is None
    assert [problem.path for problem in said] == [path]


def test_a_folder_where_an_entry_was_is_damaged(cache, said):
    path = cache.put(KEY, ".md", b"# Page")
    path.unlink()
    path.mkdir()
    assert cache.read(KEY, ".md") is None
    assert not path.exists()
    assert [problem.path for problem in said] == [path]


def test_a_record_without_its_entry_is_a_plain_miss(cache, said):
    """A write killed after the record, before the content, left no entry."""
    path = cache.put(KEY, ".pdf", b"%PDF")
    path.unlink()
    assert cache.get(KEY, ".pdf") is None
    assert said == []
    assert cache.put(KEY, ".pdf", b"%PDF again") == path
    assert cache.read(KEY, ".pdf") == b"%PDF again"


def test_writing_leaves_no_temporary_file(cache):
    path = cache.put(KEY, ".html", b"<html></html>")
    assert path.parent.name == KEY[:2], "a folder per two leading characters"
    assert sorted(p.name for p in path.parent.iterdir()) == [
        f"{KEY}.html",
        f"{KEY}.html.sha256",
    ]
