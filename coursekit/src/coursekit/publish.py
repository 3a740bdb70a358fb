"""Publish a built folder all at once, or not at all.

A build writes into a staging folder next to its target (same file system,
so moving it is a rename) and the target is swapped for it only when the
build succeeded. A build that fails or is killed leaves the previous target
exactly as it was; its staging folder is removed by the next build. A lock
next to the target stops two builds from writing it at the same time.

The swap is two renames: the old target is renamed away, then the staging
folder is renamed into its place. For the microseconds between them the
target does not exist; a process killed right there leaves the old folder
next to it, and the next build puts it back. (An atomic exchange of two
folders needs renameat2 on Linux and renamex_np on macOS, which Python does
not offer; a symlink swap would make `site/` a link, which deploy tools copy
as a link.)
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.utils import CountHandler

# The commands that build into `site_dir`: MkDocs' `build` and `gh-deploy`, and
# builds through its API, which send no startup event (None). `mkdocs serve`
# builds into a temporary folder of its own, and mike only reads the
# configuration (with the command "mike") before it runs `mkdocs build`:
# staging for those would lock the site and point `site_dir` at an empty folder.
_WRITING_COMMANDS = (None, "build", "gh-deploy")
_STAGING = "building-"
_PREVIOUS = "previous-"


class PublishError(Exception):
    """The target cannot be written now (another build holds it)."""


class TargetLock:
    """An exclusive lock on a target folder, held by one process at a time.

    The lock is `flock` on a file next to the target, so the kernel releases
    it when the holder dies, even by SIGKILL. The file is removed on release;
    the inode comparison after locking makes sure the lock held is on the
    file that is still at that path, not on one a releaser just removed.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = target.parent / f".{target.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise PublishError(
                    f"another build (process {holder}) is writing {self.target}: "
                    "wait for it to finish and build again"
                ) from None
            if _same_file(fd, self.path):
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


class StagedFolder:
    """A folder built beside `target` and swapped into its place on commit."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.lock = TargetLock(target)
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
        """Put the staging folder in the target's place, then drop the old one."""
        if self.staging is None:
            return
        previous = None
        if self.target.exists():
            previous = Path(
                tempfile.mkdtemp(
                    prefix=f".{self.target.name}.{_PREVIOUS}", dir=self.target.parent
                )
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


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write a file so that readers see the old or the new content, never half.

    The data goes to a temporary file in the same folder, is flushed to disk,
    and is renamed over `path` (a rename within a file system is atomic).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class SitePublication:
    """The MkDocs side: build into staging, publish in `on_post_build`.

    MkDocs runs `on_post_build` before it aborts a strict build for its
    warnings, so the warnings are counted here too and such a build is not
    published.
    """

    def __init__(self) -> None:
        self.command: str | None = None
        self.dirty = False
        self._folder: StagedFolder | None = None
        self._warnings: CountHandler | None = None

    def startup(self, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def config(self, config: MkDocsConfig) -> None:
        if self.command not in _WRITING_COMMANDS:
            return
        self._folder = StagedFolder(Path(config.site_dir))
        try:
            config.site_dir = str(self._folder.start(keep_contents=self.dirty))
        except PublishError as error:
            raise PluginError(str(error)) from None
        if config.strict:
            self._warnings = CountHandler()
            self._warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self._warnings)

    def post_build(self, config: MkDocsConfig) -> None:
        if self._folder is None:
            return
        if self._warnings is not None and self._warnings.get_counts():
            return  # MkDocs aborts next and `build_error` cleans up
        target = self._folder.target
        self._folder.commit()
        config.site_dir = str(target)  # for gh-deploy, which reads it after
        self._finish()

    def build_error(self) -> None:
        if self._folder is not None:
            self._folder.abort()
        self._finish()

    def _finish(self) -> None:
        self._folder = None
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            self._warnings = None
