# Make only sets the project up and calls the tools: every build rule lives in
# the coursekit package, so `uv run mkdocs build` gives the same site.

PYTHON ?= python3
UV_VERSION := 0.13.9
# A uv already on PATH is used as it is; otherwise a pinned one is bootstrapped
# into .tools/ so a fresh clone needs nothing but Python, Node, git and make.
UV ?= $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
RUN := $(UV) run --frozen
export UV_PYTHON_DOWNLOADS := never
# Material prints a multi-line banner about its successor on every build.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help setup serve build build-offline publish check linkcheck test bench clean

# `make publish TERM=2027-winter` names the term to publish. TERM is also the
# terminal type every shell exports: only a TERM given on make's command line
# is a term, and the tools it runs get no TERM rather than that term.
OFFERING = $(if $(filter command line,$(origin TERM)),$(TERM))
ifeq ($(origin TERM),command line)
unexport TERM
endif

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: uv.lock pyproject.toml coursekit/pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

node_modules/.installed: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

setup: .venv/.synced node_modules/.installed ## install the pinned Python and Node dependencies
	@$(RUN) course install-hooks

serve: setup ## serve the site at http://127.0.0.1:8000 with live reload
	$(RUN) mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

check: setup ## validate decks, pages, notebooks and 05_src/.env (offline)
	$(RUN) course check

# One strict build: the plugin refuses deck problems and MkDocs validates every
# page, link and anchor; `make check` adds the hygiene checks (notebook outputs,
# .env, encodings) without exporting or running labs.
build: setup ## strict build of the site into site/ (decks, links, anchors checked)
	$(RUN) mkdocs build --strict

linkcheck: setup ## check the external links (opt-in: needs the network)
	$(RUN) course linkcheck

# Material's offline plugin (OFFLINE=true in mkdocs.yml) makes the pages work
# from file://, search included; the zip holds one folder to unpack and open.
build-offline: setup ## site for learners without internet: site-offline.zip (open index.html)
	OFFLINE=true $(RUN) mkdocs build --strict --site-dir site-offline
	rm -f site-offline.zip
	$(RUN) python -m zipfile -c site-offline.zip site-offline

# Each term's site stays on gh-pages as it was taught; the newest is `latest`.
publish: setup ## publish the site as a term's offering on gh-pages: make publish TERM=2027-winter
	$(RUN) python -m offerings.publish "$(OFFERING)"

test: setup ## run every test: build system, course code, notebooks, hooks
	$(RUN) pytest -n 2

bench: setup ## time the build on this course and a generated 12-deck one (~25 min on 2 cores); writes docs/benchmarks.md
	$(RUN) python -m bench.run --output docs/benchmarks.md

clean: ## remove the built site and build caches (keeps the environments)
	rm -rf site site-offline site-offline.zip .cache
