"""npm package commands run as `node <bin script>` on every platform."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from coursekit.export import ExportError
from coursekit.export.node import npm_command

from .support import REPO_ROOT, require

MARP_CLI = "@marp-team/marp-cli"


def make_package(root: Path, name: str, bin_field: object, files=()) -> Path:
    """node_modules/<name> with a package.json declaring `bin_field`."""
    package_dir = root / "node_modules" / Path(*name.split("/"))
    package_dir.mkdir(parents=True)
    manifest = {"name": name, "version": "1.0.0", "bin": bin_field}
    (package_dir / "package.json").write_text(json.dumps(manifest), encoding="utf-8")
    for relative in files:
        script = package_dir / relative
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text("#!/usr/bin/env node\n", encoding="utf-8")
    return package_dir


@pytest.fixture
def node_path(tmp_path: Path) -> str:
    """A PATH holding a `node` program (node.exe on Windows), nothing else."""
    bin_dir = tmp_path / "node-bin"
    bin_dir.mkdir()
    node = bin_dir / ("node.exe" if sys.platform == "win32" else "node")
    node.write_text("#!/bin/sh\n", encoding="utf-8")
    node.chmod(0o755)
    return str(bin_dir)


def test_marp_cli_runs_through_node_with_its_bin_script():
    node = shutil.which("node")
    require(node is not None, "Node.js is not installed")
    require(
        (REPO_ROOT / "node_modules" / MARP_CLI).is_dir(),
        "Marp CLI is not installed: run `npm ci`",
    )
    command = npm_command(REPO_ROOT, MARP_CLI, "marp")
    assert Path(command[0]) == Path(str(node))
    assert Path(command[1]).name == "marp-cli.js"
    manifest = REPO_ROOT / "node_modules" / MARP_CLI / "package.json"
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    result = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert f"@marp-team/marp-cli v{version}" in result.stdout


DOT_BIN_LAYOUTS = {
    # npm on Linux and macOS: a symlink to the script.
    "posix": {"marp": None},
    # npm on Windows: wrappers for cmd.exe, PowerShell and Git Bash.
    "windows": {
        "marp.cmd": "@echo off\r\n",
        "marp.ps1": "#!/usr/bin/env pwsh\n",
        "marp": "#!/bin/sh\n",
    },
    # A damaged install: npm ci interrupted before it linked the commands.
    "missing": {},
}


@pytest.mark.parametrize("layout", DOT_BIN_LAYOUTS)
def test_the_command_is_the_same_whatever_npm_put_in_dot_bin(
    tmp_path, node_path, layout
):
    """node.py has no platform branch: only .bin differs, and it is not used."""
    package_dir = make_package(
        tmp_path, MARP_CLI, {"marp": "./marp-cli.js"}, files=["marp-cli.js"]
    )
    dot_bin = tmp_path / "node_modules" / ".bin"
    dot_bin.mkdir()
    for name, text in DOT_BIN_LAYOUTS[layout].items():
        if text is None:
            try:
                (dot_bin / name).symlink_to(package_dir / "marp-cli.js")
            except OSError as error:  # Windows without developer mode
                pytest.skip(f"cannot make the symlink npm makes on POSIX: {error}")
        else:
            (dot_bin / name).write_text(text, encoding="utf-8")
    command = npm_command(tmp_path, MARP_CLI, "marp", {"PATH": node_path})
    assert command == (
        shutil.which("node", path=node_path),
        str(package_dir / "marp-cli.js"),
    )


def test_a_bin_given_as_one_path_is_the_command_named_after_the_package(
    tmp_path, node_path
):
    package_dir = make_package(
        tmp_path, "@scope/tool", "bin/tool.js", files=["bin/tool.js"]
    )
    command = npm_command(tmp_path, "@scope/tool", "tool", {"PATH": node_path})
    assert Path(command[1]) == package_dir / "bin" / "tool.js"


def npm_error(root: Path, environ: dict[str, str]) -> ExportError:
    with pytest.raises(ExportError) as raised:
        npm_command(root, MARP_CLI, "marp", environ)
    assert raised.value.path == root / "package.json"
    return raised.value


def test_a_package_not_installed_says_to_run_npm_ci(tmp_path, node_path):
    error = npm_error(tmp_path, {"PATH": node_path})
    assert f"{MARP_CLI} is not installed" in error.message
    assert "npm ci" in error.fix


def test_a_damaged_package_json_says_to_run_npm_ci(tmp_path, node_path):
    package_dir = make_package(tmp_path, MARP_CLI, {})
    (package_dir / "package.json").write_text("[1, 2", encoding="utf-8")
    error = npm_error(tmp_path, {"PATH": node_path})
    assert "missing or unreadable" in error.message
    assert "npm ci" in error.fix


@pytest.mark.parametrize("bin_field", [{"other": "x.js"}, None, ["marp"], {"marp": 3}])
def test_a_package_without_the_command_says_so(tmp_path, node_path, bin_field):
    make_package(tmp_path, MARP_CLI, bin_field)
    error = npm_error(tmp_path, {"PATH": node_path})
    assert "declares no `marp` command" in error.message


def test_a_missing_bin_script_says_to_run_npm_ci(tmp_path, node_path):
    make_package(tmp_path, MARP_CLI, {"marp": "marp-cli.js"})
    error = npm_error(tmp_path, {"PATH": node_path})
    assert "without its `marp` script" in error.message
    assert "npm ci" in error.fix


def test_node_missing_from_path_says_to_install_node(tmp_path):
    make_package(tmp_path, MARP_CLI, {"marp": "marp-cli.js"}, files=["marp-cli.js"])
    error = npm_error(tmp_path, {"PATH": str(tmp_path / "empty")})
    assert "Node.js is not on PATH" in error.message
    assert "nodejs.org" in error.fix


def test_path_defaults_to_the_environment(monkeypatch, tmp_path, node_path):
    package_dir = make_package(
        tmp_path, MARP_CLI, {"marp": "marp-cli.js"}, files=["marp-cli.js"]
    )
    monkeypatch.setenv("PATH", node_path + os.pathsep + str(tmp_path / "empty"))
    command = npm_command(tmp_path, MARP_CLI, "marp")
    assert command[1] == str(package_dir / "marp-cli.js")
