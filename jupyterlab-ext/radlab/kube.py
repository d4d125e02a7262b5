"""Kubernetes connection resolution: kubeconfig (cluster, context, user) and in-cluster service
accounts. No jupyter_server imports; used by radlab.config."""

from __future__ import annotations

import atexit
import base64
import binascii
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .redact import register_secret

SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


class KubeError(Exception):
    """A problem with a kubernetes connection; `field` is the config field it is about."""

    def __init__(self, field: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.hint = hint


@dataclass
class KubeResolution:
    url: str | None = None
    context: str | None = None
    ca_file: str | None = None
    ca_data: str | None = None
    insecure: bool = False
    token: str | None = None
    username: str | None = None
    password: str | None = None
    client_cert_file: str | None = None
    client_key_file: str | None = None
    # files whose inline secrets should be private (kubeconfig with tokens or key data)
    secret_files: list[str] = field(default_factory=list)


_tmp_lock = threading.Lock()
_tmp_dir: str | None = None


def _cleanup_tmp() -> None:
    if _tmp_dir:
        shutil.rmtree(_tmp_dir, ignore_errors=True)


def private_file(data: bytes, suffix: str) -> str:
    """Writes `data` to a file only this user can read (0600, in a 0700 directory) and returns its
    path. The same content gives the same file, so reloads do not pile up files."""
    global _tmp_dir
    with _tmp_lock:
        if _tmp_dir is None or not os.path.isdir(_tmp_dir):
            _tmp_dir = tempfile.mkdtemp(prefix="radlab-")  # mode 0700
            atexit.register(_cleanup_tmp)
        path = os.path.join(_tmp_dir, hashlib.sha256(data).hexdigest()[:24] + suffix)
        if not os.path.exists(path):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        return path


def _b64(value: Any, what: str, fld: str) -> bytes:
    try:
        return base64.b64decode(str(value), validate=False)
    except (binascii.Error, ValueError) as e:
        raise KubeError(fld, f"{what} is not valid base64") from e


def _named(items: Any, name: str, key: str) -> dict[str, Any] | None:
    for item in items or []:
        if isinstance(item, dict) and item.get("name") == name:
            value = item.get(key)
            return value if isinstance(value, dict) else {}
    return None


def _rel(base: Path, value: str) -> str:
    p = Path(os.path.expanduser(value))
    return str(p if p.is_absolute() else base / p)


def _read_token_file(path: str, fld: str) -> str:
    try:
        token = Path(path).read_text(encoding="utf-8").strip()
    except OSError as e:
        raise KubeError(fld, f"cannot read token file {path}: {e.strerror or e}") from e
    if not token:
        raise KubeError(fld, f"token file {path} is empty")
    register_secret(token)
    return token


def _format_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def resolve_in_cluster(cfg: Mapping[str, Any], env: Mapping[str, str]) -> KubeResolution:
    host = env.get("KUBERNETES_SERVICE_HOST")
    port = env.get("KUBERNETES_SERVICE_PORT", "443")
    if not host and not cfg.get("url"):
        raise KubeError(
            "inCluster",
            "KUBERNETES_SERVICE_HOST is not set: Jupyter is not running in a Kubernetes pod",
            "Set inCluster only when the server runs in a pod; otherwise use url or kubeconfig.",
        )
    sa = Path(SERVICE_ACCOUNT_DIR)
    res = KubeResolution(url=cfg.get("url") or f"https://{_format_host(host or '')}:{port}")
    res.token = _read_token_file(str(sa / "token"), "inCluster")
    if (sa / "ca.crt").is_file():
        res.ca_file = str(sa / "ca.crt")
    return res


def default_kubeconfig(env: Mapping[str, str], home: str | None) -> str:
    # like kubectl: $KUBECONFIG (first existing entry of the list), else ~/.kube/config
    for entry in (env.get("KUBECONFIG") or "").split(os.pathsep):
        if entry and os.path.isfile(os.path.expanduser(entry)):
            return os.path.expanduser(entry)
    base = home or os.path.expanduser("~")
    return os.path.join(base, ".kube", "config")


def resolve_kubeconfig(
    cfg: Mapping[str, Any], env: Mapping[str, str], home: str | None = None
) -> KubeResolution:
    """Reads the kubeconfig named by the connection (default $KUBECONFIG / ~/.kube/config) and
    returns the server URL, TLS material and user credentials of the chosen context."""
    fld = "kubeconfig" if cfg.get("kubeconfig") else "context" if cfg.get("context") else "url"
    if cfg.get("kubeconfig"):
        path = os.path.expanduser(str(cfg["kubeconfig"]))
        if not os.path.isabs(path) and home:
            path = os.path.join(home, path)
    else:
        path = default_kubeconfig(env, home)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise KubeError(
            fld,
            f"cannot read kubeconfig {path}: {e.strerror or e}",
            "Set kubeconfig to the path of a readable kubeconfig, or give url and a bearer token.",
        ) from e
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise KubeError(fld, f"kubeconfig {path} is not valid YAML{where}") from e
    if not isinstance(doc, dict):
        raise KubeError(fld, f"kubeconfig {path} is not a kubeconfig (expected a mapping)")

    ctx_name = cfg.get("context") or doc.get("current-context")
    if not ctx_name:
        raise KubeError(
            "context",
            f"kubeconfig {path} has no current-context",
            "Set context to one of the contexts in the kubeconfig.",
        )
    ctx = _named(doc.get("contexts"), ctx_name, "context")
    if ctx is None:
        names = [c.get("name") for c in doc.get("contexts") or [] if isinstance(c, dict)]
        raise KubeError(
            "context",
            f"context {ctx_name!r} not found in kubeconfig {path} (has: {', '.join(map(str, names)) or 'none'})",
        )
    base = Path(path).parent
    res = KubeResolution(context=str(ctx_name))

    cluster_name = ctx.get("cluster")
    cluster = _named(doc.get("clusters"), cluster_name, "cluster") if cluster_name else None
    if cluster is None:
        raise KubeError(
            "context", f"cluster {cluster_name!r} of context {ctx_name!r} not found in {path}"
        )
    res.url = cfg.get("url") or cluster.get("server")
    if not res.url or not str(res.url).startswith(("http://", "https://")):
        raise KubeError("context", f"cluster {cluster_name!r} in {path} has no http(s) server URL")
    res.url = str(res.url)
    if cluster.get("certificate-authority-data"):
        res.ca_data = _b64(
            cluster["certificate-authority-data"], "certificate-authority-data", fld
        ).decode("ascii", "replace")
    elif cluster.get("certificate-authority"):
        res.ca_file = _rel(base, str(cluster["certificate-authority"]))
        if not os.path.isfile(res.ca_file):
            raise KubeError(
                fld, f"certificate-authority {res.ca_file} (kubeconfig {path}) not found"
            )
    res.insecure = bool(cluster.get("insecure-skip-tls-verify", False))

    if cfg.get("auth"):
        # explicit auth in the connection wins over the kubeconfig user
        return res
    user_name = ctx.get("user")
    user = _named(doc.get("users"), user_name, "user") if user_name else {}
    if user is None:
        raise KubeError(
            "context", f"user {user_name!r} of context {ctx_name!r} not found in {path}"
        )
    if user.get("exec") or user.get("auth-provider"):
        how = "exec" if user.get("exec") else "auth-provider"
        raise KubeError(
            fld,
            f"kubeconfig user {user_name!r} authenticates with {how}, which Radlab does not support yet",
            "Use a token: add auth {type: bearer, tokenFile: ...} to the connection, or a kubeconfig "
            "user with token / client certificates.",
        )
    if user.get("token"):
        res.token = str(user["token"]).strip()
        register_secret(res.token)
        res.secret_files.append(path)
    elif user.get("tokenFile"):
        res.token = _read_token_file(_rel(base, str(user["tokenFile"])), fld)
    if user.get("username") and user.get("password"):
        res.username = str(user["username"])
        res.password = str(user["password"])
        register_secret(res.password)
        res.secret_files.append(path)
    cert_data = user.get("client-certificate-data")
    key_data = user.get("client-key-data")
    if cert_data:
        res.client_cert_file = private_file(_b64(cert_data, "client-certificate-data", fld), ".crt")
    elif user.get("client-certificate"):
        res.client_cert_file = _rel(base, str(user["client-certificate"]))
    if key_data:
        register_secret(str(key_data))
        raw = _b64(key_data, "client-key-data", fld)
        register_secret(raw.decode("ascii", "replace").strip())
        res.client_key_file = private_file(raw, ".key")
        res.secret_files.append(path)
    elif user.get("client-key"):
        res.client_key_file = _rel(base, str(user["client-key"]))
    if bool(res.client_cert_file) != bool(res.client_key_file):
        raise KubeError(
            fld,
            f"kubeconfig user {user_name!r} has a client certificate without a key, or a key without a certificate",
        )
    for f in (res.client_cert_file, res.client_key_file):
        if f and not os.path.isfile(f):
            raise KubeError(fld, f"client certificate file {f} (kubeconfig {path}) not found")
    return res
