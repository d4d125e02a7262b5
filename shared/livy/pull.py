# Driver-side helpers of a DataFrame pull (`%%livy -o` in the kernel, `-o` in VS Code's Livy cells).
# They run in the Spark driver of a Livy session (pyspark statements; any session kind, Livy 0.5+),
# defined once per session before the first pull; shared/livy/pull.json holds the statements that call
# them and the page sizes. Read by radlab/kernel/magics/livy_client.py and, through a generated module,
# by @radlab/core's services/livy/pull.ts: edit here only.
#
# The driver walks the DataFrame with toLocalIterator() (one partition at a time in driver memory);
# each page is one statement whose output (Livy's %json magic) is columns of plain JSON values:
# dates and timestamps ISO text, decimals text, bytes base64, float specials as text ('nan', 'inf'),
# integers beyond 2**53 as text (exact in every JSON reader), rows/maps as objects.


def _radlab_plain(v):
    import base64, datetime, decimal, math
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if -(2**53) <= v <= 2**53 else str(v)
    if isinstance(v, float):
        return v if math.isfinite(v) else repr(v)
    if isinstance(v, (datetime.date, datetime.datetime, datetime.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if hasattr(v, "asDict"):
        return {k: _radlab_plain(x) for k, x in v.asDict().items()}
    if isinstance(v, dict):
        return {str(k): _radlab_plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_radlab_plain(x) for x in v]
    return str(v)


def _radlab_open(df, limit):
    import json
    global _radlab_pull
    d = df if limit is None else df.limit(limit + 1)
    _radlab_pull = {"it": d.toLocalIterator(), "n": 0, "limit": limit}
    return {"fields": json.loads(d.schema.json())["fields"]}


def _radlab_page(size):
    import itertools
    p = _radlab_pull
    want = size if p["limit"] is None else max(0, min(size, p["limit"] + 1 - p["n"]))
    rows = list(itertools.islice(p["it"], want))
    p["n"] += len(rows)
    width = len(rows[0]) if rows else 0
    cols = [[_radlab_plain(r[i]) for r in rows] for i in range(width)]
    return {"columns": cols, "rows": len(rows), "done": len(rows) < want or want == 0}
