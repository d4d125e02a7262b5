"""`* {base_url}radlab/proxy/<name>/<path>`: forwards to the connection's base URL + path + query,
with the credentials injected here, on the server. The browser never sees a secret.

Defences: unknown connection → 404; the path is checked and re-encoded by radlab.server.path_policy (one
policy for every kind: what is sent upstream lies under the base URL on every common server, or
the request is refused with 400 and one log line); redirects are not followed, and a redirect off
the base URL → 502 `forbidden`; hop-by-hop headers, the client's Cookie / Authorization /
X-XSRFToken (Jupyter's) and the upstream's Set-Cookie / CORS / CSP are dropped. When the proxy
injects a credential it asks for `Accept-Encoding: identity` and scrubs every answer that could
echo the request (radlab.server.scrub), decoding gzip/deflate a service sends anyway. Bodies stream both
ways (backpressure included); Range passes through.

What is particular to a kind comes from its upstream adapter (radlab.services): headers, TLS, and
for services that want a login session (Drill with `drillAuth: "form"`) how to log in. The session
cookie is kept per connection (server-side only) and sent instead of the Authorization header; a
session that has expired (the adapter recognises the answer) is renewed once and the request sent
again (bodies up to 1 MiB are kept for that).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import ssl
import zlib
from collections.abc import Awaitable
from typing import Any, Callable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import httputil, iostream, web
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.simple_httpclient import (
    HTTPStreamClosedError,
    HTTPTimeoutError,
    SimpleAsyncHTTPClient,
    _HTTPConnection,
)

from ..config import Connection
from ..errors import RadlabHTTPError, error_json
from ..network_errors import connect_failure, connect_hint, service_label
from ..redact import redact, register_secret
from ..services import Upstream, adapter_for
from .handlers import RadlabMixin
from .path_policy import (
    Base,
    PathRefused,
    Resolved,
    canonical_query,
    resolve_location,
    resolve_request,
)
from .scrub import Decoder, StreamMasker, can_carry_echo, secret_forms

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
# the client's credentials are Jupyter's, not the service's; Host/Origin/Referer name Jupyter
REQUEST_DROP = HOP_BY_HOP | {
    "host",
    "cookie",
    "authorization",
    "x-xsrftoken",
    "x-csrftoken",
    "origin",
    "referer",
    "expect",
}
RESPONSE_DROP = HOP_BY_HOP | {
    "set-cookie",
    "set-cookie2",
    # ours (default-src 'none'; sandbox) stays: upstream HTML must not run at Jupyter's origin
    "content-security-policy",
    "content-security-policy-report-only",
    "x-content-type-options",
    # a browser would pop up its own login dialog
    "www-authenticate",
    "x-radlab-error",
}
DROP_PREFIXES = ("proxy-", "access-control-")


class _Abort(Exception):
    """Raised inside tornado's client callbacks to drop the upstream connection."""


REPLAY_LIMIT = 1 << 20  # request bodies kept to resend after a renewed login session
MAX_FOLLOWED_REDIRECTS = 2  # NameNode → DataNode is one; a DataNode does not redirect again


class _LoginFailed(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def _session_key(conn: Connection) -> tuple[str, str, str, str]:
    """Sessions per connection and credentials: a changed password logs in anew."""
    digest = hashlib.sha256((conn.password or "").encode()).hexdigest()
    return (conn.name, conn.base_url or "", conn.username or "", digest)


def _sessions(settings: dict[str, Any]) -> dict[tuple[str, str, str, str], str]:
    return settings.setdefault("radlab_sessions", {})  # type: ignore[no-any-return]


async def session_login(
    settings: dict[str, Any], adapter: Upstream, conn: Connection, stale: str | None
) -> str:
    """The session cookie (`name=value`) of a connection whose service wants a login: the kept
    one unless it is `stale`, else a new login (the adapter says how). Raises _LoginFailed, or
    tornado's client errors."""
    sessions = _sessions(settings)
    key = _session_key(conn)
    current = sessions.get(key)
    if current is not None and current != stale:
        return current
    sessions.pop(key, None)
    timeout = conn.timeout_ms / 1000
    login = adapter.login_request(conn)
    request = HTTPRequest(
        (conn.base_url or "") + login.path,
        method="POST",
        headers=dict(login.headers),
        body=login.body,
        follow_redirects=False,
        connect_timeout=timeout,
        request_timeout=timeout,
        ssl_options=adapter.ssl_context(conn),
    )
    response = await get_http_client(settings).fetch(request, raise_error=False)
    if response.code == 599 and response.error is not None:
        raise response.error
    cookie = adapter.login_session(
        response.code, response.headers.get("Location"), response.headers.get_list("Set-Cookie")
    )
    if cookie is None:
        raise _LoginFailed(response.code)
    register_secret(cookie.partition("=")[2])
    sessions[key] = cookie
    return cookie


class _TrackedConnection(_HTTPConnection):
    """Lets the proxy abort an upstream request it no longer needs (client gone, timeout sent)."""

    def __init__(self, client: Any, request: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(client, request, *args, **kwargs)
        original = getattr(request, "request", request)
        register = getattr(original, "_radlab_register", None)
        if register is not None:
            register(self)


class ProxyHTTPClient(SimpleAsyncHTTPClient):
    def _connection_class(self) -> type:
        return _TrackedConnection


def get_http_client(settings: dict[str, Any]) -> ProxyHTTPClient:
    client = settings.get("radlab_http_client")
    if client is None:
        radlab = settings.get("radlab")
        client = ProxyHTTPClient(
            force_instance=True,
            max_clients=getattr(radlab, "proxy_max_clients", 64),
            # streamed bodies are never held whole; this is only tornado's sanity limit
            max_body_size=1 << 44,
            max_header_size=256 * 1024,
        )
        settings["radlab_http_client"] = client
    return client


@web.stream_request_body
class ProxyHandler(RadlabMixin, JupyterHandler):
    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")

    def initialize(self) -> None:
        self._conn: Connection | None = None
        self._resolved: Resolved | None = None
        self._target: str = ""
        self._queue: asyncio.Queue[bytes | None] | None = None
        self._task: asyncio.Future[None] | None = None
        self._done = asyncio.Event()
        self._client_gone = False
        self._abandoned = False
        self._upstream_conn: Any = None
        self._header_timer: asyncio.TimerHandle | None = None
        self._head_lines: list[str] = []
        self._head: tuple[int, str, httputil.HTTPHeaders] | None = None
        self._head_applied = False
        self._discard = False
        self._redirect_refused: str | None = None
        # a redirect into one of the adapter's further bases (a WebHDFS DataNode): followed here
        self._follow: str | None = None
        # set per answer by _apply_head: None = the body passes untouched
        self._masker: StreamMasker | None = None
        self._decoder: Decoder | None = None
        self._undecodable: str | None = None
        self._session_cookie: str | None = None  # the login session sent upstream
        self._abort_event = asyncio.Event()
        self._form = False  # the service wants a login session (Drill's FORM login)
        self._expired = False  # the upstream said the session is not (or no longer) valid
        self._replay: bytearray | None = bytearray()  # the body, for a resend; None: too big

    # ---------------------------------------------------------------------------- headers/CSP

    @property
    def content_security_policy(self) -> str:
        return super().content_security_policy + "; default-src 'none'; sandbox"

    def compute_etag(self) -> str | None:
        return None  # never turn an upstream answer into our own 304

    # ---------------------------------------------------------------------------- request

    def _raw_rest(self) -> tuple[str, str]:
        """(connection name, raw path after it) from the raw request path."""
        prefix = url_path_join(self.base_url, "radlab/proxy/")
        path = self.request.path
        if not path.startswith(prefix):
            raise RadlabHTTPError(400, "badRequest", "not a proxy URL")
        rest = path[len(prefix) :]
        name, sep, tail = rest.partition("/")
        return unquote(name), sep + tail

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        if self._finished:
            return
        await self.check_radlab_authorized()
        name, raw = self._raw_rest()
        conn = self.connection_or_404(name)
        if conn.problem is not None:
            raise RadlabHTTPError(
                503,
                "config",
                conn.problem["message"],
                service=conn.kind,
                hint=conn.problem["hint"],
                connection=name,
            )
        if not conn.base_url:
            raise RadlabHTTPError(
                400,
                "badRequest",
                f"connection {name!r} has no HTTP URL to proxy to",
                hint="A posix files connection is read from the Jupyter server's own file system "
                f"(root {conn.config.get('root')!r}), not through the proxy.",
                connection=name,
            )
        try:
            resolved = resolve_request(Base.parse(conn.base_url), raw)
        except (PathRefused, ValueError) as e:
            raise RadlabHTTPError(
                400,
                "badRequest",
                f"refused proxy path: {e}",
                service=conn.kind,
                hint="The proxy only reaches paths under the connection's base URL "
                f"({redact(conn.base_url)}).",
                connection=name,
            ) from e
        resolved = dataclasses.replace(resolved, query=canonical_query(self._upstream_query(conn)))
        self._conn, self._resolved, self._target = conn, resolved, resolved.url

        length = self.request.headers.get("Content-Length")
        chunked = "chunked" in self.request.headers.get("Transfer-Encoding", "").lower()
        try:
            has_body = chunked or (length is not None and int(length) > 0)
        except ValueError as e:
            raise RadlabHTTPError(400, "badRequest", "invalid Content-Length") from e
        if has_body:
            radlab = self.settings.get("radlab")
            limit = getattr(radlab, "proxy_max_body_size", 1 << 34)
            with contextlib.suppress(AttributeError):
                self.request.connection.set_max_body_size(limit)  # type: ignore[union-attr]
            self._queue = asyncio.Queue(maxsize=4)
        self._task = asyncio.ensure_future(self._forward(has_body))
        self._task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Future[None]) -> None:
        self._done.set()
        if not task.cancelled() and task.exception() is not None:
            self.log.error(redact(f"Radlab proxy: unexpected error: {task.exception()!r}"))

    async def data_received(self, chunk: bytes) -> None:
        if self._queue is None or self._task is None or self._task.done():
            return  # refused, or the upstream failed: drop the rest of the body
        put = asyncio.ensure_future(self._queue.put(chunk))
        await asyncio.wait({put, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if not put.done():
            put.cancel()

    async def _relay(self, *args: Any, **kwargs: Any) -> None:
        if self._task is None:
            return
        if self._queue is not None and not self._task.done():
            await self.data_received_eof()
        await self._done.wait()

    async def data_received_eof(self) -> None:
        assert self._queue is not None and self._task is not None
        put = asyncio.ensure_future(self._queue.put(None))
        await asyncio.wait({put, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if not put.done():
            put.cancel()

    @web.authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        await self._relay()

    head = post = put = delete = patch = options = get

    def on_connection_close(self) -> None:
        self._client_gone = True
        self._abort_event.set()
        self._abort_upstream("client went away")
        super().on_connection_close()

    def _upstream_query(self, conn: Connection) -> str:
        raw = self.request.query
        token = getattr(self.identity_provider, "token", None)
        pairs = parse_qsl(raw, keep_blank_values=True) if raw else []
        leaks_token = bool(token) and any(k == "token" and v == token for k, v in pairs)
        if not conn.query and not leaks_token:
            return raw
        pairs = [
            (k, v)
            for k, v in pairs
            if k not in conn.query and not (leaks_token and k == "token" and v == token)
        ]
        pairs += list(conn.query.items())
        return urlencode(pairs, quote_via=quote, safe="/:,")

    def _upstream_headers(self, conn: Connection, has_body: bool) -> httputil.HTTPHeaders:
        named = {
            t.strip().lower()
            for v in self.request.headers.get_list("Connection")
            for t in v.split(",")
        }
        out = httputil.HTTPHeaders()
        for key, value in self.request.headers.get_all():
            low = key.lower()
            if low in REQUEST_DROP or low in named or low.startswith(DROP_PREFIXES):
                continue
            if low == "content-length" and not has_body:
                continue
            out.add(key, value)
        adapter = adapter_for(conn.kind)
        for key, value in adapter.request_headers(conn).items():
            out[key] = value
        if conn.secrets or adapter.uses_session(conn):
            # Ask for the bytes we scrub: a compressed echo of the credential would pass the
            # masker unseen (and the browser would decode it). See radlab.server.scrub.
            out["Accept-Encoding"] = "identity"
        return out

    async def _produce(self, write: Callable[[bytes], Awaitable[None]]) -> None:
        assert self._queue is not None
        aborted = asyncio.ensure_future(self._abort_event.wait())
        try:
            while True:
                get = asyncio.ensure_future(self._queue.get())
                await asyncio.wait({get, aborted}, return_when=asyncio.FIRST_COMPLETED)
                if not get.done():
                    get.cancel()
                    raise _Abort("client went away during the upload")
                chunk = get.result()
                if chunk is None:
                    break
                if self._form and self._replay is not None:
                    if len(self._replay) + len(chunk) <= REPLAY_LIMIT:
                        self._replay += chunk
                    else:
                        self._replay = None
                await write(chunk)
        finally:
            aborted.cancel()
        self._start_header_timer()

    # ---------------------------------------------------------------------------- upstream

    def _register(self, upstream_conn: Any) -> None:
        self._upstream_conn = upstream_conn

    def _abort_upstream(self, why: str) -> None:
        self._abandoned = True
        conn = self._upstream_conn
        if conn is not None and getattr(conn, "final_callback", None) is not None:
            with contextlib.suppress(Exception):
                conn._on_timeout(f"({why})")

    def _start_header_timer(self) -> None:
        assert self._conn is not None
        if self._head is None and self._header_timer is None:
            loop = asyncio.get_running_loop()
            self._header_timer = loop.call_later(
                self._conn.timeout_ms / 1000, self._on_header_timeout
            )

    def _on_header_timeout(self) -> None:
        if self._head is not None or self._finished:
            return
        self._send_failure("timeout", f"no answer within {self._conn.timeout_ms} ms")  # type: ignore[union-attr]
        self._abort_upstream("radlab proxy timeout")

    def _on_header_line(self, line: str) -> None:
        if self._abandoned:
            raise _Abort()
        if line in ("\r\n", "\n"):
            first, *rest = self._head_lines
            self._head_lines = []
            start = httputil.parse_response_start_line(first.strip())
            if start.code < 200:
                return  # 1xx interim answer: the real one follows
            headers = httputil.HTTPHeaders()
            for header_line in rest:
                headers.parse_line(header_line.rstrip("\r\n"))
            self._head = (start.code, start.reason, headers)
            if self._header_timer is not None:
                self._header_timer.cancel()
        else:
            self._head_lines.append(line)

    def _rewrite_location(self, location: str) -> str | None:
        """The redirect target as a proxy URL, if the policy keeps it inside the base; for a
        target in one of the adapter's further bases, sets `_follow` (and returns None)."""
        assert self._conn is not None and self._resolved is not None
        further = adapter_for(self._conn.kind).redirect_bases(self._conn)
        try:
            target = resolve_location(location, self._resolved, further)
        except PathRefused:
            return None
        if target.base != self._resolved.base:
            self._follow = target.url
            return None
        prefix = url_path_join(self.base_url, "radlab/proxy", quote(self._conn.name, safe=""))
        return prefix + target.path + ("?" + target.query if target.query else "")

    def _apply_head(self) -> None:
        assert self._head is not None and self._conn is not None
        self._head_applied = True
        code, reason, headers = self._head
        if self._form and adapter_for(self._conn.kind).wants_login(code, headers.get("Location")):
            # the service wants a login: the session expired (or it restarted); _forward renews it
            self._expired = True
            self._discard = True
            return
        if 300 <= code < 400 and headers.get("Location"):
            location = self._rewrite_location(headers["Location"])
            if location is None:
                if self._follow is None:
                    self._redirect_refused = headers["Location"]
                self._discard = True
                return
            headers["Location"] = location
        skip: set[str] = set()
        secrets = self._injected_secrets()
        if (
            secrets
            and self.request.method != "HEAD"
            and can_carry_echo(code, headers.get("Content-Type"))
        ):
            # The page may echo the credential we added: scrub it. Masking changes the length;
            # a compressed body (sent although we asked for identity) is decoded first.
            encoding = headers.get("Content-Encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                if encoding not in Decoder.SUPPORTED:
                    self._undecodable = encoding
                    self._discard = True
                    return
                self._decoder = Decoder(encoding)
                skip.add("content-encoding")
            self._masker = StreamMasker(secret_forms(secrets))
            skip.add("content-length")
        self.set_status(code, reason or None)
        self.clear_header("Content-Type")
        named = {t.strip().lower() for v in headers.get_list("Connection") for t in v.split(",")}
        seen: set[str] = set()
        for key, value in headers.get_all():
            low = key.lower()
            if low in RESPONSE_DROP or low in named or low.startswith(DROP_PREFIXES) or low in skip:
                continue
            if low in seen:
                self.add_header(key, value)
            else:
                self.set_header(key, value)
                seen.add(low)

    async def _on_chunk(self, chunk: bytes) -> None:
        if self._abandoned or self._client_gone:
            raise _Abort()
        if not self._head_applied:
            self._apply_head()
        if self._discard:
            return
        if self._decoder is not None:
            try:
                chunk = self._decoder.feed(chunk)
            except zlib.error as e:
                # what was sent so far was scrubbed; the rest cannot be checked: cut it short
                self.log.warning(
                    f"Radlab proxy {self._conn.name}: undecodable {self._decoder.encoding} "  # type: ignore[union-attr]
                    "answer cut short"
                )
                raise _Abort() from e
        if self._masker is not None:
            chunk = self._masker.feed(chunk)
            if not chunk:
                return
        self.write(chunk)
        await self.flush()

    def _injected_secrets(self) -> list[str]:
        """The credentials this request carries upstream (to mask in what comes back)."""
        assert self._conn is not None
        secrets = list(self._conn.secrets)
        if self._session_cookie:
            secrets.append(self._session_cookie.partition("=")[2])
        return secrets

    def _end_of_body(self) -> bytes:
        """What the decoder and the masker still hold at the end of the body."""
        tail = b""
        if self._decoder is not None:
            try:
                tail = self._decoder.close()
            except zlib.error:
                tail = b""
            self._decoder = None
        if self._masker is not None:
            tail = self._masker.feed(tail) + self._masker.close()
            self._masker = None
        return tail

    async def _forward(self, has_body: bool) -> None:
        conn = self._conn
        assert conn is not None
        radlab = self.settings.get("radlab")
        timeout = conn.timeout_ms / 1000
        stream_timeout = max(timeout, float(getattr(radlab, "proxy_stream_timeout", 600.0)))
        method = self.request.method or "GET"
        body: bytes | None = None
        producer = None
        if has_body:
            producer = self._produce
        elif method in ("POST", "PUT", "PATCH"):
            body = b""
        headers = self._upstream_headers(conn, has_body)
        adapter = adapter_for(conn.kind)
        self._form = adapter.uses_session(conn)
        if not self._form:
            return await self._fetch(conn, headers, body, producer, timeout, stream_timeout)
        stale: str | None = None
        for attempt in range(2):
            try:
                headers["Cookie"] = await session_login(self.settings, adapter, conn, stale)
                self._session_cookie = headers["Cookie"]
            except _LoginFailed as e:
                return self._auth_failure(
                    f"{adapter.label}'s {adapter.login_name} did not accept the username and "
                    f"password (HTTP {e.status})"
                )
            except ssl.SSLError as e:
                return self._send_failure("unreachable", f"TLS handshake failed: {e.reason or e}")
            except (OSError, HTTPClientError, iostream.StreamClosedError) as e:
                return self._unreachable(e)
            if attempt == 1:
                # the resend: the body as kept, the header timer anew
                body, producer = (bytes(self._replay or b""), None) if has_body else (body, None)
                self._head, self._head_lines, self._head_applied = None, [], False
                self._discard, self._expired, self._header_timer = False, False, None
                self._masker, self._decoder, self._undecodable = None, None, None
                self._start_header_timer()
            await self._fetch(conn, headers, body, producer, timeout, stream_timeout)
            if not self._expired or self._finished or self._client_gone:
                return None
            if attempt == 0 and not (has_body and self._replay is None):
                stale = headers["Cookie"]
                continue
        return self._auth_failure(
            f"{adapter.label} asked for a login again right after a successful {adapter.login_name}"
            if stale is not None
            else f"{adapter.label}'s session expired and the request body was too large to send "
            "again"
        )

    def _auth_failure(self, message: str) -> None:
        conn = self._conn
        assert conn is not None
        self.log.warning(redact(f"Radlab proxy {conn.name}: authentication failed: {message}"))
        self.send_radlab_error(
            401,
            error_json(
                "auth",
                conn.kind,
                f"authentication failed: {message}",
                f"Check the username and password of connection '{conn.name}' in the Radlab "
                "connections of the Jupyter server.",
                401,
                conn.name,
            ),
        )

    async def _fetch(
        self,
        conn: Connection,
        headers: httputil.HTTPHeaders,
        body: bytes | None,
        producer: Callable[[Callable[[bytes], Awaitable[None]]], Awaitable[None]] | None,
        timeout: float,
        stream_timeout: float,
        hops: int = 0,
    ) -> None:
        has_body = producer is not None
        send_headers, send_body, send_producer = headers, body, producer
        if has_body and hops == 0 and adapter_for(conn.kind).redirect_bases(conn):
            # A service that redirects data to further hosts (WebHDFS CREATE/APPEND → DataNode)
            # is asked without the body first, as WebHDFS prescribes: its NameNode reads and drops
            # a body (even after 100-continue). The body goes, streamed, to where it points.
            send_headers = httputil.HTTPHeaders(headers)
            send_headers.pop("Transfer-Encoding", None)
            send_headers["Content-Length"] = "0"
            send_body, send_producer = b"", None
        request = HTTPRequest(
            self._target,
            method=self.request.method or "GET",
            headers=send_headers,
            body=send_body,
            # tornado awaits whatever the producer returns; its annotation says Future only
            body_producer=send_producer,  # type: ignore[arg-type]
            follow_redirects=False,
            decompress_response=False,
            connect_timeout=timeout,
            request_timeout=stream_timeout,
            header_callback=self._on_header_line,
            streaming_callback=self._on_chunk,
            ssl_options=adapter_for(conn.kind).ssl_context(conn),
            allow_nonstandard_methods=True,
        )
        request._radlab_register = self._register  # type: ignore[attr-defined]
        if send_producer is None:
            self._start_header_timer()
        try:
            await get_http_client(self.settings).fetch(request, raise_error=False)
        except _Abort:
            return self._finish_quietly()
        except ssl.SSLError as e:
            return self._send_failure(
                "unreachable",
                f"TLS handshake failed: {e.reason or e}",
                hint="The service's TLS certificate was not accepted. Set tls.ca to the CA file that "
                "signed it (for test clusters only: tls.insecureSkipVerify).",
            )
        except HTTPTimeoutError as e:
            if self._abandoned:
                return self._finish_quietly()
            return self._send_failure("timeout", str(e))
        except HTTPStreamClosedError:
            if self._abandoned:
                return self._finish_quietly()
            return self._send_failure("unreachable", "the service closed the connection")
        except (OSError, HTTPClientError, iostream.StreamClosedError) as e:
            if self._abandoned:
                return self._finish_quietly()
            return self._unreachable(e)
        finally:
            if self._header_timer is not None:
                self._header_timer.cancel()
        if self._finished or self._client_gone:
            return None
        if not self._head_applied and self._head is not None:
            self._apply_head()
        if self._expired:
            return None  # _forward logs in again, or answers `auth`
        if self._follow is not None:
            if hops >= MAX_FOLLOWED_REDIRECTS:
                self._redirect_refused, self._follow = self._follow, None
            else:
                self._target, self._follow = self._follow, None
                self._head, self._head_lines, self._head_applied = None, [], False
                self._discard, self._header_timer = False, None
                self._masker, self._decoder, self._undecodable = None, None, None
                return await self._fetch(
                    conn, headers, body, producer, timeout, stream_timeout, hops + 1
                )
        if self._redirect_refused is not None:
            target = redact(urljoin(self._target, self._redirect_refused))
            self.send_radlab_error(
                502,
                error_json(
                    "forbidden",
                    conn.kind,
                    f"the service redirected to {target}: a redirect to a host that is not "
                    "configured (or outside the connection's base URL)",
                    "Radlab only follows the service within its configured base URL. Configure "
                    "the URL the service redirects to as its own connection.",
                    502,
                    conn.name,
                ),
            )
            return None
        if self._undecodable is not None:
            self.log.warning(
                f"Radlab proxy {conn.name}: refused a {self._undecodable}-encoded answer"
            )
            self.send_radlab_error(
                502,
                error_json(
                    "badResponse",
                    conn.kind,
                    f"the service answered with Content-Encoding {self._undecodable} although "
                    "Radlab asked for identity; such an answer cannot be checked for the "
                    "connection's credentials",
                    "Turn off that compression for this client in the service (or a proxy in "
                    "front of it), or use gzip.",
                    502,
                    conn.name,
                ),
            )
            return None
        tail = self._end_of_body()
        if tail:
            self.write(tail)
        with contextlib.suppress(iostream.StreamClosedError):
            await self.finish()
        return None

    def _finish_quietly(self) -> None:
        if not self._finished and not self._client_gone:
            self.send_radlab_error(
                502,
                error_json("unreachable", self._conn.kind, "the upstream request was aborted"),  # type: ignore[union-attr]
            )

    def _unreachable(self, exc: BaseException) -> None:
        conn = self._conn
        assert conn is not None
        self._send_failure(
            "unreachable",
            connect_failure(exc, conn.base_url),
            connect_hint(conn.kind, redact(conn.base_url or ""), conn.name),
        )

    def _send_failure(self, code: str, detail: str, hint: str | None = None) -> None:
        conn = self._conn
        assert conn is not None
        status = 504 if code == "timeout" else 502
        where = redact(conn.base_url or "")
        if code == "timeout":
            message = f"{service_label(conn.kind)} at {where} timed out: {detail}"
            hint = hint or (
                f"The service did not answer within {conn.timeout_ms} ms. Check its load, "
                "or raise timeoutMs for this connection."
            )
        else:
            message = f"{service_label(conn.kind)} at {where} is unreachable: {detail}"
        if self._finished:
            return
        self.log.warning(redact(f"Radlab proxy {conn.name}: {message}"))
        self.send_radlab_error(
            status, error_json(code, conn.kind, message, hint, status, conn.name)
        )
