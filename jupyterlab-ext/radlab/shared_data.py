"""The data Python shares with @radlab/core, read from one place: radlab/schema/<name> in an installed
wheel (hatch_build.py copies it there), else the repository's shared/ folder (editable installs)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

PKG_DIR = Path(__file__).resolve().parent / "schema"
REPO_SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


def shared_file(pkg_name: str, repo_rel: str | None = None) -> Path:
    """radlab/schema/<pkg_name> in an installed wheel, else the repository's shared/<repo_rel>."""
    installed = PKG_DIR / pkg_name
    if installed.is_file():
        return installed
    repo = REPO_SHARED_DIR / (repo_rel or pkg_name)
    if repo.is_file():
        return repo
    raise FileNotFoundError(f"{pkg_name} not found in {PKG_DIR} nor {REPO_SHARED_DIR}")


@functools.cache
def load_shared(pkg_name: str) -> Any:
    """A top-level shared/<pkg_name> JSON document (errors.json, redaction.json), parsed once."""
    return json.loads(shared_file(pkg_name).read_text(encoding="utf-8"))
