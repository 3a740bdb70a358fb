"""Run the command of an npm package installed in the project's node_modules.

npm links each command a package declares (its `bin`) into node_modules/.bin
in a form that depends on the platform: a symlink to the script on Linux and
macOS, and `.cmd` and `.ps1` wrappers (plus a shell script for Git Bash) on
Windows. Rather than pick a wrapper per platform, the command is run as npm's
wrappers run it in the end: `node <the package's bin script>`. That one
command line is the same everywhere, and it puts nothing between us and Node:

- no cmd.exe, which would parse the arguments a second time (a path holding
  `%`, `^` or `&` would change meaning) and answer Ctrl-C with "Terminate
  batch job (Y/N)?";
- the process we start is Node itself, so stopping it stops Marp, and Node
  is the parent of the browser it launches;
- a damaged or missing .bin link does not matter: only the package's own
  files and `node` on PATH are needed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .errors import ExportError

_REINSTALL = "run `npm ci` (or `make setup`) in the project root"


def npm_command(
    project_root: Path,
    package: str,
    command: str,
    environ: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """The command line that runs `command` of `package` (arguments follow).

    `package` is installed in `project_root/node_modules` by `npm ci`; Node is
    the `node` found on PATH. Raises `ExportError` saying what to install when
    either is missing.
    """
    environ = os.environ if environ is None else environ
    script = _bin_script(project_root, package, command)
    node = shutil.which("node", path=environ.get("PATH", ""))
    if node is None:
        raise ExportError(
            project_root / "package.json",
            None,
            f"Node.js is not on PATH: `node` runs {package}",
            "install Node.js 20 or newer (https://nodejs.org), then open a new "
            "terminal so that PATH includes it",
            rule="export-install",
        )
    return (str(Path(node)), str(script))


def _bin_script(project_root: Path, package: str, command: str) -> Path:
    """The script `package` declares for `command` in its package.json."""
    package_dir = project_root / "node_modules" / Path(*package.split("/"))
    manifest = package_dir / "package.json"
    try:
        declared = json.loads(manifest.read_text(encoding="utf-8")).get("bin")
    except (OSError, ValueError, AttributeError):
        raise ExportError(
            project_root / "package.json",
            None,
            f"{package} is not installed ({manifest} is missing or unreadable)",
            _REINSTALL,
            rule="export-install",
        ) from None
    # `"bin": "x.js"` declares one command named after the package.
    if isinstance(declared, str):
        declared = {package.rsplit("/", 1)[-1]: declared}
    relative = declared.get(command) if isinstance(declared, dict) else None
    if not isinstance(relative, str):
        raise ExportError(
            project_root / "package.json",
            None,
            f"{package} declares no `{command}` command in {manifest}",
            _REINSTALL,
            rule="export-install",
        )
    script = package_dir / Path(*PurePosixPath(relative).parts)
    if not script.is_file():
        raise ExportError(
            project_root / "package.json",
            None,
            f"{package} is installed without its `{command}` script ({script})",
            _REINSTALL,
            rule="export-install",
        )
    return script
