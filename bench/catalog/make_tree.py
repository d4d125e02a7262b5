"""A tree of many small DICOM files for bench/catalog: STUDIES studies of SERIES series, FILES
files in all (64 x 64 int16 MR and CT slices, explicit VR little endian, ~9 KiB each), laid out
as OUT/<study>/<series>/<n>.dcm, with patient data in every header (as a real export has).

usage: make_tree.py OUT FILES [SIZE]  (SIZE: rows and columns, default 64)
"""

import sys
from pathlib import Path

import numpy as np
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import (
    CTImageStorage,
    ExplicitVRLittleEndian,
    MRImageStorage,
    generate_uid,
)

out, total = Path(sys.argv[1]), int(sys.argv[2])
PER_SERIES = 50
SIZE = int(sys.argv[3]) if len(sys.argv) > 3 else 64
pixels = (np.arange(SIZE * SIZE, dtype=np.int16).reshape(SIZE, SIZE) % 1000).tobytes()
n = 0
study = 0
while n < total:
    study += 1
    study_uid = generate_uid()
    for s in range(4):
        if n >= total:
            break
        modality = "MR" if s % 2 == 0 else "CT"
        series_uid = generate_uid()
        folder = out / f"study{study:04d}" / f"series{s}"
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(min(PER_SERIES, total - n)):
            sop_class = MRImageStorage if modality == "MR" else CTImageStorage
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = sop_class
            meta.MediaStorageSOPInstanceUID = generate_uid()
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
            path = folder / f"{k:04d}.dcm"
            ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
            ds.SOPClassUID = sop_class
            ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
            ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
            ds.Modality = modality
            ds.PatientName = f"Doe^Patient{study}"
            ds.PatientID = f"MRN{study:06d}"
            ds.PatientBirthDate = "19600101"
            ds.PatientAddress = "1 Main Street"
            ds.AccessionNumber = f"ACC{study:06d}"
            ds.ReferringPhysicianName = "Dr^Who"
            ds.StudyDate = ds.SeriesDate = f"20{10 + study % 15:02d}0315"
            ds.StudyDescription = "Bench study"
            ds.SeriesDescription = f"{modality} series {s}"
            ds.BodyPartExamined = "BRAIN" if modality == "MR" else "CHEST"
            ds.Manufacturer, ds.ManufacturerModelName = "ACME", "Scan9000"
            ds.Rows = ds.Columns = SIZE
            ds.SamplesPerPixel = 1
            ds.PhotometricInterpretation = "MONOCHROME2"
            ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
            ds.PixelRepresentation = 1
            ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
            ds.ImagePositionPatient = ["-100", "-100", f"{k * 1.5:.2f}"]
            ds.PixelSpacing = ["0.8", "0.8"]
            ds.SliceThickness = "1.5" if modality == "CT" else "0.9"
            ds.InstanceNumber = k + 1
            ds.PixelData = pixels
            ds.save_as(path, enforce_file_format=True)
            n += 1
print(f"{n} files in {study} studies", file=sys.stderr)
