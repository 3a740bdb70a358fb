"""Publish the one script an offline site needs from the internet, locally.

Material's `offline` plugin makes a site that works from `file://`: it inlines
the search index and runs the search worker through the iframe-worker shim
(browsers refuse real workers on `file://`). It loads that shim from a CDN
unless a polyfill named iframe-worker is already configured, and a learner
without internet has no CDN. This plugin publishes the shim from
node_modules (`npm ci`) and configures it, so it must come before `offline`.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

SHIM_URI = "assets/javascripts/iframe-worker-shim.js"


class OfflineConfig(base.Config):
    enabled = c.Type(bool, default=True)
    shim = c.Type(str, default="node_modules/iframe-worker/shim/index.js")


class OfflineShimPlugin(BasePlugin[OfflineConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not self.config.enabled:
            return config
        if not self._shim(config).is_file():
            raise PluginError(
                f"{self.config.shim} not found: the offline site runs search "
                "through the iframe-worker shim; run `npm ci`"
            )
        polyfills = config.extra.get("polyfills") or []
        config.extra["polyfills"] = [*polyfills, SHIM_URI]
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.config.enabled:
            shim = str(self._shim(config))
            files.append(File.generated(config, SHIM_URI, abs_src_path=shim))
        return files

    def _shim(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent / self.config.shim
