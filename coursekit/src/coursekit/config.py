"""The course configuration: where the sources are and where the site puts them.

It is read from `mkdocs.yml` (the `coursekit` plugin's options and a few
MkDocs settings) by one loader, `coursekit.plugin.options.load_course_config`,
which the plugin and every `course` subcommand use, so they always agree on
the layout. This module is plain data: stages read it without knowing MkDocs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .export.handout import export_file_name
from .model import Deck, Image

CONFIG_FILE = "mkdocs.yml"
LAB_CELL_TIMEOUT = 120
"""Seconds a lab cell may run by default (the `lab_cell_timeout` option)."""


@dataclass(frozen=True)
class CourseConfig:
    config_file: Path
    """The `mkdocs.yml` this configuration was read from."""
    docs_dir: Path
    site_dir: Path
    slides_dir: Path
    labs_dir: Path
    cache_dir: Path
    node_dir: Path
    """The folder whose node_modules holds Marp CLI and KaTeX (`npm ci`)."""
    exports: tuple[str, ...] = ("html", "pdf", "handout")
    execute_labs: bool = True
    lab_inputs: tuple[Path, ...] = ()
    """Files and folders the labs import or depend on (their cache key)."""
    lab_cell_timeout: int = LAB_CELL_TIMEOUT
    """Seconds one lab cell may run before the build stops it."""
    language: str = "en"
    """The site's language (`theme.language`), given to the exports too."""
    html: str = "safe"
    """`safe`: a deck's raw HTML is kept as Marp keeps it by default (its
    allowlist); `full`: kept as written, on the page and in the deck."""
    export_timeout: float = 120
    """Seconds a deck's export may take before it is stopped, plus a share
    per slide (`coursekit.export.SECONDS_PER_SLIDE`)."""
    browser_timeout: float = 60
    """Seconds Marp CLI gives the browser for each step of a PDF export."""
    lectures_uri: str = "lectures"
    labs_uri: str = "labs"
    slides_uri: str = "slides"

    @property
    def full_html(self) -> bool:
        return self.html == "full"

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @property
    def themes_dir(self) -> Path:
        return self.slides_dir / "themes"

    @property
    def published_dir(self) -> Path:
        """Built files the site copies, laid out as they are in the site."""
        return self.cache_dir / "published"

    @property
    def exports_dir(self) -> Path:
        """Where the exports are written, laid out as in the site (`slides/x.html`)."""
        return self.published_dir / self.slides_uri

    def lecture_uri(self, deck: Deck) -> str:
        return f"{self.lectures_uri}/{deck.stem}.md"

    def export_uri(self, deck: Deck, fmt: str) -> str:
        return f"{self.slides_uri}/{export_file_name(deck.stem, fmt)}"

    def image_uri(self, deck: Deck, image: Image) -> str:
        relative = deck.resolve(image.src).relative_to(self.slides_dir.resolve())
        return f"{self.slides_uri}/{relative.as_posix()}"

    def lab_uri(self, notebook: Path) -> str:
        """The lab's page."""
        return f"{self.labs_uri}/{notebook.stem}.md"

    def lab_download_uri(self, notebook: Path) -> str:
        """The notebook file learners download from the lab's page."""
        return f"{self.labs_uri}/{notebook.name}"


def course_config(
    config_file: Path,
    *,
    docs_dir: str | Path,
    site_dir: str | Path,
    language: str,
    options: Mapping[str, object],
) -> CourseConfig:
    """The configuration from MkDocs' settings and the plugin's validated options.

    Relative paths are relative to the folder of `mkdocs.yml`, as MkDocs
    resolves `docs_dir`.
    """
    config_file = Path(config_file).resolve()
    root = config_file.parent

    def path(value: object) -> Path:
        return (root / str(value)).resolve()

    lab_inputs = options["lab_inputs"]
    exports = options["exports"]
    assert isinstance(lab_inputs, Sequence) and isinstance(exports, Sequence)
    return CourseConfig(
        config_file=config_file,
        docs_dir=path(docs_dir),
        site_dir=path(site_dir),
        slides_dir=path(options["slides_dir"]),
        labs_dir=path(options["labs_dir"]),
        cache_dir=path(options["cache_dir"]),
        node_dir=path(options["node_dir"]),
        exports=tuple(str(fmt) for fmt in exports),
        execute_labs=bool(options["execute_labs"]),
        lab_inputs=tuple(path(entry) for entry in lab_inputs),
        lab_cell_timeout=math.ceil(options["lab_cell_timeout"]),  # type: ignore[call-overload]
        language=language or "en",
        html=str(options["html"]),
        export_timeout=float(options["export_timeout"]),  # type: ignore[arg-type]
        browser_timeout=float(options["browser_timeout"]),  # type: ignore[arg-type]
    )
