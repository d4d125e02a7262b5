"""Synthetic CT series for bench/imaging: 512 x 512 x 64, int16 stored (HU + 1024 with
RescaleIntercept -1024), axial, 1.25 mm apart, written as explicit VR little endian into
OUT/raw/; run.mjs then re-encodes it with gdcmconv (JPEG 2000 lossless, JPEG-LS lossless) and
writes OUT/volume.nii.gz (nibabel) of the same voxels.

The phantom is a noisy body ellipse (soft tissue ~40 HU) with lungs (~-850 HU), a spine and ribs
(~700-1200 HU) and air outside, so the codecs see CT-like entropy, not a flat image.
"""

import sys
from pathlib import Path

import nibabel as nib
import numpy as np
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

out = Path(sys.argv[1])
SIZE, SLICES, SPACING = 512, 64, 1.25
(out / "raw").mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(2024)
y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
cx, cy = SIZE / 2, SIZE / 2 + 10


def ellipse(ax, ay, ox=0.0, oy=0.0):
    return ((x - cx - ox) / ax) ** 2 + ((y - cy - oy) / ay) ** 2 <= 1


volume = np.empty((SLICES, SIZE, SIZE), np.int16)
for k in range(SLICES):
    t = k / SLICES
    hu = np.full((SIZE, SIZE), -1000.0, np.float32)
    hu[ellipse(220 - 10 * t, 160)] = 40
    hu[ellipse(70, 100 + 20 * np.sin(t * 3), -95, -10)] = -850
    hu[ellipse(70, 100 + 20 * np.sin(t * 3), 95, -10)] = -850
    hu[ellipse(30, 28, 0, 110)] = 1100
    hu[ellipse(18, 16, 0, 110)] = 300
    for r in range(6):
        a = 0.4 + r * 0.45
        hu[ellipse(9, 9, 200 * np.cos(a) * 0.95, -140 * np.sin(a) + 30)] = 800
    hu[ellipse(40, 35, 30, 10)] = 60 + 20 * t  # an organ
    hu += rng.normal(0, 18, hu.shape).astype(np.float32)
    volume[k] = np.clip(np.rint(hu + 1024), -1024, 3071).astype(np.int16)

series_uid, study_uid, frame_uid = generate_uid(), generate_uid(), generate_uid()
for k in range(SLICES):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = CTImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    path = out / "raw" / f"CT{k:03d}.dcm"
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = study_uid, series_uid
    ds.FrameOfReferenceUID = frame_uid
    ds.Modality = "CT"
    ds.PatientName = "Bench^Phantom"
    ds.PatientID = "BENCH-0001"
    ds.Rows = ds.Columns = SIZE
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = 1
    ds.RescaleSlope, ds.RescaleIntercept, ds.RescaleType = "1", "-1024", "HU"
    ds.WindowCenter, ds.WindowWidth = ["40", "-600"], ["400", "1500"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.ImagePositionPatient = ["-250", "-250", f"{-40 + SPACING * k:.2f}"]
    ds.PixelSpacing = ["0.9765625", "0.9765625"]
    ds.SliceThickness = str(SPACING)
    ds.InstanceNumber = k + 1
    ds.PixelData = volume[k].tobytes()
    ds.save_as(path, enforce_file_format=True)

# NIfTI of the same voxels (x fastest): LPS DICOM axes as a RAS affine.
affine = np.diag([-0.9765625, -0.9765625, SPACING, 1.0])
affine[:3, 3] = [250, 250, -40]
img = nib.Nifti1Image(np.ascontiguousarray(volume.transpose(2, 1, 0)), affine)
img.header.set_slope_inter(1, -1024)
nib.save(img, out / "volume.nii.gz")
