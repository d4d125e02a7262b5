"""IPython magics of Radlab: `%load_ext radlab` registers `%drill` / `%%drill` (see .drill) and
`%livy` / `%%livy` (see .livy)."""

from __future__ import annotations

from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    from .drill import DrillMagics
    from .livy import LivyMagics

    ipython.register_magics(DrillMagics)
    ipython.register_magics(LivyMagics)


def unload_ipython_extension(ipython: Any) -> None:  # noqa: ARG001 - IPython's signature
    """Nothing to undo: IPython keeps registered magics until the kernel restarts."""
