"""The benchmark harness keeps working: a smoke run on a tiny course.

Timings are not asserted; the run must finish and report every scenario.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Every course set has these rows; the generated course has the others too.
ROWS = (
    "Baseline: Marp per deck and format",
    "Cold build",
    "No-op rebuild",
    "Rebuild after editing one deck",
    "deck saved → lecture page served",
    "deck saved → HTML deck served",
    "Peak memory of the cold build",
)
GENERATED_ROWS = (
    "Rebuild after editing one notebook",
    "Rebuild after editing the theme",
    "`pytest --nbmake` (serial)",
    "`pytest --nbmake -n 2`",
)
MEASURED = re.compile(r"^\d+\.\d\d (s|GiB)$")

needs_browser_and_marp = pytest.mark.skipif(
    os.environ.get("CI") != "true"
    and not (
        (shutil.which("chromium") or shutil.which("google-chrome"))
        and (PROJECT_ROOT / "node_modules/@marp-team/marp-cli/package.json").exists()
    ),
    reason="the benchmark exports PDFs: needs Chromium and `npm ci` (Marp CLI)",
)


@pytest.mark.browser
@needs_browser_and_marp
def test_smoke_run_reports_every_scenario(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    # The course goes to the system's temporary folder, not tmp_path: under
    # xdist that path is long enough to break Chromium's profile socket.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--output", str(output)],
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    report = output.read_text(encoding="utf-8")
    assert "- Commit: `" in report
    assert "- Machine: " in report
    sections = report.split("\n## Results: ")[1:]
    titles = [section.split("\n", 1)[0] for section in sections]
    assert titles == ["the course of this repository", "a generated 2-deck course"]
    for section, expected_rows in zip(
        sections, (ROWS, ROWS + GENERATED_ROWS), strict=True
    ):
        rows = {
            cells[1].strip(): cells[2].strip()
            for line in section.split("\n#", 1)[0].splitlines()
            if (cells := line.split("|")) and len(cells) > 3
        }
        for expected in expected_rows:
            found = [value for label, value in rows.items() if expected in label]
            assert found, f"no row for {expected!r} in:\n{section}"
            assert MEASURED.match(found[0]), f"{expected!r} not measured: {found[0]}"
            assert expected in result.stdout
