from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import tornado.httpserver
import tornado.testing
import tornado.web
from traitlets.config import Config

from radlab.config import defaults_path
from radlab.redact import clear_registered_secrets

pytest_plugins = ["pytest_jupyter.jupyter_server"]

REPO = Path(__file__).resolve().parents[3]
PROMETHEUS_URL = os.environ.get("RADLAB_TEST_PROMETHEUS_URL", "http://127.0.0.1:9090")
DRILL_URL = os.environ.get("RADLAB_TEST_DRILL_URL", "http://127.0.0.1:8047")

PASSWORD = "sup3r-secret-pw"
TOKEN = "tok-abcdef1234567890"
BIG_SIZE = 8 * 1024 * 1024
RANGE_DATA = bytes(range(256)) * 40


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for var in ("RADLAB_CONNECTIONS", "RADLAB_CONFIG", "KUBECONFIG", "KUBERNETES_SERVICE_HOST"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "radlab-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    clear_registered_secrets()
    yield


# ------------------------------------------------------------------------------------------
# a real upstream HTTP service on 127.0.0.1:<random port>, base path /base


class _Base(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

    def compute_etag(self):
        return None


@tornado.web.stream_request_body
class EchoHandler(_Base):
    def prepare(self):
        self.size = 0
        self.sha = hashlib.sha256()

    def data_received(self, chunk):
        self.size += len(chunk)
        self.sha.update(chunk)

    def _reply(self, *args):
        # what arrived, for tests that look at the injected credential (the proxy masks it in
        # the echo it passes back)
        self.settings["seen"].append(dict(self.request.headers.get_all()))
        self.set_header("Content-Type", "application/json")
        self.finish(
            json.dumps(
                {
                    "method": self.request.method,
                    "path": self.request.path,
                    "query": self.request.query,
                    "headers": list(self.request.headers.get_all()),
                    "bodySize": self.size,
                    "bodySha256": self.sha.hexdigest(),
                }
            )
        )

    get = post = put = delete = patch = options = _reply

    def head(self, *args):
        self.set_header("Content-Type", "application/json")
        self.set_header("X-Echo-Method", "HEAD")
        self.finish()


class RedirectHandler(_Base):
    def get(self, which):
        targets = {
            "in": "/base/echo?from=redirect",
            "rel": "echo?from=relative",
            "out": "http://203.0.113.7/evil",
            "up": "/other/place",
            "abs-in": f"http://127.0.0.1:{self.settings['port']}/base/echo",
        }
        self.set_status(307 if which == "rel" else 302)
        self.set_header("Location", targets[which])
        self.finish("redirecting")


class RangeHandler(_Base):
    def get(self):
        self.set_header("Accept-Ranges", "bytes")
        self.set_header("Content-Type", "application/octet-stream")
        m = re.fullmatch(r"bytes=(\d+)-(\d+)", self.request.headers.get("Range", ""))
        if not m:
            self.finish(RANGE_DATA)
            return
        start, end = int(m.group(1)), int(m.group(2))
        self.set_status(206)
        self.set_header("Content-Range", f"bytes {start}-{end}/{len(RANGE_DATA)}")
        self.finish(RANGE_DATA[start : end + 1])


class BigHandler(_Base):
    async def get(self):
        self.set_header("Content-Type", "application/octet-stream")
        block = bytes(range(256)) * 256  # 64 KiB
        for _ in range(BIG_SIZE // len(block)):
            self.write(block)
            await self.flush()
        self.finish()


class GateHandler(_Base):
    """Sends a first chunk, then waits for the test to have received it through the proxy."""

    async def get(self):
        self.set_header("Content-Type", "text/plain")
        # longer than what the masker holds back (the longest secret form) of a text answer
        self.write(b"first-chunk;" * 64)
        await self.flush()
        await asyncio.wait_for(self.settings["gate"].wait(), 10)
        self.finish(b"second-chunk")


class UnauthorizedHandler(_Base):
    def get(self):
        self.set_status(401)
        self.set_header("WWW-Authenticate", 'Basic realm="upstream"')
        self.set_header("Set-Cookie", "upstream-session=abc")
        self.set_header("Content-Type", "text/plain")
        self.finish("denied; you sent: " + self.request.headers.get("Authorization", "nothing"))


class EchoPageHandler(_Base):
    """An error page that prints the request's Authorization header (as debug pages of servlet
    containers and proxies do), gzipped when the client accepts it (`always`: even if not,
    `br`: labelled as brotli), or written a few bytes at a time."""

    async def get(self, mode):
        self.set_status(400)
        self.set_header("Content-Type", "text/html")
        page = (
            "<html><body>bad request; headers: Authorization="
            + self.request.headers.get("Authorization", "none")
            + "; Accept-Encoding="
            + self.request.headers.get("Accept-Encoding", "none")
            + "</body></html>"
        ).encode()
        accepts_gzip = "gzip" in self.request.headers.get("Accept-Encoding", "")
        if mode == "trickle":
            self.set_status(200)
            for i in range(0, len(page), 5):
                self.write(page[i : i + 5])
                await self.flush()
            return self.finish()
        if mode == "br":
            self.set_header("Content-Encoding", "br")
            return self.finish(page)
        if mode == "always" or (mode == "gzip" and accepts_gzip):
            self.set_header("Content-Encoding", "gzip")
            page = gzip.compress(page)
        self.finish(page)


class SlowHandler(_Base):
    async def get(self):
        await asyncio.sleep(3)
        self.finish("late")


class HopHandler(_Base):
    def get(self):
        self.set_header("X-Hop", "must-go")
        self.set_header("Connection", "X-Hop")
        self.set_header("Keep-Alive", "timeout=5")
        self.add_header("Set-Cookie", "a=b")
        self.set_header("Access-Control-Allow-Origin", "https://evil.example")
        self.set_header("Access-Control-Allow-Credentials", "true")
        self.set_header("Content-Security-Policy", "script-src *")
        self.set_header("X-Kept", "yes")
        self.add_header("Link", "</a>; rel=a")
        self.add_header("Link", "</b>; rel=b")
        self.finish("ok")


class Upstream:
    def __init__(self, port: int, gate: asyncio.Event, seen: list[dict[str, str]]):
        self.port = port
        self.gate = gate
        self.seen = seen  # the headers of each request the echo handler answered
        self.url = f"http://127.0.0.1:{port}/base"


@pytest.fixture
def upstream(jp_asyncio_loop):
    sock, port = tornado.testing.bind_unused_port()
    gate = asyncio.Event()
    app = tornado.web.Application(
        [
            (r"/base/echo.*", EchoHandler),
            (r"/base/redirect-([a-z-]+)", RedirectHandler),
            (r"/base/range", RangeHandler),
            (r"/base/big", BigHandler),
            (r"/base/gate", GateHandler),
            (r"/base/unauthorized", UnauthorizedHandler),
            (r"/base/slow", SlowHandler),
            (r"/base/reflect-(gzip|always|br|trickle)", EchoPageHandler),
            (r"/base/hop", HopHandler),
            (r"/other/.*", EchoHandler),
        ],
        port=port,
        gate=gate,
        seen=[],
    )

    async def start():
        server = tornado.httpserver.HTTPServer(app)
        server.add_socket(sock)
        return server

    server = jp_asyncio_loop.run_until_complete(start())
    yield Upstream(port, gate, app.settings["seen"])
    server.stop()
    jp_asyncio_loop.run_until_complete(server.close_all_connections())


class RawUpstream:
    """An HTTP/1.1 server written by hand, answering with hop-by-hop headers tornado would fix."""

    RESPONSE = (
        b"HTTP/1.1 200 OK\r\n"
        b"Connection: X-Hop, close\r\n"
        b"X-Hop: must-go\r\n"
        b"Keep-Alive: timeout=5\r\n"
        b"Trailer: X-Trail\r\n"
        b"Upgrade: h2c\r\n"
        b"Proxy-Authenticate: Basic\r\n"
        b"Set-Cookie: raw=1\r\n"
        b"X-Kept: yes\r\n"
        b"Content-Length: 2\r\n"
        b"\r\n"
        b"ok"
    )

    def __init__(self):
        self.requests: list[bytes] = []
        self.url = ""

    async def handle(self, reader, writer):
        data = await reader.readuntil(b"\r\n\r\n")
        self.requests.append(data)
        writer.write(self.RESPONSE)
        await writer.drain()
        writer.close()


@pytest.fixture
def raw_upstream(jp_asyncio_loop):
    raw = RawUpstream()
    server = jp_asyncio_loop.run_until_complete(asyncio.start_server(raw.handle, "127.0.0.1", 0))
    raw.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    yield raw
    server.close()


# ------------------------------------------------------------------------------------------
# the local stack's Prometheus


def answers_200(url: str) -> bool:
    """Whether a local-stack service answers `url` with 200 (within 2 s)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310
            return r.status == 200
    except OSError:
        return False


def _prometheus_ready() -> bool:
    return answers_200(PROMETHEUS_URL + "/-/ready")


@pytest.fixture(scope="session")
def prometheus():
    """The real Prometheus of the local stack; started with scripts/services/prometheus if needed."""
    if not _prometheus_ready():
        script = REPO / "scripts" / "services" / "prometheus"
        subprocess.run([str(script), "start"], check=True, timeout=300)
    assert _prometheus_ready(), f"Prometheus does not answer on {PROMETHEUS_URL}"
    return PROMETHEUS_URL


# ------------------------------------------------------------------------------------------
# the local stack's Drill (a Jetty server)


def _drill_answers() -> bool:
    return answers_200(DRILL_URL + "/status")


@pytest.fixture(scope="session")
def drill():
    """The real Drill of the local stack; started with scripts/services/drill if needed (the first
    start installs it with Maven, then takes 10-40 s). Left running, like the Prometheus fixture."""
    if not _drill_answers():
        missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
        if missing:
            pytest.skip(
                f"Apache Drill is not running and {', '.join(missing)} is missing to start it"
            )
        script = REPO / "scripts" / "services" / "drill"
        subprocess.run([str(script), "start"], check=True, timeout=900)
    assert _drill_answers(), f"Drill does not answer on {DRILL_URL}"
    return DRILL_URL


# ------------------------------------------------------------------------------------------
# server config with connections to the upstream, Prometheus, a dead port and a posix root


@pytest.fixture
def posix_root(tmp_path):
    root = tmp_path / "mapr"
    (root / "data" / "study1").mkdir(parents=True)
    (root / "data" / "scan.nii").write_bytes(b"x" * 1234)
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("outside")
    (root / "escape").symlink_to(outside)
    return root


@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text(TOKEN + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def radlab_connections(upstream, raw_upstream, prometheus, posix_root, token_file, monkeypatch):
    monkeypatch.setenv("RADLAB_TEST_PW", PASSWORD)
    return [
        {
            "name": "up",
            "kind": "drill",
            "url": upstream.url,
            "auth": {"type": "basic", "username": "alice", "passwordEnv": "RADLAB_TEST_PW"},
            "timeoutMs": 2000,
        },
        {
            "name": "upbearer",
            "kind": "livy",
            "url": upstream.url + "/",
            "auth": {"type": "bearer", "tokenFile": str(token_file)},
        },
        {
            "name": "hdfs",
            "kind": "files",
            "protocol": "webhdfs",
            "url": upstream.url,
            "auth": {"type": "hdfsUser", "user": "hdfs-alice"},
        },
        {
            "name": "slow",
            "kind": "livy",
            "url": upstream.url,
            "auth": {"type": "none"},
            "timeoutMs": 300,
        },
        {
            "name": "raw",
            "kind": "kubernetes",
            "url": raw_upstream.url,
            "auth": {"type": "bearer", "token": "raw-token-123456"},
        },
        {"name": "prom", "kind": "prometheus", "url": prometheus, "timeoutMs": 5000},
        {"name": "dead", "kind": "drill", "url": "http://127.0.0.1:1", "timeoutMs": 3000},
        {"name": "posix", "kind": "files", "protocol": "posix", "root": str(posix_root)},
    ]


@pytest.fixture
def jp_server_config(radlab_connections):
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"radlab": True}},
            "Radlab": {"connections": radlab_connections},
        }
    )


# The local stack grows (shared/defaults.json); tests of the defaults follow it.
DEFAULT_NAMES = [
    c["name"] for c in json.loads(defaults_path().read_text(encoding="utf-8"))["connections"]
]


@pytest.fixture
def server_log(jp_serverapp):
    """Every record the Jupyter server's log, tornado's and the root logger receive."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record not in records:
                records.append(record)

    handler = Collect(level=logging.DEBUG)
    loggers = [jp_serverapp.log, logging.getLogger("tornado.application"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(handler)
    yield records
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def fetch(http_server_client, jp_auth_header, jp_base_url):
    """A raw fetch: the path is sent as written (jp_fetch would percent-encode attack paths)."""

    def _fetch(path, *, headers=None, auth=True, **kwargs):
        all_headers = dict(jp_auth_header) if auth else {}
        all_headers.update(headers or {})
        kwargs.setdefault("raise_error", False)
        kwargs.setdefault("follow_redirects", False)
        kwargs.setdefault("request_timeout", 30)
        return http_server_client.fetch(jp_base_url + path, headers=all_headers, **kwargs)

    return _fetch


def assert_radlab_error(response, status, code):
    assert response.code == status, response.body[:500]
    assert response.headers.get("X-Radlab-Error") == "1"
    assert response.headers["Content-Type"].startswith("application/json")
    body = json.loads(response.body)
    assert body["code"] == code
    assert body["status"] == status
    assert body["message"] and body["hint"]
    assert body["service"] in ("drill", "livy", "files", "kubernetes", "prometheus", "radlab")
    return body
