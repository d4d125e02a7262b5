"""radlab.config: precedence, validation errors, secrets, kubeconfig, redaction (no server)."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import stat
from pathlib import Path

import pytest

from radlab import config as cfgmod
from radlab import kube
from radlab.config import (
    ConnectionStore,
    check_document,
    check_text,
    load_connections,
    public_view,
)
from radlab.redact import redact, register_secret

from .conftest import DEFAULT_NAMES

REPO = Path(__file__).resolve().parents[3]
VECTORS = sorted((REPO / "shared" / "test-vectors" / "config").glob("*.json"))


def _problems(result):
    """The config errors and the problems of listed connections that cannot be used."""
    return [*result.errors, *(c.problem for c in result.connections.values() if c.problem)]


def _errors(result):
    return [e["message"] for e in _problems(result)]


def _write(path: Path, doc, mode=0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    path.chmod(mode)
    return path


def drill(name, url="http://drill:8047", **extra):
    return {"name": name, "kind": "drill", "url": url, **extra}


# ------------------------------------------------------------------------------------------ schema


def test_schema_and_defaults_are_found():
    assert cfgmod.schema_path().is_file()
    assert cfgmod.defaults_path().is_file()
    assert cfgmod.secret_fields() == {"password", "token"}


# ------------------------------------------------------------------------------------------ precedence


def test_defaults_only_when_nothing_is_configured(tmp_path):
    result = load_connections(env={}, home=str(tmp_path))
    assert list(result.connections) == DEFAULT_NAMES
    assert result.connections["local-prometheus"].source == "defaults"
    assert result.errors == []

    result = load_connections([drill("d")], env={}, home=str(tmp_path))
    assert list(result.connections) == ["d"]


def test_precedence_file_env_jupyter(tmp_path):
    home = tmp_path
    _write(
        home / ".config/radlab/connections.json",
        {
            "connections": [
                drill("a", "http://file-a"),
                drill("b", "http://file-b"),
                drill("c", "http://file-c"),
            ]
        },
    )
    env = {
        "RADLAB_CONNECTIONS": json.dumps([drill("b", "http://env-b"), drill("c", "http://env-c")])
    }
    result = load_connections([drill("c", "http://jupyter-c")], env=env, home=str(home))
    conns = result.connections
    assert [n for n in conns] == ["a", "b", "c"]
    assert (conns["a"].url, conns["a"].source) == ("http://file-a", "file")
    assert (conns["b"].url, conns["b"].source) == ("http://env-b", "env")
    assert (conns["c"].url, conns["c"].source) == ("http://jupyter-c", "jupyter")
    assert result.errors == []


def test_radlab_config_env_names_the_file(tmp_path):
    path = _write(tmp_path / "elsewhere.json", {"connections": [drill("x")]})
    result = load_connections(env={"RADLAB_CONFIG": str(path)}, home=str(tmp_path))
    assert list(result.connections) == ["x"]
    missing = load_connections(
        env={"RADLAB_CONFIG": str(tmp_path / "nope.json")}, home=str(tmp_path)
    )
    assert len(missing.errors) == 1
    assert "nope.json" in missing.errors[0]["message"]
    assert missing.errors[0]["code"] == "config"


def test_env_accepts_object_or_bare_array(tmp_path):
    for raw in (json.dumps({"connections": [drill("e")]}), json.dumps([drill("e")])):
        result = load_connections(env={"RADLAB_CONNECTIONS": raw}, home=str(tmp_path))
        assert list(result.connections) == ["e"]
        assert result.connections["e"].source == "env"


def test_invalid_json_names_the_source(tmp_path):
    _write(tmp_path / ".config/radlab/connections.json", '{"connections": [')
    result = load_connections(env={"RADLAB_CONNECTIONS": "{nope"}, home=str(tmp_path))
    messages = _errors(result)
    assert any("connections.json: is not valid JSON at line 1, column 18" in m for m in messages)
    assert "RADLAB_CONNECTIONS: is not valid JSON at line 1, column 2" in messages
    # the parser's own message is not repeated (it may quote the input)
    assert not any("Expecting" in m for m in messages)
    # both sources are broken, none defines a connection: the defaults still load
    assert list(result.connections) == DEFAULT_NAMES


# ------------------------------------------------------------------------------------------ errors


def test_invalid_entries_dropped_individually_with_pointer(tmp_path):
    path = _write(
        tmp_path / ".config/radlab/connections.json",
        {
            "connections": [
                drill("ok1"),
                {"name": "noproto", "kind": "files"},
                drill("badurl", "ftp://drill"),
                {"name": "bad name!", "kind": "livy", "url": "http://l"},
                drill("ok2", timeoutMs=5),
                drill("badauth", auth={"type": "basic"}),
                drill("extra", colour="red"),
                {"name": "k8s", "kind": "kubernetes"},
                {"name": "posix", "kind": "files", "protocol": "posix"},
                drill("ok3"),
            ]
        },
    )
    result = load_connections(env={}, home=str(tmp_path))
    assert list(result.connections) == ["ok1", "ok3"]
    by_pointer = {p.pointer: p for p in result.problems}
    assert set(by_pointer) == {
        "/connections/1/protocol",
        "/connections/2/url",
        "/connections/3/name",
        "/connections/4/timeoutMs",
        "/connections/5/auth/username",
        "/connections/6/colour",
        "/connections/7",
        "/connections/8/root",
    }
    for err in result.errors:
        assert err["code"] == "config"
        assert err["service"] == "radlab"
        assert err["message"].startswith(str(path) + ": ")
        assert err["hint"]
        assert set(err) <= {"code", "service", "message", "hint", "status", "connection"}
    url_err = by_pointer["/connections/2/url"]
    assert url_err.message.startswith(f"{path}: /connections/2/url must match pattern")
    assert "ftp://drill" not in url_err.message  # values are not echoed (they may be secrets)
    assert "http(s)://" in url_err.to_json()["hint"]
    assert url_err.connection == "badurl"
    assert by_pointer["/connections/6/colour"].detail == "is not a known field"
    assert by_pointer["/connections/7"].detail == "needs one of url, kubeconfig, context, inCluster"
    assert by_pointer["/connections/8/root"].detail == "is required"
    assert "protocol posix" in by_pointer["/connections/8/root"].to_json()["hint"]


def test_duplicate_names_are_errors(tmp_path):
    result = load_connections(
        [drill("a"), drill("b"), drill("a", "http://other")], env={}, home=str(tmp_path)
    )
    assert list(result.connections) == ["a", "b"]
    assert result.connections["a"].url == "http://drill:8047"
    assert len(result.errors) == 1
    err = result.errors[0]
    assert "duplicate" in err["message"] and ": /2/name " in err["message"]
    assert err["message"].startswith("c.Radlab.connections: ")


def test_secret_values_never_in_validation_errors(tmp_path):
    result = load_connections(
        [drill("p", auth={"type": "basic", "username": "u", "password": 987654321})],
        env={},
        home=str(tmp_path),
    )
    assert "987654321" not in json.dumps(result.errors)
    assert ": /0/auth/password must be string" in result.errors[0]["message"]


def test_repr_of_a_connection_holds_no_secret(tmp_path):
    # a Connection may end up in a log line or a traceback's locals
    result = load_connections(
        [
            drill("b", auth={"type": "basic", "username": "u", "password": "repr-secret-pw"}),
            drill("t", auth={"type": "bearer", "token": "repr-secret-token"}),
        ],
        env={},
        home=str(tmp_path),
    )
    text = repr(list(result.connections.values()))
    assert "repr-secret" not in text
    assert base64.b64encode(b"u:repr-secret-pw").decode() not in text  # the Authorization header


def test_unknown_auth_type_and_wrong_branch_fields(tmp_path):
    result = load_connections(
        [
            drill("a", auth={"type": "oauth"}),
            drill("b", auth={"type": "basic", "username": "u", "tokenEnv": "X"}),
        ],
        env={},
        home=str(tmp_path),
    )
    pointers = {p.pointer: p.detail for p in result.problems}
    assert pointers == {
        "/0/auth/type": "must be one of none, basic, bearer, hdfsUser",
        "/1/auth/tokenEnv": "is not a known field",
    }


# ------------------------------------------------------------------------------------------ secrets


def test_basic_password_env_and_public_view(tmp_path):
    env = {"DRILL_PW": "hunter2-very-secret"}
    result = load_connections(
        [
            drill(
                "d",
                auth={"type": "basic", "username": "me", "passwordEnv": "DRILL_PW"},
                description="Drill",
            )
        ],
        env=env,
        home=str(tmp_path),
    )
    conn = result.connections["d"]
    expected = base64.b64encode(b"me:hunter2-very-secret").decode()
    assert conn.headers["Authorization"] == f"Basic {expected}"
    view = public_view(conn)
    assert view == {
        "name": "d",
        "kind": "drill",
        "description": "Drill",
        "url": "http://drill:8047",
        "timeoutMs": 10000,
        "auth": {"type": "basic", "username": "me", "hasSecret": True},
        "source": "jupyter",
    }
    dumped = json.dumps(result.public())
    assert "hunter2" not in dumped and expected not in dumped and "DRILL_PW" not in dumped


def test_missing_password_env_is_an_error(tmp_path):
    result = load_connections(
        [drill("d", auth={"type": "basic", "username": "me", "passwordEnv": "NOT_SET_ANYWHERE"})],
        env={},
        home=str(tmp_path),
    )
    # listed (the lab shows it down with the hint, as VS Code and the CLI do), not dropped
    assert result.errors == []
    conn = result.connections["d"]
    assert conn.headers == {} and conn.secrets == []
    problem = conn.problem
    assert problem["code"] == "config" and problem["service"] == "drill"
    assert "NOT_SET_ANYWHERE is not set" in problem["message"]
    assert ": /0/auth/passwordEnv " in problem["message"]
    assert problem["hint"] == "Export NOT_SET_ANYWHERE in the environment of the Jupyter server."
    assert problem["connection"] == "d"
    assert result.public()["connections"][0]["problem"] == problem


def test_bearer_token_sources(tmp_path):
    tok = tmp_path / "tok"
    tok.write_text("file-token-abcdef\n")
    result = load_connections(
        [
            drill("inline", auth={"type": "bearer", "token": "inline-token-123"}),
            drill("env", auth={"type": "bearer", "tokenEnv": "TOK"}),
            drill("file", auth={"type": "bearer", "tokenFile": str(tok)}),
            drill("nofile", auth={"type": "bearer", "tokenFile": str(tmp_path / "missing")}),
            drill("nothing", auth={"type": "bearer"}),
            {
                "name": "hdfs",
                "kind": "files",
                "protocol": "webhdfs",
                "url": "http://nn:9870",
                "auth": {"type": "hdfsUser", "user": "bob"},
            },
        ],
        env={"TOK": "env-token-456789"},
        home=str(tmp_path),
    )
    c = result.connections
    assert c["inline"].headers["Authorization"] == "Bearer inline-token-123"
    assert c["env"].headers["Authorization"] == "Bearer env-token-456789"
    assert c["file"].headers["Authorization"] == "Bearer file-token-abcdef"
    assert c["hdfs"].query == {"user.name": "bob"}
    assert public_view(c["hdfs"])["auth"] == {"type": "hdfsUser", "user": "bob", "hasSecret": False}
    assert public_view(c["file"])["auth"] == {"type": "bearer", "hasSecret": True}
    assert {n for n in c if c[n].problem is None} == {"inline", "env", "file", "hdfs"}
    messages = " ".join(_errors(result))
    assert ": /3/auth/tokenFile " in messages and ": /4/auth " in messages
    dumped = json.dumps(result.public())
    for secret in ("inline-token-123", "env-token-456789", "file-token-abcdef"):
        assert secret not in dumped
        assert redact(f"oops {secret} leaked") == "oops *** leaked"


def test_public_view_of_posix_files(tmp_path):
    result = load_connections(
        [
            {
                "name": "mapr",
                "kind": "files",
                "protocol": "posix",
                "root": "/mapr/c1",
                "timeoutMs": 2000,
            }
        ],
        env={},
        home=str(tmp_path),
    )
    assert public_view(result.connections["mapr"]) == {
        "name": "mapr",
        "kind": "files",
        "protocol": "posix",
        "root": "/mapr/c1",
        "timeoutMs": 2000,
        "auth": {"type": "none", "hasSecret": False},
        "source": "jupyter",
    }


def test_world_readable_file_with_inline_secret_warns(tmp_path, caplog):
    path = _write(
        tmp_path / ".config/radlab/connections.json",
        {
            "connections": [
                drill("d", auth={"type": "basic", "username": "u", "password": "pw-in-file-123"})
            ]
        },
        mode=0o644,
    )
    with caplog.at_level(logging.WARNING, logger="radlab"):
        result = load_connections(env={}, home=str(tmp_path))
    assert "d" in result.connections
    warnings = [
        r.getMessage() for r in caplog.records if "readable by group/others" in r.getMessage()
    ]
    assert warnings and str(path) in warnings[0]
    assert "pw-in-file-123" not in caplog.text
    caplog.clear()
    path.chmod(0o600)
    os.utime(path, (1, 1))
    with caplog.at_level(logging.WARNING, logger="radlab"):
        load_connections(env={}, home=str(tmp_path))
    assert "readable by group/others" not in caplog.text


# ------------------------------------------------------------------------------------------ redact


def test_redact_patterns():
    register_secret("registered-secret-xyz")
    assert redact("http://user:pass@host:1/x") == "http://***@host:1/x"
    assert "abc123" not in redact("Authorization: Bearer abc123")
    assert "s3cr3t" not in redact("GET /x?op=OPEN&token=s3cr3t&a=1")
    assert "s3cr3t" not in redact('{"password": "s3cr3t"}')
    assert redact("value registered-secret-xyz here") == "value *** here"
    assert redact(None) == ""


# ------------------------------------------------------------------------------------------ kubernetes


def _kubeconfig(
    tmp_path, users, current="dev", server="https://k8s.example:6443", extra_cluster=None
):
    cluster = {"server": server, **(extra_cluster or {})}
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": current,
        "clusters": [{"name": "c1", "cluster": cluster}],
        "contexts": [{"name": name, "context": {"cluster": "c1", "user": name}} for name in users],
        "users": [{"name": name, "user": user} for name, user in users.items()],
    }
    import yaml

    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(doc))
    path.chmod(0o600)
    return path


def test_kubeconfig_token_and_context(tmp_path):
    path = _kubeconfig(
        tmp_path,
        {"dev": {"token": "kube-token-dev-123"}, "prod": {"token": "kube-token-prod-456"}},
        server="http://127.0.0.1:8001",
    )
    result = load_connections(
        [
            {"name": "k-default", "kind": "kubernetes", "kubeconfig": str(path)},
            {"name": "k-prod", "kind": "kubernetes", "kubeconfig": str(path), "context": "prod"},
            {"name": "k-nope", "kind": "kubernetes", "kubeconfig": str(path), "context": "nope"},
        ],
        env={},
        home=str(tmp_path),
    )
    c = result.connections
    assert c["k-default"].headers["Authorization"] == "Bearer kube-token-dev-123"
    assert c["k-prod"].headers["Authorization"] == "Bearer kube-token-prod-456"
    view = public_view(c["k-prod"])
    assert view["url"] == "http://127.0.0.1:8001"
    assert view["context"] == "prod"
    assert view["auth"] == {"type": "bearer", "hasSecret": True}
    assert "kube-token" not in json.dumps(result.public())
    assert "context 'nope' not found" in _problems(result)[0]["message"]
    assert ": /2/context " in _problems(result)[0]["message"]


def test_kubeconfig_default_path(tmp_path):
    (tmp_path / ".kube").mkdir()
    path = _kubeconfig(tmp_path, {"dev": {"token": "tok-default-path"}}, server="http://k:1")
    path.rename(tmp_path / ".kube" / "config")
    result = load_connections(
        [{"name": "k", "kind": "kubernetes", "context": "dev"}], env={}, home=str(tmp_path)
    )
    assert result.connections["k"].url == "http://k:1"


def test_kubeconfig_exec_user_is_not_supported(tmp_path):
    path = _kubeconfig(
        tmp_path, {"dev": {"exec": {"command": "aws", "args": ["eks", "get-token"]}}}
    )
    result = load_connections(
        [{"name": "k", "kind": "kubernetes", "kubeconfig": str(path)}], env={}, home=str(tmp_path)
    )
    assert all(c.problem for c in result.connections.values())
    err = _problems(result)[0]
    assert err["code"] == "config"
    assert "not support" in err["message"] and "exec" in err["message"]
    assert "token" in err["hint"]


def test_kubeconfig_client_cert_data_goes_to_private_files(tmp_path):
    cert = b"-----BEGIN CERTIFICATE-----\nnot-a-real-cert\n-----END CERTIFICATE-----\n"
    key = b"-----BEGIN PRIVATE KEY-----\nnot-a-real-key-material\n-----END PRIVATE KEY-----\n"
    path = _kubeconfig(
        tmp_path,
        {
            "dev": {
                "client-certificate-data": base64.b64encode(cert).decode(),
                "client-key-data": base64.b64encode(key).decode(),
            }
        },
        server="http://127.0.0.1:8001",  # http: the TLS material is not loaded
    )
    res = kube.resolve_kubeconfig({"kubeconfig": str(path)}, {}, str(tmp_path))
    for f, content in ((res.client_cert_file, cert), (res.client_key_file, key)):
        assert Path(f).read_bytes() == content
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(f)).st_mode) == 0o700
    result = load_connections(
        [{"name": "k", "kind": "kubernetes", "kubeconfig": str(path)}], env={}, home=str(tmp_path)
    )
    assert public_view(result.connections["k"])["auth"] == {"type": "clientCert", "hasSecret": True}
    assert "not-a-real-key-material" not in redact(key.decode())


def test_kubeconfig_bad_tls_material_is_a_config_error(tmp_path):
    path = _kubeconfig(
        tmp_path,
        {"dev": {"token": "t-123456"}},
        extra_cluster={"certificate-authority-data": base64.b64encode(b"garbage").decode()},
    )
    result = load_connections(
        [{"name": "k", "kind": "kubernetes", "kubeconfig": str(path)}], env={}, home=str(tmp_path)
    )
    assert all(c.problem for c in result.connections.values())
    assert "TLS" in _problems(result)[0]["message"]


def test_kubeconfig_missing(tmp_path):
    result = load_connections(
        [{"name": "k", "kind": "kubernetes", "kubeconfig": str(tmp_path / "none")}],
        env={},
        home=str(tmp_path),
    )
    assert "cannot read kubeconfig" in _problems(result)[0]["message"]
    assert ": /0/kubeconfig " in _problems(result)[0]["message"]


def test_in_cluster(tmp_path, monkeypatch):
    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text("sa-token-abcdef\n")
    monkeypatch.setattr(kube, "SERVICE_ACCOUNT_DIR", str(sa))
    conn = [{"name": "k", "kind": "kubernetes", "inCluster": True}]
    result = load_connections(
        conn,
        env={"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"},
        home=str(tmp_path),
    )
    k = result.connections["k"]
    assert k.url == "https://10.0.0.1:443"
    assert k.headers["Authorization"] == "Bearer sa-token-abcdef"
    outside = load_connections(conn, env={}, home=str(tmp_path))
    assert "KUBERNETES_SERVICE_HOST is not set" in _problems(outside)[0]["message"]


def test_kubernetes_plain_url_with_token(tmp_path):
    result = load_connections(
        [
            {
                "name": "k",
                "kind": "kubernetes",
                "url": "http://127.0.0.1:8001",
                "auth": {"type": "bearer", "token": "plain-token-1"},
            }
        ],
        env={},
        home=str(tmp_path),
    )
    assert result.connections["k"].headers["Authorization"] == "Bearer plain-token-1"


# ------------------------------------------------------------------------------------------ store


def test_store_reloads_when_the_file_changes(tmp_path):
    path = _write(tmp_path / "c.json", {"connections": [drill("one")]})
    store = ConnectionStore(env={"RADLAB_CONFIG": str(path)}, home=str(tmp_path), ttl=3600)
    assert list(store.load().connections) == ["one"]
    first = store.load()
    assert store.load() is first  # cached
    _write(path, {"connections": [drill("one"), drill("two")]})
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    assert list(store.load().connections) == ["one", "two"]


def test_store_reads_jupyter_value_lazily(tmp_path):
    value = [drill("a")]
    store = ConnectionStore(lambda: value, env={}, home=str(tmp_path), ttl=3600)
    assert list(store.load().connections) == ["a"]
    value.append(drill("b"))
    assert list(store.load().connections) == ["a", "b"]


# ------------------------------------------------------------------------------------------ shared vectors


# The same source label as packages/core/src/config/validate.test.ts.
VECTOR_SOURCE = "~/.config/radlab/connections.json"


def _vector_params():
    """One test per vector: every file is a JSON array of vectors (README.md there)."""
    params = []
    for path in VECTORS:
        try:
            vectors = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as e:
            vectors = e
        if not isinstance(vectors, list):
            params.append(pytest.param(path, None, id=f"{path.stem}-unreadable"))
            continue
        for i, vector in enumerate(vectors):
            name = vector.get("name", "") if isinstance(vector, dict) else ""
            slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
            params.append(pytest.param(path, vector, id=f"{path.stem}-{i}-{slug}"))
    return params


def test_shared_config_vectors_exist():
    assert len(VECTORS) >= 3
    assert len(_vector_params()) > len(VECTORS)


@pytest.mark.skipif(not VECTORS, reason="no shared/test-vectors/config/*.json yet")
@pytest.mark.parametrize(("vector_path", "vector"), _vector_params())
def test_shared_config_vectors(vector_path, vector):
    assert isinstance(vector, dict), f"{vector_path} must be a JSON array of vector objects"
    assert ("input" in vector) != ("text" in vector), "a vector has `input` or `text`"
    if "text" in vector:
        names, problems = check_text(vector["text"], label=VECTOR_SOURCE)
    else:
        names, problems = check_document(vector["input"], label=VECTOR_SOURCE)
    errors = [p.to_json() for p in problems]
    messages = [e["message"] for e in errors]

    assert names == vector["valid"], messages
    expected = vector["errors"]
    assert len(errors) == len(expected), messages
    for exp, problem, err in zip(expected, problems, errors):
        assert err["code"] == "config" and err["service"] == "radlab"
        assert err["message"].startswith(f"{VECTOR_SOURCE}:"), err["message"]
        assert problem.pointer == exp["pointer"], messages
        if exp["pointer"]:
            assert f": {exp['pointer']} " in err["message"], messages
        assert exp["messageIncludes"] in err["message"], messages
        assert len(err["hint"]) > 10
    for secret in vector.get("messageExcludes", []):
        for err in errors:
            assert secret not in json.dumps(err), err
