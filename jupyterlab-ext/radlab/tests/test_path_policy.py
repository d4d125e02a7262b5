"""The proxy's path policy: a table of known escapes and names, and thousands of generated paths
each read back by models of how common servers resolve a path (written here independently of the
policy): every accepted path stays inside the base on every one of them."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote_to_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from radlab.server.path_policy import Base, PathRefused, resolve_location, resolve_request

BASE = Base.parse("http://127.0.0.1:8047/gateway/drill/")
BASE_SEGMENTS = ["gateway", "drill"]

# ---------------------------------------------------------------------------- server models
# Each model takes the path as sent upstream (percent-encoded, from the root) and returns the
# segments it would serve, or None when it would refuse the request itself.


def _pct_decode(text: str, *, iis: bool = False) -> str | None:
    if iis:
        text = re.sub(r"%u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)
    raw = unquote_to_bytes(text)
    for encoding in ("utf-8",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    # old servers read overlong UTF-8 (%c0%ae) as ASCII: map every such pair to its low bits
    out = re.sub(rb"[\xc0\xc1]([\x80-\xbf])", lambda m: bytes([m.group(1)[0] & 0x3F]), raw)
    return out.decode("latin-1")


def _dots(segments: list[str], *, windows: bool = False) -> list[str] | None:
    out: list[str] = []
    for seg in segments:
        if windows:
            seg = seg.rstrip(". ") if seg.strip(". ") else ("." * min(len(seg.strip()), 2))
        if seg in ("", "."):
            continue
        if seg == "..":
            if not out:
                return None  # above the root: servers answer 400
            out.pop()
            continue
        out.append(seg)
    return out


def model_single_decode(path: str) -> list[str] | None:
    """Tornado, Go's net/http (path.Clean of URL.Path), nginx (merge_slashes, one decode)."""
    decoded = _pct_decode(path)
    return None if decoded is None else _dots(decoded.split("/"))


def model_raw_segments(path: str) -> list[str] | None:
    """Servers that resolve dots on the raw path first and decode each segment afterwards."""
    segs = [_pct_decode(s) for s in path.split("/")]
    return None if any(s is None for s in segs) else _dots([s for s in segs if s is not None])


def model_servlet(path: str) -> list[str] | None:
    """Jetty, Tomcat: `;params` cut off each segment before and after decoding; an encoded '/'
    accepted as a separator (Tomcat ALLOW_ENCODED_SLASH, older Jetty)."""
    out = []
    for raw in path.split("/"):
        decoded = _pct_decode(raw.split(";", 1)[0])
        if decoded is None:
            return None
        out += [s.split(";", 1)[0] for s in decoded.split("/")]
    return _dots(out)


def model_iis(path: str) -> list[str] | None:
    """IIS: %uXXXX, '\\' as '/', trailing dots and spaces dropped, best-fit Unicode."""
    decoded = _pct_decode(path, iis=True)
    if decoded is None:
        return None
    decoded = unicodedata.normalize("NFKC", decoded).replace("\\", "/")
    return _dots(decoded.split("/"), windows=True)


def model_double_decode(path: str) -> list[str] | None:
    """A server (or a framework behind it) that decodes twice, then re-reads the URL."""
    once = _pct_decode(path)
    if once is None:
        return None
    twice = _pct_decode(once.replace("%u", "%25u"))
    if twice is None:
        return None
    twice = re.split(r"[?#]", twice, maxsplit=1)[0]
    return _dots([s.split(";", 1)[0] for s in twice.replace("\\", "/").split("/")])


MODELS = [model_single_decode, model_raw_segments, model_servlet, model_iis, model_double_decode]


def _path_of(url: str) -> str:
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1].split("?", 1)[0] if "/" in rest else "/"


def assert_inside_everywhere(url: str) -> None:
    assert url.startswith("http://127.0.0.1:8047/gateway/drill")
    path = _path_of(url)
    for model in MODELS:
        served = model(path)
        if served is None:
            continue  # that server refuses it itself: nothing is reached
        assert served[:2] == BASE_SEGMENTS, (model.__name__, path, served)


# ---------------------------------------------------------------------------- table


@pytest.mark.parametrize(
    "raw",
    [
        "/..",
        "/../status",
        "/a/../../status",
        "/..;/status",
        "/..;/..;/outside",
        "/a/..;/b",
        "/..;jsessionid=x/status",
        "/%2e%2e/status",
        "/%2E%2e;/status",
        "/.%2e/status",
        "/%u002e%u002e/status",
        "/%u002E./status",
        "/%252e%252e/status",
        "/%25252e%25252e/status",
        "/%25u002e%25u002e/status",
        "/a%2f..%2f..%2fstatus",
        "/a%5c..%5c..%5cstatus",
        "/a%255c..%255cstatus",
        "/..%5cstatus",
        "/%c0%ae%c0%ae/status",
        "/%ef%bc%8e%ef%bc%8e/status",  # FULLWIDTH FULL STOP twice
        "/%e2%80%a5/status",  # TWO DOT LEADER
        "/.../status",
        "/..%20/status",
        "/.%20./status",
        "/..%3f/status",
        "/..%23/status",
        "/a%00",
        "/a%0d%0aX-Injected:%201",
        "/a%zz",
        "/%",
        "a/b",
    ],
)
def test_escapes_are_refused(raw):
    with pytest.raises(PathRefused):
        resolve_request(BASE, raw)


@pytest.mark.parametrize(
    ("raw", "sent"),
    [
        ("", "/gateway/drill"),
        ("/", "/gateway/drill/"),
        ("/status", "/gateway/drill/status"),
        ("/a/./b/../c", "/gateway/drill/a/c"),
        ("/a/b/..", "/gateway/drill/a/"),
        ("/a/%2e%2e/c", "/gateway/drill/c"),
        ("//a//b", "/gateway/drill/a/b"),
        ("/http://evil.example/x", "/gateway/drill/http:/evil.example/x"),
        ("/a%20b/100%25.txt", "/gateway/drill/a%20b/100%25.txt"),
        ("/scan%231.dcm", "/gateway/drill/scan%231.dcm"),
        ("/x;y.csv", "/gateway/drill/x%3By.csv"),
        ("/x%3By.csv", "/gateway/drill/x%3By.csv"),
        ("/what%3F.csv", "/gateway/drill/what%3F.csv"),
        ("/%C3%BCber/%E4%B8%AD%E6%96%87.nii", "/gateway/drill/%C3%BCber/%E4%B8%AD%E6%96%87.nii"),
        ("/über", "/gateway/drill/%C3%BCber"),
        ("/report%2520final.pdf", "/gateway/drill/report%2520final.pdf"),
        ("/a+b", "/gateway/drill/a%2Bb"),
        ("/.hidden/a..b/..c/c..", "/gateway/drill/.hidden/a..b/..c/c.."),
        ("/~user/(1)/a=b&c", "/gateway/drill/~user/(1)/a=b&c"),
    ],
)
def test_names_are_resolved_and_re_encoded(raw, sent):
    resolved = resolve_request(BASE, raw, "op=OPEN&x=a b#c")
    assert resolved.url == "http://127.0.0.1:8047" + sent + "?op=OPEN&x=a%20b%23c"
    assert_inside_everywhere(resolved.url)


@pytest.mark.parametrize(
    ("location", "proxied"),
    [
        ("/gateway/drill/x?from=redirect", "/x"),
        ("x", "/a/x"),
        ("../y", "/y"),
        ("?q=1", "/a/b"),
        ("http://127.0.0.1:8047/gateway/drill/", "/"),
        ("HTTP://127.0.0.1:8047/gateway/drill/x", "/x"),
        ("//127.0.0.1:8047/gateway/drill/x", "/x"),
    ],
)
def test_redirects_inside_the_base(location, proxied):
    current = resolve_request(BASE, "/a/b")
    assert resolve_location(location, current).path == proxied


@pytest.mark.parametrize(
    "location",
    [
        "/status",
        "/gateway/drill/../status",
        "/gateway/drill/..;/status",
        "/gateway/drill/%2e%2e/status",
        "../../../status",
        "../../..;/status",
        "http://203.0.113.7/gateway/drill/x",
        "http://127.0.0.1:8048/gateway/drill/x",
        "https://127.0.0.1:8047/gateway/drill/x",
        "//evil.example/gateway/drill/x",
        "javascript:alert(1)",
        "/gateway/drillx",
        "/gateway/drill\\..\\..\\status",
    ],
)
def test_redirects_off_the_base_are_refused(location):
    with pytest.raises(PathRefused):
        resolve_location(location, resolve_request(BASE, "/a/b"))


def test_redirect_to_an_allowed_datanode():
    """A WebHDFS NameNode's redirect to a DataNode: checked against an allowlist of bases."""
    namenode = Base.parse("http://nn:9870/webhdfs/v1")
    datanodes = [Base.parse("http://dn1:9864/webhdfs/v1"), Base.parse("http://dn2:9864/webhdfs/v1")]
    current = resolve_request(namenode, "/data/scan%20one.dcm", "op=OPEN")
    target = resolve_location(
        "http://dn2:9864/webhdfs/v1/data/scan%20one.dcm?op=OPEN&namenoderpcaddress=nn:8020&offset=0",
        current,
        datanodes,
    )
    assert target.base == datanodes[1]
    assert target.url == (
        "http://dn2:9864/webhdfs/v1/data/scan%20one.dcm?op=OPEN&namenoderpcaddress=nn:8020&offset=0"
    )
    for refused in (
        "http://dn3:9864/webhdfs/v1/data/x",
        "http://dn1:9864/webhdfs/v1/../../jmx",
        "http://dn1:9864/webhdfs/v1/..;/..;/jmx",
        "http://dn1:9864/jmx",
    ):
        with pytest.raises(PathRefused):
            resolve_location(refused, current, datanodes)


# ---------------------------------------------------------------------------- generated

# The pieces attackers and file names are made of: dots, separators and their encodings,
# Jetty parameters, IIS escapes, overlong UTF-8, Unicode look-alikes, and ordinary names.
TOKENS = [
    ".", "..", "...", "/", "//", "\\", ";", ";x", "..;", "%2e", "%2E", "%2f", "%2F", "%5c",
    "%252e", "%252f", "%25", "%u002e", "%u002f", "%uff0e", "%c0%ae", "%c0%af", "%ef%bc%8e",
    "%e2%80%a5", "%00", "%0a", "%20", " ", "%3f", "%23", "%3b", "?", "#", "a", "b", "status",
    "ü", "中", "%C3%BC", "~", "+", "%", "=", "&", ":", "http:", "@",
]  # fmt: skip


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12))
@example(["/", "..;", "/", "..;", "/", "status"])
@example(["/", "%u002e%u002e", "/", "status"])
def test_generated_paths_stay_inside_or_are_refused(tokens):
    raw = "".join(tokens)
    if not raw.startswith("/"):
        raw = "/" + raw
    try:
        resolved = resolve_request(BASE, raw)
    except PathRefused:
        return
    assert_inside_everywhere(resolved.url)


# no hex digits: a '%' in a generated name never starts an escape on a double-decoding server
NAME_CHARS = st.sampled_from(list("gGhHxyzZ _-~!$&'()*+,=:@;?#%ü中文é\u00a0."))


def _reads_as_dots(name: str) -> bool:
    """Whether a servlet container (`;`), a re-parsing server (`?`, `#`) or IIS (NFKC, trailing
    dots and spaces) could read the name as '.' or '..'."""
    for text in {name, unicodedata.normalize("NFKC", name)}:
        for cut in (text, text.split(";", 1)[0]):
            for part in (cut, re.split(r"[?#]", cut, maxsplit=1)[0]):
                if part.strip(" ") and not part.strip(". "):
                    return True
    return False


# '.' and '..' themselves are dot segments, resolved rather than names
NAMES = st.text(NAME_CHARS, min_size=1, max_size=16).filter(lambda n: n not in (".", ".."))


@settings(max_examples=1500, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=5))
def test_file_names_survive(names):
    """Names with spaces, %, #, ;, ? and Unicode reach the service unchanged, each one segment
    (names some server would read as dots, such as '..' or '. .', are refused instead)."""
    raw = "".join("/" + quote(n, safe="") for n in names)
    try:
        resolved = resolve_request(BASE, raw)
    except PathRefused:
        assert any(_reads_as_dots(n) for n in names), names
        return
    assert list(resolved.segments) == names
    assert_inside_everywhere(resolved.url)
    assert model_single_decode(_path_of(resolved.url)) == BASE_SEGMENTS + names
