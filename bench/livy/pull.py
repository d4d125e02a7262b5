"""bench/livy/pull.py VARIANT: one variant of the Livy benchmark, in its own process (so its peak memory
is its own), in an in-process IPython shell against the real Livy of the local stack.

- radlab:     `%%livy -s b -o df -q` (every row, paged, typed).
- sparkmagic: sparkmagic 0.23.0's `%%spark -s b -o df -n -1 -q` (every row: its default -n is 2,500).

Each starts its own pyspark session (untimed), builds the same cached DataFrame of `--rows` rows and
5 columns (BIGINT, DOUBLE, STRING, BOOLEAN, DATE), warms up once (pandas imported before anything,
a 10-row pull of the same columns), then times `--runs` pulls of all rows into a local pandas
DataFrame, and `--runs * 3` trivial statements (`1 + 1`) for the per-statement round trip. Prints one
JSON line (the last on stdout, with "variant"): medians, rows, dtypes, and the peak RSS growth of the
first full pull over the RSS before it (bytes; RSS sampled every 2 ms during the pull), next to the
DataFrame's own memory_usage(deep=True).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import threading
import time
from typing import Any

FRAME = (
    'df = spark.range({rows}).selectExpr("id", "id / 2 AS half", '
    '"concat(\'s\', cast(id % 1000 AS string)) AS label", "id % 2 = 0 AS even", '
    "\"date_add(to_date('2024-01-01'), cast(id % 365 AS int)) AS day\").cache()\ndf.count()"
)


def log(*args: object) -> None:
    print("[bench/livy pull]", *args, file=sys.stderr, flush=True)


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakSampler:
    """The highest RSS seen while it runs (sampled every 2 ms: ru_maxrss is the whole life's peak)."""

    def __init__(self) -> None:
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, rss_bytes())

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("variant", choices=["radlab", "sparkmagic"])
    ap.add_argument(
        "--url",
        default=f"http://127.0.0.1:{os.environ.get('RADLAB_LIVY_PORT', '8998')}",
    )
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    # pandas (and numpy) are imported before any baseline, for both variants: sparkmagic imports them
    # as it loads, Radlab's magic on its first -o; either way they are not the pull's memory
    import pandas  # noqa: F401
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    ns = shell.user_ns
    transfer: dict[str, Any] = {}
    if args.variant == "radlab":
        os.environ["RADLAB_CONNECTIONS"] = json.dumps(
            [
                {
                    "name": "bench-livy",
                    "kind": "livy",
                    "url": args.url,
                    "timeoutMs": 60000,
                }
            ]
        )
        shell.run_line_magic("load_ext", "radlab")

        def cell(options: str, code: str) -> None:
            shell.run_cell_magic("livy", f"-s b {options}", code)

        shell.run_line_magic(
            "livy", "add -s b -k pyspark --timeout 900"
        )  # a loaded machine starts drivers slowly
        pull_options = "-o df -q"
        # the pages and JSON bytes of the last pull (the magic's own counts)
        from radlab.kernel.magics import livy as livy_magic

        to_dataframe = livy_magic.to_dataframe

        def counted(pull: Any) -> Any:
            pulled = to_dataframe(pull)
            transfer.update(pulled.stats)
            return pulled

        livy_magic.to_dataframe = counted
    else:
        shell.run_line_magic("load_ext", "sparkmagic.magics")

        def cell(options: str, code: str) -> None:
            shell.run_cell_magic("spark", f"-s b {options}", code)

        shell.run_line_magic("spark", f"add -s b -l python -u {args.url}")
        pull_options = "-o df -n -1 -q"

    def checked(code: str, options: str = "") -> None:
        result = shell.run_cell(
            f"%%{'livy' if args.variant == 'radlab' else 'spark'} -s b {options}\n{code}"
        )
        if result.error_in_exec is not None:
            raise result.error_in_exec

    try:
        checked(FRAME.format(rows=args.rows))
        log(args.variant, "session ready, DataFrame cached")
        checked("1 + 1", "-q" if args.variant == "radlab" else "")
        # a 10-row pull of the same columns first: the lazy imports and first-call costs of either
        # side's typing code (pandas' extension arrays, date parsing) are not the pull's memory
        cell(pull_options.replace("-o df", "-o tiny"), "tiny = df.limit(10)")
        ns.pop("tiny", None)
        ns.pop("df", None)
        gc.collect()
        before = rss_bytes()
        sampler = PeakSampler()
        sampler.start()
        t0 = time.perf_counter()
        cell(pull_options, "df = df")
        pulls = [time.perf_counter() - t0]
        sampler.stop()
        peak_growth = max(0, sampler.peak - before)
        frame = ns["df"]
        rows = len(frame)
        dtypes = {c: str(t) for c, t in frame.dtypes.items()}
        frame_bytes = int(frame.memory_usage(deep=True).sum())
        for _ in range(args.runs - 1):
            ns.pop("df", None)
            gc.collect()
            t0 = time.perf_counter()
            cell(pull_options, "df = df")
            pulls.append(time.perf_counter() - t0)
        trivial = []
        for _ in range(args.runs * 3):
            t0 = time.perf_counter()
            checked("1 + 1", "-q" if args.variant == "radlab" else "")
            trivial.append(time.perf_counter() - t0)
    finally:
        if args.variant == "radlab":
            shell.run_line_magic("livy", "cleanup")
        else:
            shell.run_line_magic("spark", "cleanup")
    print(
        json.dumps(
            {
                "variant": args.variant,
                "rows": rows,
                "dtypes": dtypes,
                "pull_s": statistics.median(pulls),
                "pulls_s": pulls,
                "trivial_ms": statistics.median(trivial) * 1000,
                "peak_growth_bytes": peak_growth,
                "frame_bytes": frame_bytes,
                # sparkmagic: one statement whose output is the whole frame as one JSON string
                "pages": transfer.get("pages", 1),
                "json_bytes": transfer.get("bytes"),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
