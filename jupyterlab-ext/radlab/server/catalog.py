"""Harvest into catalog from the lab (issue 17 item 9): the server runs `radlab harvest FOLDER --into
CATALOG --json --progress json` (the CLI, @radlab/imaging's harvest) as a job, so the files are read
where they are and the de-identification key never leaves the server.

    POST   {base_url}radlab/api/catalog/harvest {"path": "<contents path of a folder>"} -> 202 job
    GET    {base_url}radlab/api/catalog/harvest/<id>                                  -> job
    DELETE {base_url}radlab/api/catalog/harvest/<id>    (cancel: SIGTERM; what was read is kept)

A job is `{id, state: running|done|failed|cancelled, progress: {files, total, bytes, totalBytes},
summary?: the CLI's JSON summary, error?: {code, message}}`. The catalog folder is the server's
(`RADLAB_CATALOG_DIR`, else the stack Drill's `RADLAB_DRILL_CATALOG`, else
`$RADLAB_STATE/data/drill/catalog`, else `~/.radlab/catalog`): what `dfs.catalog` reads. The CLI is
`RADLAB_CLI` (a command line), else this checkout's packages/cli/bin/radlab.js run by `node` (an
editable install), else `radlab` on PATH. Nothing the CLI prints beyond its own messages reaches the answer (it names no file).
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..errors import RadlabHTTPError
from .files import _FilesBase

#: finished jobs kept for their answer (the oldest go first)
KEEP_FINISHED = 20


def catalog_dir(env: dict[str, str] | None = None) -> str:
    env = dict(os.environ) if env is None else env
    for name in ("RADLAB_CATALOG_DIR", "RADLAB_DRILL_CATALOG"):
        if env.get(name):
            return env[name]
    if env.get("RADLAB_STATE"):
        return os.path.join(env["RADLAB_STATE"], "data", "drill", "catalog")
    home = env.get("HOME") or os.path.expanduser("~")
    return os.path.join(home, ".radlab", "catalog")


def cli_command(env: dict[str, str] | None = None) -> list[str] | None:
    env = dict(os.environ) if env is None else env
    if env.get("RADLAB_CLI"):
        return shlex.split(env["RADLAB_CLI"])
    # an editable install: jupyterlab-ext/radlab/server/catalog.py -> <repo>/packages/cli/bin/radlab.js
    # (the CLI of the same checkout as this extension, before another one on PATH)
    node = shutil.which("node")
    for parent in Path(__file__).resolve().parents:
        script = parent / "packages" / "cli" / "bin" / "radlab.js"
        if script.is_file() and node:
            return [node, str(script)]
    on_path = shutil.which("radlab")
    return [on_path] if on_path else None


@dataclass
class HarvestJob:
    id: str
    state: str = "running"
    progress: dict[str, int] = field(
        default_factory=lambda: {"files": 0, "total": 0, "bytes": 0, "totalBytes": 0}
    )
    summary: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    process: asyncio.subprocess.Process | None = None
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "state": self.state, "progress": self.progress}
        if self.summary is not None:
            out["summary"] = self.summary
        if self.error is not None:
            out["error"] = self.error
        return out


class HarvestJobs:
    def __init__(self) -> None:
        self.jobs: dict[str, HarvestJob] = {}

    async def start(self, folder: str, dest: str, command: list[str]) -> HarvestJob:
        job = HarvestJob(id=uuid.uuid4().hex[:16])
        self._forget_old()
        self.jobs[job.id] = job
        job.process = await asyncio.create_subprocess_exec(
            *command,
            "harvest",
            folder,
            "--into",
            dest,
            "--json",
            "--progress",
            "json",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        asyncio.ensure_future(self._follow(job))
        return job

    async def _follow(self, job: HarvestJob) -> None:
        process = job.process
        assert process is not None and process.stdout and process.stderr
        messages: list[str] = []

        async def read_stderr() -> None:
            assert process.stderr
            async for raw in process.stderr:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith("{"):
                    try:
                        p = json.loads(line)
                        job.progress = {k: int(p.get(k, 0)) for k in job.progress}
                        continue
                    except (ValueError, TypeError):
                        pass
                if line:
                    messages.append(line)

        stdout, _ = await asyncio.gather(process.stdout.read(), read_stderr())
        code = await process.wait()
        if job.cancelled or code in (130, -15):
            job.state = "cancelled"
            return
        if code == 0:
            try:
                job.summary = json.loads(stdout.decode("utf-8", "replace").strip().splitlines()[-1])
                job.state = "done"
                return
            except (ValueError, IndexError):
                messages.append("the harvest printed no summary")
        job.state = "failed"
        job.error = {
            "code": "harvestFailed",
            "message": (messages[-1] if messages else f"radlab harvest exited with {code}")[:500],
        }

    def cancel(self, job: HarvestJob) -> None:
        if job.state == "running" and job.process and job.process.returncode is None:
            job.cancelled = True
            job.process.terminate()

    def _forget_old(self) -> None:
        finished = [j for j in self.jobs.values() if j.state != "running"]
        for j in finished[: max(0, len(finished) - KEEP_FINISHED + 1)]:
            del self.jobs[j.id]


def _jobs(handler: APIHandler) -> HarvestJobs:
    jobs: HarvestJobs | None = handler.settings.get("radlab_harvest_jobs")
    if jobs is None:
        jobs = HarvestJobs()
        handler.settings["radlab_harvest_jobs"] = jobs
    return jobs


class HarvestHandler(_FilesBase):
    """POST radlab/api/catalog/harvest: starts a harvest of a folder of the server's files."""

    @web.authenticated
    async def post(self) -> None:
        await self._authorize()
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError as e:
            raise RadlabHTTPError(400, "badRequest", "the body is not JSON") from e
        api_path = body.get("path") if isinstance(body, dict) else None
        if not isinstance(api_path, str):
            raise RadlabHTTPError(400, "badRequest", "path (a folder) is required")
        root, _ = self._root()
        real = await self._resolve(api_path) if api_path.strip("/") else os.path.realpath(root)
        if not os.path.isdir(real):
            raise RadlabHTTPError(400, "badRequest", f"{api_path} is not a folder")
        command = cli_command()
        if command is None:
            raise RadlabHTTPError(
                501,
                "server",
                "the radlab command line is not installed on the server",
                hint="Put `radlab` on the server's PATH, or set RADLAB_CLI.",
            )
        job = await _jobs(self).start(real, catalog_dir(), command)
        self.set_status(202)
        self.finish(json.dumps(job.to_json()))


class HarvestJobHandler(_FilesBase):
    """GET / DELETE radlab/api/catalog/harvest/<id>: a harvest's state; cancel it."""

    def _job(self, job_id: str) -> HarvestJob:
        job = _jobs(self).jobs.get(job_id)
        if job is None:
            raise RadlabHTTPError(404, "notFound", f"no harvest {job_id}")
        return job

    @web.authenticated
    async def get(self, job_id: str) -> None:
        await self.check_radlab_authorized()
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(self._job(job_id).to_json()))

    @web.authenticated
    async def delete(self, job_id: str) -> None:
        await self._authorize()
        job = self._job(job_id)
        _jobs(self).cancel(job)
        self.finish(json.dumps(job.to_json()))


__all__ = ["HarvestHandler", "HarvestJobHandler", "catalog_dir", "cli_command"]
