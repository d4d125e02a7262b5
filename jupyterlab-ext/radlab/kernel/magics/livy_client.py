"""Kernel-side Apache Livy client of the `%%livy` magic: sessions, statements (polled with backoff,
cancelled in Livy on timeout or interrupt), logs, keep-alive, and DataFrame pulls in pages.

The same contract as @radlab/core's LivyClient (packages/core/src/services/livy/): failures are one
`LivyError` (code, message, hint, `failure` as in `details.livy`), a dead session carries its last log
lines, and a 404 on a session is "no longer exists", not a path puzzle.

Pulling a DataFrame: the driver walks it with `toLocalIterator()` (one partition at a time in driver
memory) and each statement returns one page through Livy's `%json` magic, as columns of plain JSON
values; the notebook side turns each page into typed pandas arrays at once and concatenates them at the
end, so it holds about the pages' arrays plus the result (≈ 2x the DataFrame), never one giant string.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import urllib3

from ...errors import DEFAULT_HINTS, code_for_status
from ...network_errors import connect_failure, connect_hint
from ...redact import redact
from ...shared_data import shared_file
from ..http_pool import pool_manager

FINAL_STATES = {"error", "dead", "killed", "success"}
STARTING_STATES = {"not_started", "starting", "recovering"}
KINDS = ("pyspark", "spark", "sparkr", "sql")
DEFAULT_IDLE_TIMEOUT_S = 3600.0
R_MISSING_HINT = (
    "sparkr sessions need R on the Livy host (Debian: apt-get install r-base-core) and the SparkR "
    "package in $SPARK_HOME/R/lib (from a Spark binary distribution; the PyPI pyspark wheel has "
    "none). Use a pyspark, spark or sql session meanwhile."
)
# What a kind needs on the Livy host beyond Spark, said before a session of it starts (the same text
# as core's LIVY_KIND_NEEDS, which the hosts and the CLI show).
KIND_NEEDS = {
    "sparkr": "needs R on the Livy host (Debian: r-base-core) and the SparkR package in "
    "$SPARK_HOME/R/lib (the PyPI pyspark wheel has none); checked when the session starts",
}
_R_MISSING = re.compile(
    r'Cannot run program "R"|Cannot find sparkr package directory|sparkr\.zip not found', re.I
)


class LivyError(Exception):
    """A Livy failure in the shape of @radlab/core's RadlabError; `failure` is `details.livy`."""

    def __init__(
        self,
        code: str,
        message: str,
        hint: str | None = None,
        *,
        failure: str | None = None,
        connection: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.message = redact(message)
        self.hint = redact(hint if hint is not None else DEFAULT_HINTS.get(code, ""))
        self.failure = failure
        self.connection = connection
        self.details = dict(details or {})
        super().__init__(self.message)


def useful_traceback(traceback: list[str], limit: int = 20) -> list[str]:
    """Python frames and messages of a Spark traceback, without py4j's Java stack."""
    lines = [
        line.rstrip()
        for entry in traceback
        for line in entry.splitlines()
        if line.strip()
        and not re.match(r"^\s*at [\w$.<>]+\(.*\)$", line)
        and not re.match(r"^\s*\.\.\. \d+ more$", line)
    ]
    if len(lines) > limit:
        return [*lines[: limit - 1], f"… {len(lines) - limit + 1} more lines"]
    return lines


# The driver-side helpers and the statements of a pull: shared/livy/ (core's pull.ts runs the same).
PULL = json.loads(shared_file("livy-pull.json", "livy/pull.json").read_text(encoding="utf-8"))
_DRIVER_HELPERS = shared_file("livy-pull.py", "livy/pull.py").read_text(encoding="utf-8")


@dataclass
class Page:
    columns: list[list[Any]]
    rows: int
    done: bool
    nbytes: int


@dataclass
class Pull:
    """A DataFrame on its way from the driver: `fields` (Spark's schema) and pages of columns."""

    fields: list[dict[str, Any]]
    pages: Iterator[Page]
    limit: int | None
    stats: dict[str, Any] = field(default_factory=dict)


class LivyClient:
    """Synchronous client of one Livy REST endpoint (kernel side)."""

    def __init__(
        self,
        base_url: str,
        *,
        connection: str | None = None,
        headers: Mapping[str, str] | None = None,
        ssl_context: Any = None,
        insecure: bool = False,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.connection = connection
        self.headers = {"Content-Type": "application/json", **dict(headers or {})}
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.idle_timeout_s = idle_timeout_s
        self.last_activity: dict[int, float] = {}
        self._pool = pool_manager(ssl_context, insecure)
        self._helpers: set[int] = set()

    @classmethod
    def from_connection(cls, conn: Any) -> LivyClient:
        base = conn.base_url or ""
        return cls(
            base,
            connection=conn.name,
            headers=dict(conn.headers),
            ssl_context=conn.ssl_context() if base.startswith("https") else None,
            insecure=conn.insecure,
            connect_timeout=max(0.1, conn.timeout_ms / 1000),
            read_timeout=max(60.0, conn.timeout_ms / 1000),
        )

    def close(self) -> None:
        self._pool.clear()

    # ------------------------------------------------------------------------------- requests

    def _error(self, code: str, message: str, hint: str | None = None, **kw: Any) -> LivyError:
        return LivyError(code, message, hint, connection=self.connection, **kw)

    def _call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        session: int | None = None,
        timeout: float | None = None,
    ) -> tuple[Any, int]:
        """One request; returns (parsed JSON, body size). A 404 under /sessions/{id} is sessionGone."""
        data = None if body is None else json.dumps(body).encode()
        try:
            resp = self._pool.request(
                method,
                self.base_url + path,
                body=data,
                headers=self.headers,
                timeout=urllib3.Timeout(
                    connect=self.connect_timeout, read=timeout or self.read_timeout
                ),
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.HTTPError as e:
            raise self._error(
                "unreachable",
                f"Livy at {self.base_url} is unreachable ({method} {path}): "
                f"{connect_failure(e, self.base_url)}.",
                connect_hint("livy", redact(self.base_url), self.connection)
                + " The local stack's Livy starts with scripts/services/livy start.",
            ) from None
        if resp.status == 404 and session is not None:
            raise self._error(
                "notFound",
                f"Livy session {session} no longer exists",
                "It was deleted, expired after Livy's idle timeout, or Livy restarted. "
                "Start a new one (%livy restart).",
                failure="sessionGone",
                details={"sessionId": session},
            )
        if resp.status < 200 or resp.status >= 300:
            text = resp.data.decode("utf-8", "replace")
            try:
                said = json.loads(text).get("msg") or text
            except (ValueError, AttributeError):
                said = text
            said = re.sub(r"\s+", " ", str(said)).strip()[:300]
            raise self._error(
                code_for_status(resp.status),
                f"Livy answered HTTP {resp.status} to {method} {path}"
                + (f": {said}" if said else ""),
            )
        if session is not None:
            self.last_activity[session] = time.monotonic()
        raw = resp.data
        if not raw.strip():
            return None, 0
        try:
            return json.loads(raw), len(raw)
        except ValueError:
            raise self._error(
                "badResponse",
                f"{method} {path} did not answer JSON",
                f"Is {self.base_url} an Apache Livy server?",
            ) from None

    # ------------------------------------------------------------------------------- sessions

    def sessions(self) -> list[dict[str, Any]]:
        body, _ = self._call("GET", "/sessions?size=1000")
        return list(body.get("sessions", [])) if isinstance(body, dict) else []

    def _object(self, body: Any, what: str) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise self._error(
                "badResponse",
                f"{what} did not answer a JSON object",
                "Is this an Apache Livy server?",
            )
        return body

    def session(self, sid: int) -> dict[str, Any]:
        body, _ = self._call("GET", f"/sessions/{sid}", session=sid)
        return self._object(body, f"GET /sessions/{sid}")

    def log(self, sid: int, size: int = 20, start: int | None = None) -> list[str]:
        query = f"size={size}" + ("" if start is None else f"&from={start}")
        body, _ = self._call("GET", f"/sessions/{sid}/log?{query}", session=sid)
        return [str(line) for line in body.get("log", [])]

    def dead_error(self, session: Mapping[str, Any]) -> LivyError:
        sid = int(session["id"])
        try:
            tail = self.log(sid, 20)
        except LivyError:
            tail = [str(line) for line in session.get("log", [])]
        state = str(session.get("state"))
        if session.get("kind") == "sparkr" and any(_R_MISSING.search(line) for line in tail):
            return self._error(
                "server",
                f"Livy session {sid} (sparkr) could not start: R or SparkR is missing on the Livy host",
                R_MISSING_HINT,
                failure="rMissing",
                details={"sessionId": sid, "state": state, "logTail": tail},
            )
        # Livy's "stdout: " / "stderr: " stream markers say nothing
        said = [t.strip() for t in tail if t.strip() and t.strip() not in ("stdout:", "stderr:")]
        last = said[-1] if said else ""
        return self._error(
            "server",
            f"Livy session {sid} is {state}" + (f": {last}" if last else ""),
            "The Spark driver ended (killed, out of memory, or Livy restarted). Restart the session "
            "(%livy restart) to go on.",
            failure="sessionDead",
            details={"sessionId": sid, "state": state, "logTail": tail},
        )

    def create_session(self, conf: Mapping[str, Any]) -> dict[str, Any]:
        answer, _ = self._call(
            "POST", "/sessions", {k: v for k, v in conf.items() if v is not None}
        )
        body = self._object(answer, "POST /sessions")
        self.last_activity[int(body["id"])] = time.monotonic()
        return body

    def wait_idle(
        self,
        sid: int,
        timeout: float = 300.0,
        on_state: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        delay = 0.5
        while True:
            s = self.session(sid)
            if on_state:
                on_state(s)
            state = s.get("state")
            if state in ("idle", "busy"):
                return s
            if state in FINAL_STATES or state == "shutting_down":
                raise self.dead_error(s)
            if time.monotonic() > deadline:
                raise self._error(
                    "timeout",
                    f"Livy session {sid} did not start within {timeout:.0f} s (state {state})",
                    "The cluster may be out of resources; %livy logs shows Livy's log of it.",
                    details={"sessionId": sid},
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)

    def start_session(
        self, conf: Mapping[str, Any], timeout: float = 300.0, **kw: Any
    ) -> dict[str, Any]:
        s = self.create_session(conf)
        try:
            idle = self.wait_idle(int(s["id"]), timeout, **kw)
            # Livy starts a kind's interpreter at its first statement: a sparkr session without R
            # would reach idle and fail later; one trivial statement says so now
            if conf.get("kind") == "sparkr":
                self.run(int(s["id"]), "1", "sparkr", timeout)
            return idle
        except BaseException:
            # a failed, timed-out or interrupted start leaves no half-started driver behind
            self.delete_session(int(s["id"]))
            raise

    def delete_session(self, sid: int) -> None:
        try:
            self._call("DELETE", f"/sessions/{sid}", session=sid, timeout=10.0)
        except LivyError as e:
            if e.code != "notFound" and e.failure != "sessionGone":
                raise
        self.last_activity.pop(sid, None)
        self._helpers.discard(sid)

    def touch(self, sid: int) -> dict[str, Any]:
        """POST /sessions/{id}/connect: activity for Livy's idle timeout and the heartbeat."""
        answer, _ = self._call("POST", f"/sessions/{sid}/connect", session=sid)
        body = self._object(answer, f"POST /sessions/{sid}/connect")
        if body.get("state") in FINAL_STATES:
            raise self.dead_error(body)
        return body

    def expires_in(self, sid: int, idle_timeout_s: float | None = None) -> float | None:
        last = self.last_activity.get(sid)
        if last is None:
            return None
        return max(0.0, last + (idle_timeout_s or self.idle_timeout_s) - time.monotonic())

    # ----------------------------------------------------------------------------- statements

    def submit(self, sid: int, code: str, kind: str | None = None) -> dict[str, Any]:
        body = {"code": code, **({"kind": kind} if kind else {})}
        try:
            answer, _ = self._call("POST", f"/sessions/{sid}/statements", body, session=sid)
        except LivyError as e:
            # Livy refuses statements to a session that ended ("Session is in state dead")
            if e.failure is None and e.code in ("badRequest", "server", "conflict"):
                s = self.session(sid)
                if s.get("state") in FINAL_STATES:
                    raise self.dead_error(s) from None
            raise
        return self._object(answer, f"POST /sessions/{sid}/statements")

    def cancel(self, sid: int, stid: int) -> None:
        self._call("POST", f"/sessions/{sid}/statements/{stid}/cancel", {}, session=sid)

    def wait_statement(
        self,
        sid: int,
        stid: int,
        timeout: float | None = None,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
    ) -> tuple[dict[str, Any], int]:
        """Polls until the statement ends; on timeout or KeyboardInterrupt it is cancelled in Livy.
        Returns (statement, body size)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = 0.05
        attempt = 0
        try:
            while True:
                try:
                    st, size = self._call("GET", f"/sessions/{sid}/statements/{stid}", session=sid)
                except LivyError as e:
                    s = self.session(sid) if e.failure != "sessionGone" else None
                    if s and s.get("state") in FINAL_STATES:
                        raise self.dead_error(s) from None
                    raise
                if on_progress:
                    on_progress(st)
                if st.get("state") in ("available", "error", "cancelled"):
                    return st, size
                attempt += 1
                if attempt % 8 == 0:
                    s = self.session(sid)
                    if s.get("state") in FINAL_STATES:
                        raise self.dead_error(s)
                if deadline is not None and time.monotonic() > deadline:
                    raise self._error(
                        "timeout",
                        f"statement {stid} of Livy session {sid} did not finish within "
                        f"{timeout:.0f} s; it was cancelled in Livy",
                        "Raise --timeout, or make the job smaller.",
                        details={"sessionId": sid, "statementId": stid},
                    )
                time.sleep(delay)
                delay = min(delay * 1.5, 1.0)
        except (KeyboardInterrupt, LivyError) as e:
            if isinstance(e, KeyboardInterrupt) or e.code == "timeout":
                try:
                    self.cancel(sid, stid)
                except LivyError:
                    pass
            raise

    def output(self, sid: int, st: Mapping[str, Any]) -> dict[str, Any]:
        """The statement's MIME bundle, or LivyError statementFailed / statementCancelled."""
        if st.get("state") == "cancelled":
            raise self._error(
                "cancelled",
                f"statement {st.get('id')} of Livy session {sid} was cancelled",
                failure="statementCancelled",
            )
        out = st.get("output") or {}
        if out.get("status") == "error":
            ename, evalue = str(out.get("ename", "Error")), str(out.get("evalue", ""))
            raise self._error(
                "badRequest",
                f"{ename}: {evalue}".strip(),
                "The code raised an error in Spark; the traceback says where.",
                failure="statementFailed",
                details={
                    "sessionId": sid,
                    "statementId": st.get("id"),
                    "ename": ename,
                    "evalue": evalue,
                    "traceback": useful_traceback([str(t) for t in out.get("traceback", [])]),
                },
            )
        return dict(out.get("data") or {})

    def run(
        self,
        sid: int,
        code: str,
        kind: str | None = None,
        timeout: float | None = None,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        st = self.submit(sid, code, kind)
        done, _ = self.wait_statement(sid, int(st["id"]), timeout, on_progress)
        out = done.get("output") or {}
        if out.get("status") == "error" and out.get("ename") == "InterpreterError":
            # an interpreter Livy could not start: its log says why (sparkr: R or SparkR missing)
            tail = self.log(sid, 200)
            if any(_R_MISSING.search(line) for line in tail):
                raise self._error(
                    "server",
                    f"Livy session {sid} cannot run sparkr: R or the SparkR package is missing on "
                    "the Livy host",
                    R_MISSING_HINT,
                    failure="rMissing",
                    details={
                        "sessionId": sid,
                        "logTail": [t for t in tail if _R_MISSING.search(t)][-5:],
                    },
                )
        return self.output(sid, done)

    # ----------------------------------------------------------------------------------- pulls

    def _ensure_helpers(self, sid: int) -> None:
        if sid not in self._helpers:
            self.run(sid, _DRIVER_HELPERS, str(PULL["kind"]))
            self._helpers.add(sid)

    def pull(
        self,
        sid: int,
        expression: str,
        *,
        limit: int | None = None,
        page_bytes: int | None = None,
        first_page_rows: int | None = None,
        timeout: float | None = None,
    ) -> Pull:
        """Starts pulling the Spark DataFrame that the pyspark `expression` names, at most `limit`
        rows (None: all); pages are sized to about `page_bytes` of JSON (shared/livy/pull.json)."""
        self._ensure_helpers(sid)
        kind = str(PULL["kind"])
        page_bytes = int(PULL["pageBytes"]) if page_bytes is None else page_bytes
        lo, hi = int(PULL["minPageRows"]), int(PULL["maxPageRows"])
        opened = self.run(
            sid,
            str(PULL["open"]).replace("{expression}", expression).replace("{limit}", repr(limit)),
            kind,
            timeout,
        )
        fields = list(opened.get("application/json", {}).get("fields", []))
        stats: dict[str, Any] = {"pages": 0, "bytes": 0, "rows": 0}

        def pages() -> Iterator[Page]:
            size = int(PULL["firstPageRows"]) if first_page_rows is None else first_page_rows
            while True:
                st = self.submit(sid, str(PULL["page"]).replace("{size}", str(size)), kind)
                done, nbytes = self.wait_statement(sid, int(st["id"]), timeout)
                page = self.output(sid, done).get("application/json") or {}
                rows = int(page.get("rows", 0))
                stats["pages"] += 1
                stats["bytes"] += nbytes
                stats["rows"] += rows
                yield Page(
                    list(page.get("columns", [])), rows, bool(page.get("done", True)), nbytes
                )
                if page.get("done", True):
                    return
                per_row = max(1.0, nbytes / max(1, rows))
                size = int(min(hi, max(lo, page_bytes / per_row)))

        return Pull(fields, pages(), limit, stats)


class KeepAlive:
    """A daemon thread that touches a session every `interval` seconds while the kernel holds it."""

    def __init__(self, client: LivyClient, sid: int, interval: float = 300.0) -> None:
        self.client = client
        self.sid = sid
        self.interval = interval
        self.error: LivyError | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"radlab-livy-{sid}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.client.touch(self.sid)
            except LivyError as e:
                if e.failure in ("sessionDead", "sessionGone", "rMissing"):
                    self.error = e
                    return
                # Livy briefly unreachable: the next tick tries again

    def stop(self) -> None:
        self._stop.set()
