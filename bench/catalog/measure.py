"""Runs a command, prints one JSON line {"wall": s, "maxrss": bytes, "stdout": last line} to stdout:
wall time from spawn to exit, peak RSS of the child (getrusage RUSAGE_CHILDREN, kilobytes on Linux).
Each measured command is this process's only child, so the peak is that command's own."""

import json
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], check=False, stdout=subprocess.PIPE, text=True)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
lines = [x for x in done.stdout.splitlines() if x.strip()]
print(
    json.dumps(
        {
            "code": done.returncode,
            "wall": wall,
            "maxrss": rss,
            "stdout": lines[-1] if lines else "",
        }
    )
)
