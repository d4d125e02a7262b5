"""The local GPU fallback on shared/test-vectors/nvidia-smi (packages/core/src/node/nvidiaSmi.test.ts
runs the same cases): each recorded output printed by a stand-in `nvidia-smi` put first on PATH, run
as the server runs it, then GET radlab/api/gpu/local through a real Jupyter server."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from radlab.services.gpu_local import (
    GpuLocalError,
    NvidiaSmiSampler,
    parse_nvidia_smi,
    run_nvidia_smi,
)

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "test-vectors" / "nvidia-smi"
CASES = json.loads((VECTORS / "cases.json").read_text(encoding="utf-8"))


def _output(case: dict) -> str | None:
    if case.get("missing"):
        return None
    if "stdoutText" in case:
        return case["stdoutText"]
    return (VECTORS / case["stdout"]).read_text(encoding="utf-8")


def _stand_in(tmp_path: Path, monkeypatch, output: str | None, code: int = 0) -> None:
    """A stand-in nvidia-smi on PATH printing `output` and exiting with `code` (none: missing)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if output is not None:
        data = tmp_path / "output.txt"
        data.write_text(output, encoding="utf-8")
        script = bin_dir / "nvidia-smi"
        script.write_text(f"#!/bin/sh\ncat '{data}'\nexit {code}\n", encoding="utf-8")
        script.chmod(0o755)
    # only the stand-in's folder and the system's: a real nvidia-smi elsewhere must not answer
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
async def test_vectors_through_a_stand_in(case, tmp_path, monkeypatch):
    _stand_in(tmp_path, monkeypatch, _output(case), case.get("exitCode", 0))
    if "gpus" in case:
        assert await run_nvidia_smi() == case["gpus"]
        assert parse_nvidia_smi(_output(case) or "") == case["gpus"]
        return
    with pytest.raises(GpuLocalError) as info:
        await run_nvidia_smi()
    assert {"code": info.value.code, "message": info.value.message} == case["error"]
    assert info.value.hint


async def test_sampler_keeps_samples_and_says_why_there_are_none(tmp_path, monkeypatch):
    two = next(c for c in CASES if c.get("stdout") == "a100-two-gpus.txt")
    _stand_in(tmp_path, monkeypatch, _output(two))
    sampler = NvidiaSmiSampler(interval=0.2, host="workstation-7")
    try:
        first = await sampler.snapshot()
        assert first["host"] == "workstation-7"
        assert [g["uuid"] for g in first["samples"][0]["gpus"]] == [g["uuid"] for g in two["gpus"]]
        assert "error" not in first
        last = first["samples"][-1]["time"]
        await asyncio.sleep(0.7)
        later = await sampler.snapshot(last)
        assert later["samples"] and all(s["time"] > last for s in later["samples"])
    finally:
        await sampler.close()
    none = next(c for c in CASES if c.get("stdout") == "no-devices.txt")
    _stand_in(tmp_path, monkeypatch, _output(none), none["exitCode"])
    sampler = NvidiaSmiSampler(interval=0.2)
    try:
        snap = await sampler.snapshot()
        assert snap["samples"] == []
        assert snap["error"]["code"] == "notFound"
        assert snap["error"]["message"] == none["error"]["message"]
    finally:
        await sampler.close()


async def test_handler_answers_the_snapshot(jp_fetch, jp_serverapp, tmp_path, monkeypatch):
    two = next(c for c in CASES if c.get("stdout") == "a100-two-gpus.txt")
    _stand_in(tmp_path, monkeypatch, _output(two))
    r = await jp_fetch("radlab", "api", "gpu", "local")
    assert r.code == 200
    assert r.headers["Cache-Control"] == "no-store"
    body = json.loads(r.body)
    assert body["samples"][0]["gpus"] == two["gpus"]
    assert body["intervalSeconds"] == 1.0
    since = body["samples"][-1]["time"]
    r = await jp_fetch("radlab", "api", "gpu", "local", params={"since": str(since)})
    assert all(s["time"] > since for s in json.loads(r.body)["samples"])
    await jp_serverapp.web_app.settings["radlab_gpu_sampler"].close()
