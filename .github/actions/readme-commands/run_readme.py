"""Run the commands of one README section as a reader types them.

CI calls this so that the README cannot drift from what works: every
`powershell`, `sh` or `bash` code block under the given heading (up to the
next heading) runs line by line, exactly as written, in that shell:
Windows PowerShell for `powershell` (what a Windows learner opens), Git Bash
for `bash` and `sh` on Windows, and the system's shells elsewhere. Other
blocks (`text`, `yaml`, ...) are shown, not run. A line that fails stops the
run, which exits non-zero naming its README line.

A line that starts the site server (`mkdocs serve` or `make serve`) would
never return: it is started in the background instead, and once the site
answers, its home page, every lecture page it links to, and the slide
exports each lecture links to (`--expect-exports` says which formats there
must be) are fetched over HTTP. Then the server and everything it started
are stopped, and the lines after it run in a new shell session.

Only the standard library is used: this runs before the project's
environment exists, since the commands under test are the ones that make it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

LANGUAGES = {"powershell": "powershell", "pwsh": "powershell", "ps1": "powershell"}
LANGUAGES |= {"sh": "sh", "shell": "sh", "bash": "bash"}
SERVE = re.compile(r"\b(?:mkdocs|make)\s+serve\b")
DEV_ADDR = re.compile(r"--dev-addr[=\s]+(\S+)")
DEFAULT_ADDR = "127.0.0.1:8000"
"""Where `mkdocs serve` listens unless told otherwise (MkDocs' default)."""
FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPORT_LINK = re.compile(r"/slides/[^/?#]+\.(html|pdf|pptx)$")
LECTURE_LINK = re.compile(r"/lectures/[^/?#]+/(?:index\.html)?$")


class ReadmeError(Exception):
    """What went wrong, at which README line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"README.md:{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Command:
    line: int
    """The README line it is written on (1-based)."""
    text: str

    @property
    def serves(self) -> bool:
        return bool(SERVE.search(self.text))


@dataclass(frozen=True)
class Block:
    language: str
    """The shell: "powershell", "sh" or "bash"."""
    line: int
    commands: tuple[Command, ...]


def section_blocks(readme: str, section: str) -> list[Block]:
    """The shell blocks under the heading `section`, up to the next heading.

    Blocks in other languages are skipped; a heading that is missing, or
    that has no shell block, is an error (the section would check nothing).
    """
    lines = readme.splitlines()
    blocks: list[Block] = []
    heading_line = None
    for kind, first, last, name in _outline(lines):
        if kind == "heading" and heading_line is not None:
            break
        if kind == "heading" and name == section:
            heading_line = first + 1
        elif kind == "block" and heading_line is not None:
            language = LANGUAGES.get(name.lower())
            if language is None:
                print(f"README.md:{first + 1}: not run: a {name or 'plain'} block")
                continue
            commands = _commands(lines, range(first + 1, last), language)
            blocks.append(Block(language, first + 1, tuple(commands)))
    if heading_line is None:
        raise ReadmeError(1, f"no heading {section!r}")
    if not blocks:
        raise ReadmeError(
            heading_line, f"no powershell, sh or bash block under {section!r}"
        )
    return blocks


def _outline(lines: list[str]) -> Iterator[tuple[str, int, int, str]]:
    """("heading", index, index, text) and ("block", open, close, language)
    for each heading and fenced code block, in order; `#` lines inside a
    block are code, not headings."""
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        heading = HEADING.match(lines[index])
        if fence:
            marker = fence.group(1)
            closing = re.compile(rf"{re.escape(marker[0])}{{{len(marker)},}}\s*")
            close = next(
                (
                    later
                    for later in range(index + 1, len(lines))
                    if closing.fullmatch(lines[later].strip())
                ),
                None,
            )
            if close is None:
                raise ReadmeError(index + 1, "the code block is never closed")
            yield "block", index, close, fence.group(2)
            index = close
        elif heading:
            yield "heading", index, index, heading.group(2)
        index += 1


def _commands(lines: list[str], body: range, language: str) -> Iterator[Command]:
    continuation = "`" if language == "powershell" else "\\"
    serving = 0
    for index in body:
        text = lines[index].rstrip()
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if text.endswith(continuation):
            raise ReadmeError(
                index + 1, "a command continued on the next line cannot be run alone"
            )
        command = Command(index + 1, text)
        serving += command.serves
        if serving > 1:
            raise ReadmeError(index + 1, "a block may start one site server only")
        yield command


def script_text(language: str, commands: list[Command], progress: Path) -> str:
    """A script that echoes and runs each command, stopping at a failure.

    Before each command it writes the command's README line to `progress`,
    so that a failure can be pinned on its line.
    """
    if language == "powershell":
        return _powershell_script(commands, progress)
    lines = ["set -e"]
    for command in commands:
        lines += [
            # Forward slashes: Git Bash reads C:/x/y, and POSIX paths are unchanged.
            f"printf '%s\\n' {command.line} > {_sh_quote(progress.as_posix())}",
            f"printf '%s\\n' {_sh_quote('> ' + command.text)}",
            command.text,
        ]
    return "\n".join(lines) + "\n"


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _powershell_script(commands: list[Command], progress: Path) -> str:
    """Windows PowerShell runs native commands without stopping on failure.

    So each line is followed by checks: a native command's exit code, and
    PowerShell's own errors (a command that is not found, a script the
    execution policy blocks). The errors PowerShell makes of what a native
    command writes to stderr (NativeCommandError) are not failures: pip and
    npm print warnings there.
    """
    lines = []
    for command in commands:
        lines += [
            f"Set-Content -LiteralPath {_ps_quote(str(progress))} "
            f"-Value {command.line}",
            f"Write-Host {_ps_quote('> ' + command.text)}",
            "$global:LASTEXITCODE = 0",
            "$Error.Clear()",
            command.text,
            "if ($LASTEXITCODE) { exit $LASTEXITCODE }",
            "if (@($Error | Where-Object { $_.FullyQualifiedErrorId -notlike "
            "'NativeCommandError*' }).Count) { exit 1 }",
        ]
    return "\r\n".join(lines) + "\r\n"


def _ps_quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def shell_argv(language: str, script: Path) -> list[str]:
    """The command line that runs `script` in the shell of `language`."""
    if language == "powershell":
        # Windows PowerShell is what learners open; RemoteSigned is the
        # policy the README asks them to set to run npm's and venv scripts.
        shell = "powershell" if os.name == "nt" else "pwsh"
        return [
            shell,
            "-NoLogo",
            "-NoProfile",
            "-NonInteractive",
            "-ExecutionPolicy",
            "RemoteSigned",
            "-File",
            str(script),
        ]
    return [str(_posix_shell(language)), script.as_posix()]


def _posix_shell(language: str) -> Path:
    if os.name != "nt":
        return Path(language)
    # Git Bash: <Git>/bin/bash.exe, where git's exec path is
    # <Git>/mingw64/libexec/git-core. A bare "bash" could be WSL's.
    exec_path = subprocess.run(
        ["git", "--exec-path"], capture_output=True, text=True, check=True
    ).stdout.strip()
    return Path(exec_path).parents[2] / "bin" / f"{language}.exe"


def run_block(block: Block, cwd: Path, probe: Probe, workdir: Path) -> None:
    """Run the block's commands; the site server, if any, is probed, then stopped."""
    pending: list[Command] = []
    for command in block.commands:
        if command.serves:
            _run_script(block.language, pending, cwd, workdir)
            pending = []
            _serve(block.language, command, cwd, probe, workdir)
        else:
            pending.append(command)
    _run_script(block.language, pending, cwd, workdir)


def _run_script(
    language: str, commands: list[Command], cwd: Path, workdir: Path
) -> None:
    if not commands:
        return
    script, progress = _write_script(language, commands, workdir)
    result = subprocess.run(shell_argv(language, script), cwd=cwd)
    if result.returncode != 0:
        ran = (
            progress.read_text(encoding="utf-8-sig").strip()
            if progress.exists()
            else ""
        )
        line = int(ran) if ran.isdigit() else commands[0].line
        raise ReadmeError(
            line, f"this {language} command failed (exit code {result.returncode})"
        )


def _write_script(
    language: str, commands: list[Command], workdir: Path
) -> tuple[Path, Path]:
    """The script of `commands` in `workdir`, and the file it records lines in."""
    name = f"readme-line-{commands[0].line}"
    progress = workdir / f"{name}.progress"
    suffix = ".ps1" if language == "powershell" else ".sh"
    script = workdir / f"{name}{suffix}"
    # Windows PowerShell reads a script without a byte order mark as ANSI.
    encoding = "utf-8-sig" if language == "powershell" else "utf-8"
    text = script_text(language, commands, progress)
    script.write_text(text, encoding=encoding, newline="")
    return script, progress


@dataclass(frozen=True)
class Probe:
    """What the running site must serve before its server is stopped."""

    exports: frozenset[str]
    """Slide export formats every lecture page must link to."""
    timeout: float
    """Seconds the server may take to answer (the first build included)."""


def _serve(
    language: str, command: Command, cwd: Path, probe: Probe, workdir: Path
) -> None:
    address = DEV_ADDR.search(command.text)
    base_url = f"http://{address.group(1) if address else DEFAULT_ADDR}/"
    script, _ = _write_script(language, [command], workdir)
    log_path = workdir / f"server-line-{command.line}.log"
    print(f"> {command.text}  (in the background; probing {base_url})", flush=True)
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            shell_argv(language, script),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            **_own_process_group(),
        )
        try:
            checked = _probe_site(base_url, server, probe)
        except ReadmeError as error:
            raise ReadmeError(command.line, error.message) from None
        finally:
            _stop(server)
            print(log_path.read_text(encoding="utf-8", errors="replace"), flush=True)
    for url in checked:
        print(f"  served {url}")
    print(f"  stopped the server started by README.md:{command.line}", flush=True)


def _own_process_group() -> dict:
    """Popen options that put the server and its children in one group."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _stop(server: subprocess.Popen) -> None:
    """Stop the server's shell and every process it started."""
    if os.name == "nt":
        # /T ends the whole tree: shell, launcher, uv, Python, Marp.
        subprocess.run(
            ["taskkill", "/PID", str(server.pid), "/T", "/F"],
            capture_output=True,
        )
        server.wait(60)
        return
    _signal_group(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while _group_alive(server.pid) and time.monotonic() < deadline:
        server.poll()  # reap the shell so that it stops counting as alive
        time.sleep(0.2)
    _signal_group(server.pid, signal.SIGKILL)
    server.wait(60)


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signum)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _probe_site(base_url: str, server: subprocess.Popen, probe: Probe) -> list[str]:
    """Fetch the home page, its lectures and their exports; return the URLs."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + probe.timeout
    while True:
        if server.poll() is not None:
            raise ReadmeError(0, f"the server exited ({server.returncode}) unasked")
        try:
            home = _fetch(opener, base_url)
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if time.monotonic() > deadline:
                raise ReadmeError(
                    0, f"{base_url} did not answer in {probe.timeout:g} s ({error})"
                ) from None
            time.sleep(2)
    checked = [base_url]
    lectures = _links(home, base_url, LECTURE_LINK)
    if not lectures:
        raise ReadmeError(0, f"the home page {base_url} links to no lecture")
    for lecture in lectures:
        page = _fetch(opener, lecture)
        checked.append(lecture)
        exports = _links(page, lecture, EXPORT_LINK)
        found = {urlsplit(url).path.rsplit(".", 1)[-1] for url in exports}
        missing = sorted(probe.exports - found)
        if missing:
            raise ReadmeError(
                0, f"{lecture} links to no {', '.join(missing)} slide export"
            )
        for export in exports:
            body = _fetch(opener, export)
            if export.endswith(".pdf") and not body.startswith(b"%PDF-"):
                raise ReadmeError(0, f"{export} is not a PDF")
            checked.append(export)
    return checked


def _fetch(opener: urllib.request.OpenerDirector, url: str) -> bytes:
    try:
        with opener.open(url, timeout=60) as response:
            return response.read()
    except urllib.error.HTTPError as error:
        raise ReadmeError(0, f"{url} answered HTTP {error.code}") from None


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets += [
            value for name, value in attrs if name in ("href", "src", "data") and value
        ]


def _links(page: bytes, page_url: str, pattern: re.Pattern[str]) -> list[str]:
    """The distinct same-site URLs of `page` whose path matches `pattern`."""
    collector = _LinkCollector()
    collector.feed(page.decode("utf-8", errors="replace"))
    origin = urlsplit(page_url).netloc
    found = {}
    for target in collector.targets:
        url = urljoin(page_url, target).split("#", 1)[0]
        parts = urlsplit(url)
        if parts.netloc == origin and pattern.search(parts.path):
            found[url] = None
    return list(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", required=True, help="the README heading")
    parser.add_argument("--readme", type=Path, default=Path("README.md"))
    parser.add_argument(
        "--expect-exports",
        default="html",
        help="comma-separated slide formats each lecture must link to",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="seconds the site server may take to answer",
    )
    args = parser.parse_args(argv)
    probe = Probe(
        exports=frozenset(filter(None, args.expect_exports.split(","))),
        timeout=args.timeout,
    )
    readme = args.readme.resolve()
    try:
        blocks = section_blocks(readme.read_text(encoding="utf-8"), args.section)
        with tempfile.TemporaryDirectory(prefix="readme-commands-") as workdir:
            for block in blocks:
                print(f"README.md:{block.line}: running this {block.language} block")
                run_block(block, readme.parent, probe, Path(workdir))
    except ReadmeError as error:
        print(f"error: {error}", file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print(f"::error file=README.md,line={error.line}::{error.message}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
