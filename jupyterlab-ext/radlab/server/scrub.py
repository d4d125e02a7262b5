"""Masking the credential the proxy injected out of what the service sends back.

An upstream page may echo the request (error pages of servlet containers and reverse proxies,
debug endpoints), and with it the `Authorization` header or session cookie the proxy added. The
proxy asks for `Accept-Encoding: identity` when it injects a credential, so that the bytes it
sees are the bytes it scrubs; a service that compresses anyway is decoded here (gzip, deflate)
and sent on decoded.

`StreamMasker` scrubs while the body streams: it holds back only a tail of what it has seen that
could be the start of a secret, so a secret split across chunks is caught, bodies of any length are
scrubbed without being held whole, and a chunk that ends where no secret could begin (a Kubernetes
watch event's newline) goes out whole at once instead of waiting for the next chunk.
"""

from __future__ import annotations

import html
import json
import zlib
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from ..redact import MASK

_MASK = MASK.encode()

# Media types of stored bytes (files, images, DICOM, archives). A 2xx answer of this kind is the
# resource itself, not a reflection of the request, and rewriting its bytes would corrupt data.
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/dicom",
        "application/dicom+json",  # a stored DICOM JSON header, not an echo
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-tar",
        "application/x-hdf",
        "application/x-hdf5",
        "application/pdf",
        "application/vnd.apache.parquet",
        "application/x-parquet",
        "application/x-nifti",
        "application/wasm",
    }
)


def can_carry_echo(status: int, content_type: str | None) -> bool:
    """Whether an answer's body could echo the request and so must be scrubbed.

    Redirects and errors always can (that is where servers print the request). So can 2xx text
    (JSON, HTML, plain text, or no type at all). Two kinds of 2xx cannot, and stream untouched at
    any size: 206 (a byte range of a stored representation; its offsets must stay exact) and
    binary media types (the stored file itself)."""
    if status >= 300 or status < 200:
        return True
    if status == 206:
        return False
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return not (media in _BINARY_TYPES or media.startswith(_BINARY_PREFIXES))


def secret_forms(secrets: Iterable[str]) -> set[bytes]:
    """Each secret as a page could print it: raw, HTML-, JSON- and URL-escaped."""
    out: set[bytes] = set()
    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        json_form = json.dumps(secret)[1:-1]
        for form in (
            secret,
            html.escape(secret),
            html.escape(secret, quote=False),
            json_form,
            json_form.replace("/", "\\/"),
            quote(secret, safe=""),
            quote_plus(secret, safe=""),
        ):
            out.add(form.encode("utf-8"))
    return out


class StreamMasker:
    """Replaces every occurrence of the given byte strings by `***`, chunk by chunk."""

    def __init__(self, secrets: Iterable[bytes]) -> None:
        self._needles = sorted(set(secrets), key=len, reverse=True)
        self._keep = max((len(n) for n in self._needles), default=1) - 1
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        data = self._mask(self._pending + chunk)
        # a secret that is not complete yet is a tail of data that starts a secret
        cut = len(data) - self._partial(data)
        out, self._pending = data[:cut], data[cut:]
        return out

    def _partial(self, data: bytes) -> int:
        """The length of the longest tail of `data` (shorter than a secret) that starts one."""
        for n in range(min(self._keep, len(data)), 0, -1):
            tail = data[-n:]
            if any(needle.startswith(tail) for needle in self._needles):
                return n
        return 0

    def close(self) -> bytes:
        out, self._pending = self._mask(self._pending), b""
        return out

    def _mask(self, data: bytes) -> bytes:
        for needle in self._needles:
            if needle in data:
                data = data.replace(needle, _MASK)
        return data


class Decoder:
    """Undoes a `Content-Encoding` the masker must see through (gzip, deflate)."""

    SUPPORTED = frozenset({"gzip", "x-gzip", "deflate"})

    def __init__(self, encoding: str) -> None:
        # 32 + 15: zlib detects the gzip or zlib header by itself
        self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)
        self.encoding = encoding

    def feed(self, chunk: bytes) -> bytes:
        return self._z.decompress(chunk)

    def close(self) -> bytes:
        return self._z.flush()
