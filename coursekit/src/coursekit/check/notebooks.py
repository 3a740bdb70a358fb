"""Lab notebooks: valid, runnable by a kernel we have, committed clean.

The lab's policy: notebooks are committed without outputs and execution
counts (the build executes them, with a cache), so a diff shows only what
the author changed and no stale or failing output is ever published.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_client.kernelspec import find_kernel_specs

from ..errors import Problem
from ..notebooks import (
    NotebookExecutionError,
    cell_line,
    cell_lines,
    read_notebook,
)


def check_notebooks(notebooks: list[Path]) -> list[Problem]:
    kernels = set(find_kernel_specs()) if notebooks else set()
    return [problem for path in notebooks for problem in check_notebook(path, kernels)]


def check_notebook(path: Path, kernels: set[str]) -> list[Problem]:
    try:
        text, notebook = read_notebook(path)
    except NotebookExecutionError as error:
        return list(error.problems)
    return [
        *_kernel_problems(path, notebook, kernels),
        *_cell_problems(path, notebook, text),
    ]


def _kernel_problems(path: Path, notebook, kernels: set[str]) -> list[Problem]:
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    if kernel in kernels:
        return []
    known = ", ".join(sorted(kernels)) or "none installed"
    what = f"kernel '{kernel}' is not installed" if kernel else "no kernel is named"
    return [
        Problem(
            path,
            1,
            1,
            "notebook-kernel",
            f"{what} (kernels: {known})",
            "pick one of the kernels in Jupyter and save the notebook",
        )
    ]


def _cell_problems(path: Path, notebook, text: str) -> list[Problem]:
    starts = cell_lines(text)
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        line = cell_line(starts, number - 1)
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors:
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    "notebook-error-output",
                    f"cell {number} has an error output "
                    f"({errors[0].get('ename', 'error')}: "
                    f"{errors[0].get('evalue', '')})",
                    "fix the cell, then clear all outputs and save",
                )
            )
        elif cell.outputs or cell.execution_count is not None:
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    "notebook-outputs",
                    f"cell {number} is committed with outputs or an execution "
                    "count; the build executes the notebook itself",
                    "clear all outputs (Edit > Clear Outputs of All Cells) and save",
                )
            )
    return problems
