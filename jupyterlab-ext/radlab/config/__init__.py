"""Radlab connections (server and kernel): load, validate, merge, resolve secrets.

Sources, lowest precedence first, merged by `name` (docs/ARCHITECTURE.md):
  1. shared/defaults.json, only if no other source defines any connection,
  2. the file $RADLAB_CONFIG, else ~/.config/radlab/connections.json,
  3. $RADLAB_CONNECTIONS (JSON: {"connections": [...]} or a bare array),
  4. Jupyter config c.Radlab.connections.

Every entry is validated against shared/schema/connections.schema.json; an invalid entry is dropped
on its own and gives a `config` error naming the source and the field as a JSON pointer. Secrets
(passwords, tokens, kubeconfig credentials) are resolved here, on the server, and never leave it:
`public_view()` is what the browser sees. Nothing here imports jupyter_server.

Three parts: `schema` (validation against the shared schema), `resolve` (auth, TLS, kubeconfig into
a `Connection`) and `sources` (reading and merging the sources, the reloading `ConnectionStore`).
"""

from __future__ import annotations

from .resolve import DEFAULT_TIMEOUT_MS, Connection, public_view, warn_if_shared
from .schema import ConfigProblem, Issue, defaults_path, load_schema, schema_path, secret_fields
from .sources import (
    ENV_CONFIG,
    ENV_CONNECTIONS,
    ConnectionStore,
    LoadResult,
    Source,
    check_document,
    check_text,
    config_file_path,
    load_connections,
    parse_text,
)

__all__ = [
    "DEFAULT_TIMEOUT_MS",
    "ENV_CONFIG",
    "ENV_CONNECTIONS",
    "ConfigProblem",
    "Connection",
    "ConnectionStore",
    "Issue",
    "LoadResult",
    "Source",
    "check_document",
    "check_text",
    "config_file_path",
    "defaults_path",
    "load_connections",
    "load_schema",
    "parse_text",
    "public_view",
    "schema_path",
    "secret_fields",
    "warn_if_shared",
]
