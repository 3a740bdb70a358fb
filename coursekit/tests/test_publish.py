"""A build that fails, is killed or collides with another never damages site/."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from coursekit.errors import CourseError
from coursekit.fsutil import FolderLock, staged, write_atomically
from mkdocs.config import load_config

# A hook that makes the build slow where it is writing pages into the
# staging folder, and says (with a file) that it got there.
SLOW_HOOK = """\
import pathlib
import time


def on_post_page(output, page, config):
    pathlib.Path(config.config_file_path).with_name("building").touch()
    time.sleep(120)
    return output
"""


def tree_hash(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(course) -> list[str]:
    """Staging and swapped-away folders a build left beside site/."""
    return sorted(p.name for p in course.root.glob(".site.*") if p.is_dir())


@pytest.fixture
def built(course):
    result = course.build()
    assert result.returncode == 0, result.stderr
    return tree_hash(course.root / "site")


def slow_build(course) -> subprocess.Popen:
    course.write("slow_hook.py", SLOW_HOOK)
    config = (course.root / "mkdocs.yml").read_text(encoding="utf-8")
    course.write("mkdocs.yml", config + "hooks:\n  - slow_hook.py\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=course.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    marker = course.root / "building"
    while not marker.exists():
        assert process.poll() is None, "the slow build ended before writing pages"
        time.sleep(0.05)
    course.write("mkdocs.yml", config)
    return process


def test_failed_build_leaves_the_previous_site_byte_for_byte(course, built):
    (course.root / "slides/images/chart.svg").unlink()
    result = course.build()
    assert result.returncode != 0
    assert tree_hash(course.root / "site") == built
    assert leftovers(course) == []


def test_strict_build_with_warnings_is_not_published(course, built):
    # MkDocs aborts a strict build for its warnings only after on_post_build.
    course.write("docs/about.md", "# About\n\n[gone](missing.md)\n")
    result = course.build()
    assert result.returncode != 0
    assert "contains a link 'missing.md'" in result.stderr
    assert tree_hash(course.root / "site") == built
    assert leftovers(course) == []


def test_successful_build_replaces_the_site_whole(course, built):
    course.write("docs/about.md", "# About\n")
    assert course.build().returncode == 0
    after = tree_hash(course.root / "site")
    assert "about/index.html" in after
    assert leftovers(course) == []


def test_killed_build_leaves_the_site_and_the_next_build_recovers(course, built):
    process = slow_build(course)
    assert any(course.root.glob(".site.building-*"))  # it was writing there
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree_hash(course.root / "site") == built
    result = course.build()
    assert result.returncode == 0, result.stderr
    assert leftovers(course) == []


def test_second_build_at_once_is_refused_with_a_clear_message(course, built):
    first = slow_build(course)
    try:
        second = course.build()
    finally:
        first.kill()
        first.wait()
    assert second.returncode != 0
    assert f"another build (process {first.pid}) is writing" in second.stderr
    assert "Traceback" not in second.stderr
    assert tree_hash(course.root / "site") == built


# `mkdocs serve` builds into a folder of its own; mike reads the configuration
# (site_dir is where it copies the site from) and builds in a subprocess, which
# a lock held by the reading process would refuse.
@pytest.mark.parametrize("command", ["serve", "mike"])
def test_commands_that_do_not_build_here_leave_site_dir_alone(course, command):
    served = course.root / "served"
    config = load_config(str(course.root / "mkdocs.yml"), site_dir=str(served))
    plugin = config.plugins["coursekit"]
    plugin.on_startup(command=command, dirty=False)
    plugin.on_config(config)
    assert config.site_dir == str(served)
    assert leftovers(course) == [] and not list(course.root.glob(".served.lock*"))


def test_staged_folder_is_dropped_when_the_work_fails(tmp_path):
    target = tmp_path / "exports"
    target.mkdir()
    (target / "deck.html").write_text("old")
    with pytest.raises(RuntimeError), staged(target) as folder:
        (folder / "deck.html").write_text("half")
        raise RuntimeError("Marp failed")
    assert (target / "deck.html").read_text() == "old"
    beside = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".pid"))
    assert beside == [".exports.lock", "exports"]


def test_folder_left_renamed_away_by_a_killed_swap_is_put_back(tmp_path):
    target = tmp_path / "site"
    previous = tmp_path / ".site.previous-x"
    previous.mkdir()
    (previous / "index.html").write_text("old")
    with pytest.raises(RuntimeError), staged(target):
        assert (target / "index.html").read_text() == "old"
        raise RuntimeError("stop")
    assert (target / "index.html").read_text() == "old"


def test_a_site_is_replaced_with_windows_renaming_rules(tmp_path, monkeypatch):
    """Windows renames a folder only to a name that does not exist yet."""
    real_replace = os.replace

    def replace_as_windows(source: os.PathLike, target: os.PathLike) -> None:
        if Path(source).is_dir() and Path(target).exists():
            raise FileExistsError(183, "Cannot create a file when that file exists")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_as_windows)
    target = tmp_path / "site"
    for build in ("first", "second", "third"):
        with staged(target) as folder:
            (folder / "index.html").write_text(build, encoding="utf-8")
        assert (target / "index.html").read_text(encoding="utf-8") == build
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["site"]


def test_lock_is_exclusive_and_released(tmp_path):
    target = tmp_path / "site"
    first, second = FolderLock(target), FolderLock(target)
    first.acquire()
    with pytest.raises(CourseError, match=f"process {os.getpid()}") as refused:
        second.acquire()
    assert refused.value.rule == "build-locked"
    first.release()
    second.acquire()
    second.release()
    # Only the hidden lock files stay beside the folder (gitignored `.site.*`).
    assert all(p.name.startswith(".site.lock") for p in tmp_path.iterdir())


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "cache" / "entry.json"
    write_atomically(path, "{}")
    write_atomically(path, b'{"a": 1}')
    assert path.read_bytes() == b'{"a": 1}'
    assert [p.name for p in path.parent.iterdir()] == ["entry.json"]
