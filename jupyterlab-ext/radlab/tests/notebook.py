"""Test support: a notebook of keyed cells executed in a real IPython kernel (nbclient), and readers
of the outputs. The kernel's environment has no RADLAB_* variables but the given ones, and its own HOME."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest


def execute_cells(
    cells: Mapping[str, str], home: Path, env: Mapping[str, str], timeout: int = 180
) -> dict[str, list[Any]]:
    """Runs the cells in order (errors allowed); returns each cell's outputs by its key."""
    pytest.importorskip("nbclient")
    pytest.importorskip("pandas")
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    for key, source in cells.items():
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["key"] = key
        nb.cells.append(cell)
    kernel_env = {k: v for k, v in os.environ.items() if not k.startswith("RADLAB_")}
    kernel_env.update(HOME=str(home), **env)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(home)}},
    )
    client.execute(env=kernel_env)
    return {cell.metadata["key"]: cell.outputs for cell in nb.cells}


def stdout(outputs: list[Any]) -> str:
    return "".join(
        o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout"
    )


def error(outputs: list[Any]) -> Any:
    """The one error output of a cell."""
    errors = [o for o in outputs if o.output_type == "error"]
    assert len(errors) == 1, outputs
    return errors[0]
