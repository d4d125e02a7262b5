"""The path policy against a real Jetty upstream: the local Drill behind a connection whose URL
has a path prefix (/storage/, as behind Knox or a Rancher API proxy). Nothing outside the prefix
(/status, /options.json) can be reached, however the path is spelt."""

from __future__ import annotations

import json

import pytest

from .conftest import assert_radlab_error


@pytest.fixture
def radlab_connections(radlab_connections, drill):
    return [
        *radlab_connections,
        {"name": "drillstore", "kind": "drill", "url": drill + "/storage/", "timeoutMs": 10000},
    ]


async def test_inside_the_prefix_works(fetch):
    r = await fetch("radlab/proxy/drillstore/dfs.json")
    assert r.code == 200, r.body[:300]
    assert json.loads(r.body)["name"] == "dfs"


@pytest.mark.parametrize(
    "path",
    [
        "/..;/status",
        "/..;/options.json",
        "/dfs.json/..;/..;/status",
        "/.;/..;/options.json",
        "/..;jsessionid=1/status",
        "/%u002e%u002e/status",
        "/%u002e%u002e/options.json",
        "/%u002e%u002e%u002foptions.json",
        "/%2e%2e/options.json",
        "/%2e%2e;/status",
        "/..%3B/status",
        "/%252e%252e/status",
        "/../options.json",
        "/%ef%bc%8e%ef%bc%8e/status",
    ],
)
async def test_escapes_do_not_reach_drill_outside_the_prefix(fetch, path):
    r = await fetch("radlab/proxy/drillstore" + path)
    body = assert_radlab_error(r, 400, "badRequest")
    assert body["connection"] == "drillstore"
    assert "refused proxy path" in body["message"]
    assert "127.0.0.1:8047/storage" in body["hint"]
    # neither Drill's status page nor its options list came back
    assert b"Running" not in r.body and b"debug.validate_iterators" not in r.body
