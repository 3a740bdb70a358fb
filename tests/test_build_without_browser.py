"""`make build` on a machine without any browser: the site and HTML decks.

The README promises that the site and the HTML decks still build when no
browser is installed, and that the build says what to install. A strict
build must pass: the missing browser is said once, as a warning MkDocs does
not count (see CoursePlugin._tell_missing_browser).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from coursekit.export import MISSING_BROWSER
from coursekit.fsutil import copy_source_files

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("make", "sh", "node", "git")
"""What `make build` runs besides the Python environment's own commands."""

pytestmark = pytest.mark.skipif(
    sys.platform != "linux",
    reason="Linux only: Windows has no make (CI runs the README's commands "
    "there), and macOS finds browsers in /Applications, which PATH cannot hide",
)


def copy_of_the_course(target: Path) -> Path:
    """The course's files as git sees them, with the installed node_modules."""
    copy_source_files(PROJECT_ROOT, target)
    (target / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
    return target


def path_without_browsers(bin_dir: Path) -> str:
    """A PATH holding this environment's commands and TOOLS, and no browser."""
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"`{tool}` is not installed")
        (bin_dir / tool).symlink_to(found)
    return os.pathsep.join([str(Path(sys.executable).parent), str(bin_dir)])


def test_make_build_without_a_browser_makes_the_html_decks_and_warns_once(
    tmp_path: Path,
):
    course = copy_of_the_course(tmp_path / "course")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"CHROME_PATH", "MAKEFLAGS", "MAKELEVEL"}
        and not name.startswith("PYTEST_")
    }
    env["PATH"] = path_without_browsers(tmp_path / "bin")
    # `-o setup`: the environment is installed already (this one, on PATH,
    # through an empty RUN); the rest of `make build` runs as written.
    result = subprocess.run(
        ["make", "-o", "setup", "build", "RUN="],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = [line for line in output.splitlines() if "warn" in line.lower()]
    assert len(warnings) == 1, output
    assert warnings[0].endswith(MISSING_BROWSER)
    decks = sorted(path.stem for path in (course / "slides").glob("*.md"))
    slides = course / "site" / "slides"
    assert sorted(path.stem for path in slides.glob("*.html")) == decks
    assert not list(slides.glob("*.pdf"))
    for deck in decks:
        page = (course / "site" / "lectures" / deck / "index.html").read_text("utf-8")
        assert f"{deck}.html" in page
        assert f"{deck}.pdf" not in page
        assert f"{deck}-handout.pdf" not in page
