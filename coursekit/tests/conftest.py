"""A small course written into a temporary folder, built with real MkDocs,
and the browser its PDFs are printed with."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from coursekit.export import MISSING_BROWSER, find_browser
from export.support import require

PROJECT_ROOT = Path(__file__).resolve().parents[2]

MKDOCS_YML = f"""\
site_name: Fixture course
plugins:
  - coursekit:
      node_dir: {PROJECT_ROOT}
      # PDFs are tested once in tests/export and on the real site; here a
      # browser per build would only slow every test down.
      exports: [html]
  - search
theme:
  name: material
"""

THEME = "/* @theme fixture-theme */\n@import 'default';\n"

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="#369"/></svg>\n'
)

DECK = """\
---
marp: true
theme: fixture-theme
paginate: true
---

# Fixture lecture

<!-- Welcome everyone. -->

---

<!-- _class: lead -->
## Latency

- Latency is measured with percentiles.
    - p99 under 100 ms.
A second line.

![bg right:40% w:400 Latency percentiles by load](./images/chart.svg)

---

## Code and math

```yaml
---
not: a slide break
---
```

The loss is $-\\log(p)$.

|Dimension|Research|Production
|---|---|---|
|Data|Static|Shifting|

> A quote.
"""


@dataclass
class Course:
    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def write_lab(self, relative: str, *sources: str) -> Path:
        """A lab notebook: a title cell, then a code cell for each source."""
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        notebook.cells = [nbformat.v4.new_markdown_cell("# A lab")] + [
            nbformat.v4.new_code_cell(source) for source in sources
        ]
        return self.write(relative, nbformat.writes(notebook))

    def build(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        )

    def page(self, uri: str) -> str:
        return (self.root / "site" / uri).read_text(encoding="utf-8")

    def search_index(self) -> list[dict]:
        return json.loads(self.page("search/search_index.json"))["docs"]


@pytest.fixture
def course(tmp_path: Path) -> Course:
    course = Course(tmp_path)
    course.write("mkdocs.yml", MKDOCS_YML)
    course.write("docs/index.md", "# Home\n\n<!-- coursekit:lectures -->\n")
    course.write("slides/themes/fixture.css", THEME)
    course.write("slides/images/chart.svg", SVG)
    course.write("slides/01_fixture.md", textwrap.dedent(DECK))
    return course


@pytest.fixture(scope="session")
def browser() -> Path:
    """The browser Marp CLI prints PDFs with (skipped without one, failed
    under CI=true)."""
    found = find_browser()
    require(found is not None, MISSING_BROWSER)
    assert found is not None
    return found
