"""Credentials must never reach a message, log line or error body.

Two layers, as in @radlab/core's redact.ts: patterns that look like credentials (userinfo in URLs,
Authorization headers, token-ish query parameters, "password": ... in JSON/YAML), and the exact
secret values Radlab resolved from config, registered as they are read.
"""

from __future__ import annotations

import re
import threading

MASK = "***"

_lock = threading.Lock()
_known: set[str] = set()

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # scheme://user:pass@host
    (re.compile(r"([a-z][a-z0-9+.-]*://)[^\s/@:]*:[^\s/@]*@", re.I), r"\1" + MASK + "@"),
    # Authorization: Basic xxx / Bearer xxx
    (
        re.compile(
            r"\b(authorization|proxy-authorization)([\"']?\s*[:=]\s*[\"']?)(basic|bearer|token)?\s*[^\s\"',}]+",
            re.I,
        ),
        r"\1\2\3 " + MASK,
    ),
    (re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.I), r"\1 " + MASK),
    # ?token=... &password=... &delegation=... (WebHDFS delegation tokens)
    (
        re.compile(
            r"([?&;](?:access_token|token|password|passwd|pwd|secret|api_key|apikey|delegation|sig)=)[^&\s\"']+",
            re.I,
        ),
        r"\1" + MASK,
    ),
    # "password": "..." / token: ... in JSON or YAML
    (
        re.compile(
            r"([\"']?(?:password|passwd|token|secret|client-key-data|client_key_data)[\"']?\s*[:=]\s*[\"']?)[^\"'\s,}]+",
            re.I,
        ),
        r"\1" + MASK,
    ),
]


def register_secret(secret: str | None) -> None:
    """Registers a resolved secret so that every later redact() masks it wherever it appears.

    Very short values would mask ordinary words; they are still covered by the patterns.
    """
    if secret and len(secret) >= 4:
        with _lock:
            _known.add(secret)


def mask_secrets(text: str, secrets: list[str] | set[str] | tuple[str, ...] | None = None) -> str:
    """Masks only exact secret values (the registered ones, plus `secrets`): safe on any text."""
    with _lock:
        values = set(_known)
    if secrets:
        values.update(s for s in secrets if s and len(s) >= 4)
    # longest first, so that a secret containing another is masked whole
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    return text


def redact(text: object) -> str:
    """Returns `text` as a string with every known secret and credential-like pattern masked."""
    if text is None:
        return ""
    out = mask_secrets(str(text))
    for pattern, replacement in _PATTERNS:
        out = pattern.sub(replacement, out)
    return out


def redact_url(url: str) -> str:
    """A URL fit for logs and errors: no userinfo, token-like query parameters masked."""
    return redact(url)


def clear_registered_secrets() -> None:
    """For tests only."""
    with _lock:
        _known.clear()
