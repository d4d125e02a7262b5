"""The proxy against the local stack's real HDFS: a NameNode's DataNode redirects are followed by
the proxy into the connection's `dataNodes` only (the browser cannot reach a DataNode); HttpFS
streams data itself. Skipped, saying why, when HDFS cannot be started (an optional service)."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid

import pytest
from traitlets.config import Config

from .conftest import REPO, answers_200, assert_radlab_error

HTTPFS = f"http://127.0.0.1:{os.environ.get('RADLAB_HTTPFS_PORT', '14000')}"
WEBHDFS = f"http://127.0.0.1:{os.environ.get('RADLAB_WEBHDFS_PORT', '9870')}"
DATANODE = f"http://127.0.0.1:{os.environ.get('RADLAB_HDFS_DN_HTTP_PORT', '9864')}"
USER = os.environ.get("RADLAB_HDFS_USER", "radlab")
HOME = f"/user/{USER}"


def _ready() -> bool:
    return answers_200(f"{HTTPFS}/webhdfs/v1{HOME}?op=GETFILESTATUS&user.name={USER}") and (
        answers_200(f"{WEBHDFS}/webhdfs/v1{HOME}?op=GETFILESTATUS&user.name={USER}")
    )


@pytest.fixture(scope="module")
def hdfs():
    if not _ready():
        run = subprocess.run(
            [str(REPO / "scripts" / "services" / "hdfs"), "start"],
            capture_output=True,
            text=True,
            timeout=900,
        )
        if run.returncode != 0:
            said = [line for line in run.stderr.splitlines() if "error:" in line]
            pytest.skip(f"HDFS is not available: {said[-1] if said else run.returncode}")
    assert _ready()


@pytest.fixture
def jp_server_config(hdfs):
    user = {"type": "hdfsUser", "user": USER}
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"radlab": True}},
            "Radlab": {
                "connections": [
                    {
                        "name": "nn",
                        "kind": "files",
                        "protocol": "webhdfs",
                        "url": WEBHDFS,
                        "auth": user,
                        "dataNodes": [DATANODE],
                        "timeoutMs": 30000,
                    },
                    {
                        "name": "nn-no-dn",
                        "kind": "files",
                        "protocol": "webhdfs",
                        "url": WEBHDFS,
                        "auth": user,
                        "timeoutMs": 30000,
                    },
                    {
                        "name": "httpfs",
                        "kind": "files",
                        "protocol": "httpfs",
                        "url": HTTPFS,
                        "auth": user,
                        "timeoutMs": 30000,
                    },
                ]
            },
        }
    )


def _direct(url: str, method: str = "GET") -> bytes:
    req = urllib.request.Request(url, method=method)  # noqa: S310 (the local HDFS)
    with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 (the local HDFS)
        return r.read()


@pytest.fixture
def scratch():
    path = f"{HOME}/tests/proxy-{uuid.uuid4().hex[:8]}"
    yield path
    _direct(f"{HTTPFS}/webhdfs/v1{path}?op=DELETE&recursive=true&user.name={USER}", "DELETE")


async def test_open_follows_the_datanode_redirect(fetch):
    r = await fetch(f"radlab/proxy/nn/webhdfs/v1{HOME}/sample/studies.csv?op=OPEN&length=40")
    assert r.code == 200, r.body[:300]
    assert r.body.startswith(b"study_id,patient_id,modality")
    assert len(r.body) == 40
    # names that need encoding reach the DataNode intact
    r = await fetch(
        f"radlab/proxy/nn/webhdfs/v1{HOME}/odd%20names/a%20b%2523%23%3F%C3%A9.txt?op=OPEN"
    )
    assert r.code == 200, r.body[:300]
    assert r.body == b"odd name\n"


async def test_a_datanode_not_configured_is_refused(fetch):
    r = await fetch(f"radlab/proxy/nn-no-dn/webhdfs/v1{HOME}/sample/studies.csv?op=OPEN")
    assert_radlab_error(r, 502, "forbidden")
    assert "redirected to http://127.0.0.1:" in json.loads(r.body)["message"]


async def test_create_streams_the_body_to_the_datanode(fetch, scratch):
    body = bytes(range(256)) * (12 * 1024)  # 3 MiB: more than the proxy ever keeps in memory
    r = await fetch(
        f"radlab/proxy/nn/webhdfs/v1{scratch}/up%20load.bin?op=CREATE&overwrite=false",
        method="PUT",
        body=body,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert r.code == 201, r.body[:300]
    back = _direct(f"{HTTPFS}/webhdfs/v1{scratch}/up%20load.bin?op=OPEN&user.name={USER}")
    assert back == body
    r = await fetch(
        f"radlab/proxy/nn/webhdfs/v1{scratch}/up%20load.bin?op=APPEND",
        method="POST",
        body=b"tail",
        headers={"Content-Type": "application/octet-stream"},
    )
    assert r.code == 200, r.body[:300]
    back = _direct(f"{HTTPFS}/webhdfs/v1{scratch}/up%20load.bin?op=OPEN&user.name={USER}")
    assert back == body + b"tail"


async def test_httpfs_streams_data_itself(fetch, scratch):
    r = await fetch(
        f"radlab/proxy/httpfs/webhdfs/v1{scratch}/h.txt?op=CREATE&data=true",
        method="PUT",
        body=b"through httpfs",
        headers={"Content-Type": "application/octet-stream"},
    )
    assert r.code == 201, r.body[:300]
    r = await fetch(f"radlab/proxy/httpfs/webhdfs/v1{scratch}/h.txt?op=OPEN")
    assert r.code == 200
    assert r.body == b"through httpfs"


async def test_errors_of_the_file_system_pass_through(fetch):
    r = await fetch("radlab/proxy/nn/webhdfs/v1/restricted?op=LISTSTATUS")
    assert r.code == 403
    assert "X-Radlab-Error" not in r.headers
    assert json.loads(r.body)["RemoteException"]["exception"] == "AccessControlException"
