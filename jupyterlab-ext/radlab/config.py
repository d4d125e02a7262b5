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
from jsonschema.exceptions import ValidationError

from . import kube
from .errors import error_json
from .json_position import json_error_offset, line_column
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


# Top-level keys of a connections document besides `connections` (shared/defaults.json has a
# `$comment`); anything else is "is not a known field".
TOP_LEVEL_KEYS = ("connections", "$schema", "$comment")


# --------------------------------------------------------------------------------------------
# errors
#
# Messages follow the conventions of shared/test-vectors/config/README.md and read the same as
# @radlab/core's (packages/core/src/config/validate.ts, which reports ajv's wording): the form is
# "<source>: <pointer> <message>", the message never quotes a value from the config (it may be a
# secret), and the hint says how to fix it.


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
        # "<label>: <pointer> <detail>", the pointer left out for the whole document. No ": "
        # follows the pointer, so a pointer ending in /password does not look like a credential
        # to redact().
        where = f" {self.pointer}" if self.pointer else ""
        return redact(f"{self.label}:{where} {self.detail}")

    def to_json(self) -> dict[str, Any]:
        hint = self.hint or (
            f"Fix {self.pointer or 'the document'} in {self.label}; "
            "the format is shared/schema/connections.schema.json."
        )
        return error_json("config", "radlab", self.message, hint, connection=self.connection)


FIELD_HINTS = {
    "url": 'Use http(s)://host[:port][/path], without user:password@ or spaces; put credentials under "auth".',
    "name": 'Names start with a letter or digit and use only letters, digits, "_", "." and "-" (at most 63 characters).',
    "kind": "kind is one of drill, livy, files, kubernetes, prometheus.",
    "protocol": "protocol is one of webhdfs, httpfs, posix.",
    "timeoutMs": "timeoutMs is an integer number of milliseconds between 100 and 600000.",
    "auth": 'auth is {"type":"none"}, {"type":"basic","username",...}, {"type":"bearer",...} or {"type":"hdfsUser","user"}.',
    "root": 'files connections with protocol posix need "root", the mounted path (e.g. /mapr/my.cluster.com).',
    "kubernetes": 'kubernetes connections need "url" (+ auth), "kubeconfig" and/or "context", or "inCluster": true.',
    "tls": 'tls has only "ca" (path of a PEM file) and "insecureSkipVerify" (boolean).',
}
_HINT_SCHEMA = "See shared/schema/connections.schema.json for the allowed fields and values."
_HINT_UNKNOWN = "Remove the field or fix its spelling (see shared/schema/connections.schema.json)."
_HINT_DOCUMENT = 'Write {"connections": [ ... ]}.'


def hint_for(pointer: str, fallback: str = _HINT_SCHEMA) -> str:
    """The hint of the most specific known field in the pointer (/connections/0/auth/user: auth)."""
    segments = [s for s in pointer.split("/") if s and not s.isdigit()]
    for segment in reversed(segments):
        if segment != "connections" and segment in FIELD_HINTS:
            return FIELD_HINTS[segment]
    return fallback


@dataclass
class Issue:
    """One schema problem of one entry: `path` inside the entry, the message and the hint."""

    path: list[Any]
    message: str
    hint: str


# The order in which ajv (allErrors) evaluates keywords, so both sides list an entry's errors in the
# same order: `type`, then the keywords for any type, then those for numbers, strings, arrays and
# objects. jsonschema leaves `if` out of error paths: its `then`/`else` take its place.
_KEYWORD_ORDER = {
    k: i
    for i, group in enumerate(
        [
            ["type"],
            ["const"],
            ["enum"],
            ["not"],
            ["anyOf"],
            ["oneOf"],
            ["allOf"],
            ["if", "then", "else"],
            ["maximum"],
            ["minimum"],
            ["exclusiveMaximum"],
            ["exclusiveMinimum"],
            ["multipleOf"],
            ["maxLength"],
            ["minLength"],
            ["pattern"],
            ["format"],
            ["maxItems"],
            ["minItems"],
            ["uniqueItems"],
            ["additionalItems"],
            ["items"],
            ["contains"],
            ["maxProperties"],
            ["minProperties"],
            ["required"],
            ["propertyNames"],
            ["additionalProperties"],
            ["dependencies"],
            ["properties"],
            ["patternProperties"],
        ]
    )
    for k in group
}
_LAST = 1 << 20


def _deref(node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = load_schema()
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or token not in target:
                return node
            target = target[token]
        node = target
    return node


def _order_key(schema_path: Iterable[Any], node: Any) -> tuple[int, ...]:
    """Sort key of an error by where its keyword sits in the schema (ajv's evaluation order);
    properties in schema order, subschemas of allOf/anyOf/oneOf by index."""
    key: list[int] = []
    names_next = False
    for token in schema_path:
        if names_next:
            names = list(node) if isinstance(node, dict) else []
            key.append(names.index(token) if token in names else _LAST)
            node = node.get(token) if isinstance(node, dict) else None
            names_next = False
            continue
        node = _deref(node)
        if isinstance(node, list) and isinstance(token, int):
            key.append(token)
            node = node[token] if token < len(node) else None
        elif isinstance(node, dict):
            key.append(_KEYWORD_ORDER.get(str(token), _LAST))
            names_next = token in ("properties", "patternProperties", "definitions")
            node = node.get(token)
        else:
            key.append(_LAST)
            node = None
    return tuple(key)


def _has_then_else(err: ValidationError) -> bool:
    return any(t in ("then", "else") for t in err.absolute_schema_path)


def _condition_holds(err: ValidationError, entry: Any, top: list[ValidationError]) -> bool:
    """An if/then/else applies vacuously when the property its `if` tests is missing or itself
    invalid (no kind: the "then" of kind=files applies). Errors from such branches are noise."""
    node: Any = _deref(_connection_validator().schema)
    for token in err.absolute_schema_path:
        node = _deref(node)
        if token in ("then", "else") and isinstance(node, dict):
            props = (node.get("if") or {}).get("properties") or {}
            for prop in props:
                if not isinstance(entry, dict) or prop not in entry:
                    return False
                if any(list(e.absolute_path) == [prop] and not _has_then_else(e) for e in top):
                    return False
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and isinstance(token, int) and token < len(node):
            node = node[token]
        else:
            return True
    return True


def _branch_types(branches: Any) -> list[Any] | None:
    """The `type` const of each oneOf branch (auth), or None if the branches are not like that."""
    if not isinstance(branches, list) or not branches:
        return None
    consts = []
    for branch in branches:
        branch = _deref(branch)
        const = (
            ((branch.get("properties") or {}).get("type") or {}).get("const")
            if isinstance(branch, dict)
            else None
        )
        consts.append(const)
    return consts if any(isinstance(c, str) for c in consts) else None


def _type_name(expected: Any) -> str:
    return ",".join(expected) if isinstance(expected, list) else str(expected)


def _js_typeof(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _keyword_message(err: ValidationError) -> str:
    """ajv's wording for a keyword: it names the rule, never the value."""
    v, value = err.validator, err.validator_value
    if v == "type":
        return f"must be {_type_name(value)}"
    if v == "pattern":
        return f'must match pattern "{value}"'
    if v == "format":
        return f'must match format "{value}"'
    if v == "minimum":
        return f"must be >= {value}"
    if v == "maximum":
        return f"must be <= {value}"
    if v == "exclusiveMinimum":
        return f"must be > {value}"
    if v == "exclusiveMaximum":
        return f"must be < {value}"
    if v == "multipleOf":
        return f"must be multiple of {value}"
    if v in ("minLength", "minItems", "minProperties"):
        what = {"minLength": "characters", "minItems": "items", "minProperties": "properties"}[v]
        return f"must NOT have fewer than {value} {what}"
    if v in ("maxLength", "maxItems", "maxProperties"):
        what = {"maxLength": "characters", "maxItems": "items", "maxProperties": "properties"}[v]
        return f"must NOT have more than {value} {what}"
    if v == "enum":
        return "must be one of " + ", ".join(_js_string(x) for x in value)
    if v == "const":
        return "must be equal to constant"
    if v == "oneOf":
        return 'must match exactly one schema in "oneOf"'
    if v == "anyOf":
        return 'must match a schema in "anyOf"'
    if v == "not":
        return "must NOT be valid"
    if v == "uniqueItems":
        return "must NOT have duplicate items"
    return "is invalid"


def _js_string(value: Any) -> str:
    """String(value) as JavaScript writes it, for the allowed values of an enum."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value
    return json.dumps(value)


def validate_entry(entry: Any) -> list[Issue]:
    """Schema problems of one connection entry, as @radlab/core reports them: errors of `if`
    branches that apply only vacuously are dropped; for `auth`, only the errors of the oneOf branch
    its `type` selects are kept (an unknown or missing type is "must be one of"); the kubernetes
    anyOf becomes one "needs one of"."""
    top = list(_connection_validator().iter_errors(entry))
    issues: list[Issue] = []
    seen: set[tuple[str, str]] = set()

    def add(path: list[Any], message: str, hint: str | None = None) -> None:
        pointer = pointer_join("", *path)
        if (pointer, message) in seen:
            return
        seen.add((pointer, message))
        issues.append(Issue(path, message, hint or hint_for(pointer)))

    def visit(errors: list[ValidationError], root: Any) -> None:
        # One error per missing property / unknown field, in ajv's order.
        items: list[tuple[tuple[int, ...], int, ValidationError, Any]] = []
        expanded: set[tuple[tuple[Any, ...], tuple[Any, ...]]] = set()
        for err in errors:
            key = _order_key(err.relative_schema_path, root)
            if err.validator in ("required", "additionalProperties"):
                ident = (tuple(err.relative_schema_path), tuple(err.absolute_path))
                if ident in expanded:
                    continue
                expanded.add(ident)
                inst = err.instance if isinstance(err.instance, dict) else {}
                if err.validator == "required":
                    names = [p for p in err.validator_value if p not in inst]
                else:
                    known = set((err.schema or {}).get("properties") or {})
                    names = [k for k in inst if k not in known]
                items += [(key, i, err, name) for i, name in enumerate(names)]
            else:
                items.append((key, 0, err, None))
        items.sort(key=lambda item: (item[0], item[1]))

        for _, _, err, name in items:
            if not _condition_holds(err, entry, top):
                continue
            path = list(err.absolute_path)
            if err.validator == "required":
                add([*path, name], "is required")
            elif err.validator == "additionalProperties":
                add([*path, name], "is not a known field", _HINT_UNKNOWN)
            elif err.validator == "oneOf" and (types := _branch_types(err.validator_value)):
                value = err.instance
                kind = value.get("type") if isinstance(value, dict) else None
                selected = types.index(kind) if isinstance(kind, str) and kind in types else -1
                if selected == -1:
                    allowed = ", ".join(t for t in types if isinstance(t, str) and t)
                    add([*path, "type"], f"must be one of {allowed}", FIELD_HINTS["auth"])
                else:
                    branch = [e for e in err.context if e.relative_schema_path[0] == selected]
                    visit(branch, err.validator_value)
            elif err.validator == "anyOf":
                options = [
                    p
                    for sub in err.context
                    if sub.validator == "required"
                    for p in sub.validator_value
                    if isinstance(sub.instance, dict) and p not in sub.instance
                ]
                message = (
                    "needs one of " + ", ".join(dict.fromkeys(options))
                    if options
                    else _keyword_message(err)
                )
                kube_entry = isinstance(entry, dict) and entry.get("kind") == "kubernetes"
                add(path, message, FIELD_HINTS["kubernetes"] if kube_entry else None)
            else:
                add(path, _keyword_message(err))

    visit(top, _connection_validator().schema)
    return issues


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


# What JavaScript's String.prototype.trim() removes: "is empty" means the same on both sides.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_text(
    text: str, kind: str, label: str, problems: list[ConfigProblem], path: Path | None = None
) -> Source | None:
    """Parses the JSON text of a source. An empty text or a syntax error is one problem, with the
    line and column but without the parser's message (it may quote the input, and so a secret)."""
    if text.strip(_JS_WHITESPACE) == "":
        problems.append(
            ConfigProblem(
                kind, label, "", "is empty", 'Write {"connections": [ ... ]} or remove the file.'
            )
        )
        return None
    try:
        doc = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        offset = json_error_offset(text)
        if offset is None:
            at = near = ""
        else:
            line, column = line_column(text, offset)
            at = f" at line {line}, column {column}"
            near = f" near line {line}, column {column}"
        problems.append(
            ConfigProblem(
                kind,
                label,
                "",
                f"is not valid JSON{at}",
                f"Fix the JSON syntax{near}: usually a missing comma or quote, a trailing comma, "
                "or a comment.",
            )
        )
        return None
    return Source(kind, label, doc, path)


def _read_json_file(path: Path, kind: str, problems: list[ConfigProblem]) -> Source | None:
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else type(e).__name__
        problems.append(
            ConfigProblem(
                kind,
                label,
                "",
                f"cannot read the connections file ({reason})",
                "Check that the file is readable by the user running Jupyter, and UTF-8.",
            )
        )
        return None
    return parse_text(text, kind, label, problems, path)


def _entries(
    source: Source, problems: list[ConfigProblem], allow_array: bool = True
) -> list[tuple[str, Any]]:
    """The entries of a document with their pointers: `{"connections": [...]}` or a bare array."""
    doc = source.document

    def problem(pointer: str, detail: str, hint: str = _HINT_DOCUMENT) -> None:
        problems.append(ConfigProblem(source.kind, source.label, pointer, detail, hint))

    if isinstance(doc, list) and allow_array:
        return [(f"/{i}", e) for i, e in enumerate(doc)]
    if not isinstance(doc, dict):
        what = '{"connections": [...]}' + (" or an array" if allow_array else "")
        problem("", f"must be an object {what}, not {_js_typeof(doc)}")
        return []
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            problem(
                pointer_join("", key),
                "is not a known field",
                'The top level has only "connections" (and optionally "$schema").',
            )
    if "connections" not in doc:
        problem("/connections", "is required")
        return []
    conns = doc["connections"]
    if not isinstance(conns, list):
        problem("/connections", "must be array")
        return []
    return [(f"/connections/{i}", e) for i, e in enumerate(conns)]


def _check_entries(
    source: Source, entries: list[tuple[str, Any]], problems: list[ConfigProblem]
) -> list[tuple[str, dict[str, Any]]]:
    """The schema-valid entries of one source with unique names, in order; a problem for each
    invalid entry (dropped on its own) and for each later duplicate of a name."""
    valid: list[tuple[str, dict[str, Any]]] = []
    first: dict[str, str] = {}
    for pointer, entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        name = name if isinstance(name, str) else None
        issues = validate_entry(entry)
        if issues:
            for issue in issues:
                problems.append(
                    ConfigProblem(
                        source.kind,
                        source.label,
                        pointer_join(pointer, *issue.path),
                        issue.message,
                        issue.hint,
                        connection=name,
                    )
                )
            continue
        assert name is not None
        if name in first:
            problems.append(
                ConfigProblem(
                    source.kind,
                    source.label,
                    pointer + "/name",
                    f'duplicates the name "{name}" of {first[name]}',
                    "Connection names must be unique; rename or remove one of them.",
                    connection=name,
                )
            )
            continue
        first[name] = pointer
        valid.append((pointer, entry))
    return valid


def check_document(
    document: Any, *, kind: str = "file", label: str = "connections.json", allow_array: bool = True
) -> tuple[list[str], list[ConfigProblem]]:
    """Schema validation and duplicate-name check of one source, without resolving secrets.
    Returns the names of the valid entries and the problems (what the test vectors describe)."""
    problems: list[ConfigProblem] = []
    source = Source(kind, label, document)
    valid = _check_entries(source, _entries(source, problems, allow_array), problems)
    return [entry["name"] for _, entry in valid], problems


def check_text(
    text: str, *, kind: str = "file", label: str = "connections.json"
) -> tuple[list[str], list[ConfigProblem]]:
    """check_document() of JSON text: syntax errors and empty text are problems too."""
    problems: list[ConfigProblem] = []
    source = parse_text(text, kind, label, problems)
    if source is None:
        return [], problems
    names, more = check_document(source.document, kind=kind, label=label)
    return names, problems + more


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
                entries = _entries(src, problems)
                sources.append((src, entries))
                if _has_inline_secret(entries):
                    warn_if_shared(path)

    raw_env = env.get(ENV_CONNECTIONS)
    if raw_env is not None and raw_env.strip(_JS_WHITESPACE):
        src = parse_text(raw_env, "env", ENV_CONNECTIONS, problems)
        if src is not None:
            sources.append((src, _entries(src, problems)))

    if jupyter_connections is not None:
        src = Source("jupyter", JUPYTER_LABEL, list(jupyter_connections))
        sources.append((src, _entries(src, problems)))

    if not any(entries for _, entries in sources):
        try:
            dpath = defaults_path()
        except FileNotFoundError as e:
            problems.append(ConfigProblem("defaults", "defaults.json", "", str(e)))
        else:
            src = _read_json_file(dpath, "defaults", problems)
            if src is not None:
                sources.insert(0, (src, _entries(src, problems)))

    merged: dict[str, Connection] = {}
    for src, entries in sources:
        for pointer, entry in _check_entries(src, entries, problems):
            name = entry["name"]
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
