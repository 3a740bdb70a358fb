"""A disk cache entry is used only while its content is what was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from coursekit.diskcache import DiskCache
from coursekit.errors import Problem


@pytest.fixture
def said(tmp_path: Path) -> list[Problem]:
    return []


@pytest.fixture
def cache(tmp_path: Path, said: list[Problem]) -> DiskCache:
    return DiskCache(tmp_path / "cache", said.append)


def test_an_entry_reads_back_as_written(cache, said):
    assert cache.get("ab/key.pdf") is None
    path = cache.put_bytes("ab/key.pdf", b"%PDF-1.7 whole")
    assert cache.get("ab/key.pdf") == path
    assert cache.read_bytes("ab/key.pdf") == b"%PDF-1.7 whole"
    assert said == []


def test_a_copied_file_is_an_entry_too(cache, tmp_path):
    produced = tmp_path / "deck.html"
    produced.write_text("<html>deck</html>", encoding="utf-8")
    path = cache.put_file("deck.html", produced)
    assert path.read_text(encoding="utf-8") == "<html>deck</html>"
    assert cache.get("deck.html") == path


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:5]), id="cut"),
        pytest.param(lambda path: path.write_bytes(b""), id="emptied"),
        pytest.param(lambda path: path.write_text('{"cells": [', "utf-8"), id="json"),
    ],
)
def test_a_damaged_entry_is_discarded_and_said_once(cache, said, damage):
    path = cache.put_bytes("lab-1234.ipynb", b'{"cells": [], "nbformat": 4}')
    damage(path)
    assert cache.get("lab-1234.ipynb") is None
    assert not path.exists()
    (problem,) = said
    assert (problem.path, problem.rule) == (path, "cache-damaged")
    assert problem.message == "cache entry was damaged; rebuilt"
    assert cache.get("lab-1234.ipynb") is None
    assert cache.read_bytes("lab-1234.ipynb") is None
    assert len(said) == 1, "a discarded entry is a plain miss afterwards"


def test_a_damaged_entry_read_as_bytes_is_discarded(cache, said):
    path = cache.put_bytes("page.html", b"<h1>Lecture</h1>")
    path.write_bytes(b"<h1>Lec")
    assert cache.read_bytes("page.html") is None
    assert [problem.path for problem in said] == [path]


def test_an_entry_whose_record_is_lost_is_damaged(cache, said):
    path = cache.put_bytes("deck.pdf", b"%PDF")
    for record in path.parent.glob("*.sha256"):
        record.unlink()
    assert cache.get("deck.pdf") is None
    assert [problem.path for problem in said] == [path]


def test_a_record_without_its_entry_is_a_plain_miss(cache, said):
    """A write killed after the record, before the content, left no entry."""
    path = cache.put_bytes("deck.pdf", b"%PDF")
    path.unlink()
    assert cache.get("deck.pdf") is None
    assert said == []
    assert cache.put_bytes("deck.pdf", b"%PDF again") == path
    assert cache.read_bytes("deck.pdf") == b"%PDF again"


def test_writing_leaves_no_temporary_file(cache):
    path = cache.put_bytes("ab/key.html", b"<html></html>")
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "key.html",
        "key.html.sha256",
    ]
