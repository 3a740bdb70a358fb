"""Decks are staged for Marp with hard links or copies, never symlinks.

Windows makes symlinks only in developer mode, so staging links the images
where the file system allows (no bytes copied) and copies them otherwise:
across file systems (the temporary folder is often another one) or on one
without links (FAT, some network shares). The failure is faked here.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from coursekit.export import load_theme_set, read_source
from coursekit.export import marp as marp_module
from coursekit.export.marp import MarpRun, link_or_copy
from coursekit.parse import parse_deck

from .support import make_project

REFUSALS = {
    "another file system": OSError(errno.EXDEV, "Invalid cross-device link"),
    "no links on FAT": PermissionError(errno.EPERM, "Operation not permitted"),
    "no links at all": OSError(errno.ENOTSUP, "Operation not supported"),
}


def test_a_hard_link_where_the_file_system_allows_one(tmp_path):
    source = tmp_path / "image.png"
    source.write_bytes(b"\x89PNG image bytes")
    target = tmp_path / "staged" / "image.png"
    target.parent.mkdir()
    link_or_copy(source, target)
    assert not target.is_symlink()
    assert target.samefile(source)
    assert source.stat().st_nlink == 2


def refuse_links(source: object, target: object) -> None:
    raise REFUSALS["another file system"]


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS)
def test_a_copy_where_no_link_can_be_made(tmp_path, monkeypatch, refusal):
    def refuse(source: object, target: object) -> None:
        raise refusal

    monkeypatch.setattr(os, "link", refuse)
    source = tmp_path / "image.svg"
    source.write_bytes(b"<svg/>\r\n")
    target = tmp_path / "image-copy.svg"
    link_or_copy(source, target)
    assert not target.is_symlink()
    assert not target.samefile(source)
    assert target.read_bytes() == source.read_bytes()


def staged_files(tmp_path: Path, monkeypatch, link_fails: bool) -> dict[str, Path]:
    """The fixture lecture staged as MarpRun stages it, by relative path."""
    project = make_project(tmp_path / "course")
    if link_fails:
        monkeypatch.setattr(marp_module.os, "link", refuse_links)
    themes = load_theme_set(project / "slides" / "themes")
    source = read_source(parse_deck(project / "slides" / "lecture.md"), themes)
    workdir = tmp_path / "work"
    workdir.mkdir()
    run = MarpRun(
        command=("marp",),
        fmt="html",
        sources=(source,),
        options=(),
        workdir=workdir,
        parallel=1,
        timeout=1,
        env={},
        themes=themes,
    )
    markdown = run._stage(source)
    assert markdown.as_posix() == "lecture/lecture.md"
    return {
        path.relative_to(workdir / "in").as_posix(): path
        for path in (workdir / "in").rglob("*")
        if not path.is_dir()
    }


@pytest.mark.parametrize("link_fails", [False, True], ids=["linked", "copied"])
def test_staged_images_are_real_files_beside_the_deck(
    tmp_path, monkeypatch, link_fails
):
    staged = staged_files(tmp_path, monkeypatch, link_fails)
    assert sorted(staged) == [
        "lecture/images/diagram.svg",
        "lecture/images/photo.png",
        "lecture/lecture.md",
    ]
    assert not any(path.is_symlink() for path in staged.values())
    original = tmp_path / "course" / "slides" / "images" / "photo.png"
    staged_photo = staged["lecture/images/photo.png"]
    assert staged_photo.read_bytes() == original.read_bytes()
    assert staged_photo.samefile(original) is not link_fails
