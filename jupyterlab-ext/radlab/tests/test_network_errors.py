"""Failed connections in the TS transport's words (packages/core/src/transport/transport.ts)."""

from __future__ import annotations

import errno
import socket

import pytest

from radlab.network_errors import connect_failure, connect_hint, host_port


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (
            ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
            "connection refused to h:8047",
        ),
        (ConnectionResetError(errno.ECONNRESET, "reset"), "connection reset by h:8047"),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "host not found: h:8047"),
        (
            socket.gaierror(socket.EAI_AGAIN, "Temporary failure"),
            "host name lookup failed for h:8047",
        ),
        (
            OSError(errno.EACCES, "Permission denied"),
            "network error reaching h:8047 (permission denied)",
        ),
        (RuntimeError("odd"), "network error reaching h:8047"),
    ],
)
def test_connect_failure(exc, said):
    assert connect_failure(exc, "http://h:8047/base") == said
    wrapped = RuntimeError("wrapper")
    wrapped.__cause__ = exc
    assert connect_failure(wrapped, "http://h:8047/base") == said
    assert "Errno" not in said


def test_hint_and_default_ports():
    assert host_port("https://k8s.example") == "k8s.example:443"
    assert host_port("http://[::1]:9090") == "[::1]:9090"
    assert connect_hint("prometheus", "http://p:9090", "prom") == (
        "Is Prometheus running? Check that it listens on p:9090 and that the URL of connection "
        "'prom' (http://p:9090) is right."
    )
