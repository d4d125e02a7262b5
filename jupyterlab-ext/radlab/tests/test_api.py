"""GET radlab/api/connections and GET radlab/api/connections/<name>/stat through a real Jupyter server."""

from __future__ import annotations

import json
import os

import pytest
from tornado.httpclient import HTTPClientError

from .conftest import DEFAULT_NAMES, PASSWORD, TOKEN


async def _json_error(jp_fetch, *parts, **kwargs):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*parts, **kwargs)
    response = info.value.response
    assert response.headers.get("X-Radlab-Error") == "1"
    body = json.loads(response.body)
    assert body["status"] == response.code
    return response.code, body


async def test_connections_lists_public_views(jp_fetch):
    r = await jp_fetch("radlab", "api", "connections")
    assert r.code == 200
    assert r.headers["Cache-Control"] == "no-store"
    text = r.body.decode()
    data = json.loads(text)
    assert data["errors"] == []
    by_name = {c["name"]: c for c in data["connections"]}
    assert list(by_name) == ["up", "upbearer", "hdfs", "slow", "raw", "prom", "dead", "posix"]
    assert by_name["up"]["auth"] == {"type": "basic", "username": "alice", "hasSecret": True}
    assert by_name["up"]["source"] == "jupyter"
    assert by_name["up"]["timeoutMs"] == 2000
    assert by_name["hdfs"]["auth"] == {"type": "hdfsUser", "user": "hdfs-alice", "hasSecret": False}
    assert by_name["posix"]["root"].endswith("mapr")
    for secret in (PASSWORD, TOKEN, "raw-token-123456", "RADLAB_TEST_PW", "tokenFile"):
        assert secret not in text


async def test_connections_reload_without_restart(jp_fetch, tmp_path, monkeypatch):
    path = tmp_path / "radlab.json"
    monkeypatch.setenv("RADLAB_CONFIG", str(path))
    path.write_text(
        json.dumps(
            {"connections": [{"name": "from-file", "kind": "livy", "url": "http://livy:8998"}]}
        )
    )
    names = [
        c["name"]
        for c in json.loads((await jp_fetch("radlab", "api", "connections")).body)["connections"]
    ]
    assert names[0] == "from-file"
    path.write_text(
        json.dumps({"connections": [{"name": "edited", "kind": "livy", "url": "ftp://bad"}]})
    )
    data = json.loads((await jp_fetch("radlab", "api", "connections")).body)
    names = [c["name"] for c in data["connections"]]
    assert "from-file" not in names and "edited" not in names
    assert len(data["errors"]) == 1
    err = data["errors"][0]
    assert err["code"] == "config" and err["service"] == "radlab"
    assert str(path) in err["message"] and "/connections/0/url" in err["message"]


async def test_connections_requires_auth(jp_fetch):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("radlab", "api", "connections", headers={"Authorization": "token wrong"})
    assert info.value.code == 403


async def test_stat_root_file_and_directory(jp_fetch):
    r = await jp_fetch("radlab", "api", "connections", "posix", "stat", params={"path": "/"})
    root = json.loads(r.body)
    assert root["path"] == "/" and root["type"] == "directory"
    r = await jp_fetch("radlab", "api", "connections", "posix", "stat")
    assert json.loads(r.body)["type"] == "directory"
    r = await jp_fetch(
        "radlab", "api", "connections", "posix", "stat", params={"path": "/data/scan.nii"}
    )
    f = json.loads(r.body)
    assert f["path"] == "/data/scan.nii"
    assert f["type"] == "file"
    assert f["size"] == 1234
    assert abs(f["mtime"] / 1000 - os.path.getmtime(__file__)) < 10**8  # milliseconds
    r = await jp_fetch(
        "radlab", "api", "connections", "posix", "stat", params={"path": "data/study1"}
    )
    assert json.loads(r.body) | {"mtime": 0, "size": 0} == {
        "path": "/data/study1",
        "type": "directory",
        "mtime": 0,
        "size": 0,
    }


async def test_stat_missing_is_404(jp_fetch):
    code, body = await _json_error(
        jp_fetch, "radlab", "api", "connections", "posix", "stat", params={"path": "/nope"}
    )
    assert code == 404
    assert body["code"] == "notFound" and body["service"] == "files"


@pytest.mark.parametrize(
    "path", ["/../outside-secret.txt", "../..", "/data/../../outside-secret.txt", "/escape"]
)
async def test_stat_refuses_escapes(jp_fetch, path):
    code, body = await _json_error(
        jp_fetch, "radlab", "api", "connections", "posix", "stat", params={"path": path}
    )
    assert code == 403
    assert body["code"] == "forbidden"
    assert "outside" in body["message"]


async def test_stat_needs_a_posix_connection(jp_fetch):
    code, body = await _json_error(jp_fetch, "radlab", "api", "connections", "hdfs", "stat")
    assert (code, body["code"]) == (400, "badRequest")
    code, body = await _json_error(jp_fetch, "radlab", "api", "connections", "ghost", "stat")
    assert (code, body["code"]) == (404, "notFound")


async def test_unknown_radlab_endpoint_is_json_404(jp_fetch):
    code, body = await _json_error(jp_fetch, "radlab", "api", "nothing-here")
    assert (code, body["code"], body["service"]) == (404, "notFound", "radlab")


class TestDefaults:
    """Nothing configured: the local stack's Prometheus from shared/defaults.json."""

    @pytest.fixture
    def jp_server_config(self, prometheus):
        from traitlets.config import Config

        return Config({"ServerApp": {"jpserver_extensions": {"radlab": True}}})

    async def test_defaults_and_proxy(self, jp_fetch):
        data = json.loads((await jp_fetch("radlab", "api", "connections")).body)
        assert [c["name"] for c in data["connections"]] == DEFAULT_NAMES
        assert data["connections"][0]["source"] == "defaults"
        r = await jp_fetch(
            "radlab", "proxy", "local-prometheus", "api", "v1", "status", "buildinfo"
        )
        assert json.loads(r.body)["status"] == "success"


class TestEnvConfig:
    @pytest.fixture
    def jp_server_config(self, monkeypatch, upstream):
        from traitlets.config import Config

        monkeypatch.setenv(
            "RADLAB_CONNECTIONS",
            json.dumps(
                [
                    {"name": "envconn", "kind": "livy", "url": upstream.url},
                    {"name": "broken", "kind": "livy"},
                ]
            ),
        )
        return Config({"ServerApp": {"jpserver_extensions": {"radlab": True}}})

    async def test_env_connections_and_errors(self, jp_fetch):
        data = json.loads((await jp_fetch("radlab", "api", "connections")).body)
        assert [c["name"] for c in data["connections"]] == ["envconn"]
        assert data["connections"][0]["source"] == "env"
        assert data["errors"][0]["message"].startswith("RADLAB_CONNECTIONS: ")
        assert ": /1/url is required" in data["errors"][0]["message"]
        assert data["errors"][0]["connection"] == "broken"
        r = await jp_fetch("radlab", "proxy", "envconn", "echo")
        assert json.loads(r.body)["path"] == "/base/echo"
