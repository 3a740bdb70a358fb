"""The plugin's options in `mkdocs.yml`, and the one loader of the course layout.

`CourseOptions` is the schema MkDocs validates the `coursekit:` entry of
`plugins:` against. `load_course_config` reads that entry (and the few MkDocs
settings the course needs) for the `course` command, validated by the same
schema, without loading every plugin of the site; the plugin builds the same
`CourseConfig` from the options MkDocs validated. Both go through
`coursekit.config.course_config`, so they cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from ..config import LAB_CELL_TIMEOUT, CourseConfig, course_config
from ..errors import ContentError

PLUGIN_NAME = "coursekit"


class Seconds(c.BaseConfigOption[float]):
    """A duration in seconds: a number greater than 0."""

    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise base.ValidationError(f"expected a number of seconds, got {value!r}")
        if not value > 0:
            raise base.ValidationError(f"expected more than 0 seconds, got {value}")
        return float(value)


class CourseOptions(base.Config):
    slides_dir = c.Type(str, default="slides")
    labs_dir = c.Type(str, default="01_materials/labs")
    cache_dir = c.Type(str, default=".cache/coursekit")
    node_dir = c.Type(str, default=".")
    """The folder whose node_modules holds Marp CLI and KaTeX (`npm ci`)."""
    exports = c.ListOfItems(
        c.Choice(("html", "pdf", "handout")), default=["html", "pdf", "handout"]
    )
    execute_labs = c.Type(bool, default=True)
    lab_inputs = c.ListOfItems(c.Type(str), default=["05_src", "uv.lock"])
    html = c.Choice(("safe", "full"), default="safe")
    """Raw HTML in decks: `safe` keeps what Marp keeps by default (its
    allowlist, no scripts); `full` keeps all of it, on the page and in the
    deck (Marp's `--html`): only for decks whose authors are all trusted."""
    export_timeout = Seconds(default=120)
    """Seconds a deck's export may take, plus half a second per slide."""
    browser_timeout = Seconds(default=60)
    """Seconds Marp CLI gives the browser for each step of a PDF export."""
    lab_cell_timeout = Seconds(default=LAB_CELL_TIMEOUT)
    """Seconds one lab cell may run before the build stops it."""


def from_mkdocs(config: MkDocsConfig, options: CourseOptions) -> CourseConfig:
    """The course configuration of a site MkDocs has loaded."""
    return course_config(
        Path(config.config_file_path),
        docs_dir=config.docs_dir,
        site_dir=config.site_dir,
        language=_language(config.theme.get("language")),
        options=options,
    )


def load_course_config(config_file: Path) -> CourseConfig:
    """Read the course configuration from `config_file` (a `mkdocs.yml`).

    A missing or malformed file, a missing `coursekit` plugin or an invalid
    option raises `ContentError` at the file, with the fix.
    """
    try:
        with config_file.open("rb") as stream:
            settings = yaml_load(stream)
    except OSError as error:
        raise ContentError(
            config_file,
            1,
            f"cannot read the site configuration: {error.strerror}",
            "run the command in the course repository (where mkdocs.yml is), "
            "or pass --root",
            rule="config",
        ) from None
    except ConfigurationError as error:
        raise ContentError(config_file, 1, str(error), rule="config") from None
    options = _validated(_plugin_options(settings, config_file), config_file)
    theme = settings.get("theme")
    return course_config(
        config_file,
        docs_dir=settings.get("docs_dir", "docs"),
        site_dir=settings.get("site_dir", "site"),
        language=_language(theme.get("language") if isinstance(theme, dict) else None),
        options=options,
    )


def _plugin_options(settings: dict, config_file: Path) -> dict:
    """The options of our entry of `plugins:` (a list, or a mapping by name)."""
    plugins = settings.get("plugins") or []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    else:
        entries = [
            next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
            for entry in plugins
        ]
    for name, options in entries:
        if name == PLUGIN_NAME:
            return dict(options or {})
    raise ContentError(
        config_file,
        1,
        f"the {PLUGIN_NAME} plugin is not in `plugins:`",
        f"add `- {PLUGIN_NAME}` under `plugins:`",
        rule="config",
    )


def _validated(raw: dict, config_file: Path) -> CourseOptions:
    options = CourseOptions(config_file_path=str(config_file))
    options.load_dict(raw)
    errors, _warnings = options.validate()
    if errors:
        key, error = errors[0]
        raise ContentError(
            config_file,
            1,
            f"plugin option `{PLUGIN_NAME}.{key}`: {error}",
            "fix the option under `plugins:` in mkdocs.yml",
            rule="config",
        )
    return options


def _language(language: object) -> str:
    return str(language) if language else "en"
