"""IPython magics of Radlab: `%load_ext radlab` registers `%drill` / `%%drill` (see .drill)."""

from __future__ import annotations

from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    from .drill import DrillMagics

    ipython.register_magics(DrillMagics)


def unload_ipython_extension(ipython: Any) -> None:  # noqa: ARG001 - IPython's signature
    """Nothing to undo: IPython keeps registered magics until the kernel restarts."""
