"""The urllib3 pool the kernel-side clients (Drill, Livy) use: no urllib3 retries (the clients decide
what may be repeated), the connection's CA bundle, or no verification when it says so."""

from __future__ import annotations

from typing import Any

import urllib3


def pool_manager(ssl_context: Any = None, insecure: bool = False) -> urllib3.PoolManager:
    kwargs: dict[str, Any] = {"retries": False}
    if ssl_context is not None:
        kwargs["ssl_context"] = ssl_context
    if insecure:
        kwargs.update(cert_reqs="CERT_NONE", assert_hostname=False)
    return urllib3.PoolManager(num_pools=2, maxsize=4, **kwargs)
