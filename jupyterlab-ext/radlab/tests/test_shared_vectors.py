"""shared/test-vectors that the TypeScript tests run too (packages/core/src/errors.test.ts,
drill/errors.test.ts, node/kubeconfig.test.ts, vscode-ext/src/drill/magic.test.ts): both implementations
of redaction, the HTTP status table, Drill's error classification, the %%drill options and kubeconfig
resolution must agree case by case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radlab.errors import code_for_status
from radlab.kernel.drill_client import drill_query_error
from radlab.kernel.magics.drill import DrillMagicError, parse_options
from radlab.kube import KubeError, resolve_kubeconfig
from radlab.redact import clear_registered_secrets, redact

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "test-vectors"


def _load(rel: str) -> list[dict]:
    return json.loads((VECTORS / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", _load("redaction/cases.json"), ids=lambda v: v["name"])
def test_redaction_vectors(vector):
    clear_registered_secrets()
    assert redact(vector["input"]) == vector["output"]


@pytest.mark.parametrize("vector", _load("errors/status.json"), ids=lambda v: str(v["status"]))
def test_status_vectors(vector):
    assert code_for_status(vector["status"]) == vector["code"]


@pytest.mark.parametrize("vector", _load("drill-errors/cases.json"), ids=lambda v: v["name"])
def test_drill_error_vectors(vector):
    f = vector["failure"]
    e = drill_query_error(
        query_id=f.get("queryId"),
        query_state=f.get("queryState"),
        exception=f.get("exception"),
        error_message=f.get("errorMessage"),
    )
    got = {"code": e.code, "message": e.message, "hint": e.hint}
    if e.error_type is not None:
        got["errorType"] = e.error_type
    if e.position is not None:
        p = e.position
        got["position"] = {"line": p.line, "column": p.column}
        if p.end_line is not None:
            got["position"].update(endLine=p.end_line, endColumn=p.end_column)
    assert got == vector["expected"]


@pytest.mark.parametrize("vector", _load("drill-magic/options.json"), ids=lambda v: v["name"])
def test_drill_magic_option_vectors(vector):
    if "error" in vector:
        with pytest.raises(DrillMagicError) as info:
            parse_options(vector["line"], sql_allowed=False)
        assert vector["error"] in " ".join(info.value.lines)
        return
    opts, rest = parse_options(vector["line"], sql_allowed=False)
    assert rest == ""
    expected = {"connection": None, "schema": None, **vector["options"]}
    timeout = expected.pop("timeoutSeconds", None)
    assert {"connection": opts.connection, "limit": opts.limit, "schema": opts.schema} == expected
    assert opts.timeout == timeout


@pytest.mark.parametrize("vector", _load("kubeconfig/cases.json"), ids=lambda v: v["name"])
def test_kubeconfig_vectors(vector, tmp_path):
    path = tmp_path / "config"
    path.write_text(json.dumps(vector["kubeconfig"]))
    path.chmod(0o600)
    cfg = {"kind": "kubernetes", "name": "k", "kubeconfig": str(path)}
    if "context" in vector:
        cfg["context"] = vector["context"]
    if "error" in vector:
        with pytest.raises(KubeError) as info:
            resolve_kubeconfig(cfg, {}, str(tmp_path))
        assert vector["error"] in str(info.value)
        return
    r = resolve_kubeconfig(cfg, {}, str(tmp_path))
    got = {"server": r.url, "context": r.context, "insecureSkipVerify": r.insecure}
    for key, value in (("token", r.token), ("username", r.username), ("password", r.password)):
        if value is not None:
            got[key] = value
    assert got == vector["expected"]
