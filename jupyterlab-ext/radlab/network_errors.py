"""What a failed connection attempt says to the user, in the same words as @radlab/core's transport
(packages/core/src/transport/transport.ts): "connection refused to 127.0.0.1:8047", never Python's
"[Errno 111] Connection refused"; the hint names the service and its own URL."""

from __future__ import annotations

import errno
import socket
import ssl
from urllib.parse import urlsplit

# What each kind is called in a sentence ("Is Drill running?").
SERVICE_NAMES = {
    "drill": "Drill",
    "livy": "Livy",
    "files": "the file service (WebHDFS/HttpFS)",
    "kubernetes": "the Kubernetes API server",
    "prometheus": "Prometheus",
    "dicomweb": "the PACS (DICOMweb)",
}

# What each kind is called at the start of a message ("Drill at http://… is unreachable").
_LABELS = {
    "drill": "Drill",
    "livy": "Livy",
    "files": "WebHDFS",
    "kubernetes": "Kubernetes",
    "prometheus": "Prometheus",
    "dicomweb": "DICOMweb",
}


def service_label(kind: str) -> str:
    return _LABELS.get(kind, kind)


_PHRASES = {
    errno.ECONNREFUSED: "connection refused to {where}",
    errno.EHOSTUNREACH: "host unreachable: {where}",
    errno.ENETUNREACH: "network unreachable to {where}",
    errno.ECONNRESET: "connection reset by {where}",
    errno.EPIPE: "connection closed by {where}",
    errno.ECONNABORTED: "connection closed by {where}",
    errno.ETIMEDOUT: "no answer from {where} (the connection timed out)",
}


def host_port(url: str | None) -> str:
    """`host:port` of a URL (the default port spelt out), as the TS side prints it."""
    parts = urlsplit(url or "")
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:
        port = None
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


def _root_cause(exc: BaseException) -> BaseException:
    """The OSError under wrappers (urllib3's NewConnectionError/MaxRetryError keep it in
    `reason` or `__cause__`/`__context__`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno is not None:
            return current
        reason = getattr(current, "reason", None)
        nxt = reason if isinstance(reason, BaseException) else None
        current = nxt or current.__cause__ or current.__context__
    return exc


def connect_failure(exc: BaseException, url: str | None) -> str:
    """A sentence for a failed connection to `url`: no errno numbers, no Python class names."""
    where = host_port(url)
    cause = _root_cause(exc)
    if isinstance(cause, ssl.SSLError):
        return f"TLS handshake with {where} failed ({cause.reason or 'certificate not accepted'})"
    if isinstance(cause, socket.gaierror):
        if cause.errno in (socket.EAI_AGAIN,):
            return f"host name lookup failed for {where}"
        return f"host not found: {where}"
    if isinstance(cause, OSError) and cause.errno in _PHRASES:
        return _PHRASES[cause.errno].format(where=where)
    if isinstance(cause, OSError) and cause.strerror:
        return f"network error reaching {where} ({cause.strerror.lower()})"
    return f"network error reaching {where}"


def connect_hint(kind: str, url: str | None, connection: str | None = None) -> str:
    """What to do: is the service running, at the URL the connection names?"""
    name = SERVICE_NAMES.get(kind, "the service")
    where = host_port(url)
    which = f" of connection '{connection}'" if connection else ""
    return (
        f"Is {name} running? Check that it listens on {where} and that the URL{which} "
        f"({url}) is right."
    )
