"""Helpers of the export tests: tool checks, fixture projects, PDF pixels."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
from coursekit.export import ExportSettings
from coursekit.export.marp import FORMAT_OPTIONS, MarpRun
from coursekit.export.sources import DeckSource
from coursekit.model import Deck
from coursekit.themes import ThemeSet

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).parent / "fixtures"
PHOTO_BLUE = (20, 60, 200)


def require(available: bool, reason: str) -> None:
    """Skip with `reason` when a tool is missing; under CI=true, fail instead."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def make_project(root: Path) -> Path:
    """A course root with the fixture `slides/` folder; returns `root`."""
    shutil.copytree(FIXTURES / "slides", root / "slides")
    write_png(root / "slides" / "images" / "photo.png", 64, 48, PHOTO_BLUE)
    return root


def settings_for(project: Path, **changes: object) -> ExportSettings:
    """Settings for a fixture project; Marp comes from the repository."""
    values: dict[str, object] = {
        "project_root": REPO_ROOT,
        "themes_dir": project / "slides" / "themes",
        "cache_dir": project / ".cache" / "exports",
        "formats": ("html",),
    }
    values.update(changes)
    return ExportSettings(**values)  # type: ignore[arg-type]


def write_png(path: Path, width: int, height: int, rgb: tuple[int, int, int]) -> None:
    """A one-colour RGB PNG, written with zlib alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def render_page(pdftoppm: str, pdf: Path, page: int, out: Path) -> list[bytes]:
    """Page `page` of `pdf` as a list of RGB pixels, rendered by poppler."""
    prefix = out / f"page-{page}"
    subprocess.run(
        [pdftoppm, "-r", "30", "-f", str(page), "-l", str(page), "-singlefile"]
        + [str(pdf), str(prefix)],
        check=True,
    )
    data = prefix.with_suffix(".ppm").read_bytes()
    header = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert header, "pdftoppm did not write a binary PPM"
    pixels = data[header.end() :]
    return [pixels[i : i + 3] for i in range(0, len(pixels), 3)]


def html_slide_count(html: Path) -> int:
    """Slides of a Marp HTML deck: its sections with a numeric id."""
    return len(re.findall(r'<section\b[^>]*\bid="\d+"', html.read_text("utf-8")))


def convert_to_html(
    marp: tuple[str, ...],
    sources: Sequence[DeckSource],
    themes: ThemeSet,
    workdir: Path,
    options: Sequence[str] = (),
) -> dict[str, Path]:
    """Each deck's HTML export, made by one Marp CLI run as the export stage runs it.

    `options` are added to the export's own. Nothing in the HTML is checked
    here; Marp's warnings still raise.
    """
    options = [*FORMAT_OPTIONS["html"], *options]
    if themes.files:
        options += ["--theme-set", str(themes.directory)]
    workdir.mkdir()
    run = MarpRun(
        command=marp,
        fmt="html",
        sources=tuple(sources),
        options=tuple(options),
        workdir=workdir,
        parallel=os.cpu_count() or 1,
        timeout=600,
        env=dict(os.environ),
        themes=themes,
    )
    return run.run()


def unparsed_source(path: Path) -> DeckSource:
    """The deck at `path` for Marp as it is, without coursekit's parser.

    For decks the parser may refuse: Marp must still convert them. Local
    images are not staged, and Marp drops a missing image silently.
    """
    text = path.read_bytes().decode("utf-8")  # byte-order mark and CRLF kept
    return DeckSource(Deck(path=path, text=text, front_matter={}, slides=()), ())
