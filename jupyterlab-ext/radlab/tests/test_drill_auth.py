"""BASIC and FORM auth against a real, authenticated Drill 1.22 (the drill-auth instance of
scripts/services/drill: RADLAB_DRILL_AUTH=1, one user, FORM and BASIC, impersonation on), for the
%%drill client and for the Jupyter proxy (which logs in server-side for `drillAuth: "form"`)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from radlab.config import ConnectionStore
from radlab.kernel.drill_client import DrillClient, DrillError

from .conftest import answers_200

REPO = Path(__file__).resolve().parents[3]
PORT = os.environ.get("RADLAB_DRILL_AUTH_PORT", "8048")
URL = f"http://127.0.0.1:{PORT}"
USER = os.environ.get("RADLAB_DRILL_AUTH_USER", "analyst")
WRONG = "not-the-password-7f3a"
SQL = "SELECT session_user AS u, 1 AS one FROM (VALUES(1))"
# captured before the autouse fixture points HOME at a temporary directory
_ENV = dict(os.environ)


def _answers() -> bool:
    return answers_200(URL + "/status")


@pytest.fixture(scope="session")
def drill_auth() -> str:
    """The password of the running drill-auth instance; started with the service script if needed."""
    state = Path(_ENV.get("RADLAB_STATE") or REPO / ".radlab")
    if not _answers():
        missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
        if missing:
            pytest.skip(
                f"the drill-auth instance is not running and {', '.join(missing)} is missing"
            )
        script = REPO / "scripts" / "services" / "drill"
        env = {**_ENV, "RADLAB_DRILL_AUTH": "1", "RADLAB_DRILL_PORT": PORT}
        subprocess.run([str(script), "start"], check=True, timeout=900, env=env)
    assert _answers(), f"drill-auth does not answer on {URL}"
    return _ENV.get("RADLAB_DRILL_AUTH_PASSWORD") or (state / "drill-auth" / "password").read_text()


def _basic(password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{USER}:{password}".encode()).decode()}


def _assert_auth_failure(e: DrillError, secret: str) -> None:
    assert e.code == "auth"
    assert "authentication failed" in str(e)
    assert secret not in json.dumps(vars(e), default=str) + str(e) + repr(e)


# ------------------------------------------------------------------------------------ client


def test_no_credentials_is_an_auth_error(drill_auth):
    with pytest.raises(DrillError) as info:
        DrillClient(URL, connection="auth").query(SQL)
    _assert_auth_failure(info.value, drill_auth)


def test_basic_right_and_wrong_password(drill_auth):
    client = DrillClient(URL, connection="auth", headers=_basic(drill_auth))
    assert client.query(SQL).rows == [[USER, 1]]
    assert client.profiles()["finished"]
    with pytest.raises(DrillError) as info:
        DrillClient(URL, connection="auth", headers=_basic(WRONG)).query(SQL)
    _assert_auth_failure(info.value, WRONG)


def test_form_login_session_and_renewal(drill_auth):
    client = DrillClient(URL, connection="auth", form_login=(USER, drill_auth))
    assert client.query(SQL).rows == [[USER, 1]]
    session = client._session
    assert session and session.startswith("Drill-Session-Id=")
    assert client.profiles()["finished"]
    assert client._session == session
    # a session Drill does not know: what an expired one (or a Drill restart) looks like
    client._session = "Drill-Session-Id=node0expired.node0"
    assert client.query(SQL).rows == [[USER, 1]]
    assert client._session not in (None, session, "Drill-Session-Id=node0expired.node0")


def test_form_wrong_password(drill_auth):
    with pytest.raises(DrillError) as info:
        DrillClient(URL, connection="auth", form_login=(USER, WRONG)).query(SQL)
    _assert_auth_failure(info.value, WRONG)


def test_from_connection_with_drill_auth_form(drill_auth):
    entry = {
        "name": "drill-form",
        "kind": "drill",
        "url": URL,
        "drillAuth": "form",
        "auth": {"type": "basic", "username": USER, "passwordEnv": "RADLAB_TEST_DRILL_PW"},
    }
    store = ConnectionStore(
        None,
        env={"RADLAB_CONNECTIONS": json.dumps([entry]), "RADLAB_TEST_DRILL_PW": drill_auth},
        home="/nonexistent",
    )
    result = store.load()
    assert not result.errors, result.errors
    conn = result.connections["drill-form"]
    assert conn.drill_auth == "form"
    assert "password=" not in repr(conn)
    client = DrillClient.from_connection(conn)
    assert "Authorization" not in client.headers
    assert client.query(SQL).rows == [[USER, 1]]
    assert client._session


def test_drill_auth_form_needs_basic_auth():
    entry = {"name": "d", "kind": "drill", "url": URL, "drillAuth": "form"}
    result = ConnectionStore(
        None, env={"RADLAB_CONNECTIONS": json.dumps([entry])}, home="/nonexistent"
    ).load()
    assert not result.connections
    assert result.errors


# ------------------------------------------------------------------------------------ proxy


@pytest.fixture
def radlab_connections(drill_auth, monkeypatch):
    monkeypatch.setenv("RADLAB_TEST_DRILL_PW", drill_auth)
    monkeypatch.setenv("RADLAB_TEST_DRILL_WRONG", WRONG)
    auth = {"type": "basic", "username": USER, "passwordEnv": "RADLAB_TEST_DRILL_PW"}
    return [
        {"name": "dform", "kind": "drill", "url": URL, "drillAuth": "form", "auth": auth},
        {"name": "dbasic", "kind": "drill", "url": URL, "auth": auth},
        {
            "name": "dwrong",
            "kind": "drill",
            "url": URL,
            "drillAuth": "form",
            "auth": {**auth, "passwordEnv": "RADLAB_TEST_DRILL_WRONG"},
        },
    ]


@pytest.fixture
def fetch(http_server_client, jp_auth_header, jp_base_url):
    def _fetch(path, **kwargs):
        kwargs.setdefault("raise_error", False)
        kwargs.setdefault("follow_redirects", False)
        kwargs.setdefault("request_timeout", 60)
        headers = {**jp_auth_header, "Content-Type": "application/json"}
        return http_server_client.fetch(jp_base_url + path, headers=headers, **kwargs)

    return _fetch


def _query_body() -> str:
    return json.dumps({"queryType": "SQL", "query": SQL})


async def test_proxy_form_login(fetch, jp_serverapp, drill_auth):
    r = await fetch("radlab/proxy/dform/query.json", method="POST", body=_query_body())
    assert r.code == 200, r.body[:300]
    assert json.loads(r.body)["rows"] == [{"u": USER, "one": 1}]
    assert "Drill-Session-Id" not in ", ".join(r.headers.get_list("Set-Cookie"))
    sessions = jp_serverapp.web_app.settings["radlab_sessions"]
    assert len(sessions) == 1
    session = next(iter(sessions.values()))
    # the kept session serves the next request (GET too)
    r = await fetch("radlab/proxy/dform/storage.json")
    assert r.code == 200
    assert next(iter(sessions.values())) == session
    assert session.partition("=")[2].encode() not in r.body


async def test_proxy_form_session_expiry_logs_in_again(fetch, jp_serverapp, drill_auth):
    r = await fetch("radlab/proxy/dform/query.json", method="POST", body=_query_body())
    assert r.code == 200
    sessions = jp_serverapp.web_app.settings["radlab_sessions"]
    key = next(iter(sessions))
    sessions[key] = "Drill-Session-Id=node0expired.node0"
    r = await fetch("radlab/proxy/dform/query.json", method="POST", body=_query_body())
    assert r.code == 200, r.body[:300]
    assert json.loads(r.body)["rows"] == [{"u": USER, "one": 1}]
    assert sessions[key] != "Drill-Session-Id=node0expired.node0"


async def test_proxy_form_wrong_password(fetch, drill_auth):
    r = await fetch("radlab/proxy/dwrong/query.json", method="POST", body=_query_body())
    assert r.code == 401
    assert r.headers.get("X-Radlab-Error") == "1"
    body = json.loads(r.body)
    assert body["code"] == "auth"
    assert "authentication failed" in body["message"]
    assert WRONG.encode() not in r.body and drill_auth.encode() not in r.body


async def test_proxy_basic_still_works(fetch, drill_auth):
    r = await fetch("radlab/proxy/dbasic/query.json", method="POST", body=_query_body())
    assert r.code == 200, r.body[:300]
    assert json.loads(r.body)["rows"] == [{"u": USER, "one": 1}]
