"""A connection whose password variable is unset stays in JupyterLab's connections list, and the
proxy answers for it with the config problem and its fix, so the panel shows it down with the
hint (as VS Code and the CLI do) instead of the connection disappearing."""

from __future__ import annotations

import json

import pytest

from .conftest import assert_radlab_error


@pytest.fixture
def radlab_connections(radlab_connections, monkeypatch):
    monkeypatch.delenv("RADLAB_TEST_UNSET_PW", raising=False)
    return [
        *radlab_connections,
        {
            "name": "nopw",
            "kind": "drill",
            "url": "http://127.0.0.1:8047",
            "auth": {"type": "basic", "username": "ana", "passwordEnv": "RADLAB_TEST_UNSET_PW"},
        },
    ]


async def test_listed_with_its_problem(jp_fetch):
    data = json.loads((await jp_fetch("radlab", "api", "connections")).body)
    listed = {c["name"]: c for c in data["connections"]}
    nopw = listed["nopw"]
    assert nopw["url"] == "http://127.0.0.1:8047"
    assert nopw["auth"] == {"type": "basic", "username": "ana", "hasSecret": False}
    assert nopw["problem"]["code"] == "config"
    assert "RADLAB_TEST_UNSET_PW is not set" in nopw["problem"]["message"]
    assert nopw["problem"]["hint"] == (
        "Export RADLAB_TEST_UNSET_PW in the environment of the Jupyter server."
    )
    # shown once: on the connection, not again among the config errors
    assert not [e for e in data["errors"] if e.get("connection") == "nopw"]


async def test_proxy_answers_with_the_problem(fetch, server_log):
    r = await fetch("radlab/proxy/nopw/status")
    body = assert_radlab_error(r, 503, "config")
    assert body["service"] == "drill" and body["connection"] == "nopw"
    assert "RADLAB_TEST_UNSET_PW is not set" in body["message"]
    assert body["hint"] == "Export RADLAB_TEST_UNSET_PW in the environment of the Jupyter server."
    assert not [rec for rec in server_log if rec.exc_info]
