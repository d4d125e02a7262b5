"""`%%livy` / `%livy`: Spark through Apache Livy in IPython kernels (load with `%load_ext radlab`).

Syntax (sparkmagic's options where they make sense)::

    %%livy [-s NAME] [-k KIND] [-c CONNECTION] [-o VAR] [-n MAXROWS | --all] [-q] [--timeout S]
    df = spark.range(100000).selectExpr("id", "id * 2 AS twice")

    %%livy -k sql -o counts
    SELECT modality, count(*) AS n FROM studies GROUP BY modality

    %livy sessions | info [-s NAME] | logs [-s NAME] [-n LINES] | delete [-s NAME] | restart [-s NAME]
    %livy add -s NAME [-k KIND] [-c CONNECTION] [--conf JSON]
    %livy cleanup           # delete every session this kernel started

-s, --session NAME   the kernel's name for the session (default "default"); a cell that names a
                     session the kernel does not hold starts it (kind -k, default pyspark).
-k, --kind KIND      the statement's language: pyspark (default), spark (Scala), sql, sparkr. Livy 0.5+
                     sessions run every kind, so one session serves Python, Scala and SQL cells.
-o, --output VAR     pyspark/spark cells: pull the Spark DataFrame named VAR (a pyspark variable) into
                     a local pandas DataFrame VAR; sql cells: pull the query's result into VAR.
                     Every row by default, in pages (never one giant JSON), typed from Spark's schema;
                     the output says how many rows came back and whether -n cut them.
-n, --maxrows N      at most N rows for -o (default all) and for a sql cell's display (default 1000);
                     a cut is always stated. --all: no limit.
-q, --quiet          no display of the result (with -o).
--timeout S          cancel the statement in Livy after S seconds (interrupting the kernel cancels it
                     too).
--conf JSON          (add) the session's Livy conf: {"driverMemory": "2g", "conf": {...}, ...}.

Sessions outlive long cells: while the kernel holds a session a keep-alive thread calls it every 5
minutes (sparkmagic's heartbeat is off by default), `%livy info` shows the time until Livy's idle
timeout, and a session found dead is reported with its last log lines and `%livy restart`.

Connections are Radlab connections of kind `livy` (the first one by default), read as `%%drill` reads
them (radlab.config: file, environment, the local-stack defaults).
"""

from __future__ import annotations

import argparse
import json
import shlex
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...config import Connection, ConnectionStore, LoadResult
from ...redact import redact
from .livy_client import KIND_NEEDS, KINDS, KeepAlive, LivyClient, LivyError, Pull

DEFAULT_SESSION = "default"
DISPLAY_ROWS = 1000
KEEPALIVE_S = 300.0


class LivyMagicError(Exception):
    """Shown as its lines only (IPython calls `_render_traceback_`), never a Python traceback."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = [redact(line) for line in lines]
        super().__init__("\n".join(self.lines))

    def _render_traceback_(self) -> list[str]:
        return list(self.lines)


def format_livy_error(e: LivyError) -> list[str]:
    lines = [f"%livy: {e.message}"]
    tb = e.details.get("traceback")
    if tb:
        lines += ["", *[f"  {line}" for line in tb]]
    tail = e.details.get("logTail")
    if tail:
        lines += ["", "Livy's last log lines:", *[f"  {line}" for line in tail[-10:]]]
    if e.hint:
        lines += ["", f"Hint: {e.hint}"]
    return lines


# ------------------------------------------------------------------------------------------ options


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit the kernel's process
        raise LivyMagicError([f"%livy: {message}", "Usage: %livy? shows every option."])


def _parser() -> _Parser:
    p = _Parser(prog="%livy", add_help=False)
    p.add_argument("command", nargs="?", default=None)
    p.add_argument("-s", "--session", default=None)
    p.add_argument("-k", "--kind", choices=KINDS, default=None)
    p.add_argument("-c", "--connection", default=None)
    p.add_argument("-o", "--output", default=None)
    p.add_argument("-n", "--maxrows", type=int, default=None)
    p.add_argument("--all", action="store_true")
    p.add_argument("-q", "--quiet", action="store_true")
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--conf", default=None)
    return p


COMMANDS = ("sessions", "info", "logs", "delete", "restart", "add", "cleanup")


@dataclass
class LivyOptions:
    command: str | None = None
    session: str = DEFAULT_SESSION
    kind: str | None = None
    connection: str | None = None
    output: str | None = None
    maxrows: int | None = None
    quiet: bool = False
    timeout: float | None = None
    conf: dict[str, Any] = field(default_factory=dict)


def parse_options(line: str) -> LivyOptions:
    try:
        args = _parser().parse_args(shlex.split(line))
    except ValueError as e:
        raise LivyMagicError([f"%livy: {e}"]) from None
    if args.command is not None and args.command not in COMMANDS:
        raise LivyMagicError(
            [f"%livy: unknown command {args.command!r}; one of {', '.join(COMMANDS)}"]
        )
    if args.output is not None and not args.output.isidentifier():
        raise LivyMagicError([f"%livy: -o needs a Python variable name, not {args.output!r}"])
    maxrows = None if args.all else args.maxrows
    if maxrows is not None and maxrows < 0:
        maxrows = None  # sparkmagic's -n -1: every row
    conf: dict[str, Any] = {}
    if args.conf:
        try:
            conf = json.loads(args.conf)
        except ValueError as e:
            raise LivyMagicError([f"%livy: --conf is not JSON: {e}"]) from None
        if not isinstance(conf, dict):
            raise LivyMagicError(
                ['%livy: --conf must be a JSON object, e.g. {"driverMemory": "2g"}']
            )
    return LivyOptions(
        command=args.command,
        session=args.session or DEFAULT_SESSION,
        kind=args.kind,
        connection=args.connection,
        output=args.output,
        maxrows=maxrows,
        quiet=args.quiet,
        timeout=args.timeout,
        conf=conf,
    )


def pick_connection(result: LoadResult, name: str | None) -> Connection:
    livys = [c for c in result.connections.values() if c.kind == "livy"]
    names = ", ".join(c.name for c in livys) or "none"
    if name is None:
        if not livys:
            raise LivyMagicError(
                [
                    "%livy: no Livy connection is configured.",
                    'Hint: add one, e.g. {"name": "livy", "kind": "livy", "url": '
                    '"http://127.0.0.1:8998"}, to ~/.config/radlab/connections.json.',
                ]
            )
        return livys[0]
    found = result.get(name)
    if found is None or found.kind != "livy":
        raise LivyMagicError(
            [f"%livy: there is no Livy connection named {name!r}. Livy connections: {names}."]
        )
    return found


# ------------------------------------------------------------------------------------------ pandas


_INT_TYPES = {"byte", "short", "integer", "long"}
_FLOAT_TYPES = {"float", "double"}


def dtype_name(spark_type: Any) -> str:
    """The pandas dtype a Spark SQL type becomes."""
    t = spark_type if isinstance(spark_type, str) else "object"
    if t in _INT_TYPES:
        return "Int64"
    if t in _FLOAT_TYPES:
        return "float64"
    if t == "string":
        return "string"
    if t == "boolean":
        return "boolean"
    if t in ("date", "timestamp", "timestamp_ntz"):
        return "datetime64[ns]"
    return "object"


def column_array(spark_type: Any, values: list[Any]) -> Any:
    """One page's values of a column as a typed pandas array (plain JSON in, Spark's type out)."""
    import numpy as np
    import pandas as pd

    name = dtype_name(spark_type)
    if name == "Int64":
        # the driver sends integers beyond 2**53 as text (shared/livy/pull.py)
        if any(isinstance(v, str) for v in values):
            values = [int(v) if isinstance(v, str) else v for v in values]
        return pd.array(values, dtype="Int64")
    if name == "float64":
        return np.array([np.nan if v is None else float(v) for v in values], dtype="float64")
    if name in ("string", "boolean"):
        return pd.array(values, dtype=name)
    if name == "datetime64[ns]":
        return (
            pd.to_datetime(pd.Series(values, dtype="object"), errors="coerce")
            .astype("datetime64[ns]")
            .array
        )
    if isinstance(spark_type, str) and spark_type.startswith("decimal"):
        from decimal import Decimal

        return np.array([None if v is None else Decimal(v) for v in values], dtype=object)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@dataclass
class Pulled:
    frame: Any
    rows: int
    cut: bool
    stats: dict[str, Any]


def to_dataframe(pull: Pull) -> Pulled:
    """Reads every page into typed arrays as it comes, then one concatenation per column."""
    import pandas as pd

    names = [str(f.get("name")) for f in pull.fields]
    types = [f.get("type") for f in pull.fields]
    parts: list[list[Any]] = [[] for _ in names]
    rows = 0
    for page in pull.pages:
        for i, values in enumerate(page.columns):
            parts[i].append(column_array(types[i], values))
        rows += page.rows
        page.columns = []  # the page's plain values are garbage now
    cut = pull.limit is not None and rows > pull.limit
    columns = {}
    for i, name in enumerate(names):
        chunks = parts[i]
        parts[i] = []
        if not chunks:
            series = pd.Series([], dtype=dtype_name(types[i]))
        elif len(chunks) == 1:
            series = pd.Series(chunks[0], copy=False)
        else:
            series = pd.concat([pd.Series(c, copy=False) for c in chunks], ignore_index=True)
        if cut:
            series = series.iloc[: pull.limit]
        columns[name] = series
    frame = pd.DataFrame(columns, copy=False) if columns else pd.DataFrame(index=range(0))
    kept = pull.limit if cut and pull.limit is not None else rows
    return Pulled(frame, kept, cut, pull.stats)


def pull_notice(var: str, pulled: Pulled, limit: int | None) -> str:
    f = pulled.frame
    kinds = ", ".join(f"{c}: {t}" for c, t in zip(f.columns, f.dtypes.astype(str)))
    head = f"{var}: {pulled.rows:,} rows × {len(f.columns)} columns ({kinds})"
    if pulled.cut:
        return f"{head}; cut at -n {limit:,}: the Spark DataFrame has more rows (-n N or --all)"
    return f"{head}; all rows"


# ------------------------------------------------------------------------------------------ sessions


@dataclass
class HeldSession:
    name: str
    connection: str
    client: LivyClient
    id: int
    kind: str
    conf: dict[str, Any]
    keepalive: KeepAlive | None = None
    started: float = field(default_factory=time.monotonic)


class Sessions:
    """The sessions this kernel holds, by its own names."""

    def __init__(
        self,
        store: ConnectionStore,
        client_factory: Callable[[Connection], LivyClient] = LivyClient.from_connection,
        echo: Callable[[str], None] = print,
        keepalive_s: float = KEEPALIVE_S,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.echo = echo
        self.keepalive_s = keepalive_s
        self.held: dict[str, HeldSession] = {}

    def add(self, opts: LivyOptions) -> HeldSession:
        if opts.session in self.held:
            raise LivyMagicError(
                [
                    f"%livy: this kernel already holds a session named {opts.session!r}; "
                    "%livy delete -s NAME first, or pick another name."
                ]
            )
        conn = pick_connection(self.store.load(), opts.connection)
        client = self.client_factory(conn)
        kind = opts.kind if opts.kind in ("pyspark", "spark", "sparkr") else "pyspark"
        conf = {"kind": kind, "name": f"radlab-{opts.session}-{int(time.time())}", **opts.conf}
        self.echo(f"Starting Livy session {opts.session!r} ({kind}) on {conn.name}…")
        if kind in KIND_NEEDS:
            self.echo(f"Note: {kind} {KIND_NEEDS[kind]}.")
        began = time.monotonic()
        try:
            s = client.start_session(conf, timeout=opts.timeout or 300.0)
        except LivyError as e:
            raise LivyMagicError(format_livy_error(e)) from None
        held = HeldSession(opts.session, conn.name, client, int(s["id"]), kind, conf)
        held.keepalive = KeepAlive(client, held.id, self.keepalive_s)
        self.held[opts.session] = held
        ui = (s.get("appInfo") or {}).get("sparkUiUrl")
        self.echo(
            f"Livy session {opts.session!r} is idle (Livy id {held.id}"
            + (f", Spark UI {ui}" if ui else "")
            + f") after {time.monotonic() - began:.0f} s."
        )
        return held

    def get(self, opts: LivyOptions, start: bool = True) -> HeldSession:
        held = self.held.get(opts.session)
        if held is not None:
            if held.keepalive and held.keepalive.error is not None:
                self._dead(held, held.keepalive.error)
            return held
        if not start:
            names = ", ".join(self.held) or "none"
            raise LivyMagicError(
                [f"%livy: this kernel holds no session named {opts.session!r} (held: {names})."]
            )
        return self.add(opts)

    def _dead(self, held: HeldSession, e: LivyError) -> None:
        lines = format_livy_error(e)
        lines.append(f"Restart it with: %livy restart -s {held.name}")
        raise LivyMagicError(lines)

    def delete(self, name: str) -> None:
        held = self.held.pop(name, None)
        if held is None:
            raise LivyMagicError([f"%livy: this kernel holds no session named {name!r}."])
        if held.keepalive:
            held.keepalive.stop()
        held.client.delete_session(held.id)
        self.echo(f"Deleted Livy session {name!r} (Livy id {held.id}).")

    def restart(self, opts: LivyOptions) -> HeldSession:
        held = self.held.get(opts.session)
        if held is not None:
            self.delete(opts.session)
            opts = LivyOptions(
                session=held.name,
                kind=held.kind,
                connection=held.connection,
                conf={k: v for k, v in held.conf.items() if k not in ("kind", "name")},
                timeout=opts.timeout,
            )
        return self.add(opts)

    def cleanup(self) -> None:
        for name in list(self.held):
            try:
                self.delete(name)
            except LivyError:
                self.held.pop(name, None)

    def info(self, opts: LivyOptions) -> list[str]:
        held = self.get(opts, start=False)
        s = held.client.session(held.id)
        left = held.client.expires_in(held.id)
        ui = (s.get("appInfo") or {}).get("sparkUiUrl")
        return [
            f"session {held.name!r}: Livy id {held.id} on {held.connection}, kind {held.kind}, "
            f"state {s.get('state')}, app {s.get('appId') or '-'}",
            f"Spark UI: {ui}" if ui else "Spark UI: -",
            f"keep-alive every {self.keepalive_s:.0f} s; Livy's idle timeout would end it in "
            + (f"{left / 60:.0f} min" if left is not None else "?")
            + " without it",
        ]


# ------------------------------------------------------------------------------------------ running


def _progress_text(st: Mapping[str, Any], began: float) -> str:
    pct = int(float(st.get("progress") or 0) * 100)
    return f"Spark: {st.get('state')} {pct}% ({time.monotonic() - began:.0f} s)"


def run_cell(
    line: str,
    cell: str | None,
    sessions: Sessions,
    *,
    display: Callable[[dict[str, Any]], None],
    progress: Callable[[str | None], None] = lambda _text: None,
    echo: Callable[[str], None] = print,
) -> tuple[LivyOptions, Pulled | None]:
    """The whole magic without IPython: returns (options, pulled DataFrame or None)."""
    opts = parse_options(line)
    if opts.command is not None:
        run_command(opts, sessions, echo)
        return opts, None
    code = cell if cell is not None else ""
    if not code.strip():
        raise LivyMagicError(["%livy: no code to run (%%livy in a cell, with the code below it)."])
    if opts.output:
        from .drill import import_pandas

        import_pandas()
    held = sessions.get(opts)
    client = held.client
    kind = opts.kind or held.kind
    began = time.monotonic()
    last = [0.0]

    def on_progress(st: Mapping[str, Any]) -> None:
        if time.monotonic() - last[0] >= 0.5:
            last[0] = time.monotonic()
            progress(_progress_text(st, began))

    try:
        if kind == "sql":
            limit = opts.maxrows if opts.output else (opts.maxrows or DISPLAY_ROWS)
            pull = client.pull(
                held.id, f"spark.sql({code.strip()!r})", limit=limit, timeout=opts.timeout
            )
            pulled = to_dataframe(pull)
            progress(None)
            if not opts.quiet:
                display(
                    {
                        "text/html": pulled.frame.to_html(max_rows=DISPLAY_ROWS),
                        "text/plain": repr(pulled.frame),
                    }
                )
            if opts.output:
                echo(pull_notice(opts.output, pulled, limit))
            elif pulled.cut:
                echo(
                    f"Showing the first {limit:,} rows; the query has more (-n N, or -o VAR for all)."
                )
            return opts, pulled if opts.output else None
        data = client.run(held.id, code, kind, opts.timeout, on_progress)
        progress(None)
        if not opts.quiet:
            text = data.get("text/plain")
            bundle = {
                k: v for k, v in data.items() if k in ("text/html", "image/png", "text/plain")
            }
            if "application/json" in data and "text/plain" not in bundle:
                bundle["text/plain"] = json.dumps(data["application/json"], indent=1)
            if text or len(bundle) > 1:
                display(bundle)
        if opts.output:
            if kind not in ("pyspark", "spark"):
                raise LivyMagicError(
                    [f"%livy: -o works with pyspark, spark and sql cells, not {kind}."]
                )
            if kind == "spark":
                raise LivyMagicError(
                    [
                        "%livy: -o of a Scala DataFrame: register it as a view "
                        '(df.createOrReplaceTempView("v")) and pull it with %%livy -k sql -o VAR.',
                        "SELECT * FROM v",
                    ]
                )
            pull = client.pull(held.id, opts.output, limit=opts.maxrows, timeout=opts.timeout)
            pulled = to_dataframe(pull)
            echo(pull_notice(opts.output, pulled, opts.maxrows))
            return opts, pulled
        return opts, None
    except LivyError as e:
        progress(None)
        lines = format_livy_error(e)
        if e.failure in ("sessionDead", "sessionGone"):
            lines.append(f"Restart it with: %livy restart -s {held.name}")
        raise LivyMagicError(lines) from None
    except KeyboardInterrupt:
        progress(None)
        raise LivyMagicError(["%livy: interrupted; the statement was cancelled in Livy."]) from None


def run_command(opts: LivyOptions, sessions: Sessions, echo: Callable[[str], None]) -> None:
    try:
        if opts.command == "add":
            sessions.add(opts)
        elif opts.command == "sessions":
            if not sessions.held:
                echo("This kernel holds no Livy session (a %%livy cell starts one).")
            for held in sessions.held.values():
                s = held.client.session(held.id)
                echo(
                    f"{held.name}: Livy id {held.id} on {held.connection}, {held.kind}, {s.get('state')}"
                )
        elif opts.command == "info":
            for text in sessions.info(opts):
                echo(text)
        elif opts.command == "logs":
            held = sessions.get(opts, start=False)
            for text in held.client.log(held.id, opts.maxrows or 50):
                echo(text)
        elif opts.command == "delete":
            sessions.delete(opts.session)
        elif opts.command == "restart":
            sessions.restart(opts)
        elif opts.command == "cleanup":
            sessions.cleanup()
            echo("Deleted every Livy session this kernel held.")
    except LivyError as e:
        raise LivyMagicError(format_livy_error(e)) from None


# ------------------------------------------------------------------------------------------ IPython glue

try:
    from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
except ImportError:  # pragma: no cover - the logic above works without IPython
    Magics = None  # type: ignore[assignment,misc]

if Magics is not None:

    @magics_class
    class LivyMagics(Magics):
        """`%livy` / `%%livy`; see the module docstring."""

        def __init__(self, shell: Any = None) -> None:
            super().__init__(shell)
            self.sessions = Sessions(ConnectionStore(None, ttl=5.0))

        @no_var_expand
        @line_cell_magic
        def livy(self, line: str, cell: str | None = None) -> None:
            """Spark through Apache Livy; see radlab.kernel.magics.livy."""
            from IPython.display import display as _display

            display: Callable[..., Any] = _display  # IPython leaves it unannotated
            assert self.shell is not None  # a magic always runs in a shell
            handle: list[Any] = []

            def progress(text: str | None) -> None:
                if text is None:
                    if handle:
                        handle[0].update({"text/plain": ""}, raw=True)
                    return
                if not handle:
                    handle.append(display({"text/plain": text}, raw=True, display_id=True))
                else:
                    handle[0].update({"text/plain": text}, raw=True)

            opts, pulled = run_cell(
                line, cell, self.sessions, display=lambda b: display(b, raw=True), progress=progress
            )
            if opts.output and pulled is not None:
                self.shell.user_ns[opts.output] = pulled.frame

    LivyMagics.livy.__doc__ = __doc__
