"""bench/drill/magic.py: `%%drill -o df` (radlab) against jupysql + sqlalchemy-drill (anchor).

Both run in one in-process IPython InteractiveShell on the same query, `SELECT * FROM
dfs.radlab.<table>`, and are timed from the cell's start until a pandas DataFrame of all rows is in
the namespace:

- radlab: `%%drill -c local-drill -o df -l 0 -q` (-q: no display; the anchor displays nothing either).
- anchor: `%%sql rs << SELECT ...` then `df = rs.DataFrame()` (jupysql's ResultSet fetches lazily,
  so the DataFrame conversion is where most of its rows are read), over
  `drill+sadrill://127.0.0.1:8047/dfs/radlab?use_ssl=False` (sqlalchemy-drill's REST dialect).

The two alternate, `--runs` times each after one untimed warm-up of each; prints JSON result lines
(medians) for bench/run.mjs, and a line with the anchor as unavailable (with the reason) when
jupysql or sqlalchemy-drill cannot be imported or connect. Run by bench/drill/run.mjs with
PYTHONPATH=jupyterlab-ext and PLOOMBER_STATS_ENABLED=false (no jupysql telemetry).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("PLOOMBER_STATS_ENABLED", "false")


def log(*args: object) -> None:
    print("[bench/drill magic]", *args, file=sys.stderr, flush=True)


def emit(**result: object) -> None:
    print(json.dumps({"bench": "drill", **result}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--port", type=int, default=int(os.environ.get("RADLAB_DRILL_PORT", "8047"))
    )
    args = ap.parse_args()
    sql = f"SELECT * FROM dfs.radlab.`{args.table}`"

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "radlab")

    def run_radlab() -> tuple[float, int]:
        shell.user_ns.pop("df", None)
        t0 = time.perf_counter()
        shell.run_cell_magic("drill", "-c local-drill -o df -l 0 -q", sql)
        elapsed = time.perf_counter() - t0
        return elapsed, len(shell.user_ns["df"])

    anchor_error = None
    try:
        import sql as jupysql  # noqa: F401
        import sqlalchemy_drill  # noqa: F401

        shell.run_line_magic("load_ext", "sql")
        for setting in (
            "SqlMagic.displaycon = False",
            "SqlMagic.feedback = 0",
            "SqlMagic.autolimit = 0",
        ):
            shell.run_line_magic("config", setting)
        shell.run_line_magic(
            "sql",
            f"drill+sadrill://127.0.0.1:{args.port}/dfs/radlab?use_ssl=False --alias bench",
        )
    except Exception as e:  # noqa: BLE001 - reported, not faked
        anchor_error = f"{type(e).__name__}: {e}"

    def run_anchor() -> tuple[float, int]:
        shell.user_ns.pop("rs", None)
        shell.user_ns.pop("df", None)
        t0 = time.perf_counter()
        result = shell.run_cell_magic("sql", "rs <<", sql)
        rs = shell.user_ns.get("rs", result)
        if rs is None:
            raise RuntimeError("jupysql stored no result (see its output above)")
        df = rs.DataFrame()
        elapsed = time.perf_counter() - t0
        shell.user_ns["df"] = df
        return elapsed, len(df)

    radlab: list[float] = []
    anchor: list[float] = []
    rows = {"radlab": 0, "anchor": 0}
    # untimed warm-up of each (imports, first connection)
    run_radlab()
    if anchor_error is None:
        try:
            run_anchor()
        except Exception as e:  # noqa: BLE001
            anchor_error = f"{type(e).__name__}: {e}"
    for i in range(args.runs):
        order = ["radlab", "anchor"] if i % 2 == 0 else ["anchor", "radlab"]
        for v in order:
            if v == "anchor" and anchor_error is not None:
                continue
            secs, n = run_radlab() if v == "radlab" else run_anchor()
            rows[v] = n
            (radlab if v == "radlab" else anchor).append(secs)
            log(f"run {i + 1}/{args.runs} {v:6} {secs:.2f} s, {n} rows")
        shell.user_ns.pop("df", None)
        shell.user_ns.pop("rs", None)

    if anchor_error is None and rows["anchor"] != rows["radlab"]:
        anchor_error = (
            f"row counts differ: jupysql {rows['anchor']}, %%drill {rows['radlab']}"
        )
    label = f"%%drill -o df vs jupysql+sqlalchemy-drill, s ({rows['radlab']:,} rows, median of {args.runs})"
    target = {"of": "ratio", "op": "<", "value": 1, "text": "radlab faster (ratio < 1)"}
    if anchor_error is not None:
        log(f"anchor unavailable: {anchor_error}")
        emit(
            metric=label,
            radlab=statistics.median(radlab),
            anchor=None,
            unavailable=anchor_error,
            target=target,
        )
    else:
        emit(
            metric=label,
            radlab=statistics.median(radlab),
            anchor=statistics.median(anchor),
            target=target,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
