"""Credentials must never reach a message, log line or error body.

Two layers, as in @radlab/core's redact.ts: patterns that look like credentials (userinfo in URLs,
Authorization headers, token-ish query parameters, "password": ... in JSON/YAML), and the exact
secret values Radlab resolved from config, registered as they are read.
"""

from __future__ import annotations

import re
import threading

from .shared_data import load_shared

_SHARED = load_shared("redaction.json")

MASK: str = _SHARED["mask"]

_lock = threading.Lock()
_known: set[str] = set()


def _replacement(template: str) -> str:
    """shared/redaction.json writes groups as $1; Python's re.sub as \\g<1>."""
    return re.sub(r"\$(\d)", r"\\g<\1>", template.replace("\\", "\\\\"))


# shared/redaction.json (@radlab/core's redact.ts reads the same list)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p["pattern"], re.I), _replacement(p["replacement"])) for p in _SHARED["patterns"]
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


def clear_registered_secrets() -> None:
    """For tests only."""
    with _lock:
        _known.clear()
