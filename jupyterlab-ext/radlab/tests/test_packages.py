"""The package's two sides: the kernel side imports no server code, and the entry points that
Jupyter (`jupyter-config/`, `_jupyter_server_extension_points`) and IPython (`%load_ext radlab`)
use still resolve."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import radlab

CONFIG = Path(__file__).resolve().parents[2] / "jupyter-config" / "server-config" / "radlab.json"


def test_kernel_side_imports_no_server_code():
    code = (
        "import sys, radlab.kernel.magics.drill, radlab.kernel.drill_client; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tornado', 'jupyter_server') or m.startswith('radlab.server')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_entry_points_resolve():
    enabled = json.loads(CONFIG.read_text())["ServerApp"]["jpserver_extensions"]
    assert enabled == {"radlab": True}
    assert radlab._jupyter_server_extension_points() == [{"module": "radlab"}]
    assert callable(radlab._load_jupyter_server_extension)
    from radlab.kernel.magics import load_ipython_extension
    from radlab.server.extension import load_extension

    assert callable(load_extension) and callable(load_ipython_extension)
