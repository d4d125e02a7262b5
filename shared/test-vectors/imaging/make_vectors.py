"""Writes the uncompressed DICOM and NIfTI sources for make.sh (pydicom, numpy, nibabel).

The images are analytic so the TypeScript tests can recompute them:
  grey   g[y, x] = y * 64 + x            (64 x 64, 0..4095, 12 bits stored in 16)
  signed s[y, x] = g[y, x] - 2048        (int16)
  rgb    (r, g, b)[y, x] = (x * 8, y * 8, (x + y) * 4)   (32 x 32, 8-bit)
"""

import sys
from pathlib import Path

import nibabel as nib
import numpy as np
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out = Path(sys.argv[1])
(out / "dicom").mkdir(parents=True, exist_ok=True)
(out / "series").mkdir(parents=True, exist_ok=True)
(out / "nifti").mkdir(parents=True, exist_ok=True)

y, x = np.mgrid[0:64, 0:64]
GREY = (y * 64 + x).astype(np.uint16)
ry, rx = np.mgrid[0:32, 0:32]
RGB = np.stack([rx * 8, ry * 8, (rx + ry) * 4], axis=-1).astype(np.uint8)


def base(path, rows, cols, series_uid=None):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = series_uid or generate_uid()
    ds.Modality = "OT"
    ds.PatientName = "Doe^Jane"
    ds.PatientID = "RADLAB-0001"
    ds.PatientBirthDate = "19700101"
    ds.PatientSex = "F"
    ds.AccessionNumber = "ACC123"
    ds.InstitutionName = "Radlab General"
    ds.ReferringPhysicianName = "House^Gregory"
    ds.StudyDate = "20240102"
    ds.Rows, ds.Columns = rows, cols
    ds.InstanceNumber = 1
    return ds


def grey16(name, pixels, signed, bits_stored=16, garbage=0, **extra):
    path = out / "dicom" / name
    ds = base(path, 64, 64)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    raw = pixels.astype(np.int32) & ((1 << bits_stored) - 1)
    raw = (raw | garbage).astype(np.uint16)
    ds.PixelData = raw.tobytes()
    for k, v in extra.items():
        setattr(ds, k, v)
    ds.save_as(path, enforce_file_format=True)


grey16(
    "u16_explicit_le.dcm",
    GREY,
    False,
    bits_stored=12,
    RescaleSlope="2",
    RescaleIntercept="-1024",
    WindowCenter=["1000", "2000"],
    WindowWidth=["400", "800"],
    ImagePositionPatient=["-10.5", "20", "30.25"],
    ImageOrientationPatient=["1", "0", "0", "0", "1", "0"],
    PixelSpacing=["0.5", "0.75"],
    SliceThickness="2.5",
)
# Same pixels with the 4 unused high bits set: a reader must mask them.
grey16("u16_bs12_garbage.dcm", GREY, False, bits_stored=12, garbage=0xA000)
grey16("s16_explicit_le.dcm", GREY.astype(np.int32) - 2048, True)
# 12-bit two's complement with garbage above the high bit: must be masked AND sign-extended.
grey16("s12_garbage.dcm", GREY.astype(np.int32) - 2048, True, bits_stored=12, garbage=0x5000)


def grey8(name, photometric):
    path = out / "dicom" / name
    ds = base(path, 64, 64)
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = (GREY >> 4).astype(np.uint8).tobytes()
    ds.save_as(path, enforce_file_format=True)


grey8("u8_explicit_le.dcm", "MONOCHROME2")
grey8("u8_monochrome1.dcm", "MONOCHROME1")


def color(name, photometric, planar, data):
    path = out / "dicom" / name
    ds = base(path, 32, 32)
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = photometric
    ds.PlanarConfiguration = planar
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = (data.transpose(2, 0, 1) if planar else data).tobytes()
    ds.save_as(path, enforce_file_format=True)


color("rgb8_planar0.dcm", "RGB", 0, RGB)
color("rgb8_planar1.dcm", "RGB", 1, RGB)
f = RGB.astype(np.float64)
Y = 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]
CB = -0.168736 * f[..., 0] - 0.331264 * f[..., 1] + 0.5 * f[..., 2] + 128
CR = 0.5 * f[..., 0] - 0.418688 * f[..., 1] - 0.081312 * f[..., 2] + 128
YBR = np.clip(np.rint(np.stack([Y, CB, CR], axis=-1)), 0, 255).astype(np.uint8)
color("ybr_full_planar0.dcm", "YBR_FULL", 0, YBR)

# Series: 8 oblique slices 2.5 mm apart, written in shuffled order; a second series misses slice 5.
row = np.array([np.cos(0.3), np.sin(0.3), 0.0])
col = np.array([0.0, 0.0, -1.0])
normal = np.cross(row, col)
origin = np.array([-100.0, 50.0, 12.0])
rng = np.random.default_rng(7)


def series(prefix, indices, spacing=2.5):
    uid = generate_uid()
    for n, k in enumerate(rng.permutation(indices)):
        path = out / "series" / f"{prefix}_{n:02d}.dcm"
        ds = base(path, 4, 4, uid)
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        ds.InstanceNumber = int(k) + 1
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in (*row, *col)]
        ds.ImagePositionPatient = [f"{v:.4f}" for v in origin + normal * spacing * int(k)]
        ds.PixelSpacing = ["1", "1"]
        ds.PixelData = np.full((4, 4), int(k), np.uint16).tobytes()
        ds.save_as(path, enforce_file_format=True)


series("full", list(range(8)))
series("gapped", [0, 1, 2, 3, 4, 6, 7])

# NIfTI: affine with rotation + translation in sform, a qform-only file, scl, 4D, gz, RGB24, NIfTI-2.
N = np.arange(4 * 5 * 6, dtype=np.int16).reshape((4, 5, 6), order="F")
aff = np.array([[0, -1.5, 0, 10], [2.0, 0, 0, -20], [0, 0, 3.0, 30], [0, 0, 0, 1]])
img = nib.Nifti1Image(N, aff)
img.header.set_slope_inter(2.0, -10.0)
img.header.set_qform(None, code=0)
img.header.set_sform(aff, code=2)
nib.save(img, out / "nifti" / "int16_scl.nii")
nib.save(img, out / "nifti" / "int16_scl.nii.gz")
q = nib.Nifti1Image(N, None)
q.header.set_qform(aff, code=1)
q.header.set_sform(aff, code=0)
nib.save(q, out / "nifti" / "int16_qform.nii")
F = (np.arange(4 * 5 * 6, dtype=np.float32) * 0.5 - 3).reshape((4, 5, 6), order="F")
nib.save(nib.Nifti1Image(F, np.diag([1.0, 1.0, 1.0, 1.0])), out / "nifti" / "float32.nii")
V = np.arange(3 * 4 * 2 * 5, dtype=np.float32).reshape((3, 4, 2, 5), order="F")
v4 = nib.Nifti1Image(V, np.diag([2.0, 2.0, 2.0, 1.0]))
v4.header.set_xyzt_units("mm", "sec")
v4.header["pixdim"][4] = 1.5
nib.save(v4, out / "nifti" / "float32_4d.nii.gz")
rgb_dtype = np.dtype([("R", "u1"), ("G", "u1"), ("B", "u1")])
C = np.zeros((2, 3, 1), dtype=rgb_dtype)
for i in range(2):
    for j in range(3):
        C[i, j, 0] = (i * 10, j * 20, 200)
nib.save(nib.Nifti1Image(C, np.eye(4)), out / "nifti" / "rgb24.nii")
nib.save(nib.Nifti2Image(N, aff), out / "nifti" / "int16_nifti2.nii")
