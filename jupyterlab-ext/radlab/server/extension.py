"""The Jupyter server extension: the `Radlab` configurable and handler registration.

Configure in jupyter_server_config.py (or jupyter_lab_config.py):

    c.Radlab.connections = [
        {"name": "drill", "kind": "drill", "url": "http://drill:8047",
         "auth": {"type": "basic", "username": "me", "passwordEnv": "DRILL_PASSWORD"}},
    ]
"""

from __future__ import annotations

import re
from typing import Any

from jupyter_server.utils import url_path_join
from traitlets import Dict, Float, Integer, List, Unicode
from traitlets.config import Configurable

from .. import __version__
from ..config import ConnectionStore
from ..redact import redact
from .catalog import HarvestHandler, HarvestJobHandler
from .files import FileBytesHandler, FileListHandler
from .gpu import GpuLocalHandler
from .handlers import ConnectionsHandler, FileStatHandler, NotFoundHandler
from .proxy import ProxyHandler


class Radlab(Configurable):
    """Radlab server-side settings (the connections' secrets stay on the server)."""

    connections = List(
        Dict(),
        default_value=[],
        help="Connections (see shared/schema/connections.schema.json). They take precedence over "
        "$RADLAB_CONNECTIONS, the file $RADLAB_CONFIG or ~/.config/radlab/connections.json, and "
        "the local-stack defaults; entries are merged by name.",
    ).tag(config=True)

    reload_interval = Float(
        5.0,
        help="Seconds the proxy may reuse the loaded connections before re-reading token files and "
        "kubeconfigs. Config file and environment changes are picked up at once.",
    ).tag(config=True)

    proxy_stream_timeout = Float(
        600.0,
        help="Upper bound, in seconds, for one proxied request including streaming its body. The "
        "wait for the service's answer is bounded by the connection's timeoutMs.",
    ).tag(config=True)

    proxy_max_body_size = Integer(
        1 << 34,
        help="Largest request body (bytes) the proxy streams to a service (default 16 GiB).",
    ).tag(config=True)

    nvidia_smi = Unicode(
        "nvidia-smi",
        help="The nvidia-smi executable sampled for the GPU views when no Prometheus connection is "
        "configured (looked up on PATH).",
    ).tag(config=True)

    proxy_max_clients = Integer(
        64, help="Most concurrent upstream requests of the proxy; more wait in a queue."
    ).tag(config=True)


def load_extension(serverapp: Any) -> Radlab:
    radlab = Radlab(parent=serverapp)
    store = ConnectionStore(
        lambda: radlab.connections, ttl=radlab.reload_interval, logger=serverapp.log
    )
    web_app = serverapp.web_app
    base_url = web_app.settings["base_url"]
    web_app.settings["radlab"] = radlab
    web_app.settings["radlab_store"] = store

    def route(pattern: str) -> str:
        return re.escape(url_path_join(base_url, "radlab")) + pattern

    web_app.add_handlers(
        ".*$",
        [
            (route(r"/api/connections/?"), ConnectionsHandler),
            (route(r"/api/contents-bytes/?"), FileBytesHandler),
            (route(r"/api/contents-list/?"), FileListHandler),
            (route(r"/api/gpu/local/?"), GpuLocalHandler),
            (route(r"/api/catalog/harvest/?"), HarvestHandler),
            (route(r"/api/catalog/harvest/(?P<job_id>[0-9a-f]+)/?"), HarvestJobHandler),
            (route(r"/api/connections/(?P<name>[^/]+)/stat/?"), FileStatHandler),
            (route(r"/proxy/[^/]+(?:/.*)?"), ProxyHandler),
            (route(r"(?:/.*)?"), NotFoundHandler),
        ],
    )
    result = store.load(force=True)
    serverapp.log.info(
        redact(
            f"Radlab {__version__} server extension loaded: "
            f"{len(result.connections)} connection(s) "
            f"({', '.join(result.connections) or 'none'}), {len(result.errors)} config error(s)"
        )
    )
    return radlab
