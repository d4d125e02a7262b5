"""shared/test-vectors that @radlab/core's tests run too (packages/core/src/errors.test.ts): the two
implementations of redaction and of the HTTP status table must agree case by case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radlab.errors import code_for_status
from radlab.redact import clear_registered_secrets, redact

VECTORS = Path(__file__).resolve().parents[3] / "shared" / "test-vectors"


def _load(rel: str) -> list[dict]:
    return json.loads((VECTORS / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", _load("redaction/cases.json"), ids=lambda v: v["name"])
def test_redaction_vectors(vector):
    clear_registered_secrets()
    assert redact(vector["input"]) == vector["output"]


@pytest.mark.parametrize("vector", _load("errors/status.json"), ids=lambda v: str(v["status"]))
def test_status_vectors(vector):
    assert code_for_status(vector["status"]) == vector["code"]
