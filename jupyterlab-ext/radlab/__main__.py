"""`python -m radlab`: the connections as the server extension sees them (no secrets) and the
config errors (a connection whose secret cannot be resolved is listed with its `problem`), from
the defaults, the config file and $RADLAB_CONNECTIONS (Jupyter's
c.Radlab.connections is not read here). Exit status 1 when there are errors."""

from __future__ import annotations

import json
import sys

from .config import load_connections


def main() -> int:
    result = load_connections()
    json.dump(result.public(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    unusable = any(c.problem is not None for c in result.connections.values())
    return 1 if result.errors or unusable else 0


if __name__ == "__main__":
    sys.exit(main())
