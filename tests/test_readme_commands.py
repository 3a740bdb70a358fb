"""The README's commands, as CI runs them (.github/actions/readme-commands).

The Windows and macOS jobs run the README's blocks with run_readme.py; here
it runs `sh` blocks for real against a stand-in `mkdocs` that serves a small
site, so the start, probe and stop of a server line are exercised. The
PowerShell it writes can only run on the Windows runner: here its text is
checked.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / ".github" / "actions" / "readme-commands"
SCRIPT = ACTION / "run_readme.py"

spec = importlib.util.spec_from_file_location("run_readme", SCRIPT)
run_readme = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = run_readme  # dataclasses look their module up there
spec.loader.exec_module(run_readme)

posix_only = pytest.mark.skipif(
    os.name == "nt", reason="runs sh blocks; the Windows job runs the real README"
)


def commands(section: str, readme: str | None = None) -> list[list[str]]:
    text = (
        (ROOT / "README.md").read_text(encoding="utf-8") if readme is None else readme
    )
    blocks = run_readme.section_blocks(textwrap.dedent(text), section)
    return [[block.language, *(c.text for c in block.commands)] for block in blocks]


def test_the_readme_sections_ci_runs_exist_and_start_one_server_each():
    ci = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    for section in ("Quick start", "Windows"):
        assert f"section: {section}\n" in ci, f"ci.yml does not run {section!r}"
        blocks = run_readme.section_blocks(
            (ROOT / "README.md").read_text(encoding="utf-8"), section
        )
        servers = [c for block in blocks for c in block.commands if c.serves]
        assert len(servers) == 1, f"{section}: {servers}"
    windows = commands("Windows")
    assert {block[0] for block in windows} == {"powershell", "bash"}
    assert any("Activate.ps1" in line for block in windows for line in block)


def test_blocks_end_at_the_next_heading_and_code_comments_are_not_headings():
    readme = """\
        # Course

        ## Setup

        ```powershell
        # a comment, not a heading
        py -m uv sync --frozen

        npm ci
        ```

        ```text
        output, not run
        ```

        ```bash
        source .venv/Scripts/activate
        ```

        ### Later

        ```sh
        not in Setup
        ```
        """
    assert commands("Setup", readme) == [
        ["powershell", "py -m uv sync --frozen", "npm ci"],
        ["bash", "source .venv/Scripts/activate"],
    ]
    assert commands("Later", readme) == [["sh", "not in Setup"]]


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        ("# Other\n\n```sh\nls\n```\n", "README.md:1: no heading 'Setup'"),
        ("## Setup\n\n```text\nls\n```\n", "README.md:1: no powershell, sh or bash"),
        ("## Setup\n\n```sh\nls\n", "README.md:3: the code block is never closed"),
        ("## Setup\n\n```sh\nls \\\n  -l\n```\n", "README.md:4: a command continued"),
        (
            "## Setup\n\n```sh\nmake serve\nmkdocs serve\n```\n",
            "README.md:5: a block may start one site server only",
        ),
    ],
)
def test_a_readme_the_runner_cannot_run_faithfully_is_an_error(readme, message):
    with pytest.raises(run_readme.ReadmeError) as raised:
        run_readme.section_blocks(readme, "Setup")
    assert str(raised.value).startswith(message)


def test_powershell_lines_are_run_as_written_and_checked_one_by_one(tmp_path):
    lines = [
        run_readme.Command(7, 'py -m pip install --user "uv==0.13.9"'),
        run_readme.Command(8, ".venv\\Scripts\\Activate.ps1   # it's activated"),
    ]
    script = run_readme.script_text("powershell", lines, tmp_path / "progress")
    assert "\r\n" in script and "\n" not in script.replace("\r\n", "")
    body = script.split("\r\n")
    for command in lines:
        at = body.index(command.text)
        assert body[at - 4] == (
            f"Set-Content -LiteralPath '{tmp_path / 'progress'}' -Value {command.line}"
        )
        assert body[at - 2 : at] == ["$global:LASTEXITCODE = 0", "$Error.Clear()"]
        assert body[at + 1] == "if ($LASTEXITCODE) { exit $LASTEXITCODE }"
        assert "NativeCommandError" in body[at + 2]
    # Single quotes are doubled in the echoed copy of the line.
    assert "Write-Host '> .venv\\Scripts\\Activate.ps1   # it''s activated'" in body
    assert run_readme.shell_argv("powershell", tmp_path / "x.ps1")[-2:] == [
        "-File",
        str(tmp_path / "x.ps1"),
    ]


STAND_IN_MKDOCS = """\
#!{python}
# Serves ./site like `mkdocs serve`, after a pause, with a child process
# that must be stopped with it.
import functools, http.server, pathlib, subprocess, sys, time
host, port = sys.argv[sys.argv.index("--dev-addr") + 1].rsplit(":", 1)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
pathlib.Path("child.pid").write_text(str(child.pid))
if "--die" in sys.argv:
    sys.exit(3)
time.sleep(1)
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="site")
http.server.ThreadingHTTPServer((host, int(port)), handler).serve_forever()
"""

SITE = {
    "index.html": '<a href="lectures/intro/">Intro</a><a href="https://x.org/">x</a>',
    "lectures/intro/index.html": (
        '<iframe src="../../slides/intro.html"></iframe>'
        '<a href="../../slides/intro.pdf#page=2">PDF</a>'
    ),
    "slides/intro.html": "<html>deck</html>",
    "slides/intro.pdf": "%PDF-1.7 fake",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with a site to serve and a stand-in `mkdocs` on PATH."""
    for relative, text in SITE.items():
        path = tmp_path / "site" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    mkdocs = tmp_path / "bin" / "mkdocs"
    mkdocs.parent.mkdir()
    mkdocs.write_text(STAND_IN_MKDOCS.format(python=sys.executable), encoding="utf-8")
    mkdocs.chmod(0o755)
    return tmp_path


def run(project: Path, block: str, *args: str) -> subprocess.CompletedProcess[str]:
    readme = project / "README.md"
    readme.write_text(f"# Course\n\n## Try it\n\n```sh\n{block}```\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--readme", str(readme), "--section", "Try it"]
        + list(args),
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PATH": f"{project / 'bin'}{os.pathsep}{os.environ['PATH']}",
        },
        timeout=120,
    )


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@posix_only
def test_a_server_line_is_probed_then_stopped_with_its_children(project, unused_port):
    result = run(
        project,
        "echo one > before.txt\n"
        f"mkdocs serve --dev-addr 127.0.0.1:{unused_port}   # the site\n"
        "test -f before.txt && echo two > after.txt\n",
        "--expect-exports",
        "html,pdf",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    base = f"http://127.0.0.1:{unused_port}/"
    for url in ("lectures/intro/", "slides/intro.html", "slides/intro.pdf"):
        assert f"served {base}{url}\n" in result.stdout
    assert "x.org" not in result.stdout
    assert (project / "after.txt").read_text() == "two\n"
    assert port_is_closed(unused_port)
    assert gone(int((project / "child.pid").read_text()))


@posix_only
def test_a_failing_line_is_named_and_the_rest_is_not_run(project):
    result = run(project, "true\nfalse   # this one\necho never > never.txt\n")
    assert result.returncode == 1
    assert "error: README.md:7: this sh command failed (exit code 1)" in (result.stderr)
    assert not (project / "never.txt").exists()


@posix_only
def test_a_lecture_without_an_expected_export_fails_and_stops_the_server(
    project, unused_port
):
    (project / "site" / "lectures" / "intro" / "index.html").write_text(
        '<iframe src="../../slides/intro.html"></iframe>', encoding="utf-8"
    )
    result = run(
        project,
        f"mkdocs serve --dev-addr 127.0.0.1:{unused_port}\n",
        "--expect-exports",
        "html,pdf",
    )
    assert result.returncode == 1
    assert (
        f"README.md:6: http://127.0.0.1:{unused_port}/lectures/intro/ links to no "
        "pdf slide export"
    ) in result.stderr
    assert port_is_closed(unused_port)
    assert gone(int((project / "child.pid").read_text()))


@posix_only
def test_a_server_that_exits_is_reported_with_its_output(project, unused_port):
    result = run(project, f"mkdocs serve --dev-addr 127.0.0.1:{unused_port} --die\n")
    assert result.returncode == 1
    assert "README.md:6: the server exited (3) unasked" in result.stderr
    assert f"> mkdocs serve --dev-addr 127.0.0.1:{unused_port} --die" in result.stdout
