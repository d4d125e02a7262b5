"""Resolution of a valid entry into a `Connection`: auth (passwords, tokens, token files), TLS
(CA, skip-verify, client certificates) and kubeconfig / in-cluster credentials. Secrets are
registered for redaction as they are read and never leave the server: `public_view()` is what
the browser sees."""

from __future__ import annotations

import base64
import copy
import functools
import logging
import os
import ssl
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from .. import kube
from ..errors import error_json
from ..redact import redact, register_secret

if TYPE_CHECKING:
    from .sources import Source

log = logging.getLogger("radlab")

DEFAULT_TIMEOUT_MS = 10_000


# --------------------------------------------------------------------------------------------
# resolved connections


@dataclass
class Connection:
    """A valid connection with its secrets resolved. Never serialise it: use public_view()."""

    name: str
    kind: str
    source: str
    label: str
    pointer: str
    # the raw entry, inline secrets included: kept out of repr (and so out of logs and tracebacks)
    config: dict[str, Any] = field(repr=False)
    url: str | None = None
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    auth_type: str = "none"
    username: str | None = None
    # basic auth's password, for logins that need it as such (Drill's FORM login); never shown
    password: str | None = field(default=None, repr=False)
    hdfs_user: str | None = None
    # Authorization headers, token-bearing query parameters and the resolved secrets: never in repr
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    query: dict[str, str] = field(default_factory=dict, repr=False)
    secrets: list[str] = field(default_factory=list, repr=False)
    context: str | None = None
    ca_file: str | None = None
    ca_data: str | None = None
    insecure: bool = False
    client_cert_file: str | None = None
    client_key_file: str | None = None
    # why the connection cannot be used (a password variable unset, a CA file missing): the
    # RadlabErrorJSON (code config) it answers with. It stays listed, shown down with the hint.
    problem: dict[str, Any] | None = None

    @property
    def drill_auth(self) -> str:
        """drill only: how the basic credentials reach Drill, `basic` (header) or `form` (login)."""
        return str(self.config.get("drillAuth") or "basic")

    @property
    def has_secret(self) -> bool:
        return bool(self.secrets) or bool(self.client_key_file)

    @property
    def base_url(self) -> str | None:
        """The configured URL without query or fragment and without a trailing slash."""
        if not self.url:
            return None
        parts = urlsplit(self.url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))

    def public_view(self) -> dict[str, Any]:
        return public_view(self)

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS settings for this connection, or None for the defaults."""
        if not (self.ca_file or self.ca_data or self.insecure or self.client_cert_file):
            return None
        return _ssl_context(
            self.ca_file,
            _mtime(self.ca_file),
            self.ca_data,
            self.insecure,
            self.client_cert_file,
            self.client_key_file,
            _mtime(self.client_cert_file),
            _mtime(self.client_key_file),
        )


def _mtime(path: str | None) -> float | None:
    try:
        return os.stat(path).st_mtime if path else None
    except OSError:
        return None


@functools.lru_cache(maxsize=64)
def _ssl_context(
    ca_file: str | None,
    _ca_mtime: float | None,
    ca_data: str | None,
    insecure: bool,
    cert_file: str | None,
    key_file: str | None,
    _cert_mtime: float | None,
    _key_mtime: float | None,
) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if ca_file:
        ctx.load_verify_locations(cafile=ca_file)
    if ca_data:
        ctx.load_verify_locations(cadata=ca_data)
    if insecure:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if cert_file:
        ctx.load_cert_chain(cert_file, key_file)
    return ctx


def _strip_userinfo(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    return urlunsplit(parts)


def public_view(conn: Connection) -> dict[str, Any]:
    """The connection as the browser may see it: no secret, no secret file path."""
    cfg = conn.config
    out: dict[str, Any] = {"name": conn.name, "kind": conn.kind}
    if cfg.get("description"):
        out["description"] = cfg["description"]
    if conn.url:
        out["url"] = _strip_userinfo(conn.url)
    for key in ("protocol", "root", "nameNode", "cluster", "drillPlugin"):
        if cfg.get(key) is not None:
            out[key] = cfg[key]
    if conn.context:
        out["context"] = conn.context
    out["timeoutMs"] = conn.timeout_ms
    auth: dict[str, Any] = {"type": conn.auth_type}
    if conn.username:
        auth["username"] = conn.username
    if conn.hdfs_user:
        auth["user"] = conn.hdfs_user
    auth["hasSecret"] = conn.has_secret
    out["auth"] = auth
    out["source"] = conn.source
    if conn.problem is not None:
        out["problem"] = conn.problem
    return out


def unresolved(
    pointer: str, entry: dict[str, Any], source: Source, message: str, hint: str | None
) -> Connection:
    """A valid entry whose secrets or files could not be resolved: listed, with `problem` set,
    no credential."""
    cfg = copy.deepcopy(entry)
    auth = cfg.get("auth") or {}
    name, kind = cfg["name"], cfg["kind"]
    return Connection(
        name=name,
        kind=kind,
        source=source.kind,
        label=source.label,
        pointer=pointer,
        config=cfg,
        url=cfg.get("url"),
        timeout_ms=int(cfg.get("timeoutMs", DEFAULT_TIMEOUT_MS)),
        auth_type=str(auth.get("type", "none")),
        username=auth.get("username"),
        hdfs_user=auth.get("user"),
        problem=error_json("config", kind, message, hint, connection=name),
    )


class _ResolveError(Exception):
    def __init__(self, fld: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.field = fld
        self.message = message
        self.hint = hint


def _read_secret_file(path: str, fld: str) -> str:
    try:
        value = Path(os.path.expanduser(path)).read_text(encoding="utf-8").strip()
    except OSError as e:
        raise _ResolveError(fld, f"cannot read {path}: {e.strerror or e}") from e
    if not value:
        raise _ResolveError(fld, f"{path} is empty")
    return value


def _resolve_auth(conn: Connection, auth: Mapping[str, Any], env: Mapping[str, str]) -> None:
    kind = auth.get("type", "none")
    conn.auth_type = kind
    if kind == "basic":
        conn.username = auth["username"]
        password = auth.get("password")
        if password is None and auth.get("passwordEnv"):
            password = env.get(auth["passwordEnv"])
            if password is None:
                raise _ResolveError(
                    "auth/passwordEnv",
                    f"environment variable {auth['passwordEnv']} is not set",
                    f"Export {auth['passwordEnv']} in the environment of the Jupyter server.",
                )
        password = password or ""
        conn.password = password
        credential = base64.b64encode(f"{conn.username}:{password}".encode()).decode("ascii")
        conn.headers["Authorization"] = f"Basic {credential}"
        if password:
            conn.secrets += [password, credential]
    elif kind == "bearer":
        token = auth.get("token")
        if token is None and auth.get("tokenEnv"):
            token = env.get(auth["tokenEnv"])
            if token is None:
                raise _ResolveError(
                    "auth/tokenEnv",
                    f"environment variable {auth['tokenEnv']} is not set",
                    f"Export {auth['tokenEnv']} in the environment of the Jupyter server.",
                )
        if token is None and auth.get("tokenFile"):
            token = _read_secret_file(auth["tokenFile"], "auth/tokenFile")
        if not token:
            raise _ResolveError("auth", "bearer auth needs token, tokenEnv or tokenFile", None)
        token = token.strip()
        conn.headers["Authorization"] = f"Bearer {token}"
        conn.secrets.append(token)
    elif kind == "hdfsUser":
        conn.hdfs_user = auth["user"]
        conn.query["user.name"] = auth["user"]


def _resolve(
    pointer: str, entry: dict[str, Any], source: Source, env: Mapping[str, str], home: str | None
) -> Connection:
    cfg = copy.deepcopy(entry)
    conn = Connection(
        name=cfg["name"],
        kind=cfg["kind"],
        source=source.kind,
        label=source.label,
        pointer=pointer,
        config=cfg,
        url=cfg.get("url"),
        timeout_ms=int(cfg.get("timeoutMs", DEFAULT_TIMEOUT_MS)),
    )
    tls = cfg.get("tls") or {}
    if tls.get("ca"):
        ca = os.path.expanduser(tls["ca"])
        if not os.path.isfile(ca):
            raise _ResolveError("tls/ca", f"CA file {ca} not found")
        conn.ca_file = ca
    conn.insecure = bool(tls.get("insecureSkipVerify", False))
    if cfg.get("auth"):
        _resolve_auth(conn, cfg["auth"], env)

    if conn.kind == "kubernetes" and (
        cfg.get("inCluster") or cfg.get("kubeconfig") or cfg.get("context") or not cfg.get("url")
    ):
        try:
            if cfg.get("inCluster"):
                kres = kube.resolve_in_cluster(cfg, env)
            else:
                kres = kube.resolve_kubeconfig(cfg, env, home)
        except kube.KubeError as e:
            raise _ResolveError(e.field, e.message, e.hint) from e
        conn.url = kres.url
        conn.context = kres.context
        conn.ca_file = conn.ca_file or kres.ca_file
        conn.ca_data = kres.ca_data
        conn.insecure = conn.insecure or kres.insecure
        conn.client_cert_file = kres.client_cert_file
        conn.client_key_file = kres.client_key_file
        if not cfg.get("auth"):
            if kres.token:
                conn.auth_type = "bearer"
                conn.headers["Authorization"] = f"Bearer {kres.token}"
                conn.secrets.append(kres.token)
            elif kres.username:
                conn.auth_type = "basic"
                conn.username = kres.username
                cred = base64.b64encode(f"{kres.username}:{kres.password}".encode()).decode()
                conn.headers["Authorization"] = f"Basic {cred}"
                conn.secrets += [kres.password or "", cred]
            elif kres.client_cert_file:
                conn.auth_type = "clientCert"
        for path in kres.secret_files:
            warn_if_shared(Path(path), "kubeconfig")

    if conn.url and urlsplit(conn.url).scheme == "https":
        try:
            conn.ssl_context()
        except (ssl.SSLError, OSError, ValueError) as e:
            raise _ResolveError(
                "tls",
                f"cannot load TLS certificates: {e}",
                "Check the CA / client certificate files.",
            ) from e
    conn.secrets = [s for s in conn.secrets if s]
    for secret in conn.secrets:
        register_secret(secret)
    return conn


_warned: dict[str, float] = {}


def warn_if_shared(path: Path, what: str = "config file") -> None:
    """Logs (once per file version) when a file holding inline secrets is readable by others."""
    try:
        st = path.stat()
    except OSError:
        return
    if not st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return
    key = str(path)
    if _warned.get(key) == st.st_mtime:
        return
    _warned[key] = st.st_mtime
    log.warning(
        redact(
            f"Radlab: {what} {path} holds secrets but is readable by group/others "
            f"(mode {stat.S_IMODE(st.st_mode):o}); run: chmod 600 {path}"
        )
    )
