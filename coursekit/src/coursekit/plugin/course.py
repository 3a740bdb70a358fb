"""The MkDocs plugin `coursekit`: routes MkDocs' events to the course stages."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .. import site
from ..background import BackgroundExports
from ..boundary import outside_problems
from ..config import CourseConfig
from ..errors import CourseError, Problem, format_problems
from ..export import (
    ExportError,
    ExportResult,
    export_decks,
    missing_browser_warning,
)
from ..export.marp import marp_command
from ..export.warm import MarpWorker
from ..fsutil import copy_atomically
from ..html_policy import live_html
from ..memo import Memo
from ..model import Deck
from ..processes import sigterm_interrupts
from ..render import LectureLinks, render_lecture
from ..unchanged import BuiltCourse, LastBuild, course_fingerprint
from .options import CourseOptions, from_mkdocs
from .publication import SitePublication

if TYPE_CHECKING:
    from ..check.decks import TextFacts
    from ..decks import DeckReader
    from ..themes import ThemeSet

log = get_plugin_logger(__name__)

# What the lecture pages are written in; added when mkdocs.yml lacks them.
_REQUIRED_EXTENSIONS = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.magiclink": {},
    "pymdownx.arithmatex": {"generic": True},
}
# The commands whose builds export slides (`mike` runs `mkdocs build`).
_EXPORTING_COMMANDS = ("build", "serve", "gh-deploy")
_ASSETS_URI = "assets/coursekit"
_KATEX_URI = "assets/katex"
_KATEX_FILES = ("katex.min.css", "katex.min.js", "contrib/auto-render.min.js")


class CoursePlugin(BasePlugin[CourseOptions]):
    """Routes MkDocs' events to the stages; holds the state of one session.

    One instance lives for a `mkdocs build` or a whole `mkdocs serve`
    session: it remembers parsed decks, their checks and their pages by
    content, one entry per deck.
    """

    def __init__(self) -> None:
        self._course: CourseConfig | None = None
        self._decks: list[Deck] = []
        self._course_pages: dict[str, Path] = {}
        """Each lecture and lab page's URI, with the deck or notebook it shows."""
        self._reader: DeckReader | None = None
        self._text_facts: Memo[Path, TextFacts] = Memo()
        self._theme_contrasts: Memo[Path, list[Problem]] = Memo()
        self._pages: Memo[Path, str] = Memo()
        self._publication = SitePublication()
        self._watching = False
        self._serve_site: Path | None = None
        """The folder `mkdocs serve` serves, once it watches the exports."""
        self._marp_worker: MarpWorker | None = None
        """Marp CLI kept loaded while serving, so a saved deck exports at once."""
        self._checking_only = False
        self._background = BackgroundExports(self._exported, self._export_failed)
        self._warned: set[str] = set()
        self._session = contextlib.ExitStack()

    def build_for_checking(self) -> None:
        """Build only to check the pages: no exports, labs shown as committed."""
        self._checking_only = True

    @property
    def course(self) -> CourseConfig:
        assert self._course is not None, "on_config has not run"
        return self._course

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._publication.startup(command, dirty)
        # SIGTERM (a cancelled CI job, `kill`) stops the build as Ctrl-C does,
        # Marp, its browser and the lab kernels with it.
        self._session.enter_context(sigterm_interrupts())
        if command in _EXPORTING_COMMANDS:
            self._tell_missing_browser()

    def on_shutdown(self) -> None:
        self._background.stop()
        if self._marp_worker is not None:
            self._marp_worker.close()
        self._session.close()

    def _tell_missing_browser(self) -> None:
        """Say once, before the first build, that PDFs will be missing.

        Not a warning of the build: the site is complete with HTML decks,
        as the README promises, so a strict build must pass. MkDocs counts
        the warnings logged while it builds; this one comes before (as
        MkDocs' own `dev_addr` warning does), and the build's own word on
        it is taken as said (`_warn_once`). Builds that must make PDFs set
        CHROME_PATH, and a missing browser there is an error.
        """
        warning = missing_browser_warning(self.config.exports)
        if warning is not None:
            self._warn_once([warning])

    # First, so that every plugin's on_config sees the staging site_dir.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._course = from_mkdocs(config, self.config)
        self._publication.config(config)
        self._require_extensions(config)
        config.extra_css.append(f"{_ASSETS_URI}/coursekit.css")
        if self._katex_dir().is_dir():
            config.extra_css.append(f"{_KATEX_URI}/katex.min.css")
            config.extra_javascript.extend(
                f"{_KATEX_URI}/{name}" for name in _KATEX_FILES[1:]
            )
            config.extra_javascript.append(f"{_ASSETS_URI}/katex-init.js")
        else:
            log.warning(
                "KaTeX not found in %s: math shows as TeX source; run `npm ci`",
                self._katex_dir(),
            )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            self._refuse_pages_from_outside(files, config)
            return self._add_course_files(files, config)
        except CourseError as error:
            raise PluginError(
                format_problems(error.problems, self.course.root)
            ) from None

    def on_env(
        self, env: Environment, config: MkDocsConfig, files: Files
    ) -> Environment:
        # MkDocs makes a new template environment for every build, which
        # compiles every theme template again; their bytecode is kept on disk.
        env.bytecode_cache = FileSystemBytecodeCache(
            str(_bytecode_dir(self.course.cache_dir / "templates"))
        )
        return env

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        return nav if config.nav else _course_order(nav, self.course)

    # Last, after every plugin (search, notebooks) wrote its share of the site.
    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        self._publication.post_build(config)

    def on_build_error(self, error: Exception) -> None:
        self._publication.build_error()

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if site.LECTURE_TABLE_MARKER not in markdown:
            return markdown
        table = site.lecture_table(self._decks, self.course, page.file.src_uri)
        return markdown.replace(site.LECTURE_TABLE_MARKER, table)

    def on_page_content(
        self, html: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # The last word on raw HTML from a deck or a lab: whatever
        # Python-Markdown made of the page, nothing in it may run script
        # (unless trusted). A lab's Markdown cells reach the page as written.
        source = self._course_pages.get(page.file.src_uri)
        if source is None or self.course.full_html:
            return html
        found = live_html(html)
        if found:
            is_lab = source.suffix == ".ipynb"
            problem = Problem(
                source,
                1,
                1,
                "lab-html" if is_lab else "deck-html",
                f"the {'lab' if is_lab else 'lecture'} page would run script or "
                f"restyle the site: {', '.join(sorted(set(found)))}",
                "remove the HTML, or set `html: full` in mkdocs.yml if every "
                "author of decks and labs is trusted",
            )
            raise PluginError(format_problems([problem], self.course.root))
        return html

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder
    ) -> LiveReloadServer:
        for folder in (self.course.slides_dir, self.course.labs_dir):
            if folder.is_dir():
                server.watch(str(folder))
        # A finished background export lands here and triggers a rebuild that
        # publishes it; exports rewrite only what changed, so this settles.
        exports = self.course.exports_dir
        exports.mkdir(parents=True, exist_ok=True)
        server.watch(str(exports))
        self._watching = True
        self._serve_site = Path(config.site_dir)
        if self._marp_worker is None:
            # Without Node or Marp CLI there is nothing to keep loaded; each
            # export then says what to install.
            with contextlib.suppress(ExportError):
                node = marp_command(self.course.node_dir)[0]
                self._marp_worker = MarpWorker(node, self.course.node_dir)
        return server

    def _katex_dir(self) -> Path:
        return self.course.node_dir / "node_modules/katex/dist"

    @staticmethod
    def _require_extensions(config: MkDocsConfig) -> None:
        for name, options in _REQUIRED_EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, options)

    def _refuse_pages_from_outside(self, files: Files, config: MkDocsConfig) -> None:
        docs_dir = Path(config.docs_dir)
        pages = [
            Path(file.abs_src_path)
            for file in files
            if file.abs_src_path and file.src_dir and Path(file.src_dir) == docs_dir
        ]
        problems = outside_problems(pages, self.course.root, "page-symlink")
        if problems:
            raise CourseError(*problems)

    def _add_course_files(self, files: Files, config: MkDocsConfig) -> Files:
        decks, course_files = self._course_files(config)
        self._decks = list(decks)
        self._course_pages = {
            **{self.course.lecture_uri(deck): deck.path for deck in decks},
            **{
                self.course.lab_uri(notebook): notebook
                for notebook in site.lab_notebooks(self.course)
            },
        }
        for site_file in course_files:
            self._add(files, config, site_file)
        self._add_assets(files, config)
        return files

    def _course_files(
        self, config: MkDocsConfig
    ) -> tuple[Sequence[Deck], Sequence[site.SiteFile]]:
        """The lecture decks and the files they and the labs add to the site.

        A build (not serve, whose exports run beside it) whose inputs are
        those of the last successful build publishes what that one did.
        """
        if self._watching or self._checking_only:
            return self._make_course_files(config)
        browser = site.export_settings(self.course, self.course.exports).browser
        fingerprint = course_fingerprint(
            self.course, str(config.use_directory_urls), str(browser)
        )
        last_build = LastBuild(self.course.cache_dir / "last-build", self._notice)
        built = last_build.find(fingerprint)
        if built is None:
            built = BuiltCourse.of(*self._make_course_files(config))
            last_build.keep(fingerprint, built)
        return built.decks, built.files

    def _make_course_files(
        self, config: MkDocsConfig
    ) -> tuple[list[Deck], list[site.SiteFile]]:
        # The stages are imported when a build needs them, not with the
        # plugin: a build that reuses its last result imports none of them
        # (with their libraries, about a second).
        from ..check.decks import check_deck, unique_problems
        from ..check.labs import slide_link_problems
        from ..decks import DeckReader
        from ..lab_links import slide_links

        course = self.course
        if self._reader is None:
            self._reader = DeckReader()
        decks = self._reader.lectures(course.slides_dir, course.root)
        paths = [deck.path for deck in decks]
        self._text_facts.keep_only(paths)
        self._pages.keep_only(paths)
        lab_links = [
            link
            for notebook in site.lab_notebooks(course)
            for link in slide_links(notebook, course.slides_dir)
        ]
        problems = unique_problems(
            problem
            for deck in decks
            for problem in check_deck(
                deck, course, self._deck_text_facts, self._theme_contrast
            )
        )
        lectures = {deck.path.resolve(): deck for deck in decks}
        problems += slide_link_problems(lab_links, lectures)
        if problems:
            raise CourseError(*problems)
        course_files = site.lecture_files(
            decks,
            course,
            exports=self._exports(decks),
            use_directory_urls=config.use_directory_urls,
            render_page=self._lecture_page,
            lab_links=lab_links,
        )
        course_files += site.lab_files(
            course,
            execute=course.execute_labs and not self._checking_only,
            lab_links=lab_links,
            on_notice=self._notice,
        )
        conventions = site.conventions_page(course)
        if conventions is not None:
            course_files.append(conventions)
        return decks, course_files

    def _deck_text_facts(self, deck: Deck) -> TextFacts:
        from ..check.decks import read_text_facts

        return self._text_facts.get(
            deck.path, deck.source_hash, lambda: read_text_facts(deck)
        )

    def _theme_contrast(self, css: Path, themes: ThemeSet) -> list[Problem]:
        from ..check.accessibility import theme_contrast_problems

        # A theme may import the others: any change in the set measures again.
        inputs = tuple(path.read_bytes() for path in themes.paths)
        return self._theme_contrasts.get(
            css, inputs, lambda: theme_contrast_problems(css, themes)
        )

    def _lecture_page(self, deck: Deck, links: LectureLinks) -> str:
        # The page depends on the deck's text and where things are published.
        full_html = self.course.full_html
        inputs = (
            deck.source_hash,
            self.course.lecture_uri(deck),
            links.deck_html,
            links.deck_pdf,
            links.deck_handout,
            tuple(sorted(links.backlinks.items())),
            full_html,
        )
        return self._pages.get(
            deck.path,
            inputs,
            lambda: render_lecture(deck, links, full_html=full_html),
        )

    def _exports(self, decks: list[Deck]) -> dict[str, dict[str, Path]]:
        """The slide exports to publish: fresh, or as on disk while serving."""
        course = self.course
        formats = [] if self._checking_only else course.exports
        if not formats or not decks:
            return {}
        settings = site.export_settings(course, formats)
        # Only `mkdocs serve` watches the exports folder, and only from its
        # second build on: until then a background export would land
        # unnoticed, so builds before it wait for the exports.
        if self._watching:
            settings = replace(settings, worker=self._marp_worker)
            self._background.request(decks, course.exports_dir, settings)
            return site.published_exports(decks, course, formats)
        result = export_decks(decks, course.exports_dir, settings)
        self._exported(result)
        return result.outputs

    def _exported(self, result: ExportResult) -> None:
        self._warn_once(result.warnings)
        for notice in result.notices:
            self._notice(notice)
        if result.converted:
            log.info("Exported slides of %s", ", ".join(result.converted))
            if self._serve_site is not None:
                self._serve_now(result)

    def _serve_now(self, result: ExportResult) -> None:
        """Put fresh exports where `mkdocs serve` serves them, at once.

        The rebuild their arrival triggers reloads the browsers; until it is
        done, the deck is already served from here.
        """
        assert self._serve_site is not None
        # Only what Marp made: the other decks' exports are served already.
        fresh = {stem: result.outputs[stem] for stem in result.converted}
        for site_file in site.export_files(self._decks, self.course, fresh):
            assert site_file.source is not None
            copy_atomically(site_file.source, self._serve_site / site_file.uri)

    def _export_failed(self, error: CourseError) -> None:
        log.error(
            "Slide export failed: %s", format_problems(error.problems, self.course.root)
        )

    def _notice(self, notice: Problem) -> None:
        # Something repaired (a damaged cache entry made again): the site is
        # as a clean build makes it, so it is said without failing --strict.
        log.info(format_problems([notice], self.course.root))

    def _warn_once(self, warnings: list[str]) -> None:
        for warning in warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                log.warning(warning)

    @staticmethod
    def _add(files: Files, config: MkDocsConfig, site_file: site.SiteFile) -> None:
        existing = files.get_file_from_path(site_file.uri)
        if existing is not None:
            files.remove(existing)
        source = str(site_file.source) if site_file.source else None
        files.append(
            File.generated(
                config, site_file.uri, content=site_file.content, abs_src_path=source
            )
        )

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        assets = resources.files("coursekit") / "assets"
        for name in ("coursekit.css", "katex-init.js"):
            files.append(
                File.generated(
                    config,
                    f"{_ASSETS_URI}/{name}",
                    content=(assets / name).read_text(encoding="utf-8"),
                )
            )
        katex = self._katex_dir()
        if not katex.is_dir():
            return
        paths = [katex / name for name in _KATEX_FILES]
        paths.extend(sorted((katex / "fonts").glob("*.woff2")))
        for path in paths:
            uri = f"{_KATEX_URI}/{path.relative_to(katex).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))


def _bytecode_dir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _course_order(nav: Navigation, course: CourseConfig) -> Navigation:
    """Home first, then lectures and labs, then the hand-written pages.

    MkDocs' own order puts top-level pages before every section, which would
    bury the lectures under the guides.
    """
    sections = (f"{course.lectures_uri}/", f"{course.labs_uri}/")

    def rank(item) -> int:
        if isinstance(item, Page) and item.is_homepage:
            return 0
        first = next(iter(_pages(item)), None)
        for position, prefix in enumerate(sections, start=1):
            if first is not None and first.file.src_uri.startswith(prefix):
                return position
        return len(sections) + 1

    nav.items.sort(key=rank)
    nav.pages = list(_pages_of(nav.items))
    for previous, page in zip([None, *nav.pages], nav.pages, strict=False):
        page.previous_page = previous
        if previous is not None:
            previous.next_page = page
    if nav.pages:
        nav.pages[-1].next_page = None
    return nav


def _pages(item) -> list[Page]:
    return [item] if isinstance(item, Page) else list(_pages_of(item.children or []))


def _pages_of(items) -> list[Page]:
    return [page for item in items for page in _pages(item)]
