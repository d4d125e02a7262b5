"""GET radlab/api/contents-bytes and radlab/api/contents-list through a real Jupyter server (jp_fetch)."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from tornado.httpclient import HTTPClientError
from traitlets.config import Config

from radlab.server.files import CHUNK_SIZE, parse_range

DATA = bytes(range(256)) * 40  # 10240 bytes
BIG = CHUNK_SIZE * 3 + 12345  # several chunks


@pytest.fixture
def jp_server_config():
    # only the extension: these tests need none of conftest's connections (nor its Prometheus)
    return Config({"ServerApp": {"jpserver_extensions": {"radlab": True}}})


@pytest.fixture
def tree(jp_root_dir, tmp_path):
    root = jp_root_dir
    (root / "scan.dcm").write_bytes(DATA)
    (root / "big.nii").write_bytes(os.urandom(BIG))
    (root / "empty.dcm").write_bytes(b"")
    series = root / "ct series"
    series.mkdir()
    for i in range(3):
        (series / f"IM{i:04d}.dcm").write_bytes(bytes([i]) * (100 + i))
    (series / ".hidden.dcm").write_bytes(b"h")
    (series / "sub").mkdir()
    (root / ".secret").mkdir()
    (root / ".secret" / "x.dcm").write_bytes(b"hidden")
    outside = tmp_path / "outside.dcm"
    outside.write_bytes(b"outside the root")
    (root / "escape.dcm").symlink_to(outside)
    (series / "escape.dcm").symlink_to(outside)
    (root / "link.dcm").symlink_to(root / "scan.dcm")
    (root / "to-hidden").symlink_to(root / ".secret")
    os.mkfifo(root / "fifo.dcm")
    return root


async def _error(jp_fetch, *parts, **kwargs):
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*parts, **kwargs)
    response = info.value.response
    assert response is not None
    if response.code != 304:
        assert response.headers.get("X-Radlab-Error") == "1"
        body = json.loads(response.body)
        assert body["status"] == response.code
        return response, body
    return response, None


def _bytes(jp_fetch, path, **kwargs):
    return jp_fetch("radlab", "api", "contents-bytes", params={"path": path}, **kwargs)


# ------------------------------------------------------------------------------------ bytes


async def test_whole_file_with_validators(jp_fetch, tree):
    r = await _bytes(jp_fetch, "scan.dcm")
    assert r.code == 200
    assert r.body == DATA
    assert r.headers["Content-Length"] == str(len(DATA))
    assert r.headers["Content-Type"] == "application/octet-stream"
    assert r.headers["Accept-Ranges"] == "bytes"
    assert r.headers["ETag"].startswith('"') and r.headers["Last-Modified"]
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]


async def test_big_file_streams_every_chunk(jp_fetch, tree):
    r = await _bytes(jp_fetch, "big.nii")
    assert r.code == 200 and len(r.body) == BIG
    assert r.body == (tree / "big.nii").read_bytes()


async def test_symlink_inside_root_and_nested_path(jp_fetch, tree):
    assert (await _bytes(jp_fetch, "link.dcm")).body == DATA
    r = await _bytes(jp_fetch, "ct series/IM0002.dcm")
    assert r.body == bytes([2]) * 102


@pytest.mark.parametrize(
    ("header", "status", "start", "end"),
    [
        ("bytes=0-99", 206, 0, 99),
        ("bytes=100-", 206, 100, len(DATA) - 1),
        ("bytes=-10", 206, len(DATA) - 10, len(DATA) - 1),
        ("bytes=10000-999999", 206, 10000, len(DATA) - 1),
        ("bytes=-999999", 206, 0, len(DATA) - 1),
        ("bytes=5-5", 206, 5, 5),
    ],
)
async def test_ranges(jp_fetch, tree, header, status, start, end):
    r = await _bytes(jp_fetch, "scan.dcm", headers={"Range": header})
    assert r.code == status
    assert r.body == DATA[start : end + 1]
    assert r.headers["Content-Range"] == f"bytes {start}-{end}/{len(DATA)}"
    assert r.headers["Content-Length"] == str(end - start + 1)


async def test_range_across_chunks(jp_fetch, tree):
    start, end = CHUNK_SIZE - 10, 2 * CHUNK_SIZE + 10
    r = await _bytes(jp_fetch, "big.nii", headers={"Range": f"bytes={start}-{end}"})
    assert r.code == 206
    assert r.body == (tree / "big.nii").read_bytes()[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=20000-20010", "bytes=-0"])
async def test_unsatisfiable_range(jp_fetch, tree, header):
    response, body = await _error(
        jp_fetch,
        "radlab",
        "api",
        "contents-bytes",
        params={"path": "scan.dcm"},
        headers={"Range": header},
    )
    assert response.code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(DATA)}"
    assert body["code"] == "badRequest"


async def test_any_range_of_an_empty_file_is_unsatisfiable(jp_fetch, tree):
    assert (await _bytes(jp_fetch, "empty.dcm")).body == b""
    response, _ = await _error(
        jp_fetch,
        "radlab",
        "api",
        "contents-bytes",
        params={"path": "empty.dcm"},
        headers={"Range": "bytes=0-"},
    )
    assert response.code == 416


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=9-3", "items=0-1", "bytes=x-"])
async def test_ignored_ranges_give_the_whole_file(jp_fetch, tree, header):
    r = await _bytes(jp_fetch, "scan.dcm", headers={"Range": header})
    assert r.code == 200 and r.body == DATA


async def test_conditional_requests(jp_fetch, tree):
    first = await _bytes(jp_fetch, "scan.dcm")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    response, _ = await _error(
        jp_fetch,
        "radlab",
        "api",
        "contents-bytes",
        params={"path": "scan.dcm"},
        headers={"If-None-Match": etag},
    )
    assert response.code == 304 and response.body == b""
    response, _ = await _error(
        jp_fetch,
        "radlab",
        "api",
        "contents-bytes",
        params={"path": "scan.dcm"},
        headers={"If-Modified-Since": modified},
    )
    assert response.code == 304
    # If-Range: the range only while the file is unchanged
    r = await _bytes(jp_fetch, "scan.dcm", headers={"Range": "bytes=0-9", "If-Range": etag})
    assert r.code == 206 and r.body == DATA[:10]
    r = await _bytes(jp_fetch, "scan.dcm", headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert r.code == 200 and r.body == DATA
    # a changed file has another validator
    (tree / "scan.dcm").write_bytes(DATA[::-1])
    os.utime(tree / "scan.dcm", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    r = await _bytes(jp_fetch, "scan.dcm", headers={"If-None-Match": etag})
    assert r.code == 200 and r.body == DATA[::-1] and r.headers["ETag"] != etag


async def test_head(jp_fetch, tree):
    r = await _bytes(jp_fetch, "scan.dcm", method="HEAD")
    assert r.code == 200 and r.body == b""
    assert r.headers["Content-Length"] == str(len(DATA))


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("../outside.dcm", 400, "badRequest"),
        ("ct series/../../outside.dcm", 400, "badRequest"),
        ("/etc/passwd", 400, "badRequest"),
        (str(os.path.abspath(__file__)), 400, "badRequest"),
        # tornado turns control characters in arguments into spaces: no NUL reaches the file system
        ("scan.dcm\x00.png", 404, "notFound"),
        ("escape.dcm", 403, "forbidden"),
        ("ct series/escape.dcm", 403, "forbidden"),
        (".secret/x.dcm", 404, "notFound"),
        ("to-hidden/x.dcm", 404, "notFound"),
        ("ct series/.hidden.dcm", 404, "notFound"),
        ("missing.dcm", 404, "notFound"),
        ("ct series", 400, "badRequest"),
        ("fifo.dcm", 400, "badRequest"),
        ("", 400, "badRequest"),
    ],
)
async def test_refused_paths(jp_fetch, tree, path, status, code):
    response, body = await _error(
        jp_fetch, "radlab", "api", "contents-bytes", params={"path": path}
    )
    assert response.code == status, body
    assert body["code"] == code
    assert b"outside the root" not in response.body and b"hidden" != response.body


async def test_arguments_are_decoded_once(jp_fetch, tree):
    # %2e%2e in the path argument arrives as the literal name "%2e%2e", never as ".."
    response, body = await _error(
        jp_fetch, "radlab", "api", "contents-bytes", params={"path": "%2e%2e/outside.dcm"}
    )
    assert response.code == 404 and body["code"] == "notFound"


async def test_requires_auth(jp_fetch, tree):
    with pytest.raises(HTTPClientError) as info:
        await _bytes(jp_fetch, "scan.dcm", headers={"Authorization": "token wrong"})
    assert info.value.code == 403
    assert b"\x00\x01\x02" not in (info.value.response.body or b"")


async def test_client_going_away_mid_stream(
    jp_fetch, tree, jp_http_port, jp_auth_header, jp_base_url
):
    reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    auth = jp_auth_header["Authorization"]
    writer.write(
        f"GET {jp_base_url}radlab/api/contents-bytes?path=big.nii HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: {auth}\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and f"Content-Length: {BIG}".encode() in head
    await reader.readexactly(1000)  # the first chunk is under way; hang up in the middle
    writer.close()
    await asyncio.sleep(0.3)
    assert (await _bytes(jp_fetch, "scan.dcm")).body == DATA


# ------------------------------------------------------------------------------------ list


async def test_list_folder(jp_fetch, tree):
    r = await jp_fetch("radlab", "api", "contents-list", params={"path": "ct series"})
    data = json.loads(r.body)
    assert data["path"] == "ct series"
    assert data["truncated"] is False
    # regular files only, hidden ones and links leaving the root left out, sorted by name
    assert [(f["name"], f["size"]) for f in data["files"]] == [
        ("IM0000.dcm", 100),
        ("IM0001.dcm", 101),
        ("IM0002.dcm", 102),
    ]
    assert all(isinstance(f["mtime"], int) for f in data["files"])


async def test_list_root(jp_fetch, tree):
    r = await jp_fetch("radlab", "api", "contents-list", params={"path": ""})
    names = [f["name"] for f in json.loads(r.body)["files"]]
    assert names == ["big.nii", "empty.dcm", "link.dcm", "scan.dcm"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("..", 400),
        ("/tmp", 400),
        ("scan.dcm", 400),
        (".secret", 404),
        ("to-hidden", 404),
        ("nope", 404),
    ],
)
async def test_list_refused(jp_fetch, tree, path, status):
    response, _ = await _error(jp_fetch, "radlab", "api", "contents-list", params={"path": path})
    assert response.code == status


class TestAllowHidden:
    @pytest.fixture
    def jp_server_config(self):
        return Config(
            {
                "ServerApp": {"jpserver_extensions": {"radlab": True}},
                "ContentsManager": {"allow_hidden": True},
            }
        )

    async def test_hidden_files_are_served_when_allowed(self, jp_fetch, tree):
        assert (await _bytes(jp_fetch, ".secret/x.dcm")).body == b"hidden"
        r = await jp_fetch("radlab", "api", "contents-list", params={"path": "ct series"})
        assert ".hidden.dcm" in [f["name"] for f in json.loads(r.body)["files"]]
        # still confined to the root
        response, _ = await _error(
            jp_fetch, "radlab", "api", "contents-bytes", params={"path": "escape.dcm"}
        )
        assert response.code == 403


# ------------------------------------------------------------------------------------ unit


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("bytes=0-4", 10, (0, 4)),
        ("bytes=8-", 10, (8, 9)),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-30", 10, (0, 9)),
        ("bytes=10-", 10, False),
        ("bytes=-0", 10, False),
        ("bytes=0-", 0, False),
        ("bytes=4-2", 10, None),
        ("bytes=0-1, 3-4", 10, None),
        ("bytes=-", 10, None),
    ],
)
def test_parse_range(header, size, expected):
    assert parse_range(header, size) == expected


async def test_old_endpoint_names_are_gone(jp_fetch, tree):
    """radlab/api/files/* was renamed (contents/ for the Jupyter root, connections/<name>/stat for
    posix connections) so that nothing is confused with the `files` connection kind."""
    response, body = await _error(
        jp_fetch, "radlab", "api", "files", "bytes", params={"path": "scan.dcm"}
    )
    assert (response.code, body["code"]) == (404, "notFound")
