"""`%%drill` / `%drill`: Apache Drill SQL in IPython kernels (load with `%load_ext radlab`).

Syntax::

    %%drill [-c CONNECTION] [-o VAR] [-l LIMIT] [-q] [--timeout S] [--schema SCHEMA]
    SELECT ... WHERE modality = {modality} AND study_date >= {since}

    %drill [options] SELECT ...            # the same, on one line

Options (long forms too: --connection, --output, --limit, --quiet, --timeout, --schema; `--x=v` works):

-c, --connection NAME  a Radlab connection of kind `drill` (default: the first one configured).
-o, --output VAR       store the result as a pandas DataFrame in VAR (needs pandas).
-l, --limit N          at most N rows (default 10,000; 0 = no limit). Never silently capped: when
                       the query has more rows the output says "Showing N rows; the query has
                       more. Use -l N or -l 0." (a plain line, not a warning).
-q, --quiet            no display (use with -o).
--timeout S            cancel the query on Drill after S seconds (default: no time limit; Jupyter's
                       "interrupt kernel" cancels it on Drill too).
-s, --schema SCHEMA    Drill's defaultSchema for unqualified table names (like `USE dfs.radlab`).

Parameters: `{name}` is replaced by the value of `name` in the notebook namespace as a SQL LITERAL,
never spliced as text: str -> 'text' (quotes doubled), int/float/Decimal -> a number (negatives in
parentheses), bool -> TRUE/FALSE, None -> NULL, datetime.date -> DATE '...', datetime.datetime ->
TIMESTAMP '...' (time-zone-aware values converted to UTC), datetime.time -> TIME '...', a
list/tuple/set -> (a, b, c) for IN. `{{` and `}}` are literal braces. Only plain names go in braces
(no expressions); an unknown name is an error. `{name}` inside a quoted string or identifier is an
error (the value is already quoted); comments are passed through untouched. Identifiers (table and
column names) are NOT parameters: `FROM {table}` would read `FROM 'studies'`, which Drill rejects;
write names in the SQL.

Connections come from the same sources as the Jupyter server extension (radlab.config): the file
$RADLAB_CONFIG or ~/.config/radlab/connections.json, $RADLAB_CONNECTIONS, and shared/defaults.json
when nothing is configured, all as seen by the KERNEL's environment. There is no Jupyter traitlet
config in a kernel: connections set only in `c.Radlab.connections` (jupyter_server_config.py) are not
visible here. Secrets are resolved in the kernel and never printed (radlab.redact).

DataFrame dtypes (from Drill's column metadata): INT/BIGINT/SMALLINT/TINYINT -> Int64 (nullable),
FLOAT4/FLOAT8 -> float64, VARCHAR/CHAR -> string (pandas' nullable StringDtype), BIT -> boolean,
DATE/TIMESTAMP -> datetime64[ns], UTC-naive: Drill's TIMESTAMP has no time zone and its REST API
sends the wall-clock value as epoch ms, so the naive value is what Drill holds (out-of-range values
fall back to object), TIME -> object (datetime.time), DECIMAL -> object (decimal.Decimal, exact),
maps/lists/INTERVAL/others -> object. Values that do not fit their column type keep object dtype.

Display: `{MIME drillResult: payload (shared/schema/drill-result.schema.json), text/html: the first
100 rows (every cell HTML-escaped), text/plain: a text table}`; the rich grid renders the payload.
Errors are one paragraph (Drill's message, the SQL line with a caret, a hint), not a traceback.

The logic (options, binding, typing, rendering, errors) is plain functions; `DrillMagics` at the end
is the only IPython glue.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import keyword
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...config import Connection, ConnectionStore, LoadResult
from ...redact import redact
from ..drill_client import (
    BOOLEAN_TYPES,
    FLOAT_TYPES,
    INTEGER_TYPES,
    STRING_TYPES,
    DrillClient,
    DrillError,
    DrillResult,
    base_type,
)

DEFAULT_LIMIT = 10_000
HTML_ROWS = 100
TEXT_ROWS = 100
TEXT_CELL_WIDTH = 40
_MIME_FALLBACK = "application/vnd.radlab.drill-result+json"


@lru_cache(maxsize=1)
def drill_result_mime() -> str:
    """The MIME type from shared/mime-types.json (`drillResult`)."""
    for path in (
        Path(__file__).resolve().parents[1] / "schema" / "mime-types.json",
        Path(__file__).resolve().parents[3] / "shared" / "mime-types.json",
    ):
        try:
            return str(json.loads(path.read_text(encoding="utf-8"))["drillResult"])
        except (OSError, ValueError, KeyError):
            continue
    return _MIME_FALLBACK


# ------------------------------------------------------------------------------------------ errors


class DrillMagicError(Exception):
    """An error shown as its lines only: IPython calls `_render_traceback_` instead of printing a
    Python traceback."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = [redact(line) for line in lines]
        super().__init__("\n".join(self.lines))

    def _render_traceback_(self) -> list[str]:
        return list(self.lines)


def caret_lines(sql: str, line: int, column: int, end_column: int | None = None) -> list[str]:
    """`  2 | SELECT * FORM t` and a caret under column `column` (1-based), or carets up to
    `end_column` on the same line. Tabs are kept so the caret lines up."""
    lines = sql.split("\n")
    if not 1 <= line <= len(lines):
        return []
    text = lines[line - 1].rstrip("\r")
    column = max(1, min(column, len(text) + 1))
    width = 1
    if end_column is not None and end_column >= column:
        width = min(end_column, max(len(text), column)) - column + 1
    pad = "".join("\t" if ch == "\t" else " " for ch in text[: column - 1])
    gutter = f"{line:>3} | "
    return [gutter + text, " " * (len(gutter) - 2) + "| " + pad + "^" * max(1, width)]


def format_drill_error(err: DrillError, sql: str) -> list[str]:
    """One paragraph: what failed, Drill's message, the SQL line with a caret, a hint."""
    where = f" (connection {err.connection})" if err.connection else ""
    if err.code == "unreachable":
        head = err.message
    elif err.code == "cancelled":
        head = f"Drill query cancelled{where}: {err.message}."
    elif err.code == "timeout":
        head = f"Drill query timed out{where}: {err.message}."
    else:
        head = f"Drill query failed{where}: {err.message}"
    lines = [head]
    pos = err.position
    if pos is not None:
        end = pos.end_column if pos.end_line in (None, pos.line) else None
        lines += caret_lines(sql, pos.line, pos.column, end)
    if err.hint:
        lines.append(f"Hint: {err.hint}")
    return lines


# ------------------------------------------------------------------------------------------ options


@dataclass
class MagicOptions:
    connection: str | None = None
    output: str | None = None
    limit: int = DEFAULT_LIMIT
    quiet: bool = False
    timeout: float | None = None
    schema: str | None = None


_OPTIONS = {
    "-c": "connection",
    "--connection": "connection",
    "-o": "output",
    "--output": "output",
    "-l": "limit",
    "--limit": "limit",
    "-q": "quiet",
    "--quiet": "quiet",
    "--timeout": "timeout",
    "--schema": "schema",
    "-s": "schema",
}
USAGE = (
    "Usage: %%drill [-c CONNECTION] [-o VAR] [-l LIMIT] [-q] [--timeout S] [--schema SCHEMA] "
    "with the SQL in the cell, or %drill [options] SQL"
)


def _usage_error(message: str) -> DrillMagicError:
    return DrillMagicError([f"%drill: {message}", USAGE])


def parse_options(line: str, *, sql_allowed: bool) -> tuple[MagicOptions, str]:
    """Leading options of a magic line; the rest of the line is SQL (line magic) verbatim."""
    opts = MagicOptions()
    pos = 0
    token_re = re.compile(r"\s*(\S+)")
    while True:
        m = token_re.match(line, pos)
        if not m or not m.group(1).startswith("-"):
            break
        token = m.group(1)
        name, eq, inline = token.partition("=")
        if name not in _OPTIONS:
            if sql_allowed and token.startswith("--") and name == "--":
                break  # a SQL comment: the SQL starts here
            raise _usage_error(f"unknown option {token.split('=')[0]!r}")
        pos = m.end()
        field = _OPTIONS[name]
        if field == "quiet":
            if eq:
                raise _usage_error(f"{name} takes no value")
            opts.quiet = True
            continue
        if eq:
            value = inline
        else:
            v = token_re.match(line, pos)
            if not v:
                raise _usage_error(f"{name} needs a value")
            value, pos = v.group(1), v.end()
        if field == "limit":
            try:
                opts.limit = int(value.replace(",", "").replace("_", ""))
            except ValueError:
                raise _usage_error(f"{name} needs a whole number of rows, not {value!r}") from None
            if opts.limit < 0:
                raise _usage_error(f"{name} must be 0 (no limit) or more")
        elif field == "timeout":
            try:
                opts.timeout = float(value)
            except ValueError:
                raise _usage_error(f"--timeout needs seconds, not {value!r}") from None
            if not math.isfinite(opts.timeout) or opts.timeout <= 0:
                raise _usage_error("--timeout must be a positive number of seconds")
        elif field == "output":
            if not value.isidentifier() or keyword.iskeyword(value):
                raise _usage_error(f"{name} needs a Python variable name, not {value!r}")
            opts.output = value
        else:
            setattr(opts, field, value)
    rest = line[pos:].strip()
    if rest and not sql_allowed:
        raise _usage_error(
            f"unexpected {rest[:40]!r} after the options: put the SQL in the cell body"
        )
    return opts, rest


# ------------------------------------------------------------------------------------------ parameters


class BindError(DrillMagicError):
    pass


_SUPPORTED = (
    "str, int, float, Decimal, bool, None, date, datetime, time, or a list/tuple/set of those"
)


def _is_na(value: Any) -> bool:
    """pandas.NA / pandas.NaT, without importing pandas."""
    return type(value).__name__ in ("NAType", "NaTType")


def _number(text: str) -> str:
    # a negative literal in parentheses: `x-{n}` with n = -5 must not become the comment `x--5`
    return f"({text})" if text.startswith("-") else text


def _timestamp_text(value: dt.datetime) -> str:
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text


def sql_literal(value: Any, name: str = "value", *, _nested: bool = False) -> str:
    """The SQL literal for one Python value (see the module docstring); raises ValueError."""
    if value is None or _is_na(value):
        return "NULL"
    if isinstance(value, bool) or (
        type(value).__module__ == "numpy" and type(value).__name__ in ("bool_", "bool")
    ):
        return "TRUE" if bool(value) else "FALSE"
    if isinstance(value, numbers.Integral):
        return _number(str(int(value)))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{{{name}}} is {value}, which has no SQL literal")
        return _number(format(value, "f"))
    if isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            raise ValueError(f"{{{name}}} is {f}, which has no SQL literal; use None for NULL")
        return _number(repr(f))
    if isinstance(value, str):
        quoted = "'" + value.replace("'", "''") + "'"
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            # Calcite's literals are ISO-8859-1 unless a character set is named
            return "_UTF16" + quoted
        return quoted
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{_timestamp_text(value)}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.year:04d}-{value.month:02d}-{value.day:02d}'"
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ValueError(f"{{{name}}} is a time with a time zone; Drill's TIME has none")
        text = value.strftime("%H:%M:%S")
        if value.microsecond:
            text += f".{value.microsecond:06d}".rstrip("0")
        return f"TIME '{text}'"
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise ValueError(f"{{{name}}} is bytes: Drill SQL has no binary literal")
    seq: list[Any] | None = None
    if isinstance(value, (list, tuple, set, frozenset)):
        seq = list(value)
        if isinstance(value, (set, frozenset)):
            try:
                seq = sorted(seq)
            except TypeError:
                pass
    elif hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # numpy, pandas
        listed = value.tolist()
        if isinstance(listed, list):
            seq = listed
        elif not _nested:
            return sql_literal(listed, name)
    if seq is not None:
        if _nested:
            raise ValueError(f"{{{name}}} holds a nested list; only a flat list binds (for IN)")
        if not seq:
            raise ValueError(f"{{{name}}} is empty: `IN ()` is not valid SQL")
        return "(" + ", ".join(sql_literal(v, name, _nested=True) for v in seq) + ")"
    raise ValueError(
        f"{{{name}}} is a {type(value).__module__}.{type(value).__qualname__}, which has no SQL "
        f"literal; bind {_SUPPORTED}. Identifiers (table/column names) are not parameters."
    )


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _bind_error(sql: str, index: int, message: str, hint: str, width: int = 1) -> BindError:
    line, col = _line_col(sql, index)
    return BindError(
        [f"%drill: {message} (line {line}, column {col})"]
        + caret_lines(sql, line, col, col + width - 1)
        + [f"Hint: {hint}"]
    )


_PARAM = re.compile(r"\{([^{}\n]*)\}")
_BRACE_HINT = "Write {{ and }} for literal braces."


def _closing_quote(sql: str, start: int) -> int:
    """Index after the quoted run starting at `start` ('...', `...` or "..."; doubled = escaped)."""
    q = sql[start]
    i = start + 1
    while True:
        j = sql.find(q, i)
        if j < 0:
            return len(sql)
        if j + 1 < len(sql) and sql[j + 1] == q:
            i = j + 2
            continue
        return j + 1


def bind_parameters(sql: str, namespace: Mapping[str, Any]) -> str:
    """Replaces `{name}` with the SQL literal of namespace[name]; see the module docstring."""
    out: list[str] = []
    i, n = 0, len(sql)

    def param(at: int) -> tuple[str, int]:
        m = _PARAM.match(sql, at)
        if not m:
            raise _bind_error(sql, at, "unmatched '{'", f"A parameter is {{name}}. {_BRACE_HINT}")
        name = m.group(1).strip()
        if not name.isidentifier() or keyword.iskeyword(name):
            raise _bind_error(
                sql,
                at,
                f"{m.group(0)!s} is not a parameter",
                f"Only a plain variable name goes in braces, e.g. {{modality}}; compute "
                f"expressions in Python first. {_BRACE_HINT}",
                len(m.group(0)),
            )
        if name not in namespace:
            raise _bind_error(
                sql,
                at,
                f"{{{name}}}: there is no variable {name!r} in the notebook",
                f"Define {name} in a cell above and run it. {_BRACE_HINT}",
                len(m.group(0)),
            )
        try:
            return sql_literal(namespace[name], name), m.end()
        except ValueError as e:
            raise _bind_error(
                sql, at, str(e), "Convert the value in Python first.", len(m.group(0))
            ) from None

    while i < n:
        c = sql[i]
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            j = n if j < 0 else j
            out.append(sql[i:j])
            i = j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(sql[i:j])
            i = j
        elif c in "'`\"":
            j = _closing_quote(sql, i)
            k = i
            while k < j:
                ch = sql[k]
                if ch in "{}" and sql.startswith(ch * 2, k) and k + 1 < j:
                    out.append(ch)
                    k += 2
                elif ch in "{}":
                    what = "string" if c == "'" else "identifier"
                    inside = _PARAM.match(sql, k)
                    if inside and inside.group(1).strip().isidentifier():
                        raise _bind_error(
                            sql,
                            k,
                            f"parameter inside a quoted {what}",
                            "Write the parameter without quotes: it is bound as a quoted literal "
                            "(… = {name}, not '{name}'). Identifiers are not parameters. "
                            + _BRACE_HINT,
                        )
                    raise _bind_error(sql, k, f"lone '{ch}' inside a quoted {what}", _BRACE_HINT)
                else:
                    out.append(ch)
                    k += 1
            i = j
        elif c == "{":
            if sql.startswith("{{", i):
                out.append("{")
                i += 2
            else:
                literal, i = param(i)
                out.append(literal)
        elif c == "}":
            if sql.startswith("}}", i):
                out.append("}")
                i += 2
            else:
                raise _bind_error(sql, i, "unmatched '}'", _BRACE_HINT)
        else:
            out.append(c)
            i += 1
    return "".join(out)


# ------------------------------------------------------------------------------------------ connections


def _config_problems(result: LoadResult, name: str | None = None) -> list[str]:
    msgs = [
        e["message"] for e in result.errors if name is None or e.get("connection") in (None, name)
    ]
    return [f"  config problem: {m}" for m in msgs[:5]]


_CONFIG_HINT = (
    "Hint: add a connection of kind drill to ~/.config/radlab/connections.json (or $RADLAB_CONFIG, "
    "or $RADLAB_CONNECTIONS in the kernel's environment), e.g. "
    '{"connections": [{"name": "local-drill", "kind": "drill", "url": "http://127.0.0.1:8047"}]}.'
)


def _usable(conn: Connection) -> Connection:
    """The connection, or its config problem (an unset password variable…) as the error."""
    if conn.problem is None:
        return conn
    raise DrillMagicError(
        [
            f"%drill: connection {conn.name!r} cannot be used: {conn.problem['message']}",
            f"Hint: {conn.problem['hint']}",
        ]
    )


def pick_connection(result: LoadResult, name: str | None) -> Connection:
    """The named connection, else the first of kind drill; DrillMagicError naming the options."""
    drills = [c for c in result.connections.values() if c.kind == "drill"]
    names = ", ".join(c.name for c in drills) or "none"
    if name is None:
        usable = [c for c in drills if c.problem is None]
        if drills and not usable:
            return _usable(drills[0])
        drills = usable
        if not drills:
            raise DrillMagicError(
                [
                    "%drill: no Drill connection is configured.",
                    *_config_problems(result),
                    _CONFIG_HINT,
                ]
            )
        conn = drills[0]
    else:
        found = result.get(name)
        if found is None:
            raise DrillMagicError(
                [
                    f"%drill: there is no connection named {name!r}. Drill connections: {names}.",
                    *_config_problems(result, name),
                    "Hint: pick one with -c NAME, or add it to the Radlab connections.",
                ]
            )
        if found.kind != "drill":
            raise DrillMagicError(
                [
                    f"%drill: connection {name!r} is of kind {found.kind}, not drill. "
                    f"Drill connections: {names}."
                ]
            )
        conn = _usable(found)
    if not conn.base_url:
        raise DrillMagicError([f"%drill: connection {conn.name!r} has no url."])
    return conn


# ------------------------------------------------------------------------------------------ pandas


def import_pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise DrillMagicError(
            [
                "%drill: -o needs pandas, which is not installed in this kernel.",
                "Hint: pip install pandas (or pip install 'radlab[magics]'), restart the kernel, "
                "or leave out -o.",
            ]
        ) from None
    return pandas


def _series(pd: Any, drill_type: str, values: list[Any]) -> Any:
    base = base_type(drill_type)
    try:
        if base in INTEGER_TYPES:
            if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values):
                return pd.Series(pd.array(values, dtype="Int64"))
        elif base in FLOAT_TYPES:
            if all(v is None or isinstance(v, float) for v in values):
                return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        elif base in STRING_TYPES:
            if all(v is None or isinstance(v, str) for v in values):
                return pd.Series(pd.array(values, dtype="string"))
        elif base in BOOLEAN_TYPES:
            if all(v is None or isinstance(v, bool) for v in values):
                return pd.Series(pd.array(values, dtype="boolean"))
        elif base in ("DATE", "TIMESTAMP"):
            if all(v is None or isinstance(v, dt.date) for v in values):
                stamps = [
                    None
                    if v is None
                    else v
                    if isinstance(v, dt.datetime)
                    else dt.datetime(v.year, v.month, v.day)
                    for v in values
                ]
                return pd.Series(pd.to_datetime(stamps)).astype("datetime64[ns]")
    except (ValueError, TypeError, OverflowError):  # e.g. OutOfBoundsDatetime: keep the objects
        pass
    return pd.Series(values, dtype="object")


def to_dataframe(result: DrillResult) -> Any:
    """The result as a pandas DataFrame typed by Drill's metadata (see the module docstring)."""
    pd = import_pandas()
    rows = result.python_rows()
    data = {
        col.name: _series(pd, col.type, [row[i] for row in rows])
        for i, col in enumerate(result.columns)
    }
    df = pd.DataFrame(data, columns=[c.name for c in result.columns])
    df.attrs["drill"] = {
        "queryId": result.query_id,
        "truncated": result.truncated,
        "limit": result.limit,
    }
    return df


# ------------------------------------------------------------------------------------------ rendering


def truncation_notice(result: DrillResult) -> str | None:
    if not result.truncated:
        return None
    return f"Showing {result.row_count:,} rows; the query has more. Use -l N or -l 0."


def summary_line(result: DrillResult, connection: str | None) -> str:
    rows = f"{result.row_count:,} row{'' if result.row_count == 1 else 's'}"
    via = f" from {connection}" if connection else ""
    return f"{rows}{via} in {result.elapsed_ms / 1000:.2f} s (query {result.query_id})"


def payload(result: DrillResult, connection: str | None) -> dict[str, Any]:
    """The drillResult MIME payload (shared/schema/drill-result.schema.json)."""
    out: dict[str, Any] = {
        "version": 1,
        "columns": [{"name": c.name, "type": c.type} for c in result.columns],
        "rows": result.payload_rows(),
        "rowCount": result.row_count,
        "truncated": result.truncated,
        "elapsedMs": result.elapsed_ms,
    }
    if connection:
        out["connection"] = connection
    if result.query_id:
        out["queryId"] = result.query_id
    if result.sql:
        out["sql"] = result.sql
    if result.limit:
        out["limit"] = result.limit
    return out


def _cell_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def render_html(
    result: DrillResult, connection: str | None = None, rows: list[list[Any]] | None = None
) -> str:
    rows = result.payload_rows(HTML_ROWS) if rows is None else rows[:HTML_ROWS]
    esc = html.escape
    head = "".join(f'<th title="{esc(c.type)}">{esc(c.name)}</th>' for c in result.columns)
    body = []
    for row in rows:
        cells = "".join(
            '<td style="color:#888"><i>null</i></td>'
            if v is None
            else f"<td>{esc(_cell_text(v))}</td>"
            for v in row
        )
        body.append(f"<tr>{cells}</tr>")
    notes = [esc(summary_line(result, connection))]
    if result.row_count > len(rows):
        notes.append(f"The table shows the first {len(rows):,} rows.")
    notice = truncation_notice(result)
    if notice:
        notes.append(f"<b>{esc(notice)}</b>")
    return (
        '<div class="radlab-drill-result">'
        f'<table class="dataframe"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
        f"<p>{' '.join(notes)}</p></div>"
    )


def _clip(text: str) -> str:
    text = text.replace("\n", "\\n").replace("\t", " ")
    return text if len(text) <= TEXT_CELL_WIDTH else text[: TEXT_CELL_WIDTH - 1] + "…"


def render_text(
    result: DrillResult, connection: str | None = None, rows: list[list[Any]] | None = None
) -> str:
    rows = result.payload_rows(TEXT_ROWS) if rows is None else rows[:TEXT_ROWS]
    header = [_clip(c.name) for c in result.columns]
    cells = [[_clip(_cell_text(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = []
    if header:
        lines.append(" | ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
        lines.append("-+-".join("-" * w for w in widths))
        lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.append(summary_line(result, connection))
    if result.row_count > len(rows):
        lines.append(f"(the table shows the first {len(rows):,} rows)")
    notice = truncation_notice(result)
    if notice:
        lines.append(notice)
    return "\n".join(lines)


def display_bundle(result: DrillResult, connection: str | None) -> dict[str, Any]:
    data = payload(result, connection)
    return {
        drill_result_mime(): data,
        "text/html": render_html(result, connection, data["rows"]),
        "text/plain": render_text(result, connection, data["rows"]),
    }


# ------------------------------------------------------------------------------------------ running


def run_drill(
    line: str,
    cell: str | None,
    namespace: Mapping[str, Any],
    *,
    store: ConnectionStore,
    display: Callable[[dict[str, Any]], None],
    echo: Callable[[str], None] = print,
    client_factory: Callable[[Connection], DrillClient] = DrillClient.from_connection,
) -> tuple[MagicOptions, DrillResult, Any]:
    """The whole magic without IPython: returns (options, result, DataFrame or None); raises
    DrillMagicError. The caller stores the DataFrame under `options.output`."""
    opts, line_sql = parse_options(line, sql_allowed=cell is None)
    sql = cell if cell is not None else line_sql
    if not sql or not sql.strip(" \t\r\n;"):
        raise _usage_error("no SQL to run")
    if opts.output:
        import_pandas()  # fail before running the query
    bound = bind_parameters(sql, namespace)
    conn = pick_connection(store.load(), opts.connection)
    client = client_factory(conn)
    try:
        result = client.query(
            bound, limit=opts.limit, default_schema=opts.schema, timeout=opts.timeout
        )
    except DrillError as e:
        raise DrillMagicError(format_drill_error(e, bound.rstrip())) from None
    finally:
        client.close()
    frame = to_dataframe(result) if opts.output else None
    if not opts.quiet:
        display(display_bundle(result, conn.name))
    notice = truncation_notice(result)
    if notice:
        echo(notice)
    return opts, result, frame


# ------------------------------------------------------------------------------------------ IPython glue

try:
    from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
except ImportError:  # pragma: no cover - the logic above works without IPython
    Magics = None  # type: ignore[assignment,misc]

if Magics is not None:

    @magics_class
    class DrillMagics(Magics):
        """`%drill` / `%%drill`; see the module docstring."""

        def __init__(self, shell: Any = None) -> None:
            super().__init__(shell)
            # no Jupyter traitlet config in a kernel: file and environment sources only
            self.store = ConnectionStore(None, ttl=5.0)

        @no_var_expand
        @line_cell_magic
        def drill(self, line: str, cell: str | None = None) -> None:
            """Run Apache Drill SQL: %%drill [-c CONNECTION] [-o VAR] [-l LIMIT] [-q]
            [--timeout S] [--schema SCHEMA], or %drill [options] SQL. See radlab.kernel.magics.drill."""
            from IPython.display import display as _display

            display: Callable[..., None] = _display  # IPython leaves it unannotated

            assert self.shell is not None  # a magic always runs in a shell
            ns = self.shell.user_ns
            opts, _, frame = run_drill(
                line,
                cell,
                ns,
                store=self.store,
                display=lambda bundle: display(bundle, raw=True),
            )
            if opts.output and frame is not None:
                ns[opts.output] = frame

    # `%drill?` shows the full syntax
    DrillMagics.drill.__doc__ = __doc__
