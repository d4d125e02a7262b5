"""The proxy against a real upstream (tornado on 127.0.0.1) and the local stack's Prometheus."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from .conftest import BIG_SIZE, PASSWORD, RANGE_DATA, TOKEN, assert_radlab_error


def _headers(echo):
    return {k.lower(): v for k, v in echo["headers"]}


# ------------------------------------------------------------------------------------------ Prometheus


async def test_prometheus_ready_through_proxy(fetch):
    r = await fetch("radlab/proxy/prom/-/ready")
    assert r.code == 200
    assert b"Ready" in r.body
    assert "X-Radlab-Error" not in r.headers


async def test_prometheus_buildinfo_through_proxy(fetch):
    r = await fetch("radlab/proxy/prom/api/v1/status/buildinfo")
    assert r.code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    body = json.loads(r.body)
    assert body["status"] == "success"
    assert body["data"]["version"]


async def test_prometheus_query_and_head(fetch):
    r = await fetch("radlab/proxy/prom/api/v1/query?" + urlencode({"query": "up"}))
    assert r.code == 200
    assert json.loads(r.body)["data"]["resultType"] == "vector"
    r = await fetch("radlab/proxy/prom/-/ready", method="HEAD")
    assert r.code == 200
    assert r.body == b""


async def test_prometheus_404_passes_through(fetch):
    r = await fetch("radlab/proxy/prom/no/such/page")
    assert r.code == 404
    assert "X-Radlab-Error" not in r.headers  # the service's own 404, not Radlab's


# ------------------------------------------------------------------------------------------ failures


async def test_unreachable_connection_is_502_quickly(fetch):
    started = time.monotonic()
    r = await fetch("radlab/proxy/dead/status")
    assert time.monotonic() - started < 3
    body = assert_radlab_error(r, 502, "unreachable")
    assert body["service"] == "drill"
    assert body["connection"] == "dead"
    # one voice with the TS transport; no "[Errno 111]"; the hint names the service's own URL
    assert body["message"] == (
        "Drill at http://127.0.0.1:1 is unreachable: connection refused to 127.0.0.1:1"
    )
    assert body["hint"] == (
        "Is Drill running? Check that it listens on 127.0.0.1:1 and that the URL of connection "
        "'dead' (http://127.0.0.1:1) is right."
    )


async def test_timeout_is_504(fetch):
    started = time.monotonic()
    r = await fetch("radlab/proxy/slow/slow")
    assert time.monotonic() - started < 2.5
    body = assert_radlab_error(r, 504, "timeout")
    assert body["service"] == "livy"
    assert body["connection"] == "slow"


async def test_unknown_connection_is_404(fetch):
    r = await fetch("radlab/proxy/nope/x")
    body = assert_radlab_error(r, 404, "notFound")
    assert body["service"] == "radlab"


async def test_posix_connection_has_nothing_to_proxy(fetch):
    r = await fetch("radlab/proxy/posix/x")
    assert_radlab_error(r, 400, "badRequest")


@pytest.mark.parametrize(
    "path",
    [
        "/..",
        "/../other/place",
        "/echo/../../other/place",
        "/..;/other/place",
        "/..;/..;/other/place",
        "/echo/..;/..;/other/place",
        "/%u002e%u002e/other/place",
        "/%u002e%u002e%u002fother/place",
        "/%2e%2e/other/place",
        "/%2E%2e/other/place",
        "/.%2e/other",
        "/echo%2f..%2f..%2fother",
        "/echo%2F%2E%2E",
        "/echo%5c..%5cother",
        "/%252e%252e/other",
        "/echo%252fx",
        "/%c0%ae%c0%ae/other",
        "/echo%00",
        "/.../other",
    ],
)
async def test_traversal_refused(fetch, path):
    r = await fetch("radlab/proxy/up" + path)
    body = assert_radlab_error(r, 400, "badRequest")
    assert "refused" in body["message"]
    assert body["service"] == "drill" and body["connection"] == "up"
    assert "/base" in body["hint"]  # names the service's own URL


@pytest.mark.parametrize(
    ("path", "sent"),
    [
        ("/./echo", "/base/echo"),
        ("/echo/x/../y", "/base/echo/y"),
        ("//echo//x", "/base/echo/x"),
        ("/echo/http://evil.example/x", "/base/echo/http:/evil.example/x"),
        ("/echo/a%20b/100%25.txt", "/base/echo/a%20b/100%25.txt"),
        ("/echo/scan%231;v=2%3F.dcm", "/base/echo/scan%231%3Bv=2%3F.dcm"),
        ("/echo/%C3%BCber%20%E4%B8%AD.nii/", "/base/echo/%C3%BCber%20%E4%B8%AD.nii/"),
    ],
)
async def test_paths_are_resolved_and_sent_canonically(fetch, path, sent):
    r = await fetch("radlab/proxy/up" + path)
    assert r.code == 200, r.body
    assert json.loads(r.body)["path"] == sent


async def test_refusal_is_one_quiet_log_line(fetch, server_log):
    r = await fetch("radlab/proxy/up/..;/..;/other/place")
    assert_radlab_error(r, 400, "badRequest")
    assert not [rec for rec in server_log if rec.exc_info or rec.levelno >= logging.ERROR]
    refusals = [rec for rec in server_log if "refused" in rec.getMessage()]
    assert len(refusals) == 1
    assert refusals[0].levelno == logging.INFO


# ------------------------------------------------------------------------------------------ headers


async def test_credentials_injected_and_client_secrets_stripped(fetch, jp_auth_header, upstream):
    r = await fetch(
        "radlab/proxy/up/echo/x?a=1&b=two%20words",
        headers={
            "Cookie": "_xsrf=abc; username-127-0-0-1=jupyter-session",
            "X-XSRFToken": "abc",
            "Origin": "http://127.0.0.1",
            "Referer": "http://127.0.0.1/lab",
            "X-Custom": "kept",
            "Connection": "X-Drop-Me",
            "X-Drop-Me": "gone",
            "Proxy-Authorization": "Basic Zm9vOmJhcg==",
            "Accept": "application/json",
        },
    )
    assert r.code == 200, r.body
    echo = json.loads(r.body)
    h = _headers(echo)
    expected = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert upstream.seen[-1]["Authorization"] == f"Basic {expected}"
    assert h["authorization"] == "Basic ***"  # the echo of it is masked on the way back
    assert h["accept-encoding"] == "identity"
    assert jp_auth_header["Authorization"] not in json.dumps(echo)
    for gone in ("cookie", "x-xsrftoken", "origin", "referer", "x-drop-me", "proxy-authorization"):
        assert gone not in h, gone
    assert h["x-custom"] == "kept"
    assert h["accept"] == "application/json"
    assert h["host"].startswith("127.0.0.1:")
    assert echo["path"] == "/base/echo/x"
    assert echo["query"] == "a=1&b=two%20words"
    assert echo["method"] == "GET"


async def test_bearer_from_token_file(fetch, upstream):
    r = await fetch("radlab/proxy/upbearer/echo")
    assert r.code == 200
    assert upstream.seen[-1]["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in r.body.decode()


async def test_hdfs_user_replaces_client_user_name(fetch, jp_serverapp):
    token = jp_serverapp.identity_provider.token
    r = await fetch(
        f"radlab/proxy/hdfs/echo/webhdfs/v1/data?op=LISTSTATUS&user.name=root&token={token}",
        auth=False,
    )
    assert r.code == 200, r.body
    echo = json.loads(r.body)
    assert echo["query"] == "op=LISTSTATUS&user.name=hdfs-alice"
    assert token not in json.dumps(echo)
    assert "authorization" not in _headers(echo)


async def test_hop_by_hop_cookies_and_cors_dropped_from_response(fetch):
    r = await fetch("radlab/proxy/up/hop")
    assert r.code == 200
    assert r.body == b"ok"
    assert "Keep-Alive" not in r.headers
    assert "Access-Control-Allow-Credentials" not in r.headers
    assert "evil" not in r.headers.get("Access-Control-Allow-Origin", "")
    # Jupyter may set its own login cookie; the service's never passes
    assert not any("a=b" in c for c in r.headers.get_list("Set-Cookie"))
    assert r.headers["X-Kept"] == "yes"
    assert r.headers.get_list("Link") == ["</a>; rel=a", "</b>; rel=b"]
    csp = r.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src *" not in csp


async def test_upstream_401_passes_without_the_secret(fetch):
    r = await fetch("radlab/proxy/up/unauthorized")
    assert r.code == 401
    assert "X-Radlab-Error" not in r.headers
    assert not any("upstream-session" in c for c in r.headers.get_list("Set-Cookie"))
    assert "WWW-Authenticate" not in r.headers
    text = r.body.decode()
    assert text.startswith("denied; you sent: Basic ")
    assert PASSWORD not in text
    assert base64.b64encode(f"alice:{PASSWORD}".encode()).decode() not in text
    # masked bodies stream as they come (chunked); a length, when there is one, is the masked one
    if "Content-Length" in r.headers:
        assert int(r.headers["Content-Length"]) == len(r.body)


# ------------------------------------------------------------------------------------------ echoes

CREDENTIAL = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()


@pytest.mark.parametrize(
    "mode",
    [
        "gzip",  # gzips because the browser accepts it: the proxy asks for identity instead
        "always",  # gzips although asked for identity: decoded here, then masked
    ],
)
async def test_gzip_echo_of_the_credential_comes_back_masked(fetch, mode):
    r = await fetch(
        f"radlab/proxy/up/reflect-{mode}",
        headers={"Accept-Encoding": "gzip, deflate, br"},
        decompress_response=False,
    )
    assert r.code == 400
    assert "Content-Encoding" not in r.headers
    assert r.body.startswith(b"<html>")  # plain bytes: nothing for the browser to decode
    assert b"Accept-Encoding=identity" in r.body
    assert b"Authorization=Basic ***" in r.body
    assert CREDENTIAL.encode() not in r.body and PASSWORD.encode() not in r.body


async def test_undecodable_encoding_is_refused(fetch):
    r = await fetch("radlab/proxy/up/reflect-br", decompress_response=False)
    body = assert_radlab_error(r, 502, "badResponse")
    assert "br" in body["message"]
    assert CREDENTIAL.encode() not in r.body


async def test_echo_split_across_chunks_is_masked(fetch):
    received = bytearray()
    r = await fetch("radlab/proxy/up/reflect-trickle", streaming_callback=received.extend)
    assert r.code == 200
    assert b"Authorization=Basic ***" in received
    assert CREDENTIAL.encode() not in received


async def test_bearer_echo_masked(fetch):
    r = await fetch("radlab/proxy/upbearer/reflect-gzip", headers={"Accept-Encoding": "gzip"})
    assert b"Authorization=Bearer ***" in r.body
    assert TOKEN.encode() not in r.body


async def test_accept_encoding_passes_when_nothing_is_injected(fetch):
    r = await fetch("radlab/proxy/hdfs/echo/x", headers={"Accept-Encoding": "gzip"})
    assert _headers(json.loads(r.body))["accept-encoding"] == "gzip"


# ------------------------------------------------------------------------------------------ redirects


async def test_redirect_inside_base_is_rewritten(fetch, jp_base_url):
    r = await fetch("radlab/proxy/up/redirect-in")
    assert r.code == 302
    assert r.headers["Location"] == jp_base_url + "radlab/proxy/up/echo?from=redirect"
    r = await fetch("radlab/proxy/up/redirect-rel")
    assert r.code == 307
    assert r.headers["Location"] == jp_base_url + "radlab/proxy/up/echo?from=relative"
    r = await fetch("radlab/proxy/up/redirect-abs-in")
    assert r.headers["Location"] == jp_base_url + "radlab/proxy/up/echo"


@pytest.mark.parametrize("which", ["out", "up"])
async def test_redirect_off_base_is_refused(fetch, which):
    r = await fetch(f"radlab/proxy/up/redirect-{which}")
    body = assert_radlab_error(r, 502, "forbidden")
    assert "not configured" in body["message"]
    assert body["service"] == "drill"
    assert "Location" not in r.headers


# ------------------------------------------------------------------------------------------ streaming


async def test_range_passes_through(fetch):
    r = await fetch("radlab/proxy/up/range", headers={"Range": "bytes=10-19"})
    assert r.code == 206
    assert r.body == RANGE_DATA[10:20]
    assert r.headers["Content-Range"] == f"bytes 10-19/{len(RANGE_DATA)}"
    assert r.headers["Accept-Ranges"] == "bytes"


async def test_large_body_streams_intact(fetch):
    received = bytearray()
    r = await fetch("radlab/proxy/up/big", streaming_callback=received.extend)
    assert r.code == 200
    block = bytes(range(256)) * 256
    assert len(received) == BIG_SIZE
    assert (
        hashlib.sha256(received).hexdigest()
        == hashlib.sha256(block * (BIG_SIZE // len(block))).hexdigest()
    )


async def test_response_is_streamed_not_buffered(fetch, upstream):
    """The upstream holds back its second chunk until the first one reached the client."""
    chunks = []

    def on_chunk(chunk):
        chunks.append(chunk)
        upstream.gate.set()

    r = await fetch("radlab/proxy/up/gate", streaming_callback=on_chunk, request_timeout=15)
    assert r.code == 200
    assert b"".join(chunks) == b"first-chunk;" * 64 + b"second-chunk"
    assert chunks[0].startswith(b"first-chunk")


async def test_upload_streams_to_upstream(fetch):
    payload = bytes(range(256)) * 4096 * 5  # 5 MiB

    async def producer(write):
        for i in range(0, len(payload), 256 * 1024):
            await write(payload[i : i + 256 * 1024])

    # chunked upload (no Content-Length)
    r = await fetch("radlab/proxy/up/echo/upload", method="PUT", body_producer=producer)
    assert r.code == 200, r.body
    echo = json.loads(r.body)
    assert echo["method"] == "PUT"
    assert echo["bodySize"] == len(payload)
    assert echo["bodySha256"] == hashlib.sha256(payload).hexdigest()
    # with Content-Length
    r = await fetch("radlab/proxy/up/echo/upload", method="POST", body=payload[:12345])
    echo = json.loads(r.body)
    assert echo["bodySize"] == 12345
    assert _headers(echo)["content-length"] == "12345"


@pytest.mark.parametrize("method", ["DELETE", "PATCH", "OPTIONS", "POST"])
async def test_other_methods(fetch, method):
    body = b"{}" if method in ("PATCH", "POST") else None
    r = await fetch(
        "radlab/proxy/up/echo/m", method=method, body=body, allow_nonstandard_methods=True
    )
    assert r.code == 200, r.body
    assert json.loads(r.body)["method"] == method


# ------------------------------------------------------------------------------------------ auth/XSRF


async def test_proxy_requires_login(fetch):
    r = await fetch("radlab/proxy/up/echo", auth=False)
    assert r.code in (302, 403)
    r = await fetch("radlab/proxy/up/echo", auth=False, method="POST", body=b"x")
    assert r.code == 403


async def _cookie_login(fetch, token):
    r = await fetch("login", auth=False)
    jar = SimpleCookie()
    for header in r.headers.get_list("Set-Cookie"):
        jar.load(header)
    xsrf = jar["_xsrf"].value
    r = await fetch(
        "login",
        auth=False,
        method="POST",
        body=urlencode({"password": token, "_xsrf": xsrf}),
        headers={"Cookie": f"_xsrf={xsrf}"},
    )
    assert r.code == 302, r.body
    for header in r.headers.get_list("Set-Cookie"):
        jar.load(header)
    cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
    return cookie, xsrf


async def test_xsrf_required_for_post_with_cookie_auth(fetch, jp_serverapp):
    cookie, xsrf = await _cookie_login(fetch, jp_serverapp.identity_provider.token)
    # GET with the session cookie only: fine
    r = await fetch("radlab/proxy/up/echo", auth=False, headers={"Cookie": cookie})
    assert r.code == 200
    # POST without the XSRF header: refused before anything reaches the service
    r = await fetch(
        "radlab/proxy/up/echo", auth=False, method="POST", body=b"x", headers={"Cookie": cookie}
    )
    body = assert_radlab_error(r, 403, "forbidden")
    assert "XSRF" in body["hint"]
    # with it: forwarded, and neither the cookie nor the XSRF token reach the service
    r = await fetch(
        "radlab/proxy/up/echo",
        auth=False,
        method="POST",
        body=b"x",
        headers={"Cookie": cookie, "X-XSRFToken": xsrf},
    )
    assert r.code == 200, r.body
    h = _headers(json.loads(r.body))
    assert "cookie" not in h and "x-xsrftoken" not in h
    assert h["authorization"].startswith("Basic ")


async def test_headers_named_in_connection_are_dropped(fetch, raw_upstream):
    """A raw HTTP/1.1 upstream (tornado would rewrite its Connection header)."""
    r = await fetch(
        "radlab/proxy/raw/anything", headers={"Connection": "X-Client-Hop", "X-Client-Hop": "1"}
    )
    assert r.code == 200
    assert r.body == b"ok"
    for gone in ("X-Hop", "Keep-Alive", "Trailer", "Upgrade", "Proxy-Authenticate"):
        assert gone not in r.headers, gone
    assert not any("raw=1" in c for c in r.headers.get_list("Set-Cookie"))
    assert r.headers["X-Kept"] == "yes"
    request = raw_upstream.requests[-1].decode("latin-1").lower()
    assert "x-client-hop" not in request
    assert "authorization: bearer raw-token-123456" in request
