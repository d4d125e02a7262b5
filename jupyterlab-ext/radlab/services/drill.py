"""Drill as an upstream: its FORM login and how it asks for one, written once for the proxy
(tornado, server side) and the kernel's DrillClient (urllib3).

With `drillAuth: "form"` (basic auth username and password), a client POSTs them to
/j_security_check and sends the session cookie it gets instead of the Authorization header. Drill
answers a good login with a redirect to the page asked for and a new session cookie, a wrong
password with 200 and the login form again; an expired session with 401 or a redirect to its
login page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from . import LoginRequest, Upstream, register

if TYPE_CHECKING:
    from ..config import Connection

LOGIN_PATH = "/j_security_check"
# Drill's session cookie (Jetty's JSESSIONID, renamed by Drill) in Set-Cookie
SESSION_COOKIE = re.compile(r"(?:^|[\s,])(Drill-Session-Id|JSESSIONID)=([^;,\s]+)", re.IGNORECASE)
# where Drill sends an unauthenticated request (its login page) or a failed login
_LOGIN_LOCATION = re.compile(r"/(mainLogin|login|j_security_check)\b|[?&]error\b", re.IGNORECASE)


def is_login_redirect(status: int, location: str | None) -> bool:
    """A redirect to Drill's login page: the request was not authenticated."""
    return 300 <= status < 400 and bool(location) and bool(_LOGIN_LOCATION.search(location or ""))


def session_cookie(set_cookie: str | None) -> str | None:
    """`name=value` of Drill's session cookie in a Set-Cookie header value, if any."""
    m = SESSION_COOKIE.search(set_cookie or "")
    return f"{m.group(1)}={m.group(2)}" if m else None


def form_login_failed(status: int, location: str | None, cookie: str | None) -> bool:
    """A good FORM login redirects (not to the login page) and sets a session cookie."""
    return not (300 <= status < 400) or is_login_redirect(status, location) or not cookie


def form_login_request(
    username: str, password: str, headers: dict[str, str] | None = None
) -> LoginRequest:
    """The POST of Drill's FORM login (the connection's other headers, no Authorization)."""
    sent = {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}
    sent["Content-Type"] = "application/x-www-form-urlencoded"
    return LoginRequest(
        LOGIN_PATH, sent, urlencode({"j_username": username, "j_password": password})
    )


def form_login_session(status: int, location: str | None, set_cookies: Sequence[str]) -> str | None:
    """The session cookie of a FORM login answer, or None when the login failed."""
    cookie = session_cookie(", ".join(set_cookies))
    return None if form_login_failed(status, location, cookie) else cookie


class DrillUpstream(Upstream):
    kind = "drill"
    label = "Drill"
    login_name = "FORM login"

    def uses_session(self, conn: Connection) -> bool:
        return conn.auth_type == "basic" and conn.drill_auth == "form"

    def login_request(self, conn: Connection) -> LoginRequest:
        return form_login_request(conn.username or "", conn.password or "", conn.headers)

    def login_session(
        self, status: int, location: str | None, set_cookies: Sequence[str]
    ) -> str | None:
        return form_login_session(status, location, set_cookies)

    def wants_login(self, status: int, location: str | None) -> bool:
        return status == 401 or is_login_redirect(status, location)


ADAPTER = register(DrillUpstream())
