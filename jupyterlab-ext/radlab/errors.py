"""The JSON error form shared with @radlab/core (packages/core/src/errors.ts):
`{code, service, message, hint, status?, connection?}`; every message and hint is redacted. The codes,
services, default hints and the HTTP status table are shared/errors.json."""

from __future__ import annotations

from typing import Any

from .redact import redact
from .shared_data import load_shared

_SHARED = load_shared("errors.json")

ERROR_CODES: tuple[str, ...] = tuple(_SHARED["codes"])
SERVICES: tuple[str, ...] = tuple(_SHARED["services"])
DEFAULT_HINTS: dict[str, str] = dict(_SHARED["hints"])
_STATUS: dict[str, str] = dict(_SHARED["status"])
_STATUS_RANGES: list[dict[str, Any]] = list(_SHARED["statusRanges"])


def code_for_status(status: int) -> str:
    """Maps an HTTP status to an error code (the table in shared/errors.json, as codeForStatus)."""
    exact = _STATUS.get(str(status))
    if exact is not None:
        return exact
    for r in _STATUS_RANGES:
        if r["from"] <= status <= r["to"]:
            return str(r["code"])
    return str(_SHARED["statusDefault"])


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
