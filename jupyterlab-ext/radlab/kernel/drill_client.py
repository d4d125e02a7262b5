"""A small synchronous Apache Drill REST client for the kernel side (the `%%drill` magic).

It mirrors @radlab/core's DrillClient (packages/core/src/drill/*.ts):

- `POST /query.json` with `autoLimit = limit + 1`, so that `truncated` is exact;
- every query carries a first line `/* radlab:<16 hex> */`; on a timeout or a KeyboardInterrupt the
  query is cancelled on Drill: by the queryId if Drill already sent it, else by finding the tag in
  `/profiles.json` `runningQueries`, then `GET /profiles/cancel/{id}`;
- a failed query (HTTP 200, queryState FAILED, `errorMessage` = the Java message) becomes a
  `DrillError` of type PARSE / VALIDATION / ... with the SQL position (`line L, column C`, corrected
  for the tag line) and a hint, as `drillQueryError` in errors.ts;
- answers are parsed keeping numbers exact (Python ints are unbounded; fractions become `Decimal`),
  then typed per column by Drill's metadata: `python_value` for Python/pandas, `payload_value` for the
  JSON MIME payload (shared/schema/drill-result.schema.json, same rules as types.ts).

The query runs in a worker thread; the calling thread waits in short steps, so a KeyboardInterrupt
(Jupyter's "interrupt kernel") reaches it at once and the query can be cancelled on Drill. Every
message is redacted (radlab.redact): a secret never reaches an error.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import urllib3

from ..errors import DEFAULT_HINTS, code_for_status
from ..network_errors import connect_failure, connect_hint
from ..redact import redact
from ..services.drill import form_login_request, form_login_session, is_login_redirect
from .http_pool import pool_manager

DEFAULT_CANCEL_TIMEOUT = 8.0
_EPOCH = dt.datetime(1970, 1, 1)
_MAX_SAFE_INTEGER = 2**53 - 1

# ------------------------------------------------------------------------------------------ SQL text


def trim_sql(sql: str) -> str:
    """Drops trailing whitespace and semicolons, which Drill's REST API rejects ("Encountered ;")."""
    return re.sub(r"[\s;]+$", "", sql)


def tag_sql(sql: str, tag: str) -> str:
    """The tag goes on a line of its own BEFORE the SQL (/profiles.json cuts long query texts)."""
    return f"/* radlab:{tag} */\n{sql}"


def sql_tag(sql: str | None) -> str | None:
    m = re.match(r"/\* radlab:([A-Za-z0-9-]+) \*/", sql or "")
    return m.group(1) if m else None


def untag_positions(message: str) -> str:
    """`line N, column M` -> line N-1: positions in a tagged query count the tag line."""

    def fix(m: re.Match[str]) -> str:
        return f"{m.group(1)}{max(1, int(m.group(2)) - 1)}"

    return re.sub(r"\b(line )(\d+)(?=, column \d+)", fix, message, flags=re.I)


def quote_literal(value: str) -> str:
    """A SQL string literal: single-quoted, quotes doubled (Drill SQL has no backslash escapes)."""
    return "'" + value.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# ------------------------------------------------------------------------------------------ errors


@dataclass(frozen=True)
class SqlPosition:
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


class DrillError(Exception):
    """A Drill failure in the shape of @radlab/core's RadlabError (code, message, hint, details)."""

    def __init__(
        self,
        code: str,
        message: str,
        hint: str | None = None,
        *,
        connection: str | None = None,
        url: str | None = None,
        status: int | None = None,
        query_id: str | None = None,
        error_type: str | None = None,
        position: SqlPosition | None = None,
        cancelled_on_drill: bool = False,
    ) -> None:
        self.code = code
        self.message = redact(message)
        self.hint = redact(hint if hint is not None else DEFAULT_HINTS.get(code, ""))
        self.connection = connection
        self.url = url
        self.status = status
        self.query_id = query_id
        self.error_type = error_type
        self.position = position
        self.cancelled_on_drill = cancelled_on_drill
        super().__init__(self.message)


_USER_ERROR_TYPES = {
    "PARSE",
    "VALIDATION",
    "PLAN",
    "UNSUPPORTED_OPERATION",
    "FUNCTION",
    "DATA_READ",
    "DATA_WRITE",
    "DATA",
}


def _meaningful_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if (
            line
            and not re.match(r"\[Error Id:", line, re.I)
            and not re.match(r"Please,? refer to logs", line, re.I)
        ):
            out.append(line)
    return out


def _dedupe(line: str) -> str:
    """`X: X` (Calcite repeats its message after the context) -> `X`."""
    i = line.find(": ")
    while i >= 0:
        if line[:i].endswith(line[i + 2 :]):
            return line[:i]
        i = line.find(": ", i + 1)
    return line


def sql_position(text: str) -> SqlPosition | None:
    m = re.search(r"from line (\d+), column (\d+) to line (\d+), column (\d+)", text, re.I)
    if m:
        return SqlPosition(*(int(g) for g in m.groups()))
    m = re.search(r"line (\d+), column (\d+)", text, re.I)
    return SqlPosition(int(m.group(1)), int(m.group(2))) if m else None


def _short_class(exception: str) -> str:
    return exception.rsplit(".", 1)[-1]


def drill_error_type(message: str, exception: str = "") -> str:
    m = re.match(r"([A-Z_]+) ERROR:", message)
    if m:
        return m.group(1)
    cls = _short_class(exception)
    if re.search("Parse", cls, re.I) or re.match(
        r"Encountered .* at line \d+, column \d+", message
    ):
        return "PARSE"
    if re.search("CalciteContextException|Validat", cls, re.I):
        return "VALIDATION"
    if re.search("Unsupported", cls, re.I):
        return "UNSUPPORTED_OPERATION"
    if re.search("NumberFormatException|DateTimeParseException|IllegalArgumentException", cls):
        return "DATA"
    if re.search("OutOfMemory|Resource", cls, re.I):
        return "RESOURCE"
    return "SYSTEM"


def drill_query_error(
    *,
    query_id: str | None,
    query_state: str | None,
    exception: str | None,
    error_message: str | None,
    connection: str | None = None,
    url: str | None = None,
) -> DrillError:
    """The DrillError for a query Drill answered as failed or cancelled (errors.ts drillQueryError).
    `error_message` must already be untagged (positions relative to the caller's SQL)."""
    exception = exception or ""
    if query_state in ("CANCELED", "CANCELLED"):
        return DrillError(
            "cancelled",
            f"query {query_id or ''} was cancelled on Drill".replace("  ", " "),
            "Someone (or a timeout) cancelled it; run it again.",
            connection=connection,
            url=url,
            query_id=query_id,
        )
    raw = error_message or ""
    lines = _meaningful_lines(raw)
    first = _dedupe(lines[0]) if lines else ""
    etype = drill_error_type(first, exception)
    if not first:
        first = (
            _short_class(exception)
            if exception
            else f"query {query_state.lower() if query_state else 'failed'} without a reason"
        )
    if re.match(r"[A-Z_]+ ERROR:", first):
        message = first
    elif etype in ("SYSTEM", "DATA", "RESOURCE"):
        cls = _short_class(exception)
        prefix = f"{cls}: " if cls and cls not in first else ""
        message = f"{etype} ERROR: {prefix}{first}"
    else:
        message = f"{etype} ERROR: {first}"
    position = sql_position(first) or sql_position(raw)
    code = "badRequest" if etype in _USER_ERROR_TYPES else "server"
    rest_lines = []
    for line in lines[1:]:
        if re.match(r"(Was expecting|SQL Query|Fragment \d|\(?\w+(\.\w+)+Exception)", line, re.I):
            break
        rest_lines.append(_dedupe(line))
    rest = " ".join(rest_lines)
    if len(rest) > 240:
        rest = rest[:240] + "…"
    if rest:
        hint = rest
    elif position:
        # the message names the position already, and every host marks it
        hint = "Fix the SQL where it is marked."
    elif etype == "DATA":
        hint = (
            "A value in the data does not fit the query (e.g. a CAST of a non-numeric text); "
            "check casts and filters."
        )
    elif not raw:
        hint = (
            "Drill gave no reason: set the option drill.exec.http.rest.errors.verbose to true, "
            "or see the query profile in the Drill web UI."
        )
    else:
        hint = DEFAULT_HINTS[code]
    return DrillError(
        code,
        message,
        hint,
        connection=connection,
        url=url,
        query_id=query_id,
        error_type=etype,
        position=position,
    )


# ------------------------------------------------------------------------------------------ typing

INTEGER_TYPES = frozenset(
    {"INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "UINT1", "UINT2", "UINT4", "UINT8"}
)
FLOAT_TYPES = frozenset({"FLOAT4", "FLOAT8", "FLOAT", "DOUBLE", "REAL"})
DECIMAL_TYPES = frozenset(
    {
        "DECIMAL",
        "VARDECIMAL",
        "DECIMAL9",
        "DECIMAL18",
        "DECIMAL28SPARSE",
        "DECIMAL38SPARSE",
        "DECIMAL28DENSE",
        "DECIMAL38DENSE",
    }
)
BOOLEAN_TYPES = frozenset({"BIT", "BOOLEAN"})
STRING_TYPES = frozenset({"VARCHAR", "CHAR", "VAR16CHAR", "NVARCHAR"})
_NUMERIC_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def base_type(drill_type: str) -> str:
    """`VARDECIMAL(10, 2)` -> `VARDECIMAL`."""
    return drill_type.split("(", 1)[0].strip().upper()


def _epoch_ms(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _plain(value: Any) -> Any:
    """Nested JSON (maps, lists) without the Decimals the exact parser made: floats again."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def python_value(drill_type: str, value: Any) -> Any:
    """One value of a column as a Python object: int, float, Decimal, bool, str, datetime (naive,
    Drill's wall-clock time), time, dict/list for maps and lists; None for NULL. Values that do not
    fit the type (older Drills, text files) stay as sent."""
    if value is None:
        return None
    base = base_type(drill_type)
    try:
        if base in INTEGER_TYPES:
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, int):
                return value
            if isinstance(value, Decimal) and value == value.to_integral_value():
                return int(value)
            if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
                return int(value)
            return value
        if base in FLOAT_TYPES:
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                t = value.strip()
                if _NUMERIC_TEXT.match(t) or re.fullmatch(r"[+-]?(Infinity|NaN)", t):
                    return float(t.replace("Infinity", "inf"))
            return value
        if base in DECIMAL_TYPES:
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                return Decimal(value)
            if isinstance(value, float):
                return Decimal(repr(value))
            if isinstance(value, str) and _NUMERIC_TEXT.match(value.strip()):
                return Decimal(value.strip())
            return value
        if base in BOOLEAN_TYPES:
            if value in (True, "true", 1, "1"):
                return True
            if value in (False, "false", 0, "0"):
                return False
            return value
        if base in ("DATE", "TIMESTAMP"):
            ms = _epoch_ms(value)
            if ms is None:
                return value
            stamp = _EPOCH + dt.timedelta(milliseconds=ms)
            return stamp.date() if base == "DATE" else stamp
        if base == "TIME":
            ms = _epoch_ms(value)
            if ms is None:
                return value
            day = ms % 86_400_000
            return (dt.datetime.min + dt.timedelta(milliseconds=day)).time()
        if base == "VARBINARY":
            return base64.b64decode(value, validate=True) if isinstance(value, str) else value
    except (ValueError, OverflowError, InvalidOperation, TypeError):
        return value
    return _plain(value)


def _iso_time(t: dt.time) -> str:
    text = t.strftime("%H:%M:%S")
    return text + (f".{t.microsecond // 1000:03d}" if t.microsecond else "")


def payload_value(drill_type: str, value: Any) -> Any:
    """One value as JSON for the MIME payload, as @radlab/core types it (types.ts): numbers (exact
    decimal strings beyond 2^53 / 15 significant digits), booleans, ISO strings for
    DATE ("2024-02-02"), TIME ("10:11:12.345") and TIMESTAMP ("2024-01-02T03:04:05.678Z"), JSON for
    maps and lists, strings as sent for INTERVAL and VARBINARY."""
    if value is None:
        return None
    base = base_type(drill_type)
    if base == "VARBINARY":
        return value if isinstance(value, str) else _plain(value)
    typed = python_value(drill_type, value)
    if isinstance(typed, bool):
        return typed
    if isinstance(typed, int):
        return typed if abs(typed) <= _MAX_SAFE_INTEGER else str(typed)
    if isinstance(typed, float):
        return (
            typed if typed == typed and typed not in (float("inf"), float("-inf")) else str(typed)
        )
    if isinstance(typed, Decimal):
        digits = typed.as_tuple().digits
        significant = len("".join(map(str, digits)).lstrip("0"))
        if not typed.is_finite():
            return str(typed)
        return float(typed) if significant <= 15 else format(typed, "f")
    if isinstance(typed, dt.datetime):
        text = typed.strftime("%Y-%m-%dT%H:%M:%S")
        return f"{text}.{typed.microsecond // 1000:03d}Z"
    if isinstance(typed, dt.date):
        return typed.isoformat()
    if isinstance(typed, dt.time):
        return _iso_time(typed)
    return _plain(typed)


# ------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class DrillColumn:
    name: str
    type: str  # Drill's type as in the REST metadata, e.g. BIGINT, VARDECIMAL(10, 2)


@dataclass
class DrillResult:
    """Rows are lists in column order with the values as parsed from Drill's JSON (exact numbers;
    DATE/TIMESTAMP as epoch ms...): type them with `python_rows()` or `payload_rows()`."""

    query_id: str
    columns: list[DrillColumn]
    rows: list[list[Any]]
    truncated: bool
    limit: int
    elapsed_ms: int
    query_state: str = "COMPLETED"
    sql: str = ""

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def python_rows(self) -> list[list[Any]]:
        types = [c.type for c in self.columns]
        return [[python_value(t, v) for t, v in zip(types, row)] for row in self.rows]

    def payload_rows(self, count: int | None = None) -> list[list[Any]]:
        types = [c.type for c in self.columns]
        rows = self.rows if count is None else self.rows[:count]
        return [[payload_value(t, v) for t, v in zip(types, row)] for row in rows]


@dataclass
class _Running:
    """What the worker thread shares with the waiting thread."""

    done: threading.Event = field(default_factory=threading.Event)
    query_id: str | None = None
    status: int | None = None
    body: bytes | None = None
    error: BaseException | None = None
    response: Any = None
    abandoned: bool = False


_QUERY_ID = re.compile(rb'"queryId"\s*:\s*"([^"]+)"')


class DrillClient:
    """Synchronous client of one Drill REST endpoint; see the module docstring."""

    def __init__(
        self,
        base_url: str,
        *,
        connection: str | None = None,
        headers: Mapping[str, str] | None = None,
        ssl_context: Any = None,
        insecure: bool = False,
        connect_timeout: float = 10.0,
        cancel_timeout: float = DEFAULT_CANCEL_TIMEOUT,
        form_login: tuple[str, str] | None = None,
    ) -> None:
        """`form_login`: (username, password) for Drill's FORM login; the client keeps the session
        cookie and logs in again once when it has expired. BASIC is an Authorization header."""
        self.base_url = base_url.rstrip("/")
        self.connection = connection
        self.headers = dict(headers or {})
        self._form_login = form_login
        self._session: str | None = None
        self._login_lock = threading.Lock()
        self.connect_timeout = connect_timeout
        self.cancel_timeout = cancel_timeout
        self._pool = pool_manager(ssl_context, insecure)

    @classmethod
    def from_connection(cls, conn: Any) -> DrillClient:
        """From a radlab.config.Connection (kind drill): its URL, auth headers and TLS settings;
        with `drillAuth: "form"`, Drill's FORM login with the basic auth username and password."""
        form = getattr(conn, "drill_auth", "basic") == "form" and conn.auth_type == "basic"
        headers = dict(conn.headers)
        if form:
            headers.pop("Authorization", None)
        return cls(
            conn.base_url or "",
            connection=conn.name,
            headers=headers,
            form_login=(conn.username or "", conn.password or "") if form else None,
            ssl_context=conn.ssl_context() if (conn.base_url or "").startswith("https") else None,
            insecure=conn.insecure,
            connect_timeout=max(0.1, conn.timeout_ms / 1000),
        )

    # -------------------------------------------------------------------------------- helpers

    def _error(self, code: str, message: str, hint: str | None = None, **kw: Any) -> DrillError:
        return DrillError(code, message, hint, connection=self.connection, url=self.base_url, **kw)

    def _unreachable(self, exc: BaseException, what: str = "") -> DrillError:
        where = f" ({what})" if what else ""
        hint = (
            connect_hint("drill", redact(self.base_url), self.connection)
            + " The local stack's Drill starts with scripts/services/drill start; connections are"
            " in RADLAB_CONNECTIONS or ~/.config/radlab/connections.json."
        )
        return self._error(
            "unreachable",
            f"Drill at {self.base_url} is unreachable{where}: "
            f"{connect_failure(exc, self.base_url)}.",
            hint,
        )

    def _auth_failed(self, message: str, status: int | None = None) -> DrillError:
        who = f"connection '{self.connection}'" if self.connection else "this connection"
        return self._error(
            "auth",
            f"authentication failed: {message}",
            f"Check the username and password of {who} (Drill user authentication is on).",
            status=status,
        )

    def _login(self, stale: str | None) -> str:
        """FORM login (POST /j_security_check, redirects not followed): the session cookie.
        `stale`: the session that failed; another thread may have replaced it already."""
        with self._login_lock:
            if self._session is not None and self._session != stale:
                return self._session
            self._session = None
            user, password = self._form_login or ("", "")
            login = form_login_request(user, password, self.headers)
            try:
                resp = self._pool.request(
                    "POST",
                    self.base_url + login.path,
                    body=login.body,
                    headers=dict(login.headers),
                    timeout=urllib3.Timeout(connect=self.connect_timeout, read=30.0),
                    retries=False,
                    redirect=False,
                )
            except urllib3.exceptions.HTTPError as e:
                raise self._unreachable(e, "POST /j_security_check") from None
            cookie = form_login_session(
                resp.status, resp.headers.get("Location"), resp.headers.getlist("Set-Cookie")
            )
            if cookie is None:
                raise self._auth_failed(
                    "Drill's FORM login did not accept the username and password "
                    f"(HTTP {resp.status})",
                    status=resp.status,
                )
            self._session = cookie
            return cookie

    def _request(
        self,
        method: str,
        path: str,
        *,
        timeout: urllib3.Timeout,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        preload_content: bool = True,
    ) -> Any:
        """One request to Drill, redirects not followed: a redirect to the login page is an `auth`
        error; with FORM login, the session cookie goes along and an expired session is renewed
        once. Raises urllib3 errors as they are (callers map them to `unreachable`)."""
        for attempt in range(2):
            merged = {**self.headers, **(headers or {})}
            session = None
            if self._form_login:
                session = self._session or self._login(None)
                merged["Cookie"] = session
            resp = self._pool.request(
                method,
                self.base_url + path,
                body=body,
                headers=merged,
                preload_content=preload_content,
                timeout=timeout,
                retries=False,
                redirect=False,
            )
            to_login = is_login_redirect(resp.status, resp.headers.get("Location"))
            retry = self._form_login is not None and attempt == 0
            if not to_login and not (resp.status == 401 and retry):
                return resp  # a plain 401 is the caller's to report
            if not preload_content:
                resp.drain_conn()
                resp.release_conn()
            if retry:
                self._login(session)
                continue
            raise self._auth_failed(
                f"Drill redirected {method} {path} to its login page", status=resp.status
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, path: str, timeout: float) -> tuple[int, bytes]:
        try:
            resp = self._request(
                "GET",
                path,
                timeout=urllib3.Timeout(connect=min(timeout, self.connect_timeout), read=timeout),
            )
        except urllib3.exceptions.HTTPError as e:
            raise self._unreachable(e, f"GET {path}") from None
        return resp.status, resp.data

    def profiles(
        self, timeout: float = 10.0, *, running_only: bool = False
    ) -> dict[str, list[dict[str, Any]]]:
        """Running and recently finished queries (`/profiles.json`): lists of
        {queryId, query, state, user, startTime, endTime}. `running_only` asks for no finished
        ones (`?max=0`): Drill then reads no profile files, which on a busy store takes seconds."""
        path = "/profiles.json?max=0" if running_only else "/profiles.json"
        for attempt in range(4):
            status, data = self._get(path, timeout)
            # Drill's local profile store answers 500 while a profile is being written
            if status == 500 and attempt < 3:
                time.sleep(0.15 * (attempt + 1))
                continue
            break
        if status != 200:
            raise self._error(code_for_status(status), f"GET /profiles.json answered HTTP {status}")
        try:
            doc = json.loads(data)
        except ValueError:
            raise self._error("badResponse", "/profiles.json is not JSON") from None
        doc = doc if isinstance(doc, dict) else {}

        def listed(key: str) -> list[dict[str, Any]]:
            items = doc.get(key)
            return [p for p in items if isinstance(p, dict)] if isinstance(items, list) else []

        return {"running": listed("runningQueries"), "finished": listed("finishedQueries")}

    def cancel(self, query_id: str, timeout: float = 5.0) -> bool:
        """`GET /profiles/cancel/{id}`; True when Drill says it cancelled the query."""
        status, data = self._get(f"/profiles/cancel/{quote(query_id, safe='')}", timeout)
        return status == 200 and data.decode("utf-8", "replace").strip().lower().startswith(
            "cancel"
        )

    def _cancel_on_drill(self, running: _Running, tag: str) -> str | None:
        """Cancels by the queryId when known, else by the tag in /profiles.json. Never raises;
        returns the id of the query cancelled on Drill."""
        deadline = time.monotonic() + self.cancel_timeout
        query_id = running.query_id
        # Drill lists a query as running from its planning on; a loaded Drill can take seconds
        # to answer, so the lookup may use the whole budget (it stops once the query is done).
        while not query_id and time.monotonic() < deadline and not running.done.is_set():
            try:
                listed = self.profiles(
                    timeout=max(0.5, deadline - time.monotonic()), running_only=True
                )["running"]
            except DrillError:
                listed = []
            query_id = next(
                (str(p.get("queryId")) for p in listed if sql_tag(p.get("query")) == tag), None
            )
            if not query_id:
                time.sleep(0.25)
        if not query_id:
            return None
        try:
            self.cancel(query_id, timeout=max(0.5, deadline - time.monotonic()))
        except DrillError:
            return None
        return query_id

    # -------------------------------------------------------------------------------- query

    def _worker(self, body: bytes, running: _Running) -> None:
        try:
            resp = self._request(
                "POST",
                "/query.json",
                body=body,
                headers={"Content-Type": "application/json"},
                preload_content=False,
                timeout=urllib3.Timeout(connect=self.connect_timeout, read=None),
            )
            running.response = resp
            running.status = resp.status
            chunks: list[bytes] = []
            head = b""
            for chunk in resp.stream(65536):
                if running.abandoned:
                    break
                chunks.append(chunk)
                if running.query_id is None and len(head) < 4096:
                    head += chunk
                    m = _QUERY_ID.search(head)
                    if m:
                        running.query_id = m.group(1).decode("utf-8", "replace")
            running.body = b"".join(chunks)
            resp.release_conn()
        except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
            running.error = e
        finally:
            running.done.set()

    def query(
        self,
        sql: str,
        *,
        limit: int = 0,
        default_schema: str | None = None,
        options: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> DrillResult:
        """Runs one SQL statement. `limit` > 0: at most that many rows, `truncated` says whether
        Drill had more. `timeout` (seconds, None = none): cancel on Drill and raise `timeout`.
        A KeyboardInterrupt while waiting cancels on Drill and raises `cancelled`."""
        started = time.monotonic()
        limit = max(0, int(limit or 0))
        tag = secrets.token_hex(8)
        sql = trim_sql(sql)
        payload: dict[str, Any] = {"queryType": "SQL", "query": tag_sql(sql, tag)}
        if limit:
            payload["autoLimit"] = str(limit + 1)  # one more tells whether there were more
        if default_schema:
            payload["defaultSchema"] = default_schema
        if options:
            payload["options"] = {
                k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in options.items()
            }
        running = _Running()
        worker = threading.Thread(
            target=self._worker,
            args=(json.dumps(payload).encode("utf-8"), running),
            name="radlab-drill-query",
            daemon=True,
        )
        worker.start()
        deadline = None if not timeout or timeout <= 0 else started + timeout
        try:
            while not running.done.wait(0.05):
                if deadline is not None and time.monotonic() >= deadline:
                    cancelled = self._stop(running, tag)
                    raise self._error(
                        "timeout",
                        f"query did not finish within {timeout:g} s"
                        + (f" (query {cancelled} cancelled on Drill)" if cancelled else ""),
                        "Narrow the query (filters, LIMIT) or raise --timeout.",
                        query_id=cancelled or running.query_id,
                        cancelled_on_drill=bool(cancelled),
                    )
        except KeyboardInterrupt:
            cancelled = self._stop(running, tag)
            raise self._error(
                "cancelled",
                "query cancelled"
                + (f" (query {cancelled} cancelled on Drill)" if cancelled else ""),
                "The query was interrupted; run the cell again to re-run it.",
                query_id=cancelled or running.query_id,
                cancelled_on_drill=bool(cancelled),
            ) from None
        return self._finish(running, sql, limit, started)

    def _stop(self, running: _Running, tag: str) -> str | None:
        running.abandoned = True
        cancelled = None if running.done.is_set() else self._cancel_on_drill(running, tag)
        resp = running.response
        if resp is not None:
            try:
                resp.close()
            except Exception:  # noqa: BLE001, S110 - best effort, the worker may be mid-read
                pass
        return cancelled

    def _finish(self, running: _Running, sql: str, limit: int, started: float) -> DrillResult:
        if running.error is not None:
            if isinstance(running.error, urllib3.exceptions.HTTPError):
                raise self._unreachable(running.error) from None
            raise running.error
        status = running.status or 0
        text = (running.body or b"").decode("utf-8", "replace")
        if status != 200:
            if status == 401:
                message = "Drill rejected the credentials (HTTP 401)"
            elif status == 403:
                message = "Drill refused the query (HTTP 403)"
            else:
                message = f"POST /query.json answered HTTP {status}: {text.strip()[:200]}"
            raise self._error(code_for_status(status), message, status=status)
        try:
            doc = json.loads(text, parse_float=Decimal)
            if not isinstance(doc, dict):
                raise ValueError("not an object")
        except ValueError:
            raise self._error(
                "badResponse",
                f"Drill's answer to POST /query.json is not JSON: {text.strip()[:60]!r}",
                f"Is {self.base_url} a Drill REST API? A login page (Drill FORM auth) or a "
                "proxy answers like this.",
            ) from None
        query_id = str(doc.get("queryId") or running.query_id or "")
        state = str(doc.get("queryState") or "")
        if state != "COMPLETED" or doc.get("errorMessage") is not None:
            drill_message = doc.get("errorMessage")
            raise drill_query_error(
                query_id=query_id or None,
                query_state=state or None,
                exception=str(doc.get("exception") or ""),
                error_message=untag_positions(drill_message)
                if isinstance(drill_message, str)
                else None,
                connection=self.connection,
                url=self.base_url,
            )
        names = [str(c) for c in doc.get("columns") or []]
        types = [str(t) for t in doc.get("metadata") or []]
        columns = [
            DrillColumn(n, types[i] if i < len(types) else "ANY") for i, n in enumerate(names)
        ]
        raw_rows = doc.get("rows") or []
        truncated = bool(limit) and len(raw_rows) > limit
        if truncated:
            raw_rows = raw_rows[:limit]
        rows = [[r.get(n) if isinstance(r, dict) else None for n in names] for r in raw_rows]
        return DrillResult(
            query_id=query_id,
            columns=columns,
            rows=rows,
            truncated=truncated,
            limit=limit,
            elapsed_ms=round((time.monotonic() - started) * 1000),
            query_state=state,
            sql=sql,
        )

    def close(self) -> None:
        self._pool.clear()
