"""Publish the site all at once, or not at all, from MkDocs' events.

The build writes into a staging folder beside `site_dir` and the plugin swaps
it in only when the build succeeded (`coursekit.fsutil.StagedFolder`): a
build that fails, is refused for warnings in strict mode or is killed leaves
the last good site exactly as it was, and a second build at the same time is
refused.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.utils import CountHandler

from ..errors import CourseError, format_problems
from ..fsutil import StagedFolder

# The commands that build into `site_dir`: MkDocs' `build` and `gh-deploy`, and
# builds through its API, which send no startup event (None). `mkdocs serve`
# builds into a temporary folder of its own, and mike only reads the
# configuration (with the command "mike") before it runs `mkdocs build`:
# staging for those would lock the site and point `site_dir` at an empty folder.
_WRITING_COMMANDS = (None, "build", "gh-deploy")


class SitePublication:
    """The MkDocs side: build into staging, publish in `on_post_build`.

    MkDocs runs `on_post_build` before it aborts a strict build for its
    warnings, so the warnings are counted here too and such a build is not
    published.
    """

    def __init__(self) -> None:
        self.command: str | None = None
        self.dirty = False
        self._folder: StagedFolder | None = None
        self._warnings: CountHandler | None = None

    def startup(self, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    def config(self, config: MkDocsConfig) -> None:
        if self.command not in _WRITING_COMMANDS:
            return
        self._folder = StagedFolder(Path(config.site_dir))
        try:
            config.site_dir = str(self._folder.start(keep_contents=self.dirty))
        except CourseError as error:
            raise PluginError(format_problems(error.problems)) from None
        if config.strict:
            self._warnings = CountHandler()
            self._warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self._warnings)

    def post_build(self, config: MkDocsConfig) -> None:
        if self._folder is None:
            return
        if self._warnings is not None and self._warnings.get_counts():
            return  # MkDocs aborts next and `build_error` cleans up
        target = self._folder.target
        self._folder.commit()
        config.site_dir = str(target)  # for gh-deploy, which reads it after
        self._finish()

    def build_error(self) -> None:
        if self._folder is not None:
            self._folder.abort()
        self._finish()

    def _finish(self) -> None:
        self._folder = None
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            self._warnings = None
