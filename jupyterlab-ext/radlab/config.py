"""Radlab connections on the Jupyter server: load, validate, merge, resolve secrets.

Sources, lowest precedence first, merged by `name` (docs/ARCHITECTURE.md):
  1. shared/defaults.json, only if no other source defines any connection,
  2. the file $RADLAB_CONFIG, else ~/.config/radlab/connections.json,
  3. $RADLAB_CONNECTIONS (JSON: {"connections": [...]} or a bare array),
  4. Jupyter config c.Radlab.connections.

Every entry is validated against shared/schema/connections.schema.json; an invalid entry is dropped
on its own and gives a `config` error naming the source and the field as a JSON pointer. Secrets
(passwords, tokens, kubeconfig credentials) are resolved here, on the server, and never leave it:
`public_view()` is what the browser sees. Nothing here imports jupyter_server.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import logging
import os
import ssl
import stat
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from . import kube
from .errors import error_json
from .redact import redact, register_secret

log = logging.getLogger("radlab")

ENV_CONNECTIONS = "RADLAB_CONNECTIONS"
ENV_CONFIG = "RADLAB_CONFIG"
JUPYTER_LABEL = "c.Radlab.connections"
DEFAULT_TIMEOUT_MS = 10_000
SOURCE_KINDS = ("defaults", "file", "env", "jupyter")

_PKG_SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
_REPO_SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


# --------------------------------------------------------------------------------------------
# the shared schema


def _shared_file(pkg_name: str, repo_rel: str) -> Path:
    """radlab/schema/<pkg_name> in an installed wheel, else the repository's shared/<repo_rel>."""
    installed = _PKG_SCHEMA_DIR / pkg_name
    if installed.is_file():
        return installed
    repo = _REPO_SHARED_DIR / repo_rel
    if repo.is_file():
        return repo
    raise FileNotFoundError(f"{pkg_name} not found in {_PKG_SCHEMA_DIR} nor {_REPO_SHARED_DIR}")


def schema_path() -> Path:
    return _shared_file("connections.schema.json", "schema/connections.schema.json")


def defaults_path() -> Path:
    return _shared_file("defaults.json", "defaults.json")


@functools.lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(schema_path().read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _connection_validator() -> Draft7Validator:
    schema = load_schema()
    wrapper = {
        "$schema": schema.get("$schema", "http://json-schema.org/draft-07/schema#"),
        "definitions": schema["definitions"],
        "$ref": "#/definitions/connection",
    }
    return Draft7Validator(wrapper)


@functools.lru_cache(maxsize=1)
def secret_fields() -> frozenset[str]:
    """Property names the schema marks `x-secret` (password, token)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in (node.get("properties") or {}).items():
                if isinstance(value, dict) and value.get("x-secret"):
                    found.add(key)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_schema())
    return frozenset(found)


def _top_level_keys() -> set[str]:
    return set(load_schema().get("properties", {}))


# --------------------------------------------------------------------------------------------
# errors


def _escape_pointer_token(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_join(base: str, *tokens: Any) -> str:
    return base + "".join("/" + _escape_pointer_token(t) for t in tokens)


@dataclass
class ConfigProblem:
    """One problem in one source; `to_json()` is the RadlabErrorJSON the API returns."""

    source: str  # defaults | file | env | jupyter
    label: str  # the file path, RADLAB_CONNECTIONS or c.Radlab.connections
    pointer: str  # JSON pointer into the source document ("" = the whole document)
    detail: str
    hint: str | None = None
    connection: str | None = None

    @property
    def message(self) -> str:
        # "label: detail (at /pointer)": a pointer ending in /password followed by ": " would look
        # like a credential to redact() (here and in @radlab/core) and be masked.
        at = f" (at {self.pointer})" if self.pointer else ""
        return redact(f"{self.label}: {self.detail}{at}")

    def to_json(self) -> dict[str, Any]:
        hint = self.hint or (
            f"Fix {self.pointer or 'the document'} in {self.label}; "
            "the format is shared/schema/connections.schema.json."
        )
        return error_json("config", "radlab", self.message, hint, connection=self.connection)


def _js(value: Any) -> str:
    """A value as JSON, shortened, for messages."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_PATTERN_HELP = {
    "url": "must be an http(s) URL without credentials, e.g. http://host:8047",
    "name": "must be 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
}


def _refine(err: ValidationError) -> ValidationError:
    """For oneOf/anyOf, picks the branch the instance was meant for (auth: by its `type`)."""
    while err.validator in ("oneOf", "anyOf") and err.context:
        by_branch: dict[int, list[ValidationError]] = {}
        for sub in err.context:
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
        candidates = [
            errs
            for errs in by_branch.values()
            if not any(list(e.relative_path) == ["type"] and e.validator == "const" for e in errs)
        ]
        if len(candidates) == 1:
            err = best_match(candidates[0])
            continue
        return err
    return err


def _describe(err: ValidationError, entry: Any) -> tuple[list[Any], str]:
    """Returns (path inside the entry, message) for a validation error, never echoing secrets."""
    err = _refine(err)
    path = list(err.absolute_path)
    secret = any(p in secret_fields() for p in path)
    validator = err.validator
    value = err.instance
    last = path[-1] if path else None

    if validator in ("oneOf", "anyOf"):
        branches = err.validator_value if isinstance(err.validator_value, list) else []
        consts = [
            b.get("properties", {}).get("type", {}).get("const")
            for b in branches
            if isinstance(b, dict) and b.get("properties", {}).get("type", {}).get("const")
        ]
        if consts and isinstance(value, dict):
            if "type" not in value:
                return [*path, "type"], "'type' is required"
            return [*path, "type"], (
                f"{_js(value.get('type'))} is not one of {', '.join(map(_js, consts))}"
            )
        required = [
            b["required"][0]
            for b in branches
            if isinstance(b, dict) and list(b) == ["required"] and len(b["required"]) == 1
        ]
        if required and len(required) == len(branches):
            kind = value.get("kind") if isinstance(value, dict) else None
            who = f"kind {_js(kind)}" if kind else "this connection"
            return path, f"{who} needs one of {', '.join(map(_js, required))}"
        return path, err.message if not secret else "is not valid"
    if validator == "required":
        missing = [p for p in err.validator_value if isinstance(value, dict) and p not in value]
        name = missing[0] if missing else "?"
        msg = f"{_js(name)} is required"
        if any(p in ("then", "else") for p in err.schema_path) and isinstance(entry, dict):
            msg += f" for kind {_js(entry.get('kind'))}"
            if entry.get("kind") == "files" and name in ("url", "root") and entry.get("protocol"):
                msg += f" with protocol {_js(entry.get('protocol'))}"
        return [*path, name], msg
    if validator == "additionalProperties":
        allowed = set((err.schema or {}).get("properties", {}))
        extras = sorted(k for k in value if k not in allowed) if isinstance(value, dict) else []
        if extras:
            msg = (
                f"unknown field {_js(extras[0])}"
                if len(extras) == 1
                else "unknown fields " + ", ".join(map(_js, extras))
            )
            return [*path, extras[0]], msg
    if validator == "type":
        expected = err.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        got = "" if secret else f", not {_js(value)}"
        return path, f"must be of type {expected}{got}"
    if validator == "pattern":
        help_text = _PATTERN_HELP.get(str(last)) or f"must match {err.validator_value}"
        return path, f"{_js(value)} {help_text}" if not secret else help_text
    if validator in ("enum", "const"):
        allowed = err.validator_value if validator == "enum" else [err.validator_value]
        return path, f"{_js(value)} is not one of {', '.join(map(_js, allowed))}"
    if validator == "minimum":
        return path, f"{_js(value)} is less than the minimum {err.validator_value}"
    if validator == "maximum":
        return path, f"{_js(value)} is more than the maximum {err.validator_value}"
    if validator == "minLength":
        return path, "must not be empty"
    return path, ("is not valid" if secret else err.message)


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
    config: dict[str, Any]
    url: str | None = None
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    auth_type: str = "none"
    username: str | None = None
    hdfs_user: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    context: str | None = None
    ca_file: str | None = None
    ca_data: str | None = None
    insecure: bool = False
    client_cert_file: str | None = None
    client_key_file: str | None = None

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
    for key in ("protocol", "root"):
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
    return out


# --------------------------------------------------------------------------------------------
# loading


@dataclass
class Source:
    kind: str
    label: str
    document: Any  # the parsed document (object, or for env/jupyter a bare array)
    path: Path | None = None


@dataclass
class LoadResult:
    connections: dict[str, Connection]
    errors: list[dict[str, Any]]
    problems: list[ConfigProblem] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {
            "connections": [public_view(c) for c in self.connections.values()],
            "errors": list(self.errors),
        }

    def get(self, name: str) -> Connection | None:
        return self.connections.get(name)


def config_file_path(env: Mapping[str, str], home: str | None = None) -> tuple[Path, bool]:
    """The config file to read and whether it was named explicitly by $RADLAB_CONFIG."""
    explicit = env.get(ENV_CONFIG)
    if explicit:
        return Path(os.path.expanduser(explicit)), True
    base = Path(home) if home else Path(os.path.expanduser("~"))
    return base / ".config" / "radlab" / "connections.json", False


def _read_json_file(path: Path, kind: str, problems: list[ConfigProblem]) -> Source | None:
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        problems.append(ConfigProblem(kind, label, "", f"cannot read: {e.strerror or e}"))
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        problems.append(
            ConfigProblem(
                kind, label, "", f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}"
            )
        )
        return None
    return Source(kind, label, doc, path)


def _entries(
    source: Source, problems: list[ConfigProblem], allow_array: bool
) -> list[tuple[str, Any]]:
    doc = source.document
    if isinstance(doc, list) and allow_array:
        return [(f"/{i}", e) for i, e in enumerate(doc)]
    if not isinstance(doc, dict):
        what = "an object with a connections array" + (" or an array" if allow_array else "")
        problems.append(ConfigProblem(source.kind, source.label, "", f"must be {what}"))
        return []
    for key in doc:
        if key not in _top_level_keys() and not str(key).startswith("$"):
            problems.append(
                ConfigProblem(source.kind, source.label, pointer_join("", key), "unknown field")
            )
    if "connections" not in doc:
        problems.append(
            ConfigProblem(source.kind, source.label, "/connections", "'connections' is required")
        )
        return []
    conns = doc["connections"]
    if not isinstance(conns, list):
        problems.append(
            ConfigProblem(source.kind, source.label, "/connections", "must be an array")
        )
        return []
    return [(f"/connections/{i}", e) for i, e in enumerate(conns)]


def _vacuous(err: ValidationError, entry: Any) -> bool:
    """True when the error comes from an if/then whose `if` only matched because the property it
    tests is absent (JSON Schema's vacuous truth): `kind`-specific rules for an entry without a
    valid kind, or posix rules for a files entry without a protocol."""
    node: Any = _connection_validator().schema["definitions"]["connection"]
    path = list(err.schema_path)
    for i, token in enumerate(path):
        if token in ("then", "else") and isinstance(node, dict):
            props = (node.get("if") or {}).get("properties") or {}
            if not isinstance(entry, dict) or any(k not in entry for k in props):
                return True
        if i + 1 < len(path) and isinstance(node, (dict, list)):
            try:
                node = node[token]
            except (KeyError, IndexError, TypeError):
                return False
    return False


def validate_entry(entry: Any) -> list[tuple[list[Any], str]]:
    """Schema problems of one connection entry as (path inside the entry, message)."""
    seen: set[tuple[str, str]] = set()
    out: list[tuple[list[Any], str]] = []
    errors = sorted(
        (e for e in _connection_validator().iter_errors(entry) if not _vacuous(e, entry)),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for err in errors:
        path, msg = _describe(err, entry)
        key = (pointer_join("", *path), msg)
        if key not in seen:
            seen.add(key)
            out.append((path, msg))
    return out


def check_document(
    document: Any, *, kind: str = "file", label: str = "connections.json", allow_array: bool = True
) -> tuple[list[str], list[ConfigProblem]]:
    """Schema validation and duplicate-name check of one source, without resolving secrets.
    Returns the names of the valid entries and the problems (what the test vectors describe)."""
    problems: list[ConfigProblem] = []
    source = Source(kind, label, document)
    names: list[str] = []
    first: dict[str, str] = {}
    for pointer, entry in _entries(source, problems, allow_array):
        bad = validate_entry(entry)
        if bad:
            name = entry.get("name") if isinstance(entry, dict) else None
            for path, msg in bad:
                problems.append(
                    ConfigProblem(
                        kind,
                        label,
                        pointer_join(pointer, *path),
                        msg,
                        connection=name if isinstance(name, str) else None,
                    )
                )
            continue
        name = entry["name"]
        if name in first:
            problems.append(
                ConfigProblem(
                    kind,
                    label,
                    pointer + "/name",
                    f"duplicate connection name {_js(name)} (first at {first[name]})",
                    "Connection names must be unique within a source.",
                    connection=name,
                )
            )
            continue
        first[name] = pointer
        names.append(name)
    return names, problems


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


def _has_inline_secret(entries: Iterable[tuple[str, Any]]) -> bool:
    for _, entry in entries:
        auth = entry.get("auth") if isinstance(entry, dict) else None
        if isinstance(auth, dict) and any(auth.get(k) for k in secret_fields()):
            return True
    return False


def load_connections(
    jupyter_connections: Sequence[Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    home: str | None = None,
) -> LoadResult:
    """Loads and merges every source (see the module docstring). Never raises for bad config."""
    env = os.environ if env is None else env
    problems: list[ConfigProblem] = []
    sources: list[tuple[Source, list[tuple[str, Any]]]] = []

    path, explicit = config_file_path(env, home)
    if path.exists() or explicit:
        if not path.exists():
            problems.append(
                ConfigProblem(
                    "file",
                    str(path),
                    "",
                    f"not found ({ENV_CONFIG} names it)",
                    f"Create the file or unset {ENV_CONFIG}.",
                )
            )
        else:
            src = _read_json_file(path, "file", problems)
            if src is not None:
                entries = _entries(src, problems, allow_array=False)
                sources.append((src, entries))
                if _has_inline_secret(entries):
                    warn_if_shared(path)

    raw_env = env.get(ENV_CONNECTIONS)
    if raw_env is not None and raw_env.strip():
        try:
            doc = json.loads(raw_env)
        except json.JSONDecodeError as e:
            problems.append(
                ConfigProblem(
                    "env", ENV_CONNECTIONS, "", f"invalid JSON at column {e.colno}: {e.msg}"
                )
            )
        else:
            src = Source("env", ENV_CONNECTIONS, doc)
            sources.append((src, _entries(src, problems, allow_array=True)))

    if jupyter_connections is not None:
        src = Source("jupyter", JUPYTER_LABEL, list(jupyter_connections))
        sources.append((src, _entries(src, problems, allow_array=True)))

    if not any(entries for _, entries in sources):
        try:
            dpath = defaults_path()
        except FileNotFoundError as e:
            problems.append(ConfigProblem("defaults", "defaults.json", "", str(e)))
        else:
            src = _read_json_file(dpath, "defaults", problems)
            if src is not None:
                sources.insert(0, (src, _entries(src, problems, allow_array=False)))

    merged: dict[str, Connection] = {}
    for src, entries in sources:
        first: dict[str, str] = {}
        for pointer, entry in entries:
            bad = validate_entry(entry)
            name = entry.get("name") if isinstance(entry, dict) else None
            name = name if isinstance(name, str) else None
            if bad:
                for epath, msg in bad:
                    problems.append(
                        ConfigProblem(
                            src.kind, src.label, pointer_join(pointer, *epath), msg, connection=name
                        )
                    )
                continue
            assert name is not None
            if name in first:
                problems.append(
                    ConfigProblem(
                        src.kind,
                        src.label,
                        pointer + "/name",
                        f"duplicate connection name {_js(name)} (first at {first[name]})",
                        "Connection names must be unique within a source.",
                        connection=name,
                    )
                )
                continue
            first[name] = pointer
            try:
                conn = _resolve(pointer, entry, src, env, home)
            except _ResolveError as e:
                problems.append(
                    ConfigProblem(
                        src.kind,
                        src.label,
                        pointer_join(pointer, *e.field.split("/")),
                        e.message,
                        e.hint,
                        connection=name,
                    )
                )
                continue
            # higher precedence replaces lower, keeping the first position
            merged[name] = conn

    return LoadResult(merged, [p.to_json() for p in problems], problems)


class ConnectionStore:
    """Caches the loaded connections; reloads when a source changes, or after `ttl` seconds (so
    rotated token files and kubeconfigs are picked up). Thread-safe."""

    def __init__(
        self,
        jupyter_connections: Callable[[], Sequence[Any] | None] | Sequence[Any] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        home: str | None = None,
        ttl: float = 5.0,
        logger: logging.Logger | logging.LoggerAdapter | None = None,
    ) -> None:
        self._jupyter = jupyter_connections
        self._env = env
        self._home = home
        self.ttl = ttl
        self.log = logger or log
        self._lock = threading.Lock()
        self._result: LoadResult | None = None
        self._fingerprint: Any = None
        self._loaded_at = 0.0
        self._logged: set[str] = set()

    def _jupyter_value(self) -> Sequence[Any] | None:
        value = self._jupyter() if callable(self._jupyter) else self._jupyter
        return None if value is None else list(value)

    def _fingerprint_now(self, jupyter: Sequence[Any] | None) -> Any:
        env = os.environ if self._env is None else self._env
        path, _ = config_file_path(env, self._home)
        try:
            st = path.stat()
            fstat: Any = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            fstat = None
        try:
            jdump = json.dumps(jupyter, sort_keys=True, default=str)
        except (TypeError, ValueError):
            jdump = repr(jupyter)
        return (
            str(path),
            fstat,
            env.get(ENV_CONNECTIONS),
            hashlib.sha256(jdump.encode()).hexdigest(),
        )

    def load(self, force: bool = False) -> LoadResult:
        jupyter = self._jupyter_value()
        fingerprint = self._fingerprint_now(jupyter)
        with self._lock:
            fresh = time.monotonic() - self._loaded_at < self.ttl
            if (
                not force
                and self._result is not None
                and fresh
                and fingerprint == self._fingerprint
            ):
                return self._result
            result = load_connections(jupyter, env=self._env, home=self._home)
            self._result, self._fingerprint, self._loaded_at = result, fingerprint, time.monotonic()
            messages = {e["message"] for e in result.errors}
            for message in sorted(messages - self._logged):
                self.log.warning(redact(f"Radlab config: {message}"))
            self._logged = messages
            return result

    def get(self, name: str) -> Connection | None:
        return self.load().get(name)
