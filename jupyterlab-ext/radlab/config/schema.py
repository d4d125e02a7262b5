"""The connections schema (shared/schema/connections.schema.json): loading it, validating one
entry, and the `config` problems (field as a JSON pointer, a hint) an invalid entry gives."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from ..errors import error_json
from ..redact import redact
from ..shared_data import shared_file

# --------------------------------------------------------------------------------------------
# the shared schema


def schema_path() -> Path:
    return shared_file("connections.schema.json", "schema/connections.schema.json")


def defaults_path() -> Path:
    return shared_file("defaults.json")


@functools.lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return schema


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


# per-field hints of config errors: the schema's x-fieldHints (validate.ts reads the same)
FIELD_HINTS: dict[str, str] = dict(load_schema()["x-fieldHints"])
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
