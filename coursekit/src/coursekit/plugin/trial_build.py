"""`course check`'s pages: MkDocs' own link and anchor validation, as problems.

Links and anchors are checked by a real MkDocs build into a temporary folder
rather than by a second implementation: only MkDocs knows every anchor of
every page, including the `#slide-N` anchors of the generated lecture pages
and the ids its Markdown extensions give to headings. Link and anchor
validation are raised to warnings for this build whatever mkdocs.yml says,
and each warning becomes a problem located in the page (or, for a lecture
page, the deck) that holds the link.
"""

from __future__ import annotations

import contextlib
import logging
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..config import CourseConfig
from ..errors import CourseError, Problem

_LINK_WARNING = re.compile(
    r"Doc file '(?P<doc>[^']+)' contains (?:a link|an unrecognized relative link"
    r"|an absolute link|a link to) '(?P<link>[^']+)'"
)


class MkDocsMessages(logging.Handler):
    """Collects MkDocs' warnings and errors instead of printing them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))

    @contextlib.contextmanager
    def collecting(self) -> Iterator[MkDocsMessages]:
        logger = logging.getLogger("mkdocs")
        logger.addHandler(self)
        try:
            yield self
        finally:
            logger.removeHandler(self)


def check_pages(course: CourseConfig) -> list[Problem]:
    """Build the site into a temporary folder; every warning is a problem."""
    config_file = course.config_file
    with (
        MkDocsMessages().collecting() as collected,
        tempfile.TemporaryDirectory(prefix="course-check-") as site_dir,
    ):
        config = load_config(str(config_file), site_dir=site_dir, strict=False)
        config.plugins["coursekit"].build_for_checking()
        config.validation.links.not_found = logging.WARNING
        config.validation.links.anchors = logging.WARNING
        failure: Exception | None = None
        try:
            build(config)
        except Exception as error:  # a plugin's crash is reported, not raised
            failure = error
    chain = _exception_chain(failure)
    refusal = next((e for e in chain if isinstance(e, CourseError)), None)
    if refusal is not None:
        # Our plugin refuses with a CourseError; MkDocs logs the PluginError
        # raised while handling it, then aborts. Its problems are the report
        # and the logged copy of them is dropped.
        logged = {" ".join(str(error).split()) for error in chain}
        messages = [m for m in collected.messages if m not in logged]
        return [*(_problem(m, course) for m in messages), *refusal.problems]
    problems = [_problem(message, course) for message in collected.messages]
    if failure is not None:
        message = f"the site does not build: {type(failure).__name__}: {failure}"
        problems.append(Problem(config_file, 1, 1, "site-build", message))
    return problems


def _exception_chain(error: BaseException | None) -> list[BaseException]:
    """`error`, the exception it was raised while handling, and so on."""
    chain = []
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def _problem(message: str, course: CourseConfig) -> Problem:
    match = _LINK_WARNING.search(message)
    if not match:
        return Problem(course.config_file, 1, 1, "site-build", message)
    rule = "page-anchor" if "does not contain an anchor" in message else "page-link"
    source = _source_of(match["doc"], course)
    line, column = _locate(source, match["link"])
    return Problem(source, line, column, rule, message)


def _source_of(doc: str, course: CourseConfig) -> Path:
    """The file an author edits to fix a link in page `doc`."""
    prefix = f"{course.lectures_uri}/"
    if doc.startswith(prefix):
        return course.slides_dir / doc.removeprefix(prefix)
    return course.docs_dir / doc


def _locate(path: Path, link: str) -> tuple[int, int]:
    if path.is_file():
        target = f"({link}"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            column = line.find(target)
            if column < 0:
                column = line.find(link) - 1
            if column >= -1 and link in line:
                return number, column + 2
    return 1, 1
