"""File helpers every cache and the site publication share.

- `write_atomically` / `copy_atomically`: readers see the old file or the
  whole new one, never a part (a build killed mid-write leaves only a hidden
  temporary file, which no lookup reads). A full disk is said as such
  (`disk_full_named`), with the folder and how to make room.
- `FolderLock`: one process (and one thread) at a time writes a folder. It is
  an OS file lock (`filelock`: flock on POSIX, LockFileEx on Windows), so the
  OS releases it when its holder dies, even by SIGKILL.
- `StagedFolder` / `staged`: build a folder beside its target and swap it in
  only when the work succeeded.

The swap is two renames: the old target is renamed away, then the staging
folder is renamed into its place. For the microseconds between them the
target does not exist; a process killed right there leaves the old folder
next to it, and the next start puts it back. (An atomic exchange of two
folders needs renameat2 on Linux and renamex_np on macOS, which Python does
not offer; a symlink swap would make `site/` a link, which deploy tools copy
as a link.)
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import filelock

from .errors import ToolError

_STAGING = "building-"
_PREVIOUS = "previous-"
PUBLISHED_FILE_MODE = 0o644
"""Files a web server user must read (mkstemp makes them private)."""
PUBLISHED_FOLDER_MODE = 0o755


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_MAKE_ROOM = (
    "free space on that disk (`make clean` removes the built site and the "
    "build caches), then build again"
)


@contextlib.contextmanager
def disk_full_named(folder: Path, what: str, fix: str = _MAKE_ROOM) -> Iterator[None]:
    """A full disk (or quota) while writing in `folder` becomes a ToolError
    saying `what` could not be written, where, and how to make room."""
    try:
        yield
    except OSError as error:
        if error.errno not in _DISK_FULL:
            raise
        raise ToolError(
            folder, f"the disk is full: {what} ({error.strerror})", fix, "disk-full"
        ) from None


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write `path` whole or not at all; the data is on disk before the rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with (
        disk_full_named(path.parent, f"{path.name} cannot be written"),
        _temporary_beside(path) as (stream, temporary),
    ):
        stream.write(payload)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def copy_atomically(source: Path, target: Path) -> None:
    """Copy `source` to `target` whole or not at all."""
    with (
        disk_full_named(target.parent, f"{target.name} cannot be written"),
        _temporary_beside(target) as (stream, temporary),
        source.open("rb") as data,
    ):
        shutil.copyfileobj(data, stream)
    os.replace(temporary, target)


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy unless `target` already holds the same bytes; True if it copied.

    Unchanged files keep their modification time, which `mkdocs serve` and
    MkDocs' dirty builds look at.
    """
    if target.is_file() and _same_bytes(source, target):
        return False
    copy_atomically(source, target)
    return True


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[tuple[object, str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream, temporary
        os.chmod(temporary, PUBLISHED_FILE_MODE)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()


class FolderLock:
    """An exclusive lock on `folder`, held through a file beside it.

    `wait=False` refuses at once when another process holds it (a second
    `mkdocs build`); `wait=True` queues (caches that builds share).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder.parent / f".{folder.name}.lock"
        self._holder = self.path.with_name(f"{self.path.name}.pid")
        self._lock = filelock.FileLock(self.path)

    def acquire(self, *, wait: bool = False) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=-1 if wait else 0)
        except filelock.Timeout:
            raise ToolError(
                self.folder,
                f"another build (process {self._holder_pid()}) is writing "
                f"{self.folder}",
                "wait for it to finish, then build again",
                rule="build-locked",
            ) from None
        self._holder.write_text(f"{os.getpid()}\n", encoding="utf-8")

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> FolderLock:
        self.acquire(wait=True)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def _holder_pid(self) -> str:
        try:
            return self._holder.read_text(encoding="utf-8").strip() or "?"
        except OSError:
            return "?"


class StagedFolder:
    """A folder built beside `target` and swapped into its place on commit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.lock = FolderLock(target)
        self.staging: Path | None = None

    def start(self, *, keep_contents: bool = False) -> Path:
        """Lock the target and return the empty staging folder to build in.

        `keep_contents` starts from a copy of the current target, for builds
        that only rewrite what changed (`mkdocs build --dirty`).
        """
        self.lock.acquire()
        try:
            self._recover()
            self.staging = Path(
                tempfile.mkdtemp(
                    prefix=f".{self.target.name}.{_STAGING}", dir=self.target.parent
                )
            )
            if keep_contents and self.target.is_dir():
                shutil.copytree(self.target, self.staging, dirs_exist_ok=True)
        except BaseException:
            self.abort()
            raise
        return self.staging

    def commit(self) -> None:
        """Put the staging folder in the target's place, then drop the old one.

        Its folders get mode 0755 and its files 0644 first: what a web server
        user must read, whatever the umask of the build (mkdtemp and MkDocs
        create them with the process's).
        """
        if self.staging is None:
            return
        _make_readable(self.staging)
        previous = None
        if self.target.exists():
            # A name that is free, not a folder made for it: Windows renames a
            # folder only to a name that does not exist (POSIX also replaces an
            # empty folder). We hold the lock, so no one else takes the name.
            previous = self.target.with_name(
                f".{self.target.name}.{_PREVIOUS}{secrets.token_hex(4)}"
            )
            os.replace(self.target, previous)
        os.replace(self.staging, self.target)
        self.staging = None
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        self.lock.release()

    def abort(self) -> None:
        """Remove the staging folder; the target stays as it was."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self.lock.release()

    def _recover(self) -> None:
        """Clean up after builds that died (we hold the lock: none is running)."""
        name = self.target.name
        for staging in self.target.parent.glob(f".{name}.{_STAGING}*"):
            shutil.rmtree(staging, ignore_errors=True)
        for previous in sorted(self.target.parent.glob(f".{name}.{_PREVIOUS}*")):
            if not self.target.exists() and any(previous.iterdir()):
                os.replace(previous, self.target)
            else:
                shutil.rmtree(previous, ignore_errors=True)


def _make_readable(folder: Path) -> None:
    for directory, _folders, files in os.walk(folder):
        _set_mode(Path(directory), PUBLISHED_FOLDER_MODE)
        for name in files:
            _set_mode(Path(directory, name), PUBLISHED_FILE_MODE)


def _set_mode(path: Path, mode: int) -> None:
    status = path.lstat()
    # A link has no mode of its own; a file that has its mode keeps its ctime.
    if not stat.S_ISLNK(status.st_mode) and stat.S_IMODE(status.st_mode) != mode:
        path.chmod(mode)


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Build `target` in the yielded folder; it replaces `target` on success."""
    folder = StagedFolder(target)
    staging = folder.start()
    try:
        yield staging
    except BaseException:
        folder.abort()
        raise
    folder.commit()


def source_files(folder: Path) -> list[Path]:
    """The files under `folder` that git would commit, to pass as extra inputs.

    What running the code writes there (logs, local databases, __pycache__) is
    gitignored, so it does not make every build miss the cache. Outside a git
    clone (a downloaded archive) every file but __pycache__ counts.
    """
    folder = Path(folder)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=folder,
        capture_output=True,
        # Git writes paths in UTF-8, not in Windows' code page.
        encoding="utf-8",
        errors="replace",
    )
    if listed.returncode != 0:
        candidates = [p for p in folder.rglob("*") if "__pycache__" not in p.parts]
    else:
        candidates = [folder / name for name in listed.stdout.split("\0") if name]
    return sorted(p for p in candidates if p.is_file())


def copy_source_files(folder: Path, target: Path) -> None:
    """Copy `source_files(folder)` into `target`, at the same relative paths."""
    for source in source_files(folder):
        copied = target / source.relative_to(folder)
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copied)


def input_files(path: Path) -> list[Path]:
    """The files an input path stands for: a folder's `source_files`, a file
    itself, nothing for what does not exist."""
    if path.is_dir():
        return source_files(path)
    return [path] if path.is_file() else []
