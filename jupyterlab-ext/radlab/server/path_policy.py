"""Which upstream URL a proxied request (or a redirect) may reach: one policy for every kind.

The policy holds by construction instead of by a list of bad patterns:

1. The path is parsed once: split on `/`, each segment percent-decoded exactly once (strictly: a
   `%` that is not followed by two hex digits, such as IIS's `%u002e`, is refused), as UTF-8.
2. `.` and `..` are resolved here, against the base: a `..` that would climb above the base
   refuses the request.
3. Every other segment must be *inert*: no common server may read it as `.`, `..` or as containing
   a separator. `readings()` lists what Jetty and Tomcat (`;params` cut off), IIS (`%uXXXX`,
   trailing dots and spaces, `\\`), double-decoding servers and frameworks, Unicode
   normalisation (`U+FF0E` → `.`), Tornado, Go's net/http and nginx (one decode, dot segments)
   would make of it. A segment with a dangerous reading is refused: what it means depends on the
   server, so no single re-encoding can be checked.
4. What is sent upstream is a canonical re-encoding of the checked segments below the base's
   path, never the client's bytes. Because each segment is inert on every server, every server
   resolves that URL to the same place: inside the base.

File names with spaces, `%`, `#`, `;`, `?` and non-ASCII characters pass (their bytes are
percent-encoded); only names whose meaning differs between servers (`..;x`, `%2e%2e` as a literal
name, `...`) are refused.

A redirect `Location` is checked by the same rules (`resolve_location`) against the connection's
base and an allowlist of further bases, such as the DataNodes a WebHDFS NameNode redirects to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "Base",
    "PathRefused",
    "Resolved",
    "canonical_query",
    "readings",
    "resolve_location",
    "resolve_request",
]

# Kept literally in a canonical segment: RFC 3986 unreserved characters and the sub-delimiters no
# server treats specially in a path. `;` (Jetty/Tomcat parameters), `%`, `?`, `#`, `\` and `+`
# are always encoded.
_SEGMENT_SAFE = "-._~!$&'()*,=:@"
# Kept literally in a canonical query: everything a query may hold; existing `%XX` escapes stay.
_QUERY_SAFE = "-._~!$&'()*+,;=:@/?%"

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ANY_ESCAPE = re.compile(r"%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MAX_DECODES = 3  # %25252e...: servers that decode in a loop stop long before this


class PathRefused(ValueError):
    """The path (or redirect target) could leave the base on some server; `str(e)` says why."""


@dataclass(frozen=True)
class Base:
    """An origin and a path prefix that requests may not leave."""

    scheme: str
    host: str
    port: int
    netloc: str  # as configured (for the URL sent upstream)
    raw_path: str  # as configured, no trailing slash: '' or '/a/b'
    segments: tuple[str, ...]  # raw_path's decoded segments

    @classmethod
    def parse(cls, url: str) -> Base:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if scheme == "https" else 80)
        raw_path = parts.path.rstrip("/")
        segments = tuple(unquote(s) for s in raw_path.split("/")[1:]) if raw_path else ()
        return cls(scheme, parts.hostname.lower(), port, parts.netloc, raw_path, segments)

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.raw_path}"


@dataclass(frozen=True)
class Resolved:
    """A checked target: `segments` (decoded) lie below `base`."""

    base: Base
    segments: tuple[str, ...]
    trailing_slash: bool
    query: str  # canonical, without '?'
    # '' for the base itself written without a slash (`{base}` rather than `{base}/`)
    bare: bool = False

    @property
    def path(self) -> str:
        """The canonical path below the base: '' or '/…' (each segment percent-encoded)."""
        if self.bare:
            return ""
        out = "".join("/" + quote(s, safe=_SEGMENT_SAFE) for s in self.segments)
        return out + "/" if self.trailing_slash or not self.segments else out

    @property
    def url(self) -> str:
        """The URL to send upstream: the base's own path, then the canonical rest."""
        return self.base.url + self.path + ("?" + self.query if self.query else "")


def canonical_query(raw: str) -> str:
    """The query with every character that may not appear in one encoded (`#`, spaces, non-ASCII,
    controls); existing escapes stay as they are (the query names no path)."""
    return quote(raw, safe=_QUERY_SAFE)


def _decode_segment(raw: str) -> str:
    """One strict percent-decoding of a raw segment, as UTF-8."""
    if _BAD_ESCAPE.search(raw):
        if re.search(r"%u[0-9A-Fa-f]{4}", raw):
            raise PathRefused("IIS-style %uXXXX escapes are not accepted")
        raise PathRefused("a '%' that does not start a %XX escape (write '%25')")
    try:
        return unquote(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise PathRefused("percent-escapes that are not UTF-8") from e


def _decode_once_more(text: str) -> str | None:
    """What a server that decodes again would make of `text` (%XX and IIS's %uXXXX); None when
    the bytes are not UTF-8 (overlong forms like %c0%ae are read as '.' by some servers)."""

    def one(m: re.Match[str]) -> str:
        return chr(int(m.group(1), 16)) if m.group(1) else m.group(0)

    text = _ANY_ESCAPE.sub(one, text)
    try:
        return unquote(text, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return None


def readings(name: str) -> Iterator[str | None]:
    """What common servers could make of one decoded segment `name` (sent canonically encoded).

    None stands for a reading that cannot be known (invalid bytes after a further decoding)."""
    forms: list[str | None] = [name]
    current: str | None = name
    for _ in range(_MAX_DECODES):
        assert current is not None
        current = _decode_once_more(current)
        forms.append(current)
        if current is None or current == forms[-2]:
            break
    for form in forms:
        if form is None:
            yield None
            continue
        for text in {form, unicodedata.normalize("NFKC", form)}:
            params_cut = text.split(";", 1)[0]  # Jetty, Tomcat: `;params` belong to the segment
            for cut in (text, params_cut):
                # a server that decodes and re-parses the URL reads `?`/`#` as its end
                yield cut
                yield re.split(r"[?#]", cut, maxsplit=1)[0]


def _dangerous_reading(name: str) -> str | None:
    """Why `name` is not inert (some server could read it as a dot segment or a separator)."""
    for reading in readings(name):
        if reading is None:
            return "escapes that are not UTF-8 once decoded again"
        if "/" in reading or "\\" in reading:
            return "an encoded '/' or '\\' inside a name"
        if _CONTROL.search(reading):
            return "control characters"
        # '.', '..', and the Windows/IIS forms ('...', '.. ', '. .'): trailing dots and spaces go
        if reading.strip(" ") and not reading.strip(". "):
            return f"a name some servers read as '.' or '..' ({name!r})"
    return None


def _check_name(name: str) -> str:
    why = _dangerous_reading(name)
    if why is not None:
        raise PathRefused(why)
    return name


def _resolve_segments(
    raw_segments: Sequence[str], stack: list[str], floor: int
) -> tuple[list[str], bool]:
    """RFC 3986 dot-segment removal over decoded segments, pushing onto `stack`; a `..` that
    would pop below `floor` entries refuses. Returns (stack, trailing slash)."""
    trailing = False
    last = len(raw_segments) - 1
    for i, raw in enumerate(raw_segments):
        name = _decode_segment(raw)
        trailing = i == last and name in ("", ".", "..")
        if name in ("", "."):
            continue  # '//' collapses (as nginx and Go's ServeMux do); '.' is here
        if name == "..":
            if len(stack) <= floor:
                raise PathRefused("'..' would leave the connection's base path")
            stack.pop()
            continue
        stack.append(_check_name(name))
    return stack, trailing


def resolve_request(base: Base, raw_path: str, raw_query: str = "") -> Resolved:
    """The checked upstream target of a proxied request.

    `raw_path` is the still percent-encoded path after `radlab/proxy/<name>` ('' or '/…')."""
    if raw_path == "":
        return Resolved(base, (), False, canonical_query(raw_query), bare=True)
    if not raw_path.startswith("/"):
        raise PathRefused("the path must start with '/'")
    segments, trailing = _resolve_segments(raw_path.split("/")[1:], [], 0)
    return Resolved(base, tuple(segments), trailing, canonical_query(raw_query))


def _below(base: Base, origin: tuple[str, str, int], segments: list[str]) -> bool:
    n = len(base.segments)
    return origin == base.origin and tuple(segments[:n]) == base.segments


def resolve_location(location: str, current: Resolved, allowed: Sequence[Base] = ()) -> Resolved:
    """Checks a redirect `Location` (absolute or relative to `current`) against `current.base`
    and the further `allowed` bases (e.g. WebHDFS DataNodes); returns it resolved below the first
    base it lies under, or raises PathRefused."""
    if _CONTROL.search(location) or "\\" in location:
        raise PathRefused("control characters or '\\' in the redirect target")
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        scheme = (parts.scheme or current.base.scheme).lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise PathRefused(f"a redirect to a {scheme or 'host-less'} URL")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError as e:
            raise PathRefused("a redirect with an invalid port") from e
        origin = (scheme, parts.hostname.lower(), port)
        raw_segments = parts.path.split("/")[1:] if parts.path else [""]
        segments, trailing = _resolve_segments(raw_segments, [], 0)
    else:
        origin = current.base.origin
        here = [*current.base.segments, *current.segments]
        if parts.path.startswith("/"):
            segments, trailing = _resolve_segments(parts.path.split("/")[1:], [], 0)
        elif parts.path == "":
            segments, trailing = here, current.trailing_slash
        else:
            # RFC 3986 merge: drop the last segment of the current path unless it ends with '/'
            directory = here if current.trailing_slash else here[:-1]
            segments, trailing = _resolve_segments(parts.path.split("/"), list(directory), 0)
    for base in (current.base, *allowed):
        if _below(base, origin, segments):
            rest = tuple(segments[len(base.segments) :])
            return Resolved(
                base, rest, trailing, canonical_query(parts.query), bare=not rest and not trailing
            )
    raise PathRefused("the target is outside the connection's base URL and the allowed hosts")
