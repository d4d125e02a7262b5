"""Harvest into catalog from the lab: radlab/api/catalog/harvest through a real Jupyter server
(jp_fetch) running the real CLI (packages/cli, built) on DICOM files made by pydicom."""

from __future__ import annotations

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError
from traitlets.config import Config

from radlab.server.catalog import catalog_dir, cli_command

pydicom = pytest.importorskip("pydicom")
pytestmark = pytest.mark.skipif(cli_command() is None, reason="no radlab CLI (npm run build)")


@pytest.fixture
def jp_server_config():
    return Config({"ServerApp": {"jpserver_extensions": {"radlab": True}}})


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    dest = tmp_path / "catalog"
    monkeypatch.setenv("RADLAB_CATALOG_DIR", str(dest))
    key = tmp_path / "catalog.key"
    key.write_bytes(b"k" * 32)
    monkeypatch.setenv("RADLAB_CATALOG_KEY_FILE", str(key))
    return dest


def write_series(folder, n, name="DOE^JANE"):
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, MRImageStorage, generate_uid

    folder.mkdir(parents=True)
    series, study = generate_uid(), generate_uid()
    for k in range(n):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = MRImageStorage
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = FileDataset(str(folder / f"{k}.dcm"), {}, file_meta=meta, preamble=b"\0" * 128)
        ds.SOPClassUID, ds.SOPInstanceUID = MRImageStorage, meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.Modality, ds.PatientName, ds.PatientID = "MR", name, "MRN777"
        ds.Rows = ds.Columns = 4
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.ImagePositionPatient, ds.ImageOrientationPatient = [0, 0, k], [1, 0, 0, 0, 1, 0]
        ds.PixelData = b"\0" * 32
        ds.save_as(folder / f"{k}.dcm", enforce_file_format=True)


async def wait(jp_fetch, job_id, seconds=120):
    for _ in range(int(seconds * 10)):
        r = await jp_fetch("radlab", "api", "catalog", "harvest", job_id)
        job = json.loads(r.body)
        if job["state"] != "running":
            return job
        await asyncio.sleep(0.1)
    raise AssertionError("the harvest did not end")


def post(jp_fetch, path):
    return jp_fetch(
        "radlab", "api", "catalog", "harvest", method="POST", body=json.dumps({"path": path})
    )


async def test_harvest_a_folder_into_the_catalog(jp_fetch, jp_root_dir, catalog):
    write_series(jp_root_dir / "exports" / "T1", 3)
    r = await post(jp_fetch, "exports")
    assert r.code == 202
    started = json.loads(r.body)
    assert started["state"] == "running"
    job = await wait(jp_fetch, started["id"])
    assert job["state"] == "done", job
    assert job["summary"]["instances"] == 3
    assert job["summary"]["series"] == 1
    assert job["progress"]["files"] == job["progress"]["total"] == 3
    assert (catalog / "series").is_dir() and (catalog / "catalog.json").is_file()
    assert "DOE" not in json.dumps(job) and "MRN777" not in json.dumps(job)
    # again: nothing changed, nothing read
    again = await wait(jp_fetch, json.loads((await post(jp_fetch, "exports")).body)["id"])
    assert again["summary"]["read"] == 0


async def test_refuses_what_is_not_a_folder_of_the_server(jp_fetch, jp_root_dir, catalog):
    (jp_root_dir / "a.dcm").write_bytes(b"x")
    for path, status in (("a.dcm", 400), ("../outside", 403), ("missing", 404)):
        with pytest.raises(HTTPClientError) as info:
            await post(jp_fetch, path)
        assert info.value.code in (status, 400, 403, 404), path
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("radlab", "api", "catalog", "harvest", "0123456789abcdef")
    assert info.value.code == 404


async def test_cancel_keeps_what_was_read(jp_fetch, jp_root_dir, catalog):
    write_series(jp_root_dir / "big", 400)
    started = json.loads((await post(jp_fetch, "big")).body)
    r = await jp_fetch("radlab", "api", "catalog", "harvest", started["id"], method="DELETE")
    assert json.loads(r.body)["id"] == started["id"]
    job = await wait(jp_fetch, started["id"])
    # a harvest that ended before the signal is done; one stopped is cancelled, without a catalog
    assert job["state"] in ("cancelled", "done"), job
    if job["state"] == "cancelled":
        assert not (catalog / "catalog.json").exists()


def test_catalog_dir_follows_the_stack():
    assert catalog_dir({"RADLAB_CATALOG_DIR": "/c"}) == "/c"
    assert catalog_dir({"RADLAB_DRILL_CATALOG": "/d"}) == "/d"
    assert catalog_dir({"RADLAB_STATE": "/s"}) == "/s/data/drill/catalog"
    assert catalog_dir({"HOME": "/h"}) == "/h/.radlab/catalog"
