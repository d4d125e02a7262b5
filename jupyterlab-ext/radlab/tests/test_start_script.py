"""`npm start` runs scripts/lab after setup: its own defaults (127.0.0.1, the repo as root) must give way
to the user's arguments instead of crashing on a trait given twice."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LAB = REPO / "scripts" / "lab"
TOKEN = "start-script-test-token"
START_TIMEOUT_S = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _root_listing(*args: str) -> list[str]:
    """Starts scripts/lab with these arguments, returns the names at the root of its contents API."""
    port = _free_port()
    cmd = [str(LAB), f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--no-browser"]
    cmd += [f"--IdentityProvider.token={TOKEN}", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/api/contents?token={TOKEN}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"scripts/lab exited with {proc.returncode}:\n{proc.stdout.read()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    return [item["name"] for item in json.load(answer)["content"]]
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer on {url} within {START_TIMEOUT_S} s")
                time.sleep(0.25)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("form", ["equals", "space"])
def test_user_root_dir_is_served(tmp_path, form):
    served = tmp_path / "my folder"
    served.mkdir()
    (served / "mine.txt").write_text("hello\n")
    args = {
        "equals": [f"--ServerApp.root_dir={served}"],
        "space": ["--notebook-dir", str(served)],
    }[form]
    assert _root_listing(*args) == ["mine.txt"]


def test_default_root_is_the_repo():
    assert "package.json" in _root_listing()
