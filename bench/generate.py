"""Write a synthetic but realistic course folder for the build benchmark.

The course is a complete course folder as `mkdocs build` expects one: the
repository's own mkdocs.yml and Marp theme, decks with the Markdown a lecture
really uses (headings, lists, code, tables, background images, speaker notes),
generated SVG figures, lab notebooks with a little compute, and a link to the
repository's node_modules so the build finds Marp CLI.

    python -m bench.generate /tmp/course --decks 2 --slides 5 --notebooks 1
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from coursekit.export.marp import marp_command
from coursekit.fsutil import copy_source_files
from coursekit.themes import load_theme_set

REPO_ROOT = Path(__file__).resolve().parents[1]
BASELINE_CONFIG = "mkdocs-baseline.yml"

# The baseline build turns off what coursekit does beyond rendering lecture
# pages (slide exports, lab pages from cached execution) and lets
# mkdocs-jupyter execute and render every notebook on every build instead,
# from a docs folder that links the notebooks in.
BASELINE_DOCS = ".baseline-docs"
BASELINE_COURSEKIT_OPTIONS: dict[str, object] = {
    "exports": [],
    "labs_dir": ".baseline-no-labs",
}
BASELINE_JUPYTER = {
    "mkdocs-jupyter": {
        "include": ["labs/*.ipynb"],
        "execute": True,
        "allow_errors": False,
    }
}

# A line every deck and notebook carries so that an edit is a one-line change
# whose new text can be looked for in the served site.
_REVISION = re.compile(r"Last revised: \S+")
_SEED = re.compile(r"^SEED = \d+$", re.MULTILINE)

_TOPICS = (
    "Data pipelines",
    "Feature stores",
    "Model training at scale",
    "Experiment tracking",
    "Model serving",
    "Batch and online inference",
    "Monitoring and drift",
    "Data validation",
    "Continuous delivery for models",
    "Cost and latency",
    "Privacy and governance",
    "Incident response",
)
_ASPECTS = (
    "latency",
    "throughput",
    "freshness",
    "reproducibility",
    "ownership",
    "failure modes",
    "observability",
    "capacity",
    "versioning",
    "rollback",
)
_TOOLS = ("Postgres", "Kafka", "Airflow", "MLflow", "Redis", "Parquet", "Docker")
_FALLBACK_THEME = """\
/* @theme bench-theme */
@import "default";
section { font-family: "DejaVu Sans", sans-serif; }
section.lead h1 { color: #1f3a93; }
"""


@dataclass(frozen=True)
class CourseSize:
    decks: int = 12
    slides: int = 40
    images: int = 3
    notebooks: int = 12
    cells: int = 8


@dataclass(frozen=True)
class GeneratedCourse:
    root: Path
    decks: tuple[Path, ...]
    notebooks: tuple[Path, ...]
    theme: Path

    @property
    def baseline_config(self) -> Path:
        return self.root / BASELINE_CONFIG

    @property
    def marp(self) -> tuple[str, ...]:
        """The command that runs Marp CLI, as the build runs it."""
        return marp_command(self.root)


def generate_course(
    root: Path, size: CourseSize, repo_root: Path = REPO_ROOT
) -> GeneratedCourse:
    """Write the course into `root` (created; must not hold a course yet)."""
    root.mkdir(parents=True, exist_ok=True)
    config = (repo_root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / BASELINE_CONFIG).write_text(_baseline_config(config), encoding="utf-8")
    (root / "node_modules").symlink_to(repo_root / "node_modules")
    # The site's theme overrides (mkdocs.yml's custom_dir).
    (root / "overrides").symlink_to(repo_root / "overrides")
    _write(root / "docs/index.md", _HOME)

    theme_name, theme = _copy_theme(repo_root / "slides/themes", root / "slides/themes")
    images = root / "slides/images"
    decks = []
    for number in range(1, size.decks + 1):
        rng = random.Random(number)
        figures = [
            _write(images / f"{number:02d}_figure_{k}.svg", _svg(rng, k))
            for k in range(1, size.images + 1)
        ]
        deck = root / f"slides/{number:02d}_{_slug(_topic(number))}.md"
        _write(deck, _deck(number, size.slides, theme_name, figures, rng))
        decks.append(deck)
    notebooks = [
        _write_notebook(
            root / f"01_materials/labs/{number:02d}_lab.ipynb", number, size.cells
        )
        for number in range(1, size.notebooks + 1)
    ]
    link_baseline_docs(root)
    return GeneratedCourse(root, tuple(decks), tuple(notebooks), theme)


def link_baseline_docs(root: Path) -> None:
    """The baseline's docs folder: links to the pages and the notebooks, so
    the baseline always builds what the course holds at that moment."""
    docs = root / BASELINE_DOCS
    (docs / "labs").mkdir(parents=True, exist_ok=True)
    for page in (root / "docs").iterdir():
        (docs / page.name).symlink_to(page.resolve())
    for notebook in sorted((root / "01_materials/labs").glob("*.ipynb")):
        (docs / "labs" / notebook.name).symlink_to(notebook.resolve())


# What the real course's benchmark copy holds: the course's sources and
# what its build reads, as git tracks them (with uncommitted edits).
REAL_COURSE_PATHS = (
    "mkdocs.yml",
    "docs",
    "slides",
    "01_materials/labs",
    "05_src",
    "overrides",
    "uv.lock",
    ".pre-commit-config.yaml",
    ".gitignore",
)


def copy_real_course(root: Path, repo_root: Path = REPO_ROOT) -> GeneratedCourse:
    """The repository's own course, copied into `root` for the benchmark.

    A copy keeps the scenarios from touching the working tree; it is made a
    git repository, as a learner's clone is (git tells the build which files
    of 05_src are sources and which the labs write).
    """
    for name in REAL_COURSE_PATHS:
        source = repo_root / name
        if source.is_dir():
            copy_source_files(source, root / name)
        elif source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / BASELINE_CONFIG).write_text(_baseline_config(config), encoding="utf-8")
    (root / "node_modules").symlink_to(repo_root / "node_modules")
    decks = tuple(
        deck
        for deck in sorted((root / "slides").glob("*.md"))
        if "marp: true" in deck.read_text(encoding="utf-8")
    )
    notebooks = tuple(sorted((root / "01_materials/labs").glob("*.ipynb")))
    link_baseline_docs(root)
    theme = sorted((root / "slides/themes").glob("*.css"))[0]
    for command in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    return GeneratedCourse(root, decks, notebooks, theme)


def edit_deck(deck: Path, revision: str) -> None:
    """Change the deck's revision line to `revision`, adding one at the end
    (on the last slide) to a deck that has none."""
    text = deck.read_text(encoding="utf-8")
    if not _REVISION.search(text):
        deck.write_text(f"{text.rstrip()}\n\nLast revised: {revision}\n", "utf-8")
        return
    _replace(deck, _REVISION, f"Last revised: {revision}")


def edit_notebook(notebook: Path, seed: int) -> None:
    """Change the seed its simulation cell runs with."""
    lab = nbformat.read(notebook, as_version=4)
    for cell in lab.cells:
        cell.source, count = _SEED.subn(f"SEED = {seed}", cell.source)
        if count:
            nbformat.write(lab, notebook)
            return
    raise ValueError(f"{notebook}: no cell sets SEED to edit")


def edit_theme(theme: Path, revision: str) -> None:
    with theme.open("a", encoding="utf-8") as css:
        css.write(f'\nsection {{ --bench-revision: "{revision}"; }}\n')


def _replace(path: Path, pattern: re.Pattern[str], new: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = pattern.subn(new, text, count=1)
    if count != 1:
        raise ValueError(f"{path}: no text matching {pattern.pattern!r} to edit")
    path.write_text(edited, encoding="utf-8")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _baseline_config(config: str) -> str:
    """The course's mkdocs.yml with the plugins set up as for the baseline."""
    return inherited_config(
        config,
        {"coursekit": BASELINE_COURSEKIT_OPTIONS},
        added_after={"search": BASELINE_JUPYTER},
        docs_dir=BASELINE_DOCS,
    )


def inherited_config(
    config: str,
    plugin_options: dict[str, dict[str, object]],
    *,
    added_after: dict[str, dict[str, object]] | None = None,
    **settings: object,
) -> str:
    """A config file that inherits mkdocs.yml (whose text is `config`),
    changes options of its plugins, adds the plugin `added_after[name]`
    right after the plugin `name`, and sets the top-level `settings`."""
    added_after = added_after or {}
    plugins = []
    for entry in yaml.load(config, Loader=_TagTolerantLoader)["plugins"]:
        name, options = (
            next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        )
        plugins.append({name: {**(options or {}), **plugin_options.get(name, {})}})
        if name in added_after:
            plugins.append(added_after[name])
    # Lists are replaced, not merged, by INHERIT: the plugins are restated.
    return yaml.safe_dump(
        {"INHERIT": "mkdocs.yml", **settings, "plugins": plugins}, sort_keys=False
    )


class _TagTolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!!python/name:` and `!ENV` tags as plain null."""


_TagTolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _copy_theme(source_dir: Path, target_dir: Path) -> tuple[str, Path]:
    """Copy the repository's Marp theme; a stand-in when it has none yet."""
    target_dir.mkdir(parents=True, exist_ok=True)
    themes = load_theme_set(source_dir).files
    if not themes:
        return "bench-theme", _write(target_dir / "bench-theme.css", _FALLBACK_THEME)
    name, css = next(iter(themes.items()))
    return name, Path(shutil.copy2(css, target_dir / css.name))


def _topic(number: int) -> str:
    topic = _TOPICS[(number - 1) % len(_TOPICS)]
    cycle = (number - 1) // len(_TOPICS)
    return f"{topic} {cycle + 1}" if cycle else topic


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


_HOME = """\
# Benchmark course

A generated course for the build benchmark.

<!-- coursekit:lectures -->
"""


def _deck(
    number: int, slides: int, theme: str, figures: list[Path], rng: random.Random
) -> str:
    topic = _topic(number)
    parts = [
        f"---\nmarp: true\ntheme: {theme}\npaginate: true\n"
        f'title: "Lecture {number}: {topic}"\n---\n\n'
        f"<!-- _class: lead -->\n# {topic}\n\n"
        f"Lecture {number}, Production ML systems\n\n"
        "<!-- Welcome the group and say what today's lab builds. -->",
        f"## Today\n\nLast revised: r0\n\n- Why {topic.lower()} matter\n"
        "- How teams run them\n- What breaks, and how we notice",
    ]
    kinds = (_bullet_slide, _code_slide, _table_slide, _figure_slide, _quote_slide)
    for index in range(3, slides + 1):
        kind = kinds[index % len(kinds)]
        if kind is _figure_slide and not figures:
            kind = _bullet_slide
        parts.append(kind(topic, index, rng, figures))
    return "\n\n---\n\n".join(parts) + "\n"


def _aspect(rng: random.Random) -> str:
    return rng.choice(_ASPECTS)


def _bullet_slide(topic: str, index: int, rng: random.Random, figures) -> str:
    aspect = _aspect(rng)
    tool = rng.choice(_TOOLS)
    return (
        f"## {aspect.capitalize()} ({index})\n\n"
        f"- Measure {aspect} where users feel it, not where it is easy\n"
        f"    - p{rng.choice((50, 95, 99))} under {rng.randint(20, 400)} ms\n"
        f"    - counted per request, over $t = {rng.randint(1, 60)}$ minutes\n"
        f"- Keep one owner for each {tool} job\n"
        f"- Write down what *{topic.lower()}* promise downstream\n\n"
        f"<!-- Ask who has been paged for {aspect}; take two stories. -->"
    )


def _code_slide(topic: str, index: int, rng: random.Random, figures) -> str:
    size = rng.randint(2, 9) * 100
    return (
        f"## A {_aspect(rng)} check ({index})\n\n"
        "```python\n"
        "def within_budget(latencies_ms: list[float], budget_ms: float) -> bool:\n"
        "    ordered = sorted(latencies_ms)\n"
        "    p99 = ordered[int(0.99 * (len(ordered) - 1))]\n"
        "    return p99 <= budget_ms\n\n\n"
        f"print(within_budget([12.0] * {size}, budget_ms={size / 4}))\n"
        "```\n\n"
        "Run it in the lab with your own numbers."
    )


def _table_slide(topic: str, index: int, rng: random.Random, figures) -> str:
    rows = "\n".join(
        f"| {aspect} | {rng.randint(1, 9)} h | {rng.randint(1, 59)} min |"
        for aspect in rng.sample(_ASPECTS, 4)
    )
    return (
        f"## Research and production ({index})\n\n"
        "| Concern | Research | Production |\n|---|---:|---:|\n"
        f"{rows}\n\n"
        "<!-- The numbers are illustrative; the gap is the point. -->"
    )


def _figure_slide(topic: str, index: int, rng: random.Random, figures) -> str:
    figure = figures[index % len(figures)]
    return (
        f"## {topic} at a glance ({index})\n\n"
        f"![bg right:40% w:420 A pipeline diagram for {topic}]"
        f"({figure.parent.name}/{figure.name})\n\n"
        f"1. Inputs arrive every {rng.randint(1, 30)} s\n"
        f"2. A model scores them\n3. {rng.choice(_TOOLS)} keeps the results"
    )


def _quote_slide(topic: str, index: int, rng: random.Random, figures) -> str:
    return (
        f"<!-- _class: lead -->\n## Why {_aspect(rng)} matters ({index})\n\n"
        "> A model that cannot be rebuilt tomorrow is a result, not a system.\n\n"
        "The slide is a pause: ask the room for a counter-example.\n\n"
        "<!--\nGive them a minute.\nThen link back to the lab.\n-->"
    )


def _svg(rng: random.Random, index: int) -> str:
    bars = "".join(
        f'<rect x="{40 + 60 * i}" y="{260 - height}" width="40" height="{height}" '
        f'fill="#{rng.randint(0x224488, 0x88CCFF):06x}"/>'
        for i, height in enumerate(rng.randint(30, 220) for _ in range(8))
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="540" height="300" '
        'viewBox="0 0 540 300">'
        '<rect width="540" height="300" fill="#f7f7fb"/>'
        f'<text x="20" y="30" font-family="sans-serif" font-size="18">Figure {index}'
        "</text>"
        f'{bars}<line x1="30" y1="260" x2="520" y2="260" stroke="#333"/></svg>\n'
    )


def _write_notebook(path: Path, number: int, cells: int) -> Path:
    """A lab: markdown and code cells; one simulation takes about 0.25 s."""
    v4 = nbformat.v4
    notebook = v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    body = [
        v4.new_markdown_cell(
            f"# Lab {number}: measuring a pipeline\n\nLast revised: r0\n\n"
            "We simulate request latencies and check them against a budget."
        ),
        v4.new_code_cell(
            "import random\nimport statistics\n\nSEED = 0\n"
            "rng = random.Random(SEED)\n"
            "latencies = [rng.expovariate(1 / 40) for _ in range(400_000)]\n"
            "print(round(statistics.fmean(latencies), 1))"
        ),
    ]
    for index in range(len(body), cells):
        if index % 2:
            body.append(
                v4.new_code_cell(
                    f"window = latencies[{index * 1000}:{index * 1000 + 5000}]\n"
                    "ordered = sorted(window)\n"
                    "print('p99:', round(ordered[int(0.99 * len(ordered))], 1))"
                )
            )
        else:
            body.append(
                v4.new_markdown_cell(
                    f"## Step {index // 2}\n\nLook at the tail, not the mean."
                )
            )
    notebook.cells = body[:cells]
    _write(path, nbformat.writes(notebook))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="folder to write the course into")
    add_size_arguments(parser)
    args = parser.parse_args(argv)
    course = generate_course(args.root, size_from(args))
    print(
        f"{course.root}: {len(course.decks)} decks, {len(course.notebooks)} notebooks"
    )
    return 0


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    default = CourseSize()
    parser.add_argument("--decks", type=int, default=default.decks)
    parser.add_argument("--slides", type=int, default=default.slides, help="per deck")
    parser.add_argument("--images", type=int, default=default.images, help="per deck")
    parser.add_argument("--notebooks", type=int, default=default.notebooks)
    parser.add_argument("--cells", type=int, default=default.cells, help="per notebook")


def size_from(args: argparse.Namespace) -> CourseSize:
    return CourseSize(args.decks, args.slides, args.images, args.notebooks, args.cells)


if __name__ == "__main__":
    raise SystemExit(main())
