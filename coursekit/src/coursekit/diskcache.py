"""Disk caches of things made from inputs, whose entries prove they are whole.

Every disk cache of the build stores through `DiskCache`. An entry is found
by the key of what it was made from (`content_key`: a hash of the inputs, so
the same inputs find it again and a changed one misses) and a suffix saying
what it is (`.pdf`, `.ipynb`). Beside the entry a record (`.sha256`) holds
the hash of the content written. Each read hashes the entry again: an entry
that no longer matches (cut short by a full disk, damaged by a cache
restored in CI, edited by hand) is removed, reported once to `on_damage` and
read as missing, so its caller makes it again. Nothing damaged is handed out.

The record is written before the content, each whole (`fsutil`): a write
killed between the two leaves a record with no entry, which is a plain miss.
Callers that share a cache between processes lock it (`fsutil.FolderLock`);
without a lock, two writers of the same entry can leave a record of one and
the content of the other, which the next read finds damaged and rebuilds.

Written here rather than taken from a library: the caching libraries for
Python (diskcache, joblib's Memory) trust what they read back, and checking
it is the point of this one.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Callable, Collection
from pathlib import Path

from .errors import Problem
from .fsutil import copy_atomically, write_atomically

RECORD_SUFFIX = ".sha256"

OnDamage = Callable[[Problem], None]


def content_key(*parts: bytes | str) -> str:
    """The key of what is made from `parts`: one hash of them all, in order.

    Put in everything the result depends on (a version of the way it is
    made, the inputs' content, the options), and no path that changes when
    the repository is checked out elsewhere.
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        # Length-prefixed, so no two different lists of parts hash alike.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


class DiskCache:
    """The entries of one cache folder, each checked against its record."""

    def __init__(self, directory: Path, on_damage: OnDamage | None = None) -> None:
        self.directory = Path(directory)
        self._on_damage = on_damage or (lambda problem: None)

    def get(self, key: str, suffix: str = "") -> Path | None:
        """The entry's file if it is whole; None when missing or damaged.

        For large entries that are copied rather than read (slide exports).
        """
        entry = self._path(key, suffix)
        if not _exists(entry):
            return None  # never written, or killed between record and content
        if entry.is_file() and self._recorded(entry) == file_digest(entry):
            return entry
        self._discard(entry)
        return None

    def read(self, key: str, suffix: str = "") -> bytes | None:
        """The entry's content if it is whole; None when missing or damaged."""
        entry = self._path(key, suffix)
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

    def put(self, key: str, suffix: str, content: bytes | str) -> Path:
        """Store `content` (text is stored as UTF-8) as the entry; its file."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        entry = self._path(key, suffix)
        write_atomically(_record(entry), hashlib.sha256(data).hexdigest())
        write_atomically(entry, data)
        return entry

    def put_file(self, key: str, suffix: str, source: Path) -> Path:
        """Store a copy of the file `source` as the entry; its file."""
        entry = self._path(key, suffix)
        write_atomically(_record(entry), file_digest(source))
        copy_atomically(source, entry)
        return entry

    def keep_only(self, keys: Collection[str], suffix: str) -> None:
        """Remove every entry ending in `suffix` whose key is not in `keys`."""
        for entry in self.directory.glob(f"*/*{suffix}"):
            if entry.name.removesuffix(suffix) not in keys:
                for path in (_record(entry), entry):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()

    def _path(self, key: str, suffix: str) -> Path:
        # A folder per two leading characters keeps each folder small.
        return self.directory / key[:2] / f"{key}{suffix}"

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


def file_digest(path: Path) -> str:
    """The SHA-256 of the file at `path`, read in chunks."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
