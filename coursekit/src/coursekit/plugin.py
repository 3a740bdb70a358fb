"""The MkDocs plugin: a thin adapter from MkDocs' events to `coursekit.site`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import site
from .background import BackgroundExports
from .check.decks import check_deck
from .check.problems import format_text
from .errors import ContentError
from .export import ExportResult, export_decks, find_browser
from .notebooks import NotebookExecutionError
from .publish import SitePublication

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
_ASSETS_URI = "assets/coursekit"
_KATEX_URI = "assets/katex"
_KATEX_FILES = ("katex.min.css", "katex.min.js", "contrib/auto-render.min.js")


class CourseConfig(base.Config):
    slides_dir = c.Type(str, default="slides")
    labs_dir = c.Type(str, default="01_materials/labs")
    cache_dir = c.Type(str, default=".cache/coursekit")
    node_dir = c.Type(str, default=".")
    """The folder whose node_modules holds Marp CLI and KaTeX (`npm ci`)."""
    exports = c.ListOfItems(c.Choice(("html", "pdf")), default=["html", "pdf"])
    execute_labs = c.Type(bool, default=True)
    lab_inputs = c.ListOfItems(c.Type(str), default=["05_src", "uv.lock"])


class CoursePlugin(BasePlugin[CourseConfig]):
    def __init__(self) -> None:
        self._layout: site.CourseLayout | None = None
        self._decks: list = []
        self._publication = SitePublication()
        self._watching = False
        self._background = BackgroundExports(self._exported, self._export_failed)
        self._warned: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._publication.startup(command, dirty)

    def on_shutdown(self) -> None:
        self._background.wait()

    # First, so that every plugin's on_config sees the staging site_dir.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._publication.config(config)
        self._layout = self.course_layout(config)
        self._require_extensions(config)
        config.extra_css.append(f"{_ASSETS_URI}/coursekit.css")
        if self._katex_dir(config).is_dir():
            config.extra_css.append(f"{_KATEX_URI}/katex.min.css")
            config.extra_javascript.extend(
                f"{_KATEX_URI}/{name}" for name in _KATEX_FILES[1:]
            )
            config.extra_javascript.append(f"{_ASSETS_URI}/katex-init.js")
        else:
            log.warning(
                "KaTeX not found in %s: math shows as TeX source; run `npm ci`",
                self._katex_dir(config),
            )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            return self._add_course_files(files, config)
        except (ContentError, NotebookExecutionError) as error:
            raise PluginError(str(error)) from None

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        return nav if config.nav else _course_order(nav, self._layout)

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
        table = site.lecture_table(self._decks, self._layout, page.file.src_uri)
        return markdown.replace(site.LECTURE_TABLE_MARKER, table)

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder
    ) -> LiveReloadServer:
        for folder in (self._layout.slides_dir, self._layout.labs_dir):
            if folder.is_dir():
                server.watch(str(folder))
        # A finished background export lands here and triggers a rebuild that
        # publishes it; exports rewrite only what changed, so this settles.
        exports = site.exports_dir(self._layout)
        exports.mkdir(parents=True, exist_ok=True)
        server.watch(str(exports))
        self._watching = True
        return server

    def course_layout(self, config: MkDocsConfig) -> site.CourseLayout:
        root = Path(config.config_file_path).resolve().parent
        return site.CourseLayout(
            root=root,
            slides_dir=root / self.config.slides_dir,
            labs_dir=root / self.config.labs_dir,
            cache_dir=root / self.config.cache_dir,
            lab_inputs=tuple(root / entry for entry in self.config.lab_inputs),
        )

    def _katex_dir(self, config: MkDocsConfig) -> Path:
        return self._node_dir(config) / "node_modules/katex/dist"

    def _node_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent / self.config.node_dir

    @staticmethod
    def _require_extensions(config: MkDocsConfig) -> None:
        for name, options in _REQUIRED_EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, options)

    def _add_course_files(self, files: Files, config: MkDocsConfig) -> Files:
        layout = self._layout
        self._decks = site.find_decks(layout)
        problems = [p for deck in self._decks for p in check_deck(deck, layout)]
        if problems:
            raise PluginError(format_text(p.relative_to(layout.root) for p in problems))
        course_files = site.lecture_files(
            self._decks,
            layout,
            exports=self._exports(self._decks, config),
            use_directory_urls=config.use_directory_urls,
        )
        course_files += site.lab_files(layout, execute=self.config.execute_labs)
        conventions = site.conventions_page(layout)
        if conventions is not None:
            course_files.append(conventions)
        for site_file in course_files:
            self._add(files, config, site_file)
        self._add_assets(files, config)
        return files

    def _exports(self, decks: list, config: MkDocsConfig) -> dict[str, dict[str, Path]]:
        """The slide exports to publish: fresh, or as on disk while serving."""
        formats = self.config.exports
        if not formats or not decks:
            return {}
        settings = site.export_settings(
            self._layout, formats, find_browser(), self._node_dir(config)
        )
        out_dir = site.exports_dir(self._layout)
        # Only `mkdocs serve` watches the exports folder, and only from its
        # second build on: until then a background export would land
        # unnoticed, so builds before it wait for the exports.
        if self._watching:
            self._background.request(decks, out_dir, settings)
            return site.published_exports(decks, self._layout, formats)
        result = export_decks(decks, out_dir, settings)
        self._exported(result)
        return result.outputs

    def _exported(self, result: ExportResult) -> None:
        self._warn_once(result.warnings)
        if result.converted:
            log.info("Exported slides of %s", ", ".join(result.converted))

    def _export_failed(self, error: ContentError) -> None:
        log.error("Slide export failed: %s", error)

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
        source = site_file.source.as_posix() if site_file.source else ""
        if source.endswith(f"/{site_file.uri}"):
            # A file on disk at its site path: mkdocs-jupyter's wrapper of
            # notebook files only works with such files, not generated ones.
            file = File(
                site_file.uri,
                src_dir=source.removesuffix(site_file.uri),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        else:
            file = File.generated(
                config,
                site_file.uri,
                content=site_file.content,
                abs_src_path=source or None,
            )
        files.append(file)

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
        katex = self._katex_dir(config)
        if not katex.is_dir():
            return
        paths = [katex / name for name in _KATEX_FILES]
        paths.extend(sorted((katex / "fonts").glob("*.woff2")))
        for path in paths:
            uri = f"{_KATEX_URI}/{path.relative_to(katex).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))


def _course_order(nav: Navigation, layout: site.CourseLayout) -> Navigation:
    """Home first, then lectures and labs, then the hand-written pages.

    MkDocs' own order puts top-level pages before every section, which would
    bury the lectures under the guides.
    """
    sections = (f"{layout.lectures_uri}/", f"{layout.labs_uri}/")

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
