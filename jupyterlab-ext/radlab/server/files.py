"""The Jupyter server's own files for the imaging viewer, without the contents API's base64 round trip.

- `GET|HEAD {base_url}radlab/api/contents-bytes?path=<contents path>`: the file's bytes, streamed in chunks,
  with a single `Range` (206 + Content-Range, 416 when unsatisfiable), `ETag`/`Last-Modified`,
  `If-None-Match`/`If-Modified-Since` (304) and `If-Range`.
- `GET {base_url}radlab/api/contents-list?path=<contents path of a folder>`:
  `{path, files: [{name, size, mtime}], truncated}`: the folder's regular files (a DICOM series).

Paths are contents-API paths, relative to the server's `root_dir`. Refused: NUL, absolute paths, `..`,
symlinks that resolve outside the root, and hidden files unless the contents manager allows them (404,
as the contents API answers). Authorization uses Jupyter's `contents` resource, like `/files/`.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import os
import re
import stat as statmod
from dataclasses import dataclass
from typing import Any

from jupyter_core.paths import is_hidden
from jupyter_server.base.handlers import APIHandler
from tornado import httputil, iostream, web

from ..errors import RadlabHTTPError
from .handlers import RadlabMixin

CHUNK_SIZE = 1 << 20
SMALL_READ = 64 * 1024
LIST_LIMIT = 100_000

_NOT_FOUND_HINT = "Check the path; it is relative to the Jupyter server's root directory."


class PathRefused(Exception):
    """A request path the endpoint will not serve; carries the HTTP answer."""

    def __init__(self, status: int, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.hint = hint

    def http_error(self) -> RadlabHTTPError:
        return RadlabHTTPError(self.status, self.code, str(self), hint=self.hint)


def resolve_inside(root: str, api_path: str, allow_hidden: bool) -> str:
    """The real path of `api_path` under `root`, or PathRefused. Touches the file system."""
    if "\x00" in api_path:
        raise PathRefused(400, "badRequest", "invalid path")
    if api_path.startswith(("/", "\\")) or os.path.isabs(api_path):
        raise PathRefused(
            400,
            "badRequest",
            "absolute paths are refused",
            "Give the path relative to the Jupyter server's root directory.",
        )
    parts = [
        p for p in re.split(r"[/\\]" if os.sep == "\\" else "/", api_path) if p not in ("", ".")
    ]
    if ".." in parts:
        raise PathRefused(400, "badRequest", "'..' is refused in paths")
    root_real = os.path.realpath(root)
    target = os.path.realpath(os.path.join(root_real, *parts))
    if os.path.commonpath([root_real, target]) != root_real:
        raise PathRefused(
            403,
            "forbidden",
            f"{api_path} resolves outside the server's root directory",
            "Symbolic links may not leave the Jupyter server's root directory.",
        )
    if not os.path.exists(target):
        raise PathRefused(404, "notFound", f"{api_path} does not exist", _NOT_FOUND_HINT)
    # both the path as asked and where it leads: a visible link to a hidden folder stays hidden
    if not allow_hidden and (
        is_hidden(os.path.join(root_real, *parts), root_real) or is_hidden(target, root_real)
    ):
        raise PathRefused(404, "notFound", f"{api_path} does not exist", _NOT_FOUND_HINT)
    return target


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """One `bytes=` range as (start, end inclusive); None: serve everything (no, several or invalid
    ranges, which RFC 9110 lets a server ignore); False: unsatisfiable (416)."""
    if not header:
        return None
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:  # suffix: the last n bytes
        n = int(last)
        if n == 0 or size == 0:
            return False
        return max(0, size - n), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return False
    return start, min(end, size - 1)


@dataclass
class Opened:
    fd: int
    size: int
    mtime: float
    etag: str


def _open_regular(path: str, api_path: str) -> Opened:
    # O_NONBLOCK: opening a FIFO must not hang; O_NOFOLLOW: the resolved path was swapped for a link
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as e:
        raise PathRefused(404, "notFound", f"{api_path} does not exist", _NOT_FOUND_HINT) from e
    except PermissionError as e:
        raise PathRefused(403, "forbidden", f"permission denied: {api_path}") from e
    except OSError as e:
        if os.path.isdir(path):
            raise PathRefused(400, "badRequest", f"{api_path} is a folder, not a file") from e
        raise PathRefused(403, "forbidden", f"cannot open {api_path}") from e
    st = os.fstat(fd)
    if not statmod.S_ISREG(st.st_mode):
        os.close(fd)
        kind = "a folder" if statmod.S_ISDIR(st.st_mode) else "not a regular file"
        raise PathRefused(400, "badRequest", f"{api_path} is {kind}")
    with contextlib.suppress(AttributeError, OSError):
        os.set_blocking(fd, True)
    etag = f'"{st.st_size:x}-{st.st_mtime_ns:x}-{st.st_ino:x}"'
    return Opened(fd, st.st_size, st.st_mtime, etag)


def _resolve_and_open(root: str, api_path: str, allow_hidden: bool) -> Opened:
    return _open_regular(resolve_inside(root, api_path, allow_hidden), api_path)


def _read_at(fd: int, offset: int, length: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, length, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, length)


def _list_files(folder: str, root: str, allow_hidden: bool, should_list: Any) -> dict[str, Any]:
    root_real = os.path.realpath(root)
    files: list[dict[str, Any]] = []
    truncated = False
    with os.scandir(folder) as entries:
        for entry in entries:
            if not should_list(entry.name):
                continue
            try:
                real = os.path.realpath(entry.path)
                if os.path.commonpath([root_real, real]) != root_real:
                    continue
                st = os.stat(real)
            except (OSError, ValueError):
                continue
            if not statmod.S_ISREG(st.st_mode):
                continue
            if not allow_hidden and (
                is_hidden(entry.path, root_real) or is_hidden(real, root_real)
            ):
                continue
            if len(files) >= LIST_LIMIT:
                truncated = True
                break
            files.append({"name": entry.name, "size": st.st_size, "mtime": int(st.st_mtime * 1000)})
    files.sort(key=lambda f: f["name"])
    return {"files": files, "truncated": truncated}


class _FilesBase(RadlabMixin, APIHandler):
    # reading the server's files is what the contents API authorizes, not the Radlab connections
    auth_resource = "contents"

    def compute_etag(self) -> str | None:
        return None  # set by hand from size and mtime; hashing a streamed body is not possible

    async def _authorize(self) -> None:
        await self.check_radlab_authorized()
        # like /files/: the request must come from the same site (token auth skips the check)
        self.check_xsrf_cookie()

    def _root(self) -> tuple[str, bool]:
        cm = self.contents_manager
        root = getattr(cm, "root_dir", None)
        if not isinstance(root, str) or not os.path.isdir(root):
            raise RadlabHTTPError(
                501,
                "server",
                "the contents manager does not keep files in a local folder",
                hint="radlab/api/contents-bytes and contents-list need Jupyter's (Async)FileContentsManager.",
            )
        return root, bool(getattr(cm, "allow_hidden", False))

    async def _resolve(self, api_path: str) -> str:
        root, allow_hidden = self._root()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, resolve_inside, root, api_path, allow_hidden)
        except PathRefused as e:
            raise e.http_error() from e


class FileBytesHandler(_FilesBase):
    """GET|HEAD radlab/api/contents-bytes?path=...: the bytes of one file, streamed, with Range."""

    def initialize(self) -> None:
        self._gone = False

    def on_connection_close(self) -> None:
        self._gone = True
        super().on_connection_close()

    @web.authenticated
    async def head(self) -> None:
        await self._serve(include_body=False)

    @web.authenticated
    async def get(self) -> None:
        await self._serve(include_body=True)

    def _not_modified(self, opened: Opened) -> bool:
        inm = self.request.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or opened.etag in tags
        since = _http_date(self.request.headers.get("If-Modified-Since"))
        return since is not None and int(opened.mtime) <= since

    def _range_applies(self, opened: Opened) -> bool:
        if_range = self.request.headers.get("If-Range")
        if not if_range:
            return True
        if_range = if_range.strip()
        if if_range.startswith(('"', "W/")):
            return if_range == opened.etag  # strong comparison only
        return if_range == httputil.format_timestamp(opened.mtime)

    async def _serve(self, include_body: bool) -> None:
        await self._authorize()
        api_path = self.get_argument("path", "")
        if not api_path.strip("/"):
            raise RadlabHTTPError(
                400, "badRequest", "give the file as ?path=", hint=_NOT_FOUND_HINT
            )
        root, allow_hidden = self._root()
        loop = asyncio.get_running_loop()
        try:
            # one trip to the thread pool for both: a series' header pass is many small requests
            opened = await loop.run_in_executor(
                None, _resolve_and_open, root, api_path, allow_hidden
            )
        except PathRefused as e:
            raise e.http_error() from e
        try:
            await self._send(opened, include_body)
        finally:
            os.close(opened.fd)

    async def _send(self, opened: Opened, include_body: bool) -> None:
        size = opened.size
        self.set_header("Accept-Ranges", "bytes")
        self.set_header("ETag", opened.etag)
        self.set_header("Last-Modified", httputil.format_timestamp(opened.mtime))
        self.set_header("Cache-Control", "private, no-cache")
        if self._not_modified(opened):
            self.set_status(304)
            self.finish()
            return
        wanted = parse_range(self.request.headers.get("Range"), size)
        if wanted is not None and not self._range_applies(opened):
            wanted = None
        if wanted is False:
            self.set_status(416)
            self.set_header("Content-Range", f"bytes */{size}")
            self.set_header("X-Radlab-Error", "1")
            self.finish(
                json.dumps(
                    {
                        "code": "badRequest",
                        "service": "radlab",
                        "message": f"range not satisfiable (the file has {size} bytes)",
                        "hint": "Ask for a range inside the file.",
                        "status": 416,
                    }
                )
            )
            return
        start, end = (0, size - 1) if wanted is None else wanted  # type: ignore[misc]
        length = max(0, end - start + 1)
        if wanted is not None:
            self.set_status(206)
            self.set_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.set_header("Content-Length", str(length))
        if not include_body or length == 0:
            self.finish(set_content_type="application/octet-stream")
            return
        self.set_header("Content-Type", "application/octet-stream")
        loop = asyncio.get_running_loop()
        offset, remaining = start, length
        while remaining > 0:
            if self._gone:
                return
            size_now = min(CHUNK_SIZE, remaining)
            # a header range (a few KiB) is read here; larger chunks off the event loop
            chunk = (
                _read_at(opened.fd, offset, size_now)
                if size_now <= SMALL_READ
                else await loop.run_in_executor(None, _read_at, opened.fd, offset, size_now)
            )
            if not chunk:
                # the file shrank under us: the promised Content-Length cannot be kept
                self.log.warning("Radlab: %s shrank while being sent", self.get_argument("path"))
                self.request.connection.close()  # type: ignore[union-attr]
                return
            self.write(chunk)
            offset += len(chunk)
            remaining -= len(chunk)
            try:
                await self.flush()  # back-pressure: one chunk in flight at a time
            except iostream.StreamClosedError:
                return
        self.finish(set_content_type="application/octet-stream")


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


class FileListHandler(_FilesBase):
    """GET radlab/api/contents-list?path=<folder>: the folder's regular files, by name."""

    @web.authenticated
    async def get(self) -> None:
        await self._authorize()
        api_path = self.get_argument("path", "")
        root, allow_hidden = self._root()
        real = await self._resolve(api_path) if api_path.strip("/") else os.path.realpath(root)
        if not os.path.isdir(real):
            raise RadlabHTTPError(400, "badRequest", f"{api_path} is not a folder")
        cm = self.contents_manager
        should_list = getattr(cm, "should_list", None) or (lambda _name: True)
        loop = asyncio.get_running_loop()
        try:
            listing = await loop.run_in_executor(
                None, _list_files, real, root, allow_hidden, should_list
            )
        except PermissionError as e:
            raise RadlabHTTPError(403, "forbidden", f"permission denied: {api_path}") from e
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"path": api_path.strip("/"), **listing}))


__all__ = ["FileBytesHandler", "FileListHandler", "parse_range", "resolve_inside"]
