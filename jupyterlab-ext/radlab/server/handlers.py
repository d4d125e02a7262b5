"""Tornado handlers: the connections list and the posix file stat. The proxy is in radlab.server.proxy.

Every error answer is the RadlabErrorJSON `{code, service, message, hint, status}` with the header
`X-Radlab-Error: 1`, so that @radlab/core maps it back to a RadlabError.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import stat as statmod
from typing import Any

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado import web

from ..config import Connection, ConnectionStore
from ..errors import DEFAULT_HINTS, RadlabHTTPError, code_for_status, error_json
from ..redact import redact

AUTH_RESOURCE = "radlab"

_ACTIONS = {"GET": "read", "HEAD": "read", "OPTIONS": "read"}


class RadlabMixin:
    """Shared by every Radlab handler: the store, JSON errors, authorization."""

    auth_resource = AUTH_RESOURCE

    @property
    def store(self) -> ConnectionStore:
        store: ConnectionStore = self.settings["radlab_store"]  # type: ignore[attr-defined]
        return store

    def send_radlab_error(self, status: int, body: dict[str, Any]) -> None:
        """Answers with a RadlabErrorJSON (only when nothing was sent yet)."""
        handler: JupyterHandler = self  # type: ignore[assignment]
        if handler._finished:
            return
        if handler._headers_written:
            # the response is already under way: all we can do is cut it short
            handler.request.connection.close()  # type: ignore[union-attr]
            return
        handler.clear()
        handler.set_status(status)
        handler.set_header("Content-Type", "application/json")
        handler.set_header("X-Radlab-Error", "1")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(json.dumps(body))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, RadlabHTTPError):
            self.send_radlab_error(exc.status, exc.body)
            return
        if isinstance(exc, web.HTTPError):
            code = code_for_status(status_code)
            message = exc.log_message or exc.reason or self._reason  # type: ignore[attr-defined]
            if exc.log_message and exc.args[1:]:
                try:
                    message = exc.log_message % exc.args[1:]
                except (TypeError, ValueError):
                    pass
            if status_code == 403 and not message:
                message = "forbidden"
            hint = DEFAULT_HINTS[code]
            if status_code == 403 and self.request.method not in ("GET", "HEAD", "OPTIONS"):  # type: ignore[attr-defined]
                hint = (
                    "Jupyter refused the request: send the X-XSRFToken header (the _xsrf cookie) "
                    "or authenticate with a token."
                )
            body = error_json(code, "radlab", str(message), hint, status_code)
        else:
            body = error_json(
                "server",
                "radlab",
                "internal error in the Radlab server extension",
                "See the Jupyter server log.",
                status_code,
            )
        self.send_radlab_error(status_code, body)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """A refusal is an answer, not a crash: one line (INFO for 4xx, WARNING for 5xx), no
        traceback. Anything else is logged by Jupyter as before."""
        if isinstance(value, RadlabHTTPError):
            handler: JupyterHandler = self  # type: ignore[assignment]
            level = logging.WARNING if value.status >= 500 else logging.INFO
            handler.log.log(
                level,
                redact(
                    f"Radlab {handler.request.method} {handler.request.path}: "
                    f"{value.status} {value.body['code']}: {value.body['message']}"
                ),
            )
            return
        super().log_exception(typ, value, tb)  # type: ignore[misc]

    async def check_radlab_authorized(self) -> None:
        """The `@authorized` check done by hand (the proxy must do it before the body streams)."""
        handler: JupyterHandler = self  # type: ignore[assignment]
        user = handler.current_user
        if not user:
            raise web.HTTPError(403)
        action = _ACTIONS.get(handler.request.method or "GET", "write")
        allowed = handler.authorizer.is_authorized(handler, user, action, self.auth_resource)
        if inspect.isawaitable(allowed):
            allowed = await allowed
        if not allowed:
            raise web.HTTPError(403, "user is not authorized to use Radlab connections")

    def connection_or_404(self, name: str) -> Connection:
        conn = self.store.get(name)
        if conn is None:
            raise RadlabHTTPError(
                404,
                "notFound",
                f"no connection named {name!r}",
                hint="Check the connection name; GET radlab/api/connections lists them.",
                connection=name,
            )
        return conn


class ConnectionsHandler(RadlabMixin, APIHandler):
    """GET {base_url}radlab/api/connections → {connections: PublicConnection[], errors: [...]}."""

    @web.authenticated
    async def get(self) -> None:
        await self.check_radlab_authorized()
        result = self.store.load(force=True)
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(result.public()))


def _stat_inside(root: str, rel: str) -> tuple[str, os.stat_result]:
    root_real = os.path.realpath(root)
    if not os.path.isdir(root_real):
        raise FileNotFoundError(root)
    target = os.path.realpath(os.path.join(root_real, rel.lstrip("/")))
    if os.path.commonpath([root_real, target]) != root_real:
        raise PermissionError(rel)
    st = os.stat(target)
    shown = "/" + os.path.relpath(target, root_real).replace(os.sep, "/")
    return ("/" if shown == "/." else shown), st


class FileStatHandler(RadlabMixin, APIHandler):
    """GET {base_url}radlab/api/connections/<name>/stat?path=/ for files connections over posix.

    Answers `{path, type: 'file'|'directory', size, mtime}`; `mtime` is in milliseconds since the
    epoch (like WebHDFS's modificationTime and JavaScript's Date)."""

    @web.authenticated
    async def get(self, name: str) -> None:
        await self.check_radlab_authorized()
        conn = self.connection_or_404(name)
        if conn.kind != "files" or conn.config.get("protocol") != "posix":
            raise RadlabHTTPError(
                400,
                "badRequest",
                f"connection {name!r} is not a files connection with protocol posix",
                hint="Use the proxy (radlab/proxy/<name>/...) for HTTP services.",
                connection=name,
            )
        rel = self.get_argument("path", "/")
        if "\x00" in rel:
            raise RadlabHTTPError(400, "badRequest", "invalid path", connection=name)
        root = str(conn.config["root"])
        loop = asyncio.get_running_loop()
        try:
            shown, st = await asyncio.wait_for(
                loop.run_in_executor(None, _stat_inside, root, rel), conn.timeout_ms / 1000
            )
        except asyncio.TimeoutError as e:
            raise RadlabHTTPError(
                504,
                "timeout",
                f"stat of {rel} under {root} did not return in {conn.timeout_ms} ms",
                service="files",
                hint="The file system (MapR FUSE/NFS mount?) is not answering. Check the mount.",
                connection=name,
            ) from e
        except PermissionError as e:
            if e.filename is None and e.args == (rel,):
                raise RadlabHTTPError(
                    403,
                    "forbidden",
                    f"path {rel} is outside the root of connection {name!r}",
                    service="files",
                    hint="Paths are relative to the connection's root; .. and symlinks may not leave it.",
                    connection=name,
                ) from e
            raise RadlabHTTPError(
                403,
                "forbidden",
                f"permission denied: {rel}",
                service="files",
                connection=name,
            ) from e
        except FileNotFoundError as e:
            root_missing = e.args == (root,)
            raise RadlabHTTPError(
                404,
                "notFound",
                f"root {root} does not exist or is not a directory"
                if root_missing
                else f"{rel} does not exist under {root}",
                service="files",
                hint="Is the file system mounted on the Jupyter server?"
                if root_missing
                else DEFAULT_HINTS["notFound"],
                connection=name,
            ) from e
        except OSError as e:
            raise RadlabHTTPError(
                502,
                "unreachable",
                f"stat of {rel} under {root} failed: {redact(e.strerror or e)}",
                service="files",
                connection=name,
            ) from e
        self.set_header("Cache-Control", "no-store")
        self.finish(
            json.dumps(
                {
                    "path": shown,
                    "type": "directory" if statmod.S_ISDIR(st.st_mode) else "file",
                    "size": st.st_size,
                    "mtime": int(st.st_mtime * 1000),
                }
            )
        )


class NotFoundHandler(RadlabMixin, JupyterHandler):
    """Anything else under radlab/: a JSON 404 rather than Jupyter's HTML page."""

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        raise RadlabHTTPError(404, "notFound", f"no such Radlab endpoint: {self.request.path}")


__all__ = [
    "ConnectionsHandler",
    "FileStatHandler",
    "NotFoundHandler",
    "RadlabMixin",
]
