"""Knowing that a course is as it was at its last build, without reading it.

A build that finds nothing changed should cost next to nothing: no deck
parsed, no page rendered, no notebook read, and none of the libraries those
need imported. So the files a successful build published are recorded with
the fingerprint of everything they were made from (`course_fingerprint`),
and a build with the same fingerprint publishes the recorded files again.

The fingerprint covers the content of every file under the slides, themes
and labs folders and of the labs' inputs, the configuration files, coursekit's
own code and the versions of Marp and KaTeX; the caller adds what else it
depends on (the browser). Files the record publishes by copying (slide
exports, images) are checked against the hash they had: a record whose files
changed or went is not used, and the build makes everything again.
"""

from __future__ import annotations

import importlib.metadata
import pickle
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import CourseConfig
from .diskcache import DiskCache, OnDamage, content_key, file_digest
from .fsutil import input_files
from .model import Deck
from .site import SiteFile

_SUFFIX = ".pickle"
_REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9._-]+")
_TOOL_MANIFESTS = (
    "@marp-team/marp-cli/package.json",
    "@marp-team/marp-core/package.json",
    "katex/package.json",
)


@dataclass(frozen=True)
class BuiltCourse:
    """What the plugin adds to a site: the lecture decks and the course files."""

    decks: tuple[Deck, ...]
    files: tuple[SiteFile, ...]
    sources: Mapping[str, str]
    """The hash of each file that `files` copy, by path, as it was built."""

    @classmethod
    def of(cls, decks: Sequence[Deck], files: Sequence[SiteFile]) -> BuiltCourse:
        sources = {
            str(file.source): file_digest(file.source)
            for file in files
            if file.source is not None
        }
        return cls(tuple(decks), tuple(files), sources)

    def intact(self) -> bool:
        """Every file it copies is still there, as it was built."""
        try:
            return all(
                file_digest(Path(path)) == digest
                for path, digest in self.sources.items()
            )
        except OSError:
            return False


class LastBuild:
    """The course built last, kept on disk under its fingerprint."""

    def __init__(self, directory: Path, on_damage: OnDamage | None = None) -> None:
        self._cache = DiskCache(directory, on_damage)

    def find(self, fingerprint: str) -> BuiltCourse | None:
        stored = self._cache.read(fingerprint, _SUFFIX)
        if stored is None:
            return None
        built = pickle.loads(stored)
        return built if isinstance(built, BuiltCourse) and built.intact() else None

    def keep(self, fingerprint: str, built: BuiltCourse) -> None:
        """Record `built` as the course of `fingerprint`, and forget the others."""
        self._cache.put(
            fingerprint, _SUFFIX, pickle.dumps(built, pickle.HIGHEST_PROTOCOL)
        )
        self._cache.keep_only({fingerprint}, _SUFFIX)


def course_fingerprint(config: CourseConfig, *extra: str) -> str:
    """A hash of everything the course files are made from, plus `extra`."""
    parts: list[bytes | str] = [code_version(), repr(config), *extra]
    inputs = [
        config.config_file,
        config.root / ".pre-commit-config.yaml",
        config.slides_dir,  # the theme set included
        config.labs_dir,
        *config.lab_inputs,
        *(config.node_dir / "node_modules" / name for name in _TOOL_MANIFESTS),
    ]
    for path in inputs:
        for file in input_files(path):
            parts += [str(file), file.read_bytes()]
    return content_key(*parts)


def code_version() -> str:
    """A hash of coursekit's files and of the versions of what it runs on."""
    parts: list[bytes | str] = [sys.version]
    package = Path(__file__).parent
    for source in sorted(package.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            parts += [source.relative_to(package).as_posix(), source.read_bytes()]
    try:
        requirements = importlib.metadata.requires("coursekit") or []
    except importlib.metadata.PackageNotFoundError:
        requirements = []
    for requirement in requirements:
        name = _REQUIREMENT_NAME.match(requirement)
        try:
            version = importlib.metadata.version(name.group()) if name else ""
        except importlib.metadata.PackageNotFoundError:
            version = "missing"
        parts.append(f"{requirement}={version}")
    return content_key(*parts)
