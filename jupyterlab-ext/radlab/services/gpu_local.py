"""The local GPU fallback: `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` on the Jupyter
server's machine, sampled every second while someone looks (it stops a minute after the last
snapshot). The parse and the failure texts are @radlab/core's
(packages/core/src/services/prometheus/nvidiaSmi.ts); both run shared/test-vectors/nvidia-smi. The lab
turns the snapshots into the same GPU views as Prometheus's (core's LocalGpuClient).
No jupyter_server or tornado imports.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import time
from collections import deque
from typing import Any

FIELDS = (
    "index",
    "uuid",
    "name",
    "utilization.gpu",
    "memory.used",
    "memory.total",
    "power.draw",
    "temperature.gpu",
    "clocks.sm",
)
ARGS = (f"--query-gpu={','.join(FIELDS)}", "--format=csv,noheader,nounits")
_NUMERIC = (
    ("utilization", 3),
    ("memoryUsed", 4),
    ("memoryTotal", 5),
    ("powerDraw", 6),
    ("temperature", 7),
    ("smClock", 8),
)
_NO_GPU_HINT = (
    "With no Prometheus connection Radlab samples this machine’s GPUs with nvidia-smi. Add a "
    'Prometheus connection (kind "prometheus") to see a cluster’s GPUs.'
)


class GpuLocalError(Exception):
    """A failed nvidia-smi run, as the RadlabErrorJSON fields `code`, `message`, `hint`."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    def json(self) -> dict[str, str]:
        return {"code": self.code, "service": "radlab", "message": self.message, "hint": self.hint}


def number(text: str) -> float | int | None:
    """'[N/A]', 'N/A', '[Not Supported]', '' or anything not a number: None."""
    t = text.strip()
    if not t or t.startswith("[") or t.lower() == "n/a":
        return None
    try:
        n = float(t)
    except ValueError:
        return None
    if n != n or n in (float("inf"), float("-inf")):
        return None
    return int(n) if n.is_integer() else n


def _bad_output(message: str) -> GpuLocalError:
    return GpuLocalError(
        "badResponse",
        f"unexpected nvidia-smi output: {message}",
        "Check that `nvidia-smi --query-gpu=index,uuid,name --format=csv` works on this machine; a "
        "very old driver may not know these fields.",
    )


def parse_nvidia_smi(stdout: str) -> list[dict[str, Any]]:
    """The GPUs of one `--format=csv,noheader,nounits` answer (a GPU per line)."""
    gpus: list[dict[str, Any]] = []
    for raw in stdout.splitlines():
        line = raw.strip()
        if not line:
            continue
        cells = [c.strip() for c in line.split(",")]
        extra = len(cells) - len(FIELDS)
        if extra > 0:  # a name with a comma in it
            cells = [cells[0], cells[1], ", ".join(cells[2 : 3 + extra]), *cells[3 + extra :]]
        if len(cells) < len(FIELDS):
            raise _bad_output(f'{len(cells)} fields in "{line[:120]}", {len(FIELDS)} expected')
        if not re.fullmatch(r"-?\d+", cells[0]):
            raise _bad_output(f'"{cells[0]}" is not a GPU index')
        gpu: dict[str, Any] = {"index": int(cells[0]), "uuid": cells[1], "name": cells[2]}
        for key, i in _NUMERIC:
            gpu[key] = number(cells[i])
        gpus.append(gpu)
    return gpus


def nvidia_smi_failure(
    exit_code: int | None,
    stdout: str = "",
    stderr: str = "",
    *,
    missing: bool = False,
    timed_out: bool = False,
) -> GpuLocalError:
    """What a failed run means for the user (the same texts as core's nvidiaSmiFailure)."""
    said = f"{stderr}\n{stdout}".strip()
    first = next((line.strip() for line in said.splitlines() if line.strip()), "")
    if missing:
        return GpuLocalError(
            "notFound",
            "no GPU here: nvidia-smi is not installed on this machine (not on PATH)",
            _NO_GPU_HINT,
        )
    if timed_out:
        return GpuLocalError(
            "timeout",
            "nvidia-smi did not answer in time",
            "The driver may be busy or hung; try `nvidia-smi` in a terminal.",
        )
    if re.search(r"no devices were found", said, re.I):
        return GpuLocalError(
            "notFound", "no GPU here: nvidia-smi found no NVIDIA GPU on this machine", _NO_GPU_HINT
        )
    if re.search(
        r"couldn't communicate with the nvidia driver|driver/library version mismatch|nvml",
        said,
        re.I,
    ):
        return GpuLocalError(
            "unreachable",
            f"no GPU here: nvidia-smi cannot reach the NVIDIA driver ({first})",
            f"Is the NVIDIA driver installed and loaded? {_NO_GPU_HINT}",
        )
    code = "none" if exit_code is None else str(exit_code)
    return GpuLocalError(
        "server",
        f"nvidia-smi failed (exit code {code})" + (f": {first}" if first else ""),
        "Run the same nvidia-smi command in a terminal to see why.",
    )


def nvidia_smi_result(
    exit_code: int | None,
    stdout: str,
    stderr: str = "",
    *,
    missing: bool = False,
    timed_out: bool = False,
) -> list[dict[str, Any]]:
    """A run's GPUs, or its failure raised (exit 0 with no GPU line is "no GPU" too)."""
    if missing or timed_out or exit_code != 0:
        raise nvidia_smi_failure(exit_code, stdout, stderr, missing=missing, timed_out=timed_out)
    gpus = parse_nvidia_smi(stdout)
    if not gpus:
        raise nvidia_smi_failure(exit_code, "No devices were found", stderr)
    return gpus


async def run_nvidia_smi(command: str = "nvidia-smi", timeout: float = 5.0) -> list[dict[str, Any]]:
    """Runs nvidia-smi once (no shell); its failure raised as GpuLocalError."""
    try:
        proc = await asyncio.create_subprocess_exec(
            command,
            *ARGS,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        raise nvidia_smi_failure(None, missing=True) from None
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except asyncio.TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        raise nvidia_smi_failure(None, timed_out=True) from None
    return nvidia_smi_result(
        proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    )


class NvidiaSmiSampler:
    """Samples every `interval` seconds while snapshots are asked for; keeps `keep` seconds."""

    def __init__(
        self,
        command: str = "nvidia-smi",
        *,
        interval: float = 1.0,
        keep: float = 6 * 3600,
        idle_stop: float = 60.0,
        host: str | None = None,
    ) -> None:
        self.command = command
        self.interval = interval
        self.keep = keep
        self.idle_stop = idle_stop
        self.host = host or socket.gethostname()
        self._samples: deque[dict[str, Any]] = deque()
        self._error: GpuLocalError | None = None
        self._task: asyncio.Task[None] | None = None
        self._asked = 0.0
        self._first: asyncio.Event | None = None

    @property
    def active(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _sample(self) -> None:
        try:
            gpus = await run_nvidia_smi(self.command)
        except GpuLocalError as e:
            self._error = e
        else:
            now = time.time()
            self._samples.append({"time": now, "gpus": gpus})
            while self._samples and self._samples[0]["time"] < now - self.keep:
                self._samples.popleft()
            self._error = None

    async def _loop(self) -> None:
        try:
            while time.monotonic() - self._asked <= self.idle_stop:
                await self._sample()
                if self._first is not None:
                    self._first.set()
                await asyncio.sleep(self.interval)
        finally:
            if self._first is not None:
                self._first.set()

    async def snapshot(self, since: float | None = None) -> dict[str, Any]:
        """The samples after `since` (all kept, when None), the host, and the last run's error."""
        self._asked = time.monotonic()
        if not self.active:
            self._first = asyncio.Event()
            self._task = asyncio.create_task(self._loop())
            await self._first.wait()
        samples = [s for s in self._samples if since is None or s["time"] > since]
        out: dict[str, Any] = {
            "host": self.host,
            "intervalSeconds": self.interval,
            "samples": samples,
        }
        if self._error is not None:
            out["error"] = self._error.json()
        return out

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
