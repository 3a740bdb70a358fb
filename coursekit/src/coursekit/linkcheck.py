"""`course linkcheck`: are the external links of the course still alive?

Opt-in only (`make linkcheck`): it needs the network and its answer changes
with the world, so no default build or test depends on it. Each URL is asked
once (HEAD, then GET when a server refuses HEAD), with a timeout; answers are
cached for a day so a rerun only asks again about what failed or expired.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import CourseConfig
from .fsutil import write_atomically

_URL = re.compile(r"""https?://[^\s<>()\[\]"'`]+[^\s<>()\[\]"'`.,;:!?*_]""")
CACHE_SECONDS = 24 * 3600
USER_AGENT = "coursekit-linkcheck/1 (course link checker)"


@dataclass(frozen=True)
class Link:
    url: str
    path: Path
    line: int


@dataclass(frozen=True)
class Result:
    url: str
    status: str
    """`ok`, `broken` or `error`."""
    detail: str
    """The HTTP status code, or what went wrong (`timed out`)."""
    checked_at: float

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def find_links(files: Iterable[Path]) -> list[Link]:
    links = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            links.extend(Link(m.group(0), path, number) for m in _URL.finditer(line))
    return links


def course_files(config: CourseConfig) -> list[Path]:
    """The Markdown and notebooks the course publishes."""
    found = {
        *config.slides_dir.glob("*.md"),
        *config.docs_dir.glob("**/*.md"),
        *config.labs_dir.glob("**/*.ipynb"),
    }
    return sorted(found)


def check_url(url: str, timeout: float) -> Result:
    detail = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Result(url, "ok", str(response.status), time.time())
        except urllib.error.HTTPError as error:
            detail = str(error.code)
            if error.code not in {403, 405, 501}:  # servers that refuse HEAD
                return Result(url, "broken", detail, time.time())
        except TimeoutError:
            return Result(url, "error", "timed out", time.time())
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            text = "timed out" if isinstance(reason, TimeoutError) else str(reason)
            return Result(url, "error", text, time.time())
    return Result(url, "broken", detail, time.time())


class ResultCache:
    """Answers by URL in one JSON file, written atomically."""

    def __init__(self, path: Path, max_age: float = CACHE_SECONDS) -> None:
        self.path = path
        self.max_age = max_age
        self._results: dict[str, Result] = {}
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self._results = {item["url"]: Result(**item) for item in data}
            except (ValueError, TypeError, KeyError):
                self._results = {}  # a damaged cache is only a slower run

    def get(self, url: str) -> Result | None:
        result = self._results.get(url)
        fresh = result and result.ok and time.time() - result.checked_at < self.max_age
        return result if fresh else None

    def put(self, result: Result) -> None:
        self._results[result.url] = result

    def save(self) -> None:
        data = [asdict(result) for result in self._results.values()]
        write_atomically(self.path, json.dumps(data, indent=1))


def check_links(
    links: list[Link], cache: ResultCache, *, timeout: float = 10, workers: int = 8
) -> dict[str, Result]:
    """A result for each distinct URL; only failures are not cached for reuse."""
    urls = sorted({link.url for link in links})
    results = {url: cached for url in urls if (cached := cache.get(url))}
    todo = [url for url in urls if url not in results]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(lambda url: check_url(url, timeout), todo):
            results[result.url] = result
            cache.put(result)
    cache.save()
    return results


def summary_table(links: list[Link], results: dict[str, Result], root: Path) -> str:
    """One row per failing link with where it is, then the totals."""
    rows = [("status", "detail", "where", "url")]
    for link in sorted(links, key=lambda link: (str(link.path), link.line)):
        result = results[link.url]
        if not result.ok:
            where = f"{_relative(link.path, root)}:{link.line}"
            rows.append((result.status, result.detail, where, link.url))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join([*map(str.ljust, row[:3], widths), row[3]]) for row in rows]
    counts = {
        status: sum(r.status == status for r in results.values())
        for status in ("ok", "broken", "error")
    }
    total = ", ".join(f"{count} {status}" for status, count in counts.items())
    if len(rows) == 1:
        return f"{len(results)} external links checked: {total}"
    return "\n".join([*lines, f"{len(results)} external links checked: {total}"])


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
