"""Test fixtures for `radlab imaging` (packages/cli/src/imaging/command.test.ts).

Writes into OUT (argv[1]):
  ct/       a CT-like axial series: 6 slices of 16 rows x 24 columns, int16, rescale -1024, two
            windows, PHI, written in shuffled file order with shuffled Instance Numbers
  ct_j2k/   the same series re-encoded by gdcm (JPEG 2000 lossless), when gdcmconv is present
  multiframe.dcm  3 frames of 6 x 8 uint16
  truth/    ground truth computed here with pydicom / nibabel / numpy, independent of Radlab:
            <case>.raw  stored values, little endian, row-major
and prints a JSON manifest {case: {"file": ..., "width": ..., "height": ...}} on stdout.

Reslice ground truth follows the CLI's display convention (radiological): axial anterior up and
patient right on the left; coronal and sagittal superior up, sagittal anterior on the left.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

out = Path(sys.argv[1])
vectors = Path(sys.argv[2])
(out / "ct").mkdir(parents=True, exist_ok=True)
(out / "truth").mkdir(parents=True, exist_ok=True)
manifest = {}
ROWS, COLS, SLICES = 16, 24, 6


def truth(case, array):
    array = np.ascontiguousarray(array)
    path = out / "truth" / f"{case}.raw"
    path.write_bytes(array.astype(array.dtype.newbyteorder("<")).tobytes())
    manifest[case] = {
        "file": str(path),
        "height": int(array.shape[0]),
        "width": int(array.shape[1]),
    }


def dataset(path, sop_class, uid_series, uid_study):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = uid_study
    ds.SeriesInstanceUID = uid_series
    ds.PatientName = "Roe^Richard"
    ds.PatientID = "CT-PID-4242"
    ds.PatientBirthDate = "19600229"
    ds.AccessionNumber = "ACC-CT-77"
    ds.InstitutionName = "Radlab Test Hospital"
    return ds


# CT series: value(i, j, k) = k * 1000 + j * 30 + i - 2500 (distinct, negative and positive).
k, j, i = np.mgrid[0:SLICES, 0:ROWS, 0:COLS]
VOLUME = (k * 1000 + j * 30 + i - 2500).astype(np.int16)
rng = np.random.default_rng(11)
series_uid, study_uid = generate_uid(), generate_uid()
instance_numbers = rng.permutation(SLICES) + 1
for n, kk in enumerate(rng.permutation(SLICES)):
    path = out / "ct" / f"IM{n:04d}"
    ds = dataset(path, CTImageStorage, series_uid, study_uid)
    ds.Modality = "CT"
    ds.Rows, ds.Columns = ROWS, COLS
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
    ds.PixelRepresentation = 1
    ds.RescaleSlope, ds.RescaleIntercept = "1", "-1024"
    ds.WindowCenter, ds.WindowWidth = ["40", "-600"], ["400", "1500"]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.ImagePositionPatient = ["-30", "-20", f"{-40 + 2.5 * int(kk):.2f}"]
    ds.PixelSpacing = ["0.8", "0.6"]
    ds.SliceThickness = "2.5"
    ds.InstanceNumber = int(instance_numbers[kk])
    ds.PixelData = VOLUME[kk].tobytes()
    ds.save_as(path, enforce_file_format=True)
(out / "ct" / "README.txt").write_text("not a DICOM file\n")

if shutil.which("gdcmconv"):
    (out / "ct_j2k").mkdir(exist_ok=True)
    for f in sorted((out / "ct").glob("IM*")):
        subprocess.run(
            ["gdcmconv", "--j2k", str(f), str(out / "ct_j2k" / f.name)], check=True
        )

# Ground truth from the files (pydicom), ordered by position along the slice normal.
files = [pydicom.dcmread(p) for p in sorted((out / "ct").glob("IM*"))]
normal = np.cross([1, 0, 0], [0, 1, 0])
files.sort(key=lambda d: float(np.dot(np.array(d.ImagePositionPatient, float), normal)))
stack = np.stack([d.pixel_array for d in files])  # [k, j, i]
assert (stack == VOLUME).all()
for kk in (0, 3, 5):
    truth(f"ct_native_{kk}", stack[kk])
# i -> L, j -> P, k -> S: axial as stored; coronal/sagittal rows from superior (k descending).
truth("ct_axial_2", stack[2])
truth("ct_coronal_5", stack[::-1, 5, :])
truth("ct_sagittal_7", stack[::-1, :, 7])

# Multi-frame: frame f = g + f * 100, g[y, x] = y * 8 + x.
path = out / "multiframe.dcm"
ds = dataset(path, "1.2.840.10008.5.1.4.1.1.7.3", generate_uid(), generate_uid())
ds.Modality = "OT"
ds.Rows, ds.Columns = 6, 8
ds.NumberOfFrames = 3
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 16, 15
ds.PixelRepresentation = 0
yy, xx = np.mgrid[0:6, 0:8]
frames = np.stack([(yy * 8 + xx + f * 100) for f in range(3)]).astype(np.uint16)
ds.PixelData = frames.tobytes()
ds.save_as(path, enforce_file_format=True)
truth("multiframe_2", pydicom.dcmread(path).pixel_array[2])

# Single files of the shared vectors, read by pydicom (masks garbage bits, sign-extends).
for name in (
    "u16_explicit_le",
    "u16_bs12_garbage",
    "s12_garbage",
    "s16_explicit_le",
    "u8_explicit_le",
    "rgb8_planar0",
    "rgb8_planar1",
    "u16_explicit_be",
):
    d = pydicom.dcmread(vectors / "dicom" / f"{name}.dcm")
    truth(f"dicom_{name}", d.pixel_array)

# NIfTI: stored (unscaled) voxels, slice k of frame t in file order: array[:, :, k, t].T (x fastest).
for name, kk, t in (
    ("int16_scl.nii", 4, 0),
    ("int16_scl.nii.gz", 1, 0),
    ("float32_4d.nii.gz", 1, 4),
    ("int16_nifti2.nii", 5, 0),
    ("float32.nii", 2, 0),
):
    img = nib.load(vectors / "nifti" / name)
    data = np.asanyarray(img.dataobj.get_unscaled())
    plane = data[:, :, kk, t] if data.ndim == 4 else data[:, :, kk]
    truth(f"nifti_{name}_{kk}_{t}", plane.T)
raw = nib.load(vectors / "nifti" / "rgb24.nii")
planes = np.asanyarray(raw.dataobj)[:, :, 0]
truth(
    "nifti_rgb24.nii_0_0",
    np.stack([planes["R"], planes["G"], planes["B"]], axis=-1).transpose(1, 0, 2),
)

# A .hdr/.img pair of the same int16 voxels (stored values kept: no rescaling on save).
(out / "pair").mkdir(exist_ok=True)
src = nib.load(vectors / "nifti" / "int16_scl.nii")
pair = nib.Nifti1Pair(np.asanyarray(src.dataobj.get_unscaled()), src.affine)
nib.save(pair, out / "pair" / "vol.img")
back = np.asanyarray(nib.load(out / "pair" / "vol.hdr").dataobj.get_unscaled())
truth("pair_4", back[:, :, 4].T)

# NIfTI reslices, radiological: through the closest canonical (RAS) orientation.
img = nib.load(vectors / "nifti" / "int16_scl.nii")
ornt = nib.io_orientation(img.affine)  # per file axis: [RAS axis, flip]
canon = nib.orientations.apply_orientation(
    np.asanyarray(img.dataobj.get_unscaled()), ornt
)
shape = img.shape
for axis, ras_axis in (("axial", 2), ("coronal", 1), ("sagittal", 0)):
    file_axis = int(np.where(ornt[:, 0] == ras_axis)[0][0])
    for index in range(shape[file_axis]):
        c = index if ornt[file_axis, 1] > 0 else shape[file_axis] - 1 - index
        if axis == "axial":  # rows A -> P, columns R -> L
            plane = canon[::-1, ::-1, c].T
        elif axis == "coronal":  # rows S -> I, columns R -> L
            plane = canon[::-1, c, ::-1].T
        else:  # rows S -> I, columns A -> P
            plane = canon[c, ::-1, ::-1].T
        truth(f"nifti_reslice_{axis}_{index}", plane)

json.dump(manifest, sys.stdout)
