"""Upstream adapters by kind (radlab.services); Drill's FORM login rules, written once for the
proxy and the kernel's DrillClient (both tested end to end in test_drill_auth.py)."""

from __future__ import annotations

from types import SimpleNamespace

from radlab.services import Upstream, adapter_for
from radlab.services.drill import DrillUpstream, form_login_request, form_login_session
from radlab.services.files import FilesUpstream


def test_adapters_by_kind():
    assert isinstance(adapter_for("drill"), DrillUpstream)
    assert isinstance(adapter_for("files"), FilesUpstream)
    for kind in ("livy", "kubernetes", "prometheus", "nosuch"):
        assert type(adapter_for(kind)) is Upstream


def test_files_redirect_bases_are_the_configured_datanodes_only():
    files = adapter_for("files")
    webhdfs = SimpleNamespace(
        config={"protocol": "webhdfs", "dataNodes": ["http://dn1:9864", "https://DN2:9865/"]}
    )
    bases = files.redirect_bases(webhdfs)  # type: ignore[arg-type]
    assert [(b.scheme, b.host, b.port, b.raw_path) for b in bases] == [
        ("http", "dn1", 9864, "/webhdfs/v1"),
        ("https", "dn2", 9865, "/webhdfs/v1"),
    ]
    assert files.redirect_bases(SimpleNamespace(config={"protocol": "webhdfs"})) == ()  # type: ignore[arg-type]
    httpfs = SimpleNamespace(config={"protocol": "httpfs", "dataNodes": ["http://dn1:9864"]})
    assert files.redirect_bases(httpfs) == ()  # type: ignore[arg-type]


def test_form_login_request_and_answers():
    login = form_login_request("ana", "p&w=1", {"Authorization": "Basic x", "X-Kept": "1"})
    assert login.path == "/j_security_check"
    assert login.body == "j_username=ana&j_password=p%26w%3D1"
    assert dict(login.headers) == {
        "X-Kept": "1",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    good = ["Drill-Session-Id=abc123; Path=/; HttpOnly"]
    assert form_login_session(303, "/", good) == "Drill-Session-Id=abc123"
    assert form_login_session(200, None, good) is None  # the login form again: wrong password
    assert form_login_session(303, "/login?error", good) is None
    assert form_login_session(303, "/", []) is None
    drill = adapter_for("drill")
    assert drill.wants_login(401, None)
    assert drill.wants_login(302, "http://d:8047/mainLogin")
    assert not drill.wants_login(302, "http://d:8047/query")
