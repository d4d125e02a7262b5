"""The sources of connections and their merging (see radlab.config)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..json_position import json_error_offset, line_column
from ..redact import redact
from .resolve import (
    Connection,
    _resolve,
    _ResolveError,
    public_view,
    unresolved,
    warn_if_shared,
)
from .schema import (
    _HINT_DOCUMENT,
    TOP_LEVEL_KEYS,
    ConfigProblem,
    _js_typeof,
    defaults_path,
    pointer_join,
    secret_fields,
    validate_entry,
)

log = logging.getLogger("radlab")

ENV_CONNECTIONS = "RADLAB_CONNECTIONS"
ENV_CONFIG = "RADLAB_CONFIG"
JUPYTER_LABEL = "c.Radlab.connections"


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
    attached: set[int] = set()  # ids of problems a listed connection answers with
    for src, entries in sources:
        for pointer, entry in _check_entries(src, entries, problems):
            name = entry["name"]
            try:
                conn = _resolve(pointer, entry, src, env, home)
            except _ResolveError as e:
                problem = ConfigProblem(
                    src.kind,
                    src.label,
                    pointer_join(pointer, *e.field.split("/")),
                    e.message,
                    e.hint,
                    connection=name,
                )
                # logged as a config problem, and answered by the connection itself (down,
                # with the hint), as VS Code and the CLI show it: it does not disappear
                problems.append(problem)
                attached.add(id(problem))
                merged[name] = unresolved(pointer, entry, src, problem.message, problem.hint)
                continue
            # higher precedence replaces lower, keeping the first position
            merged[name] = conn

    errors = [p.to_json() for p in problems if id(p) not in attached]
    return LoadResult(merged, errors, problems)


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
        logger: logging.Logger | logging.LoggerAdapter[Any] | None = None,
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
