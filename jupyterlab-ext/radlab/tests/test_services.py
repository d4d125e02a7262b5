"""Upstream adapters by kind (radlab.services); Drill's FORM login rules, written once for the
proxy and the kernel's DrillClient (both tested end to end in test_drill_auth.py)."""

from __future__ import annotations

from radlab.services import Upstream, adapter_for
from radlab.services.drill import DrillUpstream, form_login_request, form_login_session


def test_adapters_by_kind():
    assert isinstance(adapter_for("drill"), DrillUpstream)
    for kind in ("livy", "files", "kubernetes", "prometheus", "nosuch"):
        assert type(adapter_for(kind)) is Upstream


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
