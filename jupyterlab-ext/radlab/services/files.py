"""The files kind (MapR/HDFS over WebHDFS or HttpFS): a NameNode redirects OPEN, CREATE, APPEND and
GETFILECHECKSUM to a DataNode. The proxy follows such a redirect itself, and only into the
connection's `dataNodes` (http(s)://host:port origins); every other redirect stays refused. HttpFS
streams data itself and redirects nowhere; posix connections never reach the proxy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..server.path_policy import Base
from . import Upstream, register

if TYPE_CHECKING:
    from ..config import Connection


class FilesUpstream(Upstream):
    kind = "files"
    label = "the file system"

    def redirect_bases(self, conn: Connection) -> Sequence[Base]:
        if conn.config.get("protocol") != "webhdfs":
            return ()
        bases = []
        for origin in conn.config.get("dataNodes") or ():
            # an origin only: the DataNode's whole WebHDFS API, nothing else of the host's
            bases.append(Base.parse(str(origin).rstrip("/") + "/webhdfs/v1"))
        return tuple(bases)


register(FilesUpstream())
