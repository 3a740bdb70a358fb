"""Every coursekit module imports where POSIX-only modules do not exist.

Windows has no fcntl, termios, pwd, grp or resource: a module that imports
one at the top stops `mkdocs serve` on every Windows laptop before it starts.
A fresh interpreter is given an import hook that refuses them, as Windows'
Python would, and then imports each coursekit module.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from test_architecture import MODULES

POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")

IMPORT_ALL = textwrap.dedent(
    """
    import importlib, importlib.abc, json, sys

    POSIX_ONLY = set(sys.argv[1].split(","))
    # psutil loads its platform's backend: on Linux _pslinux, which needs
    # `resource`; on Windows _pswindows, which does not. It comes first.
    import psutil

    class WindowsHasNoSuchModule(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in POSIX_ONLY:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    # Refused from now on, and forgotten if the interpreter's start loaded one.
    sys.meta_path.insert(0, WindowsHasNoSuchModule())
    for name in POSIX_ONLY:
        sys.modules.pop(name, None)

    refused = []
    for name in POSIX_ONLY:
        try:
            importlib.import_module(name)
        except ImportError:
            refused.append(name)

    failures = {}
    for module in sys.argv[2:]:
        try:
            importlib.import_module(module)
        except Exception as error:
            failures[module] = f"{type(error).__name__}: {error}"
    print(json.dumps({"refused": refused, "failures": failures}))
    """
)


def test_every_module_imports_without_posix_only_modules():
    modules = [module.removesuffix(".__init__") for module in MODULES]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, ",".join(POSIX_ONLY), *modules],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert sorted(report["refused"]) == sorted(POSIX_ONLY), "the hook must work"
    assert report["failures"] == {}
    assert len(modules) > 40, "every module, the plugin and CLI included"
