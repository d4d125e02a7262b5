"""`GET {base_url}radlab/api/gpu/local?since=<seconds since the epoch>`: this server's GPUs sampled with
nvidia-smi (radlab.services.gpu_local), for the lab's GPU views when no Prometheus is configured:
`{host, intervalSeconds, samples: [{time, gpus: [...]}], error?: {code, service, message, hint}}`. The
first request starts the sampler; it stops a minute after the last one. No nvidia-smi, no GPU or no
driver is an answer (200 with `error`), not a failure: the views show it.
"""

from __future__ import annotations

import json

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..errors import RadlabHTTPError
from ..services.gpu_local import NvidiaSmiSampler
from .handlers import RadlabMixin


class GpuLocalHandler(RadlabMixin, APIHandler):
    @property
    def sampler(self) -> NvidiaSmiSampler:
        sampler: NvidiaSmiSampler | None = self.settings.get("radlab_gpu_sampler")
        if sampler is None:
            radlab = self.settings["radlab"]
            sampler = NvidiaSmiSampler(radlab.nvidia_smi)
            self.settings["radlab_gpu_sampler"] = sampler
        return sampler

    @web.authenticated
    async def get(self) -> None:
        await self.check_radlab_authorized()
        raw = self.get_query_argument("since", None)
        since: float | None = None
        if raw:
            try:
                since = float(raw)
            except ValueError:
                raise RadlabHTTPError(
                    400, "badRequest", f"since={raw!r} is not a time in seconds"
                ) from None
        snapshot = await self.sampler.snapshot(since)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(snapshot))
