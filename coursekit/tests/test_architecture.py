"""The floor plan of coursekit, checked on its source.

Stages only know the ones before them (parse -> render -> export -> site),
MkDocs appears only in the plugin package, argparse only in command-line
entry points, and no module keeps mutable state (a cache, a registry) at
module level: state belongs to a plugin instance or a disk cache.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import coursekit

PACKAGE = Path(coursekit.__file__).parent
MODULES = sorted(
    path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
    for path in PACKAGE.rglob("*.py")
)
# What each stage may not import: the stages that come after it.
LATER_STAGES = {
    "coursekit.model": ("parse", "render", "export", "site", "plugin", "check"),
    "coursekit.parse": ("render", "export", "site", "plugin", "check"),
    "coursekit.render": ("export", "site", "plugin", "check"),
    "coursekit.export": ("site", "plugin", "check"),
    "coursekit.site": ("plugin", "check"),
}
COMMAND_LINES = ("coursekit.cli", "coursekit.hooks.")


def source(module: str) -> ast.Module:
    relative = Path(*module.split(".")[1:])
    path = PACKAGE / relative.with_suffix(".py")
    if not path.is_file():
        path = PACKAGE / relative / "__init__.py"
    return ast.parse(path.read_text(encoding="utf-8"))


def imported(module: str) -> set[str]:
    """Absolute names of the modules `module` imports."""
    names: set[str] = set()
    package = module if module.endswith("__init__") else module.rsplit(".", 1)[0]
    package = package.removesuffix(".__init__")
    for node in ast.walk(source(module)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            names.add(".".join([*base, node.module or ""]).strip("."))
    return names


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports(module):
    importlib.import_module(module.removesuffix(".__init__"))


@pytest.mark.parametrize("module", MODULES)
def test_mkdocs_only_in_the_plugin_and_argparse_only_in_command_lines(module):
    names = imported(module)
    if not module.startswith("coursekit.plugin"):
        assert not any(n == "mkdocs" or n.startswith("mkdocs.") for n in names)
    if not module.startswith(COMMAND_LINES):
        assert "argparse" not in names


@pytest.mark.parametrize("stage", sorted(LATER_STAGES))
def test_stages_know_nothing_of_later_stages(stage):
    modules = [m for m in MODULES if m == stage or m.startswith(f"{stage}.")]
    for module in modules:
        for name in imported(module):
            for later in LATER_STAGES[stage]:
                assert not name.startswith(f"coursekit.{later}"), (module, name)


CACHING_DECORATORS = {"lru_cache", "cache", "functools.lru_cache", "functools.cache"}
MUTATING_METHODS = {
    "append",
    "add",
    "clear",
    "extend",
    "insert",
    "pop",
    "popitem",
    "remove",
    "setdefault",
    "update",
}


def module_containers(tree: ast.Module) -> set[str]:
    """Names bound at module level to a dict, list or set."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
            isinstance(value, ast.Call)
            and ast.unparse(value.func) in {"dict", "list", "set", "defaultdict"}
        )
        if mutable:
            names.update(ast.unparse(target) for target in targets)
    return names


def mutated_names(tree: ast.Module) -> set[str]:
    """Names the module changes in place, rebinds with `global`, or caches in."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.update(node.names)
        elif isinstance(node, ast.Subscript) and isinstance(
            node.ctx, ast.Store | ast.Del
        ):
            found.add(ast.unparse(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in MUTATING_METHODS:
                found.add(ast.unparse(node.func.value))
        elif isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                text = ast.unparse(decorator)
                if text.split("(")[0] in CACHING_DECORATORS:
                    found.add(f"@{text} {node.name}")
    return found


@pytest.mark.parametrize("module", MODULES)
def test_no_mutable_state_at_module_level(module):
    tree = source(module)
    state = {
        name
        for name in mutated_names(tree)
        if name in module_containers(tree) or name.startswith("@")
    }
    assert not state, f"{module} keeps module-level state: {sorted(state)}"


def test_the_state_check_finds_a_module_cache():
    tree = ast.parse(
        "_PAGES: dict = {}\n"
        "def page(key):\n"
        "    if key not in _PAGES:\n"
        "        _PAGES[key] = key * 2\n"
        "    return _PAGES[key]\n"
        "@functools.lru_cache(maxsize=8)\n"
        "def parse(text): return text\n"
    )
    assert {"_PAGES", "@functools.lru_cache(maxsize=8) parse"} <= mutated_names(tree)
    assert "_PAGES" in module_containers(tree)
