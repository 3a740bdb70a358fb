"""Disk caches whose entries prove they are whole: what every cache stores through.

An entry is a file under the cache folder, named by its caller (`ab/<key>.pdf`,
`lab-<key>.ipynb`). Beside it a record (`<name>.sha256`) holds the hash of
the content written. A lookup hashes the entry again: an entry that no longer
matches (cut short by a full disk, damaged by a cache restored in CI, edited
by hand) is removed, reported once to `on_damage` and looked up as missing,
so its caller makes it again. Nothing damaged is ever handed out.

The record is written before the content, each whole (`fsutil`): a write
killed between the two leaves a record with no entry, which is a plain miss.
Callers that share a cache between processes lock it (`fsutil.FolderLock`);
without a lock, two writers of the same entry can leave a record of one and
the content of the other, which the next lookup finds damaged and rebuilds.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import Problem
from .fsutil import copy_atomically, write_atomically

RECORD_SUFFIX = ".sha256"

OnDamage = Callable[[Problem], None]


class DiskCache:
    """The entries of one cache folder, each checked against its record."""

    def __init__(self, directory: Path, on_damage: OnDamage | None = None) -> None:
        self.directory = Path(directory)
        self._on_damage = on_damage or (lambda problem: None)

    def path(self, name: str) -> Path:
        """Where the entry `name` is stored, whether or not it exists."""
        return self.directory / name

    def get(self, name: str) -> Path | None:
        """The entry's file if it is whole; None when missing or damaged."""
        entry = self.path(name)
        if not _exists(entry):
            return None  # never written, or killed between record and content
        if entry.is_file() and self._recorded(entry) == _file_digest(entry):
            return entry
        self._discard(entry)
        return None

    def read_bytes(self, name: str) -> bytes | None:
        """The entry's content if it is whole; None when missing or damaged."""
        entry = self.path(name)
        recorded = self._recorded(entry)
        try:
            content = entry.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            content = None  # a folder or an unreadable file where the entry was
        if content is not None and recorded == hashlib.sha256(content).hexdigest():
            return content
        self._discard(entry)
        return None

    def put_bytes(self, name: str, content: bytes | str) -> Path:
        data = content.encode("utf-8") if isinstance(content, str) else content
        entry = self.path(name)
        write_atomically(_record(entry), hashlib.sha256(data).hexdigest())
        write_atomically(entry, data)
        return entry

    def put_file(self, name: str, source: Path) -> Path:
        """Store a copy of the file `source` as the entry `name`."""
        entry = self.path(name)
        write_atomically(_record(entry), _file_digest(source))
        copy_atomically(source, entry)
        return entry

    def _recorded(self, entry: Path) -> str | None:
        """The hash recorded for `entry`; "" for a damaged record."""
        try:
            return _record(entry).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            return ""

    def _discard(self, entry: Path) -> None:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        for path in (entry, _record(entry)):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                path.unlink()
        self._on_damage(
            Problem(
                entry,
                1,
                1,
                "cache-damaged",
                "cache entry was damaged; rebuilt",
                "nothing to do: the build made it again. If this repeats, check "
                "the disk, or what restores the cache folder in CI",
            )
        )


def _record(entry: Path) -> Path:
    return entry.with_name(entry.name + RECORD_SUFFIX)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
