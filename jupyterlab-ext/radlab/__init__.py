"""Radlab for JupyterLab: the server extension (connections, credential-injecting proxy, file stat),
the prebuilt lab extension, and the IPython magics (`%load_ext radlab`: `%drill` / `%%drill`).

Importing this package is cheap: jupyter_server is imported only when the server extension loads,
IPython only when the magics are loaded.
"""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    __version__ = "0.0.0.dev0"

__all__ = ["__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "@radlab/jupyterlab-ext"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "radlab"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from .server.extension import load_extension

    load_extension(serverapp)


# jupyter_server < 2 name; harmless on 2.x
load_jupyter_server_extension = _load_jupyter_server_extension


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext radlab`: registers the `%drill` line and `%%drill` cell magics."""
    from .kernel.magics import load_ipython_extension as _load

    _load(ipython)
