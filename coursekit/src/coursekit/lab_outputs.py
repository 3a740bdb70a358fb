"""What a lab may publish: no credentials, no paths of the build machine.

The site shows each lab with the outputs its cells printed on the machine
that built it (or, when labs are not executed, as committed), on its page,
in the search index and in the notebook to download. `publishable_lab` makes
the one copy all three are made from. Two things must not get there:

- Paths of that machine. A cell that prints its folder, a file it opened or
  a library's warning shows where the repository and the home folder are (a
  user name, a CI layout). They are rewritten rather than refused, since
  printing a path is ordinary lab output: a path in the repository becomes
  relative to it (`05_src/db.py`, `01_materials/labs`, `.` for the repository
  itself), one in the home folder starts with `~`, as a shell shows it. The
  published lab then reads the same whoever built it.
- Credentials. A cell that prints a token publishes it. The text outputs are
  scanned with detect-secrets, the scanner the pre-commit hook runs on the
  committed files, and each finding stops the build at its cell and line.
  Values that start with `dev-only-` pass, as the hook lets them pass. The
  detectors that judge by randomness alone (high-entropy strings) and the
  public-IP detector are left out: outputs are data, full of hashes, ids,
  encoded arrays and addresses that they would take for secrets; the
  detectors of known token formats and of `password = ...` remain.

Images and other binary outputs are neither rewritten nor scanned.

A lab that passed is kept in a `DiskCache` under the hash of what it was
made from, so an unchanged lab is not scanned again (nor detect-secrets
imported, which takes half a second).
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .diskcache import DiskCache, content_key
from .errors import Problem
from .notebooks import NotebookExecutionError, cell_line, cell_lines, read_notebook

_KEY_VERSION = "coursekit-lab-outputs-1"
"""Part of every key: change it when what is rewritten or refused changes."""
DEV_ONLY_PREFIX = "dev-only-"
"""Development-only values, which the pre-commit hook lets through too."""
_DATA_DETECTORS = frozenset(
    {"Base64HighEntropyString", "HexHighEntropyString", "IPPublicDetector"}
)
"""The detectors left out: see the module's docstring."""
# detect-secrets keeps its configuration in process-wide state: one scan at a
# time, whichever thread asks.
_SCANNING = threading.Lock()


@dataclass(frozen=True, order=True)
class Finding:
    cell: int
    """0-based index of the cell among all cells."""
    line: int
    """1-based line in the text of the cell's outputs."""
    kind: str
    """What detect-secrets took it for (`GitHub Token`, `Secret Keyword`...)."""


def publishable_lab(shown: Path, notebook: Path, root: Path, cache: DiskCache) -> str:
    """The JSON of the lab `shown` (executed copy or committed file) fit to publish.

    Paths in `root`, the repository, and in the home folder are rewritten. A
    secret raises NotebookExecutionError (rule `notebook-secret`) at the line
    of `notebook`, the committed file, where the cell starts, once per
    finding; so does a `shown` file that is not a notebook.
    """
    home = Path.home()
    key = content_key(_KEY_VERSION, shown.read_bytes(), str(root), str(home))
    cached = cache.read(key, ".ipynb")
    if cached is not None:
        return cached.decode("utf-8")
    _, content = read_notebook(shown)
    rewrite_outputs(content, MachinePaths(root, home))
    findings = find_secrets(content)
    if findings:
        text = notebook.read_text(encoding="utf-8")
        first, *more = findings
        raise _secret_error(
            notebook,
            text,
            first,
            [_secret_error(notebook, text, found).problem for found in more],
        )
    published = nbformat.writes(content)
    cache.put(key, ".ipynb", published)
    return published


def _secret_error(
    notebook: Path, text: str, finding: Finding, also: Sequence[Problem] = ()
) -> NotebookExecutionError:
    return NotebookExecutionError(
        notebook,
        f"output line {finding.line} looks like a secret ({finding.kind}): "
        "the site would publish it",
        finding.cell + 1,
        # Not the cell's first line: it may hold the secret, and build logs
        # are often public.
        "",
        cell_line(cell_lines(text), finding.cell),
        rule="notebook-secret",
        fix="print no credential: say whether it is set, or show only its last "
        "characters; a value meant to be shown (a development default) starts "
        f"with `{DEV_ONLY_PREFIX}`",
        also=also,
    )


class MachinePaths:
    """Rewrites paths in the repository and in the home folder in a text."""

    def __init__(self, root: Path, home: Path | None = None) -> None:
        home = Path.home() if home is None else home
        # The repository first: it is usually in the home folder.
        places = [(root, "", "."), (home, "~/", "~")]
        self._rewrites = [
            (_path_pattern(spelling), inside, itself)
            for place, inside, itself in places
            # A home folder that is `/` would make every path start with `~`.
            if place != Path(place.anchor)
            for spelling in sorted(
                {str(place), place.as_posix(), str(place.resolve())},
                key=len,
                reverse=True,
            )
        ]

    def __call__(self, text: str) -> str:
        for pattern, inside, itself in self._rewrites:
            text = pattern.sub(
                lambda match, inside=inside, itself=itself: (
                    inside if match["separator"] else itself
                ),
                text,
            )
        return text


def _path_pattern(path: str) -> re.Pattern[str]:
    # The folder followed by a separator, or the folder itself; never the
    # start of a longer name (`/home/ann` is not in `/home/anne`).
    return re.compile(re.escape(path) + r"(?:(?P<separator>[/\\])|(?![\w.-]))")


def rewrite_outputs(notebook, rewrite: Callable[[str], str]) -> None:
    """Apply `rewrite` to the text of every output of `notebook`, in place."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            for key in ("text", "evalue", "traceback"):
                if key in output:
                    output[key] = _rewrite_strings(output[key], rewrite)
            data = output.get("data", {})
            for mimetype in list(data):
                if _is_text(mimetype):
                    data[mimetype] = _rewrite_strings(data[mimetype], rewrite)


def find_secrets(notebook) -> list[Finding]:
    """What detect-secrets finds in the text outputs of `notebook`."""
    places: list[tuple[int, int]] = []
    """(cell, line in its outputs) of each line of the scanned text."""
    text: list[str] = []
    for index, cell in enumerate(notebook.cells):
        for number, line in enumerate(_output_lines(cell), start=1):
            places.append((index, number))
            text.append(line)
    if not text:
        return []
    # Imported here: it takes half a second, and a cached lab needs no scan.
    from detect_secrets.core.plugins.util import (
        get_mapping_from_secret_type_to_class,
    )
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import transient_settings

    detectors = {
        "plugins_used": [
            {"name": detector.__name__}
            for detector in get_mapping_from_secret_type_to_class().values()
            if detector.__name__ not in _DATA_DETECTORS
        ]
    }
    with tempfile.TemporaryDirectory(prefix="coursekit-scan-") as folder:
        scanned = Path(folder) / "outputs.txt"
        scanned.write_text("\n".join(text) + "\n", encoding="utf-8")
        with _SCANNING, transient_settings(detectors):
            secrets = list(scan_file(str(scanned)))
    return sorted(
        {
            Finding(*places[secret.line_number - 1], secret.type)
            for secret in secrets
            if not (secret.secret_value or "").startswith(DEV_ONLY_PREFIX)
        }
    )


def _output_lines(cell) -> Iterator[str]:
    """The lines of a cell's text outputs, as the site shows them."""
    for output in cell.get("outputs", []):
        texts = [output.get(key, "") for key in ("text", "evalue", "traceback")]
        for mimetype, value in output.get("data", {}).items():
            if mimetype.endswith("json"):
                texts.append(json.dumps(value, indent=1))
            elif mimetype.startswith("text/"):
                texts.append(value)
        for text in texts:
            yield from _joined(text).splitlines()


def _is_text(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype.endswith("json")


def _rewrite_strings(value, rewrite: Callable[[str], str]):
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, list):
        return [_rewrite_strings(item, rewrite) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite_strings(item, rewrite) for key, item in value.items()}
    return value


def _joined(value) -> str:
    return "\n".join(value) if isinstance(value, list) else str(value)
