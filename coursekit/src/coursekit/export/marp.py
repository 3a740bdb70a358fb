"""Run Marp CLI once per format over a staged folder of decks and read its log."""

from __future__ import annotations

import json
import os
import posixpath
import re
import signal
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..themes import ThemeSet
from .errors import ExportError
from .sources import KATEX_FONTS, DeckSource

FORMAT_OPTIONS: dict[str, tuple[str, ...]] = {
    # bespoke: the template with presenter view and keyboard navigation.
    "html": ("--template", "bespoke"),
    # Local images are blocked in browser-made exports unless allowed; the
    # decks are our own files, and every image they name is checked first.
    "pdf": ("--pdf", "--pdf-notes", "--pdf-outlines", "--allow-local-files"),
    "pptx": ("--pptx", "--allow-local-files"),
}
BROWSER_FORMATS = frozenset({"pdf", "pptx"})
ENGINE_OPTIONS = {
    "emoji": {"shortcode": True, "unicode": False},
    "math": {
        "lib": "katex",
        "katexOption": {"output": "htmlAndMathml"},
        "katexFontPath": KATEX_FONTS,
    },
}
"""Marp Core options. By default it swaps every emoji for an image from a CDN,
which is a broken image in a PDF made offline and a request the site should not
depend on; the emoji font draws them instead. Math is set by KaTeX, not by
Marp's default MathJax, whose SVG has no text for a screen reader: KaTeX
writes MathML beside the typeset formula, which a screen reader reads, and
real text into the PDF. Its fonts come from beside the deck (`katex_fonts`),
not from a CDN."""
CONFIG_FILE = "marp.config.json"

_LOG_LINE = re.compile(r"^\[\s*(INFO|WARN|ERROR)\s*\]\s?(.*)$")
# Marp says this for every deck when --allow-local-files is passed on purpose.
_EXPECTED_WARNING = "Insecure local file accessing is enabled"


@dataclass(frozen=True)
class LogMessage:
    level: str
    text: str


def find_marp(project_root: Path) -> Path:
    marp = project_root / "node_modules" / ".bin" / "marp"
    if not marp.is_file():
        raise ExportError(
            project_root / "package.json",
            None,
            f"Marp CLI is not installed ({marp} is missing)",
            "run `npm ci` (or `make setup`) in the project root",
            rule="export-install",
        )
    return marp


def marp_version(project_root: Path) -> str:
    """Versions of Marp CLI and Marp Core as installed, read from npm's files."""
    versions = []
    for package in ("marp-cli", "marp-core"):
        manifest = project_root / "node_modules/@marp-team" / package / "package.json"
        try:
            version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            raise ExportError(
                project_root / "package.json",
                None,
                f"@marp-team/{package} is not installed properly ({manifest})",
                "run `npm ci` (or `make setup`) in the project root",
                rule="export-install",
            ) from None
        versions.append(f"{package} {version}")
    return ", ".join(versions)


def parse_log(output: str) -> list[LogMessage]:
    """Marp's `[ LEVEL ] text` messages, wrapped continuation lines joined."""
    messages: list[LogMessage] = []
    for line in output.splitlines():
        found = _LOG_LINE.match(line)
        if found:
            messages.append(LogMessage(found.group(1), found.group(2).strip()))
        elif messages and line.startswith(" ") and line.strip():
            last = messages[-1]
            messages[-1] = LogMessage(last.level, f"{last.text} {line.strip()}")
    return messages


@dataclass(frozen=True)
class MarpRun:
    """One Marp CLI process converting `sources` to `fmt` in `workdir`."""

    marp: Path
    fmt: str
    sources: tuple[DeckSource, ...]
    options: tuple[str, ...]
    workdir: Path
    parallel: int
    timeout: float
    env: Mapping[str, str]
    themes: ThemeSet

    def run(self) -> dict[str, Path]:
        """Convert; return each deck's export, or raise naming the deck."""
        staged = {source.stem: self._stage(source) for source in self.sources}
        config = self.workdir / CONFIG_FILE
        config.write_text(json.dumps({"options": ENGINE_OPTIONS}), encoding="utf-8")
        command = [
            str(self.marp),
            "--config-file",
            CONFIG_FILE,
            "--input-dir",
            "in",
            "--output",
            "out",
            "--parallel",
            str(self.parallel),
            *self.options,
        ]
        process = subprocess.Popen(
            command,
            cwd=self.workdir,
            env=dict(self.env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Own process group, so a timeout can end Marp and its browser.
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise self._batch_error(
                f"Marp CLI did not finish within {self.timeout:g} s",
                "check that the browser starts (run it with --headless "
                "--version) or export fewer decks at once",
                "export-timeout",
            ) from None
        if process.returncode != 0:
            raise self._batch_error(
                f"Marp CLI failed (exit code {process.returncode}):\n{output.strip()}",
                "fix what Marp reports above; `npm ci` reinstalls Marp CLI",
                "export-marp",
            )
        self._raise_reported_problems(parse_log(output), staged)
        return {
            stem: self.workdir / "out" / markdown.with_suffix(f".{self.fmt}")
            for stem, markdown in staged.items()
        }

    def _stage(self, source: DeckSource) -> PurePosixPath:
        """Copy the deck into `in/<stem>/` with its images linked beside it.

        Images keep their path relative to the deck. The deck is nested in
        as many folders as its images climb with `..`, so those resolve too.
        """
        relative_images = [
            image for image in source.images if not image.path.is_absolute()
        ]
        depth = max(
            (_leading_parents(image.path) for image in relative_images), default=0
        )
        deck_dir = PurePosixPath(source.stem, *["up"] * depth)
        markdown = deck_dir / f"{source.stem}.md"
        root = self.workdir / "in"
        (root / deck_dir).mkdir(parents=True, exist_ok=True)
        (root / markdown).write_bytes(source.text)
        for image in relative_images:
            link = root / posixpath.normpath(deck_dir / image.path)
            if not link.exists():
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(image.file)
        return markdown

    def _raise_reported_problems(
        self, messages: list[LogMessage], staged: dict[str, PurePosixPath]
    ) -> None:
        problems = [
            message
            for message in messages
            if message.level != "INFO" and _EXPECTED_WARNING not in message.text
        ]
        if not problems:
            return
        message = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        text = f"Marp CLI {message.level}{more} exporting to {self.fmt}: {message.text}"
        fix = "change the deck so Marp converts it without warnings"
        for source in self.sources:
            if f"in/{staged[source.stem]}" in message.text:
                raise ExportError(source.deck.path, None, text, fix, "export-marp")
        for css in self.themes.paths:
            if css.name in message.text:
                raise ExportError(css, None, text, "fix the theme CSS", "theme-css")
        raise self._batch_error(text, fix, "export-marp")

    def _batch_error(self, message: str, fix: str, rule: str) -> ExportError:
        """An error Marp does not pin on one deck: name them all."""
        first = self.sources[0].deck.path
        if len(self.sources) > 1:
            stems = ", ".join(source.stem for source in self.sources)
            message = f"{message} (exporting decks {stems} together)"
        return ExportError(first, None, message, fix, rule)


def _leading_parents(path: PurePosixPath) -> int:
    parts = path.parts
    return next((i for i, part in enumerate(parts) if part != ".."), len(parts))
