"""Run Marp CLI once per format over a staged folder of decks and read its log."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import CourseError, ToolError
from ..processes import ProcessTrees, Stopped
from ..themes import ThemeSet
from .errors import ExportError
from .node import npm_command
from .sources import KATEX_FONTS, DeckSource
from .warm import MarpWorker, WorkerExited, WorkerTimeout

MARP_PACKAGE = "@marp-team/marp-cli"
BROWSER_TIMEOUT_OPTION = "browser_timeout"
"""The plugin option (mkdocs.yml) that sets Marp's `--browser-timeout`."""
EXPORT_TIMEOUT_OPTION = "export_timeout"
"""The plugin option (mkdocs.yml) that sets how long each deck's export may
take, which a Marp run's time limit is made of."""

FORMAT_OPTIONS: dict[str, tuple[str, ...]] = {
    # bespoke: the template with presenter view and keyboard navigation.
    "html": ("--template", "bespoke"),
    # Local images are blocked in browser-made exports unless allowed; the
    # decks are our own files, and every image they name is checked first.
    "pdf": ("--pdf", "--pdf-notes", "--pdf-outlines", "--allow-local-files"),
    "pptx": ("--pptx", "--allow-local-files"),
}
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
# The longest socket path Chromium makes in the temporary folder, and the
# longest a Unix socket can have on every POSIX system (macOS's).
_BROWSER_SOCKET = "/org.chromium.Chromium.XXXXXX/SingletonSocket"
_MAX_SOCKET_PATH = 103
# How Node starts the line of an uncaught error ("Error: Cannot find module").
_NODE_ERROR = re.compile(r"^(?:[A-Z]\w*)?Error\b")
# What Puppeteer says when the browser misses Marp's --browser-timeout.
_BROWSER_TIMEOUT = re.compile(r"Timed out after \d+ ?ms|TimeoutError")


@dataclass(frozen=True)
class LogMessage:
    level: str
    text: str


def marp_command(project_root: Path) -> tuple[str, ...]:
    """How Marp CLI is run: Node and the package's own script (see node.py)."""
    return npm_command(project_root, MARP_PACKAGE, "marp")


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
    """Marp's `[ LEVEL ] text` messages, wrapped continuation lines joined.

    A continuation is indented and follows its message; once a line that is
    neither comes (Node's stack trace of a crash), nothing more is joined.
    """
    messages: list[LogMessage] = []
    joining = False
    for line in output.splitlines():
        found = _LOG_LINE.match(line)
        if found:
            messages.append(LogMessage(found.group(1), found.group(2).strip()))
            joining = True
        elif joining and line.startswith(" ") and line.strip():
            last = messages[-1]
            messages[-1] = LogMessage(last.level, f"{last.text} {line.strip()}")
        elif line.strip():
            joining = False
    return messages


@dataclass(frozen=True)
class MarpRun:
    """One Marp CLI process converting `sources` to `fmt` in `workdir`."""

    command: tuple[str, ...]
    """How Marp CLI is started (`marp_command`); its arguments follow."""
    fmt: str
    sources: tuple[DeckSource, ...]
    options: tuple[str, ...]
    workdir: Path
    parallel: int
    timeout: float
    env: Mapping[str, str]
    themes: ThemeSet
    browser: Path | None = None
    """The browser Marp prints with (PDF, PPTX), named in its errors."""
    browser_timeout: float | None = None
    """Seconds Marp gives the browser for each step (`--browser-timeout`)."""
    processes: ProcessTrees = field(default_factory=ProcessTrees)
    """Where Marp's process tree is kept, so that it can be stopped."""
    worker: MarpWorker | None = None
    """Marp CLI kept loaded (`mkdocs serve`); None starts a Marp process."""

    def run(self) -> dict[str, Path]:
        """Convert; return each deck's export, or raise naming the deck."""
        staged = {source.stem: self._stage(source) for source in self.sources}
        config = self.workdir / CONFIG_FILE
        config.write_text(json.dumps({"options": ENGINE_OPTIONS}), encoding="utf-8")
        arguments = [
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
        if self.browser_timeout is not None:
            arguments += ["--browser-timeout", f"{self.browser_timeout:g}"]
        if self.worker is not None:
            returncode, output = self._run_in_worker(arguments, staged)
        else:
            returncode, output = self._run_process(arguments, staged)
        if returncode != 0:
            raise self._failure(output, returncode)
        self._raise_reported_problems(parse_log(output), staged)
        return {
            stem: self.workdir / "out" / markdown.with_suffix(f".{self.fmt}")
            for stem, markdown in staged.items()
        }

    def _run_process(
        self, arguments: list[str], staged: dict[str, PurePosixPath]
    ) -> tuple[int, str]:
        process = self.processes.popen(
            [*self.command, *arguments],
            cwd=self.workdir,
            env=self._environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Marp writes UTF-8 whatever the system's code page is.
            encoding="utf-8",
            errors="replace",
        )
        try:
            output, _ = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.processes.kill(process.pid)
            output, _ = process.communicate()
            raise self._run_timeout(output, staged) from None
        finally:
            self.processes.forget(process.pid)
        if self.processes.stopped:
            # Killed by an interrupt: its exit code says nothing of the decks.
            raise Stopped(f"Marp CLI stopped while exporting to {self.fmt}")
        return process.returncode, output

    def _run_in_worker(
        self, arguments: list[str], staged: dict[str, PurePosixPath]
    ) -> tuple[int, str]:
        assert self.worker is not None
        try:
            return self.worker.run(
                arguments,
                cwd=self.workdir,
                env=self._environment(),
                timeout=self.timeout,
                processes=self.processes,
            )
        except WorkerTimeout:
            raise self._run_timeout("", staged) from None
        except WorkerExited:
            raise self._batch_error(
                f"the Node process running Marp CLI ended while exporting to "
                f"{self.fmt}",
                "save the deck again to retry; if it happens again, run "
                "`course slides` to see Marp's own output",
                "export-marp",
            ) from None

    def _environment(self) -> dict[str, str]:
        """Marp's environment: its temporary folder inside `workdir` if it can.

        Marp leaves a browser profile (megabytes) in the temporary folder
        after every PDF, and more when it is stopped; inside `workdir` it
        goes with the scratch folder. But Chromium makes its singleton
        socket there too, and a socket path has at most 103 bytes on macOS
        (107 on Linux): where the nested folder would be too deep for it,
        the system's temporary folder is kept. TMPDIR is read on POSIX,
        TEMP and TMP on Windows (which has no such limit).
        """
        temporary = self.workdir / "t"
        if len(str(temporary)) + len(_BROWSER_SOCKET) > _MAX_SOCKET_PATH:
            return dict(self.env)
        temporary.mkdir(exist_ok=True)
        return {
            **self.env,
            **dict.fromkeys(("TMPDIR", "TEMP", "TMP"), str(temporary)),
        }

    def _stage(self, source: DeckSource) -> PurePosixPath:
        """Copy the deck into `in/<stem>/` with its images beside it.

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
            staged = root / posixpath.normpath(deck_dir / image.path)
            if not staged.exists():
                staged.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(image.file, staged)
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
        # Marp writes the paths of the system: in\x\x.md on Windows.
        said = message.text.replace("\\", "/")
        for source in self.sources:
            if f"in/{staged[source.stem]}" in said:
                raise ExportError(source.deck.path, None, text, fix, "export-marp")
        for css in self.themes.paths:
            if css.name in said:
                raise ExportError(css, None, text, "fix the theme CSS", "theme-css")
        raise self._batch_error(text, fix, "export-marp")

    def _failure(self, output: str, returncode: int) -> CourseError:
        """Why Marp failed, from its log: its reported error, or its crash."""
        errors = [m.text for m in parse_log(output) if m.level == "ERROR"]
        reported = errors[0] if errors else _crash(output)
        if "ENOSPC" in output or "EDQUOT" in output:
            return ToolError(
                Path(tempfile.gettempdir()),
                f"the disk is full: Marp CLI could not write the {self.fmt} "
                f"export in the temporary folder ({reported})",
                "free space on the disk of the temporary folder, or point "
                "TMPDIR (TEMP on Windows) at a folder on a disk with space",
                rule="disk-full",
            )
        if self.browser is not None and "Failed to launch the browser" in output:
            return ToolError(
                self.browser,
                f"the browser did not start, so no {self.fmt.upper()} was made "
                f"({reported})",
                f'check that "{self.browser}" --headless --version runs; or set '
                "CHROME_PATH to another Chrome, Chromium, Edge or Firefox "
                "executable",
                rule="export-browser",
            )
        if self.browser is not None and _BROWSER_TIMEOUT.search(output):
            return self._batch_error(
                f"the browser ({self.browser}) did not answer within Marp's "
                f"browser timeout of {self.browser_timeout:g} s while making the "
                f"{self.fmt} ({reported})",
                f"raise `{BROWSER_TIMEOUT_OPTION}` (seconds) of the coursekit "
                "plugin in mkdocs.yml; a slow or busy machine needs more",
                "export-timeout",
            )
        if not errors or "Cannot find module" in output:
            # Node could not even load Marp: its installation is damaged.
            return ExportError(
                Path(self.command[-1]),
                None,
                f"Marp CLI did not run (exit code {returncode}): {reported}",
                "`npm ci` (or `make setup`) reinstalls Marp CLI",
                rule="export-install",
            )
        return self._batch_error(
            f"Marp CLI failed exporting to {self.fmt} (exit code {returncode}): "
            f"{reported}",
            "fix what Marp reports",
            "export-marp",
        )

    def _run_timeout(
        self, output: str, staged: dict[str, PurePosixPath]
    ) -> ExportError:
        """The run was stopped at its limit: name the decks still unfinished."""
        said = output.replace("\\", "/")
        unfinished = [
            source
            for source in self.sources
            if f"in/{staged[source.stem]} =>" not in said
        ] or list(self.sources)
        stems = ", ".join(source.stem for source in unfinished)
        return ExportError(
            unfinished[0].deck.path,
            None,
            f"Marp CLI did not finish exporting {stems} to {self.fmt} within "
            f"its time limit of {self.timeout:g} s, and was stopped",
            f"raise `{EXPORT_TIMEOUT_OPTION}` (the seconds each deck may take) "
            "of the coursekit plugin in mkdocs.yml",
            "export-timeout",
        )

    def _batch_error(self, message: str, fix: str, rule: str) -> ExportError:
        """An error Marp does not pin on one deck: name them all."""
        first = self.sources[0].deck.path
        if len(self.sources) > 1:
            stems = ", ".join(source.stem for source in self.sources)
            message = f"{message} (exporting decks {stems} together)"
        return ExportError(first, None, message, fix, rule)


def link_or_copy(source: Path, target: Path) -> None:
    """Put `source` at `target` as a hard link, or a copy where none can be made.

    Not a symbolic link: Windows allows those only in developer mode. A hard
    link costs no copy of the bytes, but needs one file system (the
    temporary folder is often another) that supports links (FAT does not).
    """
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _crash(output: str) -> str:
    """What Node said when Marp crashed: its error line, else its last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if _NODE_ERROR.match(line)]
    return (errors or lines or ["it printed nothing"])[0 if errors else -1]


def _leading_parents(path: PurePosixPath) -> int:
    parts = path.parts
    return next((i for i, part in enumerate(parts) if part != ".."), len(parts))
