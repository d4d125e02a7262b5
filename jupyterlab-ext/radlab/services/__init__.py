"""Upstream adapters: what is particular to talking to one kind of service, looked up by kind.

The proxy (and, for Drill, the kernel's DrillClient) asks the adapter of a connection's kind for:
whether requests need a login session (and how to log in and tell an expired one), the headers the
service must get, the TLS settings (client certificates included) and the further bases a
redirect may lead to (the path policy checks them). Kinds without particulars use `Upstream`.
No jupyter_server or tornado imports: the kernel side imports this too.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

    from ..config import Connection
    from ..server.path_policy import Base


@dataclass(frozen=True)
class LoginRequest:
    """A login POST: the path below the base URL, headers and form body (holds the password)."""

    path: str
    headers: Mapping[str, str]
    body: str


class Upstream:
    """The defaults: the connection's own headers and TLS settings, no login, no further hosts."""

    kind = "radlab"
    label = "the service"  # in messages: "<label>'s <login_name> did not accept …"
    login_name = "login"

    def uses_session(self, conn: Connection) -> bool:
        """Whether requests carry a login session (cookie) instead of the Authorization header."""
        return False

    def login_request(self, conn: Connection) -> LoginRequest:
        raise NotImplementedError(f"{self.kind} has no login")

    def login_session(
        self, status: int, location: str | None, set_cookies: Sequence[str]
    ) -> str | None:
        """The session cookie (`name=value`) a login answer gave, or None when it failed."""
        raise NotImplementedError(f"{self.kind} has no login")

    def wants_login(self, status: int, location: str | None) -> bool:
        """Whether an answer says the session is not (or no longer) valid."""
        return False

    def request_headers(self, conn: Connection) -> dict[str, str]:
        """Headers every request to the service gets (credentials included, unless a session)."""
        headers = dict(conn.headers)
        if self.uses_session(conn):
            headers.pop("Authorization", None)
        return headers

    def ssl_context(self, conn: Connection) -> ssl.SSLContext | None:
        """CA, skip-verify and client certificate (kubeconfig) of the connection."""
        return conn.ssl_context()

    def redirect_bases(self, conn: Connection) -> Sequence[Base]:
        """Bases besides the connection's own that a redirect may reach (e.g. DataNodes). The
        proxy follows a redirect into one of them itself (the browser cannot reach them); one
        within the connection's own base goes back to the browser, rewritten to a proxy URL."""
        return ()


_ADAPTERS: dict[str, Upstream] = {}


def register(adapter: Upstream) -> Upstream:
    _ADAPTERS[adapter.kind] = adapter
    return adapter


_LOOKED_UP: set[str] = set()


def adapter_for(kind: str) -> Upstream:
    """The adapter of a kind: `services/<kind>.py` registers it when first imported (adding that
    file is all a new kind needs); the defaults for kinds without one."""
    if kind not in _ADAPTERS and kind not in _LOOKED_UP and kind.isidentifier():
        _LOOKED_UP.add(kind)
        try:
            importlib.import_module(f"{__name__}.{kind}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{kind}":
                raise  # the adapter exists but imports something missing
    return _ADAPTERS.get(kind, _DEFAULT)


_DEFAULT = Upstream()

__all__ = ["LoginRequest", "Upstream", "adapter_for", "register"]
