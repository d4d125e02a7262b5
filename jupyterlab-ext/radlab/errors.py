"""The JSON error form shared with @radlab/core (packages/core/src/errors.ts):
`{code, service, message, hint, status?, connection?}`; every message and hint is redacted."""

from __future__ import annotations

from typing import Any

from .redact import redact

ERROR_CODES = (
    "unreachable",
    "timeout",
    "auth",
    "forbidden",
    "notFound",
    "conflict",
    "badRequest",
    "server",
    "badResponse",
    "cancelled",
    "config",
)

SERVICES = ("drill", "livy", "files", "kubernetes", "prometheus", "radlab")

DEFAULT_HINTS: dict[str, str] = {
    "unreachable": "Check that the service is running and that the URL and port are right.",
    "timeout": "The service did not answer in time. Check its load, or raise timeoutMs for this connection.",
    "auth": "Authentication failed. Check the username, password or token for this connection.",
    "forbidden": "The credentials are valid but not allowed to do this. Ask the service admin for access.",
    "notFound": "The service answered but the resource does not exist. Check the URL path.",
    "conflict": "The request conflicts with the current state. Refresh and try again.",
    "badRequest": "The service rejected the request as invalid.",
    "server": "The service failed. Its own logs say why; try again later.",
    "badResponse": "The service answered with something that is not what Radlab expects. Is the URL pointing at the right service?",
    "cancelled": "The request was cancelled.",
    "config": "Fix the connection configuration.",
}


def code_for_status(status: int) -> str:
    """Maps an HTTP status to an error code (same table as codeForStatus in errors.ts)."""
    if status == 401:
        return "auth"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "notFound"
    if status in (408, 504):
        return "timeout"
    if status == 409:
        return "conflict"
    if 400 <= status < 500:
        return "badRequest"
    return "server"


def error_json(
    code: str,
    service: str,
    message: str,
    hint: str | None = None,
    status: int | None = None,
    connection: str | None = None,
) -> dict[str, Any]:
    """Builds a RadlabErrorJSON; optional fields are left out when unknown."""
    if code not in ERROR_CODES:
        raise ValueError(f"unknown error code {code!r}")
    out: dict[str, Any] = {
        "code": code,
        "service": service if service in SERVICES else "radlab",
        "message": redact(message),
        "hint": redact(hint if hint is not None else DEFAULT_HINTS[code]),
    }
    if status is not None:
        out["status"] = int(status)
    if connection is not None:
        out["connection"] = connection
    return out


class RadlabHTTPError(Exception):
    """Raised by handlers; rendered as the JSON error with `X-Radlab-Error: 1`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        service: str = "radlab",
        hint: str | None = None,
        connection: str | None = None,
    ) -> None:
        super().__init__(redact(message))
        self.status = status
        self.body = error_json(code, service, message, hint, status, connection)
