"""%%drill / %drill: parameter binding, typing, error formatting (no Drill), the client and the
magic against the local stack's real Apache Drill, and a real kernel running a notebook (nbclient)."""

# ruff: noqa: S608 - the SQL here is test text with fixed table names, not built from input

from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from radlab.config import ConnectionStore, load_connections
from radlab.kernel.drill_client import (
    DrillClient,
    DrillColumn,
    DrillResult,
    drill_query_error,
    payload_value,
    python_value,
    sql_tag,
    tag_sql,
    trim_sql,
    untag_positions,
)
from radlab.kernel.magics.drill import (
    BindError,
    DrillMagicError,
    bind_parameters,
    caret_lines,
    display_bundle,
    drill_result_mime,
    format_drill_error,
    parse_options,
    pick_connection,
    render_html,
    run_drill,
    sql_literal,
    to_dataframe,
)
from radlab.redact import register_secret

from .conftest import DRILL_URL
from .notebook import error, execute_cells, stdout

REPO = Path(__file__).resolve().parents[3]
NASTY = "x'; DROP TABLE t; --"
PARQUET = "dfs.radlab.`studies_parquet`"
# 5 joins of 400 rows on 8 modalities with a residual filter: runs for minutes on the local Drill
SLOW_SQL = (
    "SELECT COUNT(*) AS slow_n FROM dfs.radlab.`series.json` a "
    + " ".join(
        f"JOIN dfs.radlab.`series.json` {t} ON {p}.modality = {t}.modality"
        for p, t in zip("abcd", "bcde")
    )
    + " WHERE a.num_instances + b.num_instances + c.num_instances + d.num_instances"
    " > e.num_instances * 7"
)


def _modality(i: int) -> str:
    """scripts/services/drill's sample data: study i has this modality."""
    return "CT MR CR DX US PT MG NM".split()[(i * 7) % 8]


def _count(*modalities: str) -> int:
    return sum(1 for i in range(1, 201) if _modality(i) in modalities)


# ------------------------------------------------------------------------------------------ binding


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (None, "NULL"),
        (True, "TRUE"),
        (False, "FALSE"),
        (0, "0"),
        (42, "42"),
        (-5, "(-5)"),
        (2**70, str(2**70)),
        (1.5, "1.5"),
        (-0.25, "(-0.25)"),
        (1e-07, "1e-07"),
        (Decimal("12.50"), "12.50"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-3.1"), "(-3.1)"),
        ("CT", "'CT'"),
        ("é", "'é'"),
        ("😀 it's", "_UTF16'😀 it''s'"),
        ("", "''"),
        ("O'Brien", "'O''Brien'"),
        (NASTY, "'x''; DROP TABLE t; --'"),
        ("a\\'b", "'a\\''b'"),
        ("line1\nline2", "'line1\nline2'"),
        (dt.date(2024, 2, 2), "DATE '2024-02-02'"),
        (dt.datetime(2024, 1, 2, 3, 4, 5), "TIMESTAMP '2024-01-02 03:04:05'"),
        (dt.datetime(2024, 1, 2, 3, 4, 5, 678000), "TIMESTAMP '2024-01-02 03:04:05.678'"),
        (
            dt.datetime(2024, 1, 2, 5, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "TIMESTAMP '2024-01-02 03:04:05'",
        ),
        (dt.time(10, 11, 12), "TIME '10:11:12'"),
        (dt.time(10, 11, 12, 500000), "TIME '10:11:12.5'"),
        (["CT", "MR"], "('CT', 'MR')"),
        (("it's", None, 3), "('it''s', NULL, 3)"),
        ({"MR", "CT"}, "('CT', 'MR')"),
        ([-1, 2], "((-1), 2)"),
    ],
)
def test_sql_literal(value, literal):
    assert sql_literal(value) == literal


def test_sql_literal_numpy_and_pandas_values():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert sql_literal(np.int64(7)) == "7"
    assert sql_literal(np.float64(2.5)) == "2.5"
    assert sql_literal(np.bool_(True)) == "TRUE"
    assert sql_literal(np.array([1, 2])) == "(1, 2)"
    assert sql_literal(pd.Series(["CT", "MR"])) == "('CT', 'MR')"
    assert sql_literal(pd.NA) == "NULL"
    assert sql_literal(pd.NaT) == "NULL"
    assert sql_literal(pd.Timestamp("2024-01-02 03:04:05")) == "TIMESTAMP '2024-01-02 03:04:05'"


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ([], "IN ()"),
        ([[1], [2]], "nested list"),
        (float("nan"), "no SQL literal"),
        (float("inf"), "no SQL literal"),
        (Decimal("NaN"), "no SQL literal"),
        (b"\x00", "binary"),
        (object(), "Identifiers (table/column names) are not parameters"),
        ({"a": 1}, "no SQL literal"),
    ],
)
def test_sql_literal_rejects(value, needle):
    with pytest.raises(ValueError, match=r".") as info:
        sql_literal(value, "v")
    assert needle in str(info.value)


def test_bind_injection_attempts_stay_literals():
    ns = {"name": NASTY, "n": -5, "ids": ["a') OR ('1'='1", "b"]}
    sql = "SELECT * FROM t WHERE name = {name} AND x-{n} > 0 AND id IN {ids}"
    assert bind_parameters(sql, ns) == (
        "SELECT * FROM t WHERE name = 'x''; DROP TABLE t; --' AND x-(-5) > 0 "
        "AND id IN ('a'') OR (''1''=''1', 'b')"
    )


def test_bind_escapes_comments_and_spaces():
    ns = {"m": "CT", "since": dt.date(2024, 6, 1)}
    sql = (
        "SELECT '{{json}}' AS j, `a{{b}}` AS k, {{m}} -- {m} is passed through, don't bind\n"
        "/* {nope} */ FROM t WHERE m = { m } AND d >= {since}"
    )
    assert bind_parameters(sql, ns) == (
        "SELECT '{json}' AS j, `a{b}` AS k, {m} -- {m} is passed through, don't bind\n"
        "/* {nope} */ FROM t WHERE m = 'CT' AND d >= DATE '2024-06-01'"
    )


def test_bind_unknown_name_is_a_clear_error():
    with pytest.raises(BindError) as info:
        bind_parameters("SELECT 1\nFROM t WHERE a = {missing}", {})
    lines = info.value._render_traceback_()
    assert (
        lines[0]
        == "%drill: {missing}: there is no variable 'missing' in the notebook (line 2, column 18)"
    )
    assert lines[1] == "  2 | FROM t WHERE a = {missing}"
    assert lines[2] == "    |                  ^^^^^^^^^"
    assert "Define missing in a cell above" in lines[3]


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        ("SELECT {a + 1}", "is not a parameter"),
        ("SELECT {x.y}", "is not a parameter"),
        ("SELECT {", "unmatched '{'"),
        ("SELECT }", "unmatched '}'"),
        ("SELECT '{a}'", "parameter inside a quoted string"),
        ("SELECT `{a}`", "parameter inside a quoted identifier"),
        ("SELECT '{\"k\": 1}'", "lone '{' inside a quoted string"),
        ("SELECT {bad}", "no SQL literal"),
    ],
)
def test_bind_errors(sql, needle):
    with pytest.raises(BindError) as info:
        bind_parameters(sql, {"a": 1, "x": 2, "bad": object()})
    assert needle in info.value.lines[0]
    assert any(line.startswith("Hint: ") for line in info.value.lines)


# ------------------------------------------------------------------------------------------ options


def test_parse_options():
    opts, rest = parse_options(
        "-c prod -o df -l 5 -q --timeout 2.5 --schema dfs.radlab", sql_allowed=False
    )
    assert (opts.connection, opts.output, opts.limit, opts.quiet, opts.timeout, opts.schema) == (
        "prod",
        "df",
        5,
        True,
        2.5,
        "dfs.radlab",
    )
    assert rest == ""
    opts, rest = parse_options("--limit=0 --output=x SELECT -1 AS `-o`", sql_allowed=True)
    assert (opts.limit, opts.output, rest) == (0, "x", "SELECT -1 AS `-o`")
    opts, rest = parse_options("-l 10,000 SELECT '{x}'", sql_allowed=True)
    assert (opts.limit, rest) == (10_000, "SELECT '{x}'")
    assert parse_options("", sql_allowed=False)[0].limit == 10_000


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("-x 1", "unknown option '-x'"),
        ("-l", "-l needs a value"),
        ("-l many", "whole number"),
        ("-l -1", "0 (no limit) or more"),
        ("-o 1df", "Python variable name"),
        ("-o class", "Python variable name"),
        ("--timeout 0", "positive"),
        ("-q=1", "takes no value"),
        ("-o df SELECT 1", "put the SQL in the cell body"),
    ],
)
def test_parse_options_errors(line, needle):
    with pytest.raises(DrillMagicError) as info:
        parse_options(line, sql_allowed=False)
    assert needle in info.value.lines[0]
    assert info.value.lines[1].startswith("Usage: %%drill")


# ------------------------------------------------------------------------------------------ typing


def test_python_values_by_drill_type():
    assert python_value("BIGINT", 9007199254740993) == 9007199254740993
    assert python_value("INT", "42") == 42
    assert python_value("FLOAT8", Decimal("2.5")) == 2.5
    assert python_value("FLOAT4", "NaN") != python_value("FLOAT4", "NaN")  # nan
    assert python_value("VARDECIMAL(10, 2)", Decimal("1.50")) == Decimal("1.50")
    assert str(python_value("DECIMAL(38, 2)", Decimal("123456789012345678901234.56"))) == (
        "123456789012345678901234.56"
    )
    assert python_value("BIT", True) is True
    assert python_value("BIT", "false") is False
    assert python_value("DATE", 1706832000000) == dt.date(2024, 2, 2)
    assert python_value("TIMESTAMP", 1704164645678) == dt.datetime(2024, 1, 2, 3, 4, 5, 678000)
    assert python_value("TIMESTAMP", -1000) == dt.datetime(1969, 12, 31, 23, 59, 59)
    assert python_value("TIME", 36672500) == dt.time(10, 11, 12, 500000)
    assert python_value("VARBINARY", "q80=") == b"\xab\xcd"
    assert python_value("INTERVALDAY", "P1D") == "P1D"
    assert python_value("MAP", {"a": Decimal("1.5"), "b": [1, Decimal("2.0")]}) == {
        "a": 1.5,
        "b": [1, 2.0],
    }
    assert python_value("VARCHAR", "x") == "x"
    assert python_value("INT", None) is None
    assert python_value("DATE", "2024-02-02") == "2024-02-02"  # older Drills: as sent


def test_payload_values_follow_core_types():
    assert payload_value("BIGINT", 2**53 - 1) == 2**53 - 1
    assert payload_value("BIGINT", 9007199254740993) == "9007199254740993"
    assert payload_value("VARDECIMAL(10, 2)", Decimal("1.50")) == 1.5
    assert payload_value("DECIMAL(38, 2)", Decimal("1234567890123456.78")) == "1234567890123456.78"
    assert payload_value("DATE", 1706832000000) == "2024-02-02"
    assert payload_value("TIMESTAMP", 1704164645678) == "2024-01-02T03:04:05.678Z"
    assert payload_value("TIMESTAMP", 1704164645000) == "2024-01-02T03:04:05.000Z"
    assert payload_value("TIME", 36672000) == "10:11:12"
    assert payload_value("TIME", 36672345) == "10:11:12.345"
    assert payload_value("VARBINARY", "q80=") == "q80="
    assert payload_value("BIT", False) is False
    assert payload_value("FLOAT8", Decimal("1.0E-7")) == 1e-07


def _result(columns, rows, **kw):
    kw.setdefault("query_id", "q1")
    kw.setdefault("truncated", False)
    kw.setdefault("limit", 10_000)
    kw.setdefault("elapsed_ms", 12)
    return DrillResult(columns=[DrillColumn(n, t) for n, t in columns], rows=rows, **kw)


ALL_TYPES = [
    ("i", "INT"),
    ("b", "BIGINT"),
    ("f", "FLOAT8"),
    ("s", "VARCHAR"),
    ("t", "BIT"),
    ("d", "DATE"),
    ("ts", "TIMESTAMP"),
    ("tm", "TIME"),
    ("dec", "VARDECIMAL(10, 2)"),
    ("m", "MAP"),
    ("l", "ARRAY"),
]


def test_dataframe_dtypes():
    pd = pytest.importorskip("pandas")
    rows = [
        [1, 9007199254740993, Decimal("2.5"), "a", True, 1706832000000, 1704164645678, 36672000,
         Decimal("1.50"), {"k": 1}, [1, 2]],
        [None] * len(ALL_TYPES),
    ]  # fmt: skip
    df = to_dataframe(_result(ALL_TYPES, rows))
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "i": "Int64",
        "b": "Int64",
        "f": "float64",
        "s": "string",
        "t": "boolean",
        "d": "datetime64[ns]",
        "ts": "datetime64[ns]",
        "tm": "object",
        "dec": "object",
        "m": "object",
        "l": "object",
    }
    first = df.iloc[0]
    assert first["b"] == 9007199254740993
    assert first["d"] == pd.Timestamp("2024-02-02")
    assert first["ts"] == pd.Timestamp("2024-01-02 03:04:05.678")
    assert first["tm"] == dt.time(10, 11, 12)
    assert first["dec"] == Decimal("1.50") and isinstance(first["dec"], Decimal)
    assert first["m"] == {"k": 1}
    assert df["i"].isna().tolist() == [False, True]
    assert df["s"].isna().tolist() == [False, True]
    assert df.attrs["drill"]["queryId"] == "q1"


def test_dataframe_empty_and_out_of_range():
    pytest.importorskip("pandas")
    df = to_dataframe(_result(ALL_TYPES, []))
    assert list(df.columns) == [c for c, _ in ALL_TYPES] and len(df) == 0
    assert str(df.dtypes["i"]) == "Int64" and str(df.dtypes["d"]) == "datetime64[ns]"
    year_3000 = int(dt.datetime(3000, 1, 1).replace(tzinfo=dt.timezone.utc).timestamp() * 1000)
    df = to_dataframe(_result([("ts", "TIMESTAMP"), ("u", "UINT8")], [[year_3000, 2**64 - 1]]))
    assert str(df.dtypes["ts"]) == "object" and df["ts"][0] == dt.datetime(3000, 1, 1)
    assert str(df.dtypes["u"]) == "object" and df["u"][0] == 2**64 - 1


def test_missing_pandas_is_a_clear_message(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(DrillMagicError) as info:
        to_dataframe(_result([("i", "INT")], [[1]]))
    assert "-o needs pandas" in info.value.lines[0]
    assert "pip install pandas" in info.value.lines[1]


# ------------------------------------------------------------------------------------------ rendering


def test_display_bundle_escapes_and_matches_the_schema():
    schema = json.loads((REPO / "shared" / "schema" / "drill-result.schema.json").read_text())
    rows = [["<script>alert(1)</script>", 1704164645678, None, 9007199254740993]] * 150
    result = _result(
        [("s<b>", "VARCHAR"), ("ts", "TIMESTAMP"), ("n", "INT"), ("big", "BIGINT")],
        rows,
        truncated=True,
        limit=150,
        sql="SELECT 1",
    )
    bundle = display_bundle(result, "local-drill")
    mime = json.loads((REPO / "shared" / "mime-types.json").read_text())["drillResult"]
    assert drill_result_mime() == mime
    assert set(bundle) == {mime, "text/html", "text/plain"}
    data = bundle[mime]
    jsonschema.validate(data, schema)
    assert data["rows"][0] == [
        "<script>alert(1)</script>",
        "2024-01-02T03:04:05.678Z",
        None,
        "9007199254740993",
    ]
    assert (data["rowCount"], data["truncated"], data["limit"], data["connection"]) == (
        150,
        True,
        150,
        "local-drill",
    )
    page = bundle["text/html"]
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<th title="VARCHAR">s&lt;b&gt;</th>' in page
    assert page.count("<tr>") == 1 + 100  # the header and the first 100 rows
    assert "Showing 150 rows; the query has more. Use -l N or -l 0." in page
    text = bundle["text/plain"]
    assert text.endswith("Showing 150 rows; the query has more. Use -l N or -l 0.")
    assert "(the table shows the first 100 rows)" in text
    assert render_html(_result([("a", "INT")], [])).count("<tr>") == 1


# ------------------------------------------------------------------------------------------ errors

PARSE_MESSAGE = 'Encountered "FORM" at line 3, column 10.'
VALIDATION_MESSAGE = (
    "From line 2, column 6 to line 2, column 22: Object 'nosuch' not found within 'dfs.radlab': "
    "Object 'nosuch' not found within 'dfs.radlab'"
)


def test_untag_and_tag_helpers():
    assert untag_positions(PARSE_MESSAGE) == 'Encountered "FORM" at line 2, column 10.'
    assert untag_positions("From line 1, column 2 to line 3, column 4") == (
        "From line 1, column 2 to line 2, column 4"
    )
    assert sql_tag(tag_sql("SELECT 1", "abc123")) == "abc123"
    assert sql_tag("SELECT 1") is None
    assert trim_sql("SELECT 1 ;\n ; \n") == "SELECT 1"


def test_parse_error_paragraph_has_a_caret():
    err = drill_query_error(
        query_id="q",
        query_state="FAILED",
        exception="java.lang.Exception",
        error_message=untag_positions(PARSE_MESSAGE),
        connection="local-drill",
    )
    assert (err.code, err.error_type, err.position.line, err.position.column) == (
        "badRequest",
        "PARSE",
        2,
        10,
    )
    lines = format_drill_error(err, "SELECT *\n\tabcdefg FORM t")
    assert lines == [
        'Drill query failed (connection local-drill): PARSE ERROR: Encountered "FORM" at line 2, column 10.',
        "  2 | \tabcdefg FORM t",
        "    | \t        ^",
        "Hint: Fix the SQL where it is marked.",
    ]


def test_validation_error_underlines_the_range():
    err = drill_query_error(
        query_id="q",
        query_state="FAILED",
        exception="org.apache.calcite.runtime.CalciteContextException",
        error_message=VALIDATION_MESSAGE,
    )
    assert err.message == (
        "VALIDATION ERROR: From line 2, column 6 to line 2, column 22: "
        "Object 'nosuch' not found within 'dfs.radlab'"
    )
    lines = format_drill_error(err, "SELECT *\nFROM dfs.radlab.nosuch")
    assert lines[1:3] == ["  2 | FROM dfs.radlab.nosuch", "    |      ^^^^^^^^^^^^^^^^^"]


def test_system_and_cancelled_errors():
    err = drill_query_error(
        query_id="q",
        query_state="FAILED",
        exception="org.apache.drill.exec.work.foreman.ForemanException",
        error_message="Unexpected exception during fragment initialization: boom\n[Error Id: 1 ]",
    )
    assert err.code == "server"
    assert (
        err.message
        == "SYSTEM ERROR: ForemanException: Unexpected exception during fragment initialization: boom"
    )
    assert format_drill_error(err, "SELECT 1")[1].startswith("Hint: The service failed")
    cancelled = drill_query_error(
        query_id="q", query_state="CANCELED", exception=None, error_message=None
    )
    assert cancelled.code == "cancelled"
    assert (
        format_drill_error(cancelled, "SELECT 1")[0]
        == "Drill query cancelled: query q was cancelled on Drill."
    )


def test_caret_lines_edges():
    assert caret_lines("SELECT", 5, 1) == []
    assert caret_lines("SELECT", 1, 99) == ["  1 | SELECT", "    |       ^"]


def test_magic_error_renders_without_traceback_and_redacts():
    register_secret("hunter2-secret")
    err = DrillMagicError(["Drill said hunter2-secret", "Hint: password=abc"])
    assert err._render_traceback_() == ["Drill said ***", "Hint: password=***"]
    assert "hunter2" not in str(err)


# ------------------------------------------------------------------------------------------ connections


def _load(conns):
    return load_connections(env={"RADLAB_CONNECTIONS": json.dumps(conns)}, home="/nonexistent")


def test_pick_connection():
    result = _load(
        [
            {"name": "prom", "kind": "prometheus", "url": "http://p:9090"},
            {"name": "first", "kind": "drill", "url": "http://a:8047"},
            {"name": "second", "kind": "drill", "url": "http://b:8047"},
        ]
    )
    assert pick_connection(result, None).name == "first"
    assert pick_connection(result, "second").base_url == "http://b:8047"
    with pytest.raises(DrillMagicError) as info:
        pick_connection(result, "nope")
    assert (
        info.value.lines[0]
        == "%drill: there is no connection named 'nope'. Drill connections: first, second."
    )
    with pytest.raises(DrillMagicError) as info:
        pick_connection(result, "prom")
    assert "of kind prometheus, not drill" in info.value.lines[0]
    with pytest.raises(DrillMagicError) as info:
        pick_connection(
            _load([{"name": "prom", "kind": "prometheus", "url": "http://p:9090"}]), None
        )
    assert info.value.lines[0] == "%drill: no Drill connection is configured."
    assert "RADLAB_CONNECTIONS" in info.value.lines[-1]


def test_config_problems_are_listed_without_secrets():
    result = _load(
        [
            {
                "name": "bad",
                "kind": "drill",
                "url": "ftp://x",
                "auth": {"type": "basic", "username": "u", "password": "pw-123456"},
            }
        ]
    )
    with pytest.raises(DrillMagicError) as info:
        pick_connection(result, "bad")
    text = "\n".join(info.value.lines)
    assert "config problem" in text and "pw-123456" not in text


# ------------------------------------------------------------------------------------------ a fake HTTP Drill


class _FakeDrill(http.server.BaseHTTPRequestHandler):
    seen: list = []  # noqa: RUF012

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _FakeDrill.seen.append(
            {"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
        )
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "401":
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b"Unauthorized")
        elif mode == "login":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><form action='j_security_check'>login</form></html>")
        else:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(json.dumps({
                "queryId": "fake", "columns": ["a"], "metadata": ["INT"],
                "rows": [{"a": 1}, {"a": 2}, {"a": 3}], "queryState": "COMPLETED",
            }).encode())  # fmt: skip


@pytest.fixture
def fake_drill():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeDrill)
    server.mode = "ok"  # type: ignore[attr-defined]
    _FakeDrill.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _store(url, **extra):
    conn = {"name": "fake", "kind": "drill", "url": url, **extra}
    return ConnectionStore(
        None, env={"RADLAB_CONNECTIONS": json.dumps([conn])}, home="/nonexistent"
    )


def test_request_shape_basic_auth_and_exact_truncation(fake_drill, monkeypatch):
    url = f"http://127.0.0.1:{fake_drill.server_address[1]}"
    monkeypatch.setenv("FAKE_DRILL_PW", "s3cret-pw-value")
    store = ConnectionStore(
        None,
        env={
            "RADLAB_CONNECTIONS": json.dumps(
                [
                    {
                        "name": "fake",
                        "kind": "drill",
                        "url": url,
                        "auth": {
                            "type": "basic",
                            "username": "ann",
                            "passwordEnv": "FAKE_DRILL_PW",
                        },
                    }
                ]
            ),
            "FAKE_DRILL_PW": "s3cret-pw-value",
        },
        home="/nonexistent",
    )
    shown, echoed = [], []
    _, result, _ = run_drill(
        "-l 2 --schema dfs.radlab",
        "SELECT a FROM t;\n",
        {},
        store=store,
        display=shown.append,
        echo=echoed.append,
    )
    sent = _FakeDrill.seen[0]
    assert sent["path"] == "/query.json"
    assert sent["headers"]["Authorization"].startswith("Basic ")
    assert sent["body"]["autoLimit"] == "3" and sent["body"]["defaultSchema"] == "dfs.radlab"
    assert sent["body"]["query"].startswith("/* radlab:") and sent["body"]["query"].endswith(
        "*/\nSELECT a FROM t"
    )
    assert (result.row_count, result.truncated) == (2, True)
    assert echoed == ["Showing 2 rows; the query has more. Use -l N or -l 0."]
    fake_drill.mode = "401"
    with pytest.raises(DrillMagicError) as info:
        run_drill("", "SELECT 1", {}, store=store, display=shown.append)
    text = "\n".join(info.value.lines)
    assert (
        "HTTP 401" in text
        and "s3cret-pw-value" not in text
        and "Hint: Authentication failed" in text
    )


def test_login_page_is_a_bad_response(fake_drill):
    fake_drill.mode = "login"
    store = _store(f"http://127.0.0.1:{fake_drill.server_address[1]}")
    with pytest.raises(DrillMagicError) as info:
        run_drill("", "SELECT 1", {}, store=store, display=print)
    assert "is not JSON" in info.value.lines[0]
    assert "FORM auth" in info.value.lines[-1]


def test_unreachable_drill_is_one_paragraph():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DrillMagicError) as info:
        run_drill("", "SELECT 1", {}, store=_store(f"http://127.0.0.1:{port}"), display=print)
    lines = info.value.lines
    assert lines[0].startswith(f"Drill at http://127.0.0.1:{port} is unreachable")
    # the TS side's words; no Python errno or exception class reaches the user
    assert f"connection refused to 127.0.0.1:{port}" in lines[0]
    assert "Errno" not in "\n".join(lines) and "ConnectionError" not in "\n".join(lines)
    assert "scripts/services/drill start" in lines[-1] and "connection 'fake'" in lines[-1]
    assert f"Is Drill running? Check that it listens on 127.0.0.1:{port}" in lines[-1]


def test_unset_password_variable_names_the_connection_and_the_fix(monkeypatch):
    monkeypatch.delenv("RADLAB_TEST_UNSET_PW", raising=False)
    conns = [
        {
            "name": "nopw",
            "kind": "drill",
            "url": "http://127.0.0.1:1",
            "auth": {"type": "basic", "username": "a", "passwordEnv": "RADLAB_TEST_UNSET_PW"},
        }
    ]
    store = ConnectionStore(
        None, env={"RADLAB_CONNECTIONS": json.dumps(conns)}, home="/nonexistent"
    )
    for line in ("-c nopw", ""):
        with pytest.raises(DrillMagicError) as info:
            run_drill(line, "SELECT 1", {}, store=store, display=print)
        lines = info.value.lines
        assert lines[0].startswith("%drill: connection 'nopw' cannot be used: ")
        assert "RADLAB_TEST_UNSET_PW is not set" in lines[0]
        assert (
            lines[1]
            == "Hint: Export RADLAB_TEST_UNSET_PW in the environment of the Jupyter server."
        )


def test_output_without_sql_and_before_the_query():
    with pytest.raises(DrillMagicError) as info:
        run_drill("", "  ;\n", {}, store=_store("http://127.0.0.1:1"), display=print)
    assert "no SQL to run" in info.value.lines[0]


# ------------------------------------------------------------------------------------------ the real Drill


def _running_queries() -> list[dict]:
    # ?max=0: running queries only, so an unreadable finished profile in Drill's store cannot fail
    # it; the store answers 500 now and then while a profile is being written (retried as the
    # clients do)
    for attempt in range(5):
        try:
            url = DRILL_URL + "/profiles.json?max=0"
            with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310
                return list(json.load(r).get("runningQueries", []))
        except urllib.error.HTTPError as e:
            if e.code != 500 or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    return []


def _assert_stopped_on_drill(message: str) -> None:
    # The query named in the message (not any slow query: Drill may be shared) is gone from Drill's
    # running list. Drill ends a cancelled query's fragments asynchronously, so poll rather than wait
    # a fixed time, which a loaded machine outran.
    match = re.search(r"query ([0-9a-f-]{36})", message)
    assert match, message
    deadline = time.monotonic() + 30
    while any(q.get("queryId") == match.group(1) for q in _running_queries()):
        assert time.monotonic() < deadline, f"query {match.group(1)} still runs on Drill"
        time.sleep(0.25)


@pytest.fixture
def drill_store(drill):
    return _store(drill)


def test_client_against_real_drill(drill):
    client = DrillClient(drill, connection="local-drill")
    result = client.query(f"SELECT * FROM {PARQUET} ORDER BY study_id", limit=5)
    assert [c.type for c in result.columns] == [
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "DATE",
        "INT",
    ]
    assert (result.row_count, result.truncated) == (5, True)
    assert result.python_rows()[0][4] == dt.date(2024, 2, 2)
    exact = client.query(f"SELECT COUNT(*) AS n FROM {PARQUET}", limit=1)
    assert (exact.rows, exact.truncated) == ([[200]], False)
    assert client.query(f"SELECT * FROM {PARQUET}", limit=200).truncated is False
    assert client.query(f"SELECT * FROM {PARQUET}", limit=199).truncated is True
    assert client.query(f"SELECT * FROM {PARQUET}").row_count == 200


@pytest.mark.parametrize(
    "value",
    [
        NASTY,
        "a\\' OR 1=1 --",
        "'; SELECT 1; '",
        "`x`",
        "/* c */",
        "line\n-- comment",
        "{x}",
        "é ü 😀",
    ],
)
def test_bound_strings_round_trip_through_drill(drill_store, value):
    _, result, _ = run_drill(
        "-q",
        "SELECT {v} AS v, CHAR_LENGTH({v}) AS n FROM (VALUES(1))",
        {"v": value},
        store=drill_store,
        display=print,
    )
    assert result.rows == [[value, len(value)]]


def test_bound_values_filter_on_real_drill(drill_store):
    ns = {"mods": ("CT", "MR"), "since": dt.date(2024, 1, 1), "nothing": None, "flag": True}
    _, result, frame = run_drill(
        "-o df -q",
        f"SELECT COUNT(*) AS n, {{nothing}} IS NULL AS nul, {{flag}} AS f FROM {PARQUET} "
        "WHERE modality IN {mods} AND study_date >= {since}",
        ns,
        store=drill_store,
        display=print,
    )
    assert result.rows[0][0] == _count("CT", "MR")
    assert frame["nul"][0] and frame["f"][0]


def test_real_error_paragraph(drill_store):
    with pytest.raises(DrillMagicError) as info:
        run_drill(
            "",
            f"SELECT *\nFROM {PARQUET}\nWHERE modality = = 'CT'",
            {},
            store=drill_store,
            display=print,
        )
    lines = info.value.lines
    # Drill points at the first "=" (column 16)
    assert (
        lines[0]
        == 'Drill query failed (connection fake): PARSE ERROR: Encountered "=" at line 3, column 16.'
    )
    assert lines[1:3] == ["  3 | WHERE modality = = 'CT'", "    |                ^"]
    assert lines[3] == "Hint: Fix the SQL where it is marked."


def test_timeout_cancels_on_drill(drill_store):
    started = time.monotonic()
    with pytest.raises(DrillMagicError) as info:
        run_drill("--timeout 1.5", SLOW_SQL, {}, store=drill_store, display=print)
    assert time.monotonic() - started < 10
    assert info.value.lines[0].startswith(
        "Drill query timed out (connection fake): query did not finish within 1.5 s (query "
    )
    assert "cancelled on Drill" in info.value.lines[0]
    _assert_stopped_on_drill(info.value.lines[0])


# ------------------------------------------------------------------------------------------ a real kernel


NB_CELLS = {
    "load": "%load_ext radlab",
    "vars": f"modality = 'CT'\nnasty = {NASTY!r}\nmods = ['CT', 'MR']",
    "frame": f"%%drill -o df -l 0\nSELECT * FROM {PARQUET}",
    "check": "print(len(df))\nprint({c: str(t) for c, t in df.dtypes.items()})",
    "truncated": "%%drill -l 7\nSELECT * FROM dfs.radlab.`studies.csv`",
    "error": f"%%drill\nSELECT *\nFORM {PARQUET}",
    "bound": f"%%drill -o ct -q\nSELECT COUNT(*) AS n, MAX({{nasty}}) AS s FROM {PARQUET} WHERE modality = {{modality}}",
    "bound_check": "print(int(ct.n[0]), ct.s[0] == nasty)",
    "line": f"%drill -o inl -q SELECT COUNT(*) AS n FROM {PARQUET} WHERE modality IN {{mods}}",
    "line_check": "print(int(inl.n[0]))",
    "unknown": "%%drill -c nope\nSELECT 1",
    "timer": "import os, signal, threading\nthreading.Timer(3, os.kill, (os.getpid(), signal.SIGINT)).start()",
    "interrupted": f"%%drill\n{SLOW_SQL}",
    "after": "print('kernel alive')",
}


@pytest.fixture(scope="module")
def executed(drill, tmp_path_factory):
    env = {
        "RADLAB_CONNECTIONS": json.dumps([{"name": "local-drill", "kind": "drill", "url": drill}])
    }
    return execute_cells(NB_CELLS, tmp_path_factory.mktemp("kernel-home"), env)


_stdout = stdout
_error = error


def test_kernel_dataframe_and_display(executed):
    assert executed["load"] == []
    [shown] = [o for o in executed["frame"] if o.output_type == "display_data"]
    data = shown["data"]
    assert set(data) >= {drill_result_mime(), "text/html", "text/plain"}
    payload = data[drill_result_mime()]
    assert (payload["rowCount"], payload["truncated"], payload["connection"]) == (
        200,
        False,
        "local-drill",
    )
    assert "limit" not in payload
    assert data["text/html"].count("<tr>") == 101
    lines = _stdout(executed["check"]).splitlines()
    assert lines[0] == "200"
    assert eval(lines[1]) == {  # noqa: S307 - our own print of a dict of strings
        "study_id": "string",
        "patient_id": "string",
        "modality": "string",
        "body_part": "string",
        "study_date": "datetime64[ns]",
        "num_images": "Int64",
    }


def test_kernel_truncation_notice(executed):
    notice = "Showing 7 rows; the query has more. Use -l N or -l 0."
    outputs = executed["truncated"]
    assert _stdout(outputs).strip() == notice
    [shown] = [o for o in outputs if o.output_type == "display_data"]
    assert notice in shown["data"]["text/plain"]
    assert shown["data"][drill_result_mime()]["truncated"] is True
    assert not any(o.output_type == "stream" and o.name == "stderr" for o in outputs)  # no warning


def test_kernel_sql_error_is_a_paragraph(executed):
    err = _error(executed["error"])
    text = "\n".join(err["traceback"])
    assert "Traceback" not in text and "File " not in text
    # `SELECT * FORM` reads FORM as an alias: Drill stops at the table name
    assert err["traceback"] == [
        'Drill query failed (connection local-drill): PARSE ERROR: Encountered "dfs" at line 2, column 6.',
        f"  2 | FORM {PARQUET}",
        "    |      ^",
        "Hint: Fix the SQL where it is marked.",
    ]
    assert err["ename"] == "DrillMagicError"


def test_kernel_bound_parameters(executed):
    assert executed["bound"] == []  # -q: nothing shown
    assert _stdout(executed["bound_check"]).split() == [str(_count("CT")), "True"]
    assert _stdout(executed["line_check"]).strip() == str(_count("CT", "MR"))


def test_kernel_unknown_connection(executed):
    err = _error(executed["unknown"])
    assert (
        err["traceback"][0]
        == "%drill: there is no connection named 'nope'. Drill connections: local-drill."
    )


def test_kernel_interrupt_cancels_on_drill(executed):
    err = _error(executed["interrupted"])
    assert err["traceback"][0].startswith(
        "Drill query cancelled (connection local-drill): query cancelled (query "
    )
    assert "cancelled on Drill" in err["traceback"][0]
    assert "Traceback" not in "\n".join(err["traceback"])
    assert _stdout(executed["after"]).strip() == "kernel alive"
    _assert_stopped_on_drill(err["traceback"][0])
