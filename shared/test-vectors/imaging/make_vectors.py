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
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

out = Path(sys.argv[-1])
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
grey16(
    "s12_garbage.dcm",
    GREY.astype(np.int32) - 2048,
    True,
    bits_stored=12,
    garbage=0x5000,
)


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

# 12-bit RGB (12 stored in 16), 75 x 53: the source make.sh encodes as subsampled 12-bit JPEG; the
# odd size leaves partial MCUs, the blue term is busy so the chroma upsampling shows.
cy, cx = np.mgrid[0:53, 0:75]
RGB12 = np.stack([cx * 55, cy * 78, (cx * cy * 37) % 4096], axis=-1).astype(np.uint16)
ds = base(out / "dicom" / "rgb12_planar0.dcm", 53, 75)
ds.SamplesPerPixel = 3
ds.PhotometricInterpretation = "RGB"
ds.PlanarConfiguration = 0
ds.BitsAllocated = 16
ds.BitsStored = 12
ds.HighBit = 11
ds.PixelRepresentation = 0
ds.PixelData = RGB12.astype("<u2").tobytes()
ds.save_as(out / "dicom" / "rgb12_planar0.dcm", enforce_file_format=True)

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
        ds.ImagePositionPatient = [
            f"{v:.4f}" for v in origin + normal * spacing * int(k)
        ]
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
nib.save(
    nib.Nifti1Image(F, np.diag([1.0, 1.0, 1.0, 1.0])), out / "nifti" / "float32.nii"
)
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


# NIfTI geometry and datatype vectors for volumeFromNifti (nifti/geom/): every datatype, scaling,
# orientations checked against nibabel's aff2axcodes, qform with qfac -1, 4D, big endian, .hdr/.img,
# .nii.gz and a label map. expected.json holds nibabel's view; <case>.raw the stored values
# (little endian, x fastest) for a bit-exact comparison.
def nifti_geometry_vectors():
    import json

    d = out / "nifti" / "geom"
    d.mkdir(parents=True, exist_ok=True)
    shape = (5, 4, 3)
    n = int(np.prod(shape))
    idx = np.arange(n).reshape(shape, order="F")
    cases = {}

    def rot(ax, deg):
        c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
        m = np.eye(4)
        i, j = [(1, 2), (0, 2), (0, 1)][ax]
        m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
        return m

    def save(name, img, files=None, scaled=False):
        files = files or [f"{name}.nii"]
        nib.save(img, d / files[0])
        back = nib.load(d / files[0])
        raw = np.asanyarray(back.dataobj.get_unscaled() if scaled else back.dataobj)
        flat = raw.reshape(-1, order="F")
        if flat.dtype.names:  # RGB24 / RGBA32 structured voxels → interleaved bytes
            flat = flat.view(np.uint8)
        (d / f"{name}.raw").write_bytes(
            flat.astype(flat.dtype.newbyteorder("<")).tobytes()
        )
        fdata = back.get_fdata().reshape(-1, order="F") if not raw.dtype.names else None
        picks = (0, 1, n // 2, n - 1)
        # nibabel moves scl_slope/scl_inter from the header to the array proxy on load.
        slope, inter = (
            getattr(back.dataobj, "slope", None),
            getattr(back.dataobj, "inter", None),
        )
        cases[name] = {
            "files": files,
            "shape": list(back.shape),
            "dtype": str(back.get_data_dtype().newbyteorder("=")),
            "datatype": int(back.header["datatype"]),
            "axcodes": "".join(nib.aff2axcodes(back.affine)),
            "affine": back.affine.tolist(),
            "slope": None if slope is None else float(slope),
            "inter": None if inter is None else float(inter),
            "scaled": None if fdata is None else [[i, float(fdata[i])] for i in picks],
            "intent": int(back.header["intent_code"]),
        }

    aff = np.diag([1.5, 2.0, 3.0, 1.0])
    aff[:3, 3] = [-10, 20, 30]
    vals = {
        "uint8": idx * 2 % 256,
        "int8": idx * 2 % 256 - 128,
        "int16": idx * 523 - 30000,
        "uint16": idx * 1100 % 65536,
        "int32": idx * 35791394 - 2**31 + 5,
        "uint32": idx * 71582788 + 3,
        "int64": idx * 10**12 - 2**40,
        "float32": idx * 0.25 - 7.125,
        "float64": idx / 3.0 - 1e-9,
    }
    for dt, v in vals.items():
        img = nib.Nifti1Image(v.astype(dt), aff, dtype=dt)
        save(f"dt_{dt}", img)
    s = nib.Nifti1Image((idx % 100).astype(np.int16), aff)
    s.header.set_slope_inter(0.5, -3.25)
    save("scl_int16", s, scaled=True)
    rgb_t = np.dtype([("R", "u1"), ("G", "u1"), ("B", "u1")])
    rgba_t = np.dtype([("R", "u1"), ("G", "u1"), ("B", "u1"), ("A", "u1")])
    c3 = np.zeros(shape, rgb_t)
    c4 = np.zeros(shape, rgba_t)
    for f in "RGB":
        c3[f] = (idx * (ord(f) - 60)) % 256
        c4[f] = c3[f]
    c4["A"] = 255 - idx
    save("dt_rgb24", nib.Nifti1Image(c3, aff))
    save("dt_rgba32", nib.Nifti1Image(c4, aff))

    base = (idx * 7 % 1000).astype(np.int16)
    # Orientations: LAS (dcm2niix/FSL), RAS, a sagittal stack PSL, an oblique one.
    las = aff.copy()
    las[0, 0] = -1.5
    psl = np.array([[0, 0, -3.0, 40], [-1.5, 0, 0, 60], [0, 2.0, 0, -70], [0, 0, 0, 1]])
    obl = rot(0, 25) @ rot(2, -20) @ aff
    for name, a in [("ras", aff), ("las", las), ("psl", psl), ("oblique", obl)]:
        img = nib.Nifti1Image(base, a)
        img.header.set_qform(a, code=1)
        img.header.set_sform(a, code=2)
        save(f"orient_{name}", img)
    q = nib.Nifti1Image(base, None)  # qform only; negative determinant → qfac -1
    q.header.set_qform(obl @ np.diag([-1.0, 1, 1, 1]), code=1)
    q.header.set_sform(None, code=0)
    save("qform_qfac", q)
    save("orient_las_gz", nib.Nifti1Image(base, las), files=["orient_las_gz.nii.gz"])
    be_hdr = nib.Nifti1Header(endianness=">")
    be_hdr.set_data_dtype(np.int16)
    be = nib.Nifti1Image(base, psl, be_hdr)
    save("bigendian", be)
    pair = nib.Nifti1Pair(base, obl)
    save("pair", pair, files=["pair.hdr", "pair.img"])
    v4 = np.stack([base + t for t in range(4)], axis=-1)
    img4 = nib.Nifti1Image(v4.astype(np.int16), las)
    img4.header["pixdim"][4] = 2.0
    save("4d", img4)
    lab = np.zeros(shape, np.uint8)
    lab[1:3, 1:3, 1] = 1
    lab[3:, :, 2] = 5
    lab[0, 0, 0] = 2
    labimg = nib.Nifti1Image(lab, las)
    labimg.header.set_intent("label")
    save("labels", labimg)
    (d / "expected.json").write_text(json.dumps(cases, indent=1))


nifti_geometry_vectors()


# ---------------------------------------------------------------------------------------------
# LUTs, colour, multi-frame and enhanced multi-frame. Where the expected result is not the plain
# analytic image, the ground truth is written beside the file as raw bytes (<name>.expected,
# little endian) computed here with numpy, independently of the TypeScript under test.


def expected(name, array):
    (out / "dicom" / f"{name}.expected").write_bytes(
        np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    )


def lut_item(first, bits, data, explanation=None, signed_first=False):
    item = Dataset()
    entries = len(data)
    desc = [entries if entries < 65536 else 0, first, bits]
    item.add(DataElement(0x00283002, "SS" if signed_first else "US", desc))
    if explanation:
        item.LUTExplanation = explanation
    item.add(DataElement(0x00283006, "US", [int(v) for v in data]))
    return item


def grey16_ds(name, pixels, signed=False, bits_stored=12):
    path = out / "dicom" / name
    ds = base(path, pixels.shape[-2], pixels.shape[-1])
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    ds.PixelData = pixels.astype(np.int16 if signed else np.uint16).tobytes()
    return path, ds


# Modality LUT Sequence: stored v -> (v * v) >> 8 (16-bit entries), no rescale.
path, ds = grey16_ds("u16_modality_lut.dcm", GREY)
MLUT = (np.arange(4096, dtype=np.uint32) ** 2 >> 8).astype(np.uint16)
item = lut_item(0, 16, MLUT, "square")
item.ModalityLUTType = "US"
ds.ModalityLUTSequence = Sequence([item])
ds.save_as(path, enforce_file_format=True)
expected("u16_modality_lut.dcm", MLUT[GREY])

# VOI LUT Sequence, two tables: 12-bit entries from input 1024 (values below clamp to entry 0,
# above to the last), and an 8-bit table over the whole range.
path, ds = grey16_ds("u16_voi_lut.dcm", GREY)
V1 = np.arange(2048, dtype=np.uint16) * 2
V2 = (np.arange(4096) >> 4).astype(np.uint16)
ds.VOILUTSequence = Sequence(
    [lut_item(1024, 12, V1, "ramp"), lut_item(0, 8, V2, "full")]
)
ds.save_as(path, enforce_file_format=True)
expected("u16_voi_lut.dcm", V1[np.clip(GREY.astype(np.int32) - 1024, 0, 2047)])

# Signed data with a VOI LUT whose first mapped value is negative (descriptor VR SS).
S = GREY.astype(np.int32) - 2048
path, ds = grey16_ds("s16_voi_lut.dcm", S, signed=True, bits_stored=16)
V3 = (np.arange(4096) * 16).astype(np.uint16)
ds.VOILUTSequence = Sequence([lut_item(-2048, 16, V3, "signed", signed_first=True)])
ds.save_as(path, enforce_file_format=True)
expected("s16_voi_lut.dcm", V3[S + 2048])

# Several windows with explanations and a SIGMOID VOI LUT Function.
path, ds = grey16_ds("u16_windows_sigmoid.dcm", GREY)
ds.WindowCenter = ["1000", "2048", "3000"]
ds.WindowWidth = ["400", "4096", "100"]
ds.WindowCenterWidthExplanation = ["NARROW", "FULL", "HIGH"]
ds.VOILUTFunction = "SIGMOID"
ds.save_as(path, enforce_file_format=True)


def palette_ds(name, indices, bits_alloc, tables, desc_bits, first=0, packed8=False):
    path = out / "dicom" / name
    ds = base(path, indices.shape[0], indices.shape[1])
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "PALETTE COLOR"
    ds.BitsAllocated = ds.BitsStored = bits_alloc
    ds.HighBit = bits_alloc - 1
    ds.PixelRepresentation = 0
    ds.PixelData = indices.astype(np.uint8 if bits_alloc == 8 else np.uint16).tobytes()
    for k, t in enumerate(tables):
        n = len(t)
        ds.add(
            DataElement(0x00281101 + k, "US", [n if n < 65536 else 0, first, desc_bits])
        )
        if packed8:
            raw = t.astype(np.uint8).tobytes()
            raw += b"\0" * (len(raw) % 2)
        else:
            raw = t.astype("<u2").tobytes()
        ds.add(DataElement(0x00281201 + k, "OW", raw))
    ds.save_as(path, enforce_file_format=True)
    idx = np.clip(indices.astype(np.int64) - first, 0, len(tables[0]) - 1)
    shift = max(0, desc_bits - 8)
    rgb_out = np.stack(
        [(t.astype(np.int64)[idx] >> shift) for t in tables], axis=-1
    ).astype(np.uint8)
    expected(name, rgb_out)


I8 = (GREY >> 4).astype(np.uint8)  # 0..255
i = np.arange(200)
# 8-bit entries packed two per word, 200 entries from index 20 (indices outside clamp).
palette_ds(
    "palette8.dcm",
    I8,
    8,
    [(i * 37) % 256, 255 - i, (i * i) % 256],
    8,
    first=20,
    packed8=True,
)
i = np.arange(256)
# 16-bit entries over 8-bit indices.
palette_ds("palette16.dcm", I8, 8, [(i * 257), (65535 - i * 200), (i * i) % 65536], 16)
i = np.arange(4096)
# 16-bit indices (12 bits used) into 4096-entry 16-bit tables.
palette_ds(
    "palette16_u16idx.dcm",
    GREY,
    16,
    [(i * 16) % 65536, 65535 - i * 16, (i * 97) % 65536],
    16,
)


def ybr_to_rgb(ybr):
    # The PS3.3 C.7.6.3.1.2 inverse, as Radlab (and most viewers) apply it; round half up, clamp.
    y, cb, cr = (ybr[..., k].astype(np.float64) for k in range(3))
    cb = cb - 128
    cr = cr - 128
    r = y + 1.402 * cr
    g = y - 0.344136 * cb - 0.714136 * cr
    b = y + 1.772 * cb
    return np.clip(np.floor(np.stack([r, g, b], axis=-1) + 0.5), 0, 255).astype(
        np.uint8
    )


# Native YBR_FULL_422: Y per pixel, Cb Cr averaged over each horizontal pair.
ybr = np.stack([Y, CB, CR], axis=-1)
pair = ybr.reshape(32, 16, 2, 3)
cb2 = np.rint(pair[..., 1].mean(axis=-1)).astype(np.uint8)
cr2 = np.rint(pair[..., 2].mean(axis=-1)).astype(np.uint8)
y2 = np.clip(np.rint(pair[..., 0]), 0, 255).astype(np.uint8)
packed = np.concatenate([y2, cb2[..., None], cr2[..., None]], axis=-1)  # Y1 Y2 Cb Cr
path = out / "dicom" / "ybr_full_422.dcm"
ds = base(path, 32, 32)
ds.SamplesPerPixel = 3
ds.PhotometricInterpretation = "YBR_FULL_422"
ds.PlanarConfiguration = 0
ds.BitsAllocated = ds.BitsStored = 8
ds.HighBit = 7
ds.PixelRepresentation = 0
ds.PixelData = packed.tobytes()
ds.save_as(path, enforce_file_format=True)
full = np.stack(
    [y2, np.repeat(cb2[..., None], 2, -1), np.repeat(cr2[..., None], 2, -1)], axis=-1
)
expected("ybr_full_422.dcm", ybr_to_rgb(full.reshape(32, 32, 3)))

color("ybr_full_planar1.dcm", "YBR_FULL", 1, YBR)
expected("ybr_full_planar1.dcm", ybr_to_rgb(YBR))

# Classic multi-frame: 5 frames, frame k = (g + 97 k) mod 4096.
MF = np.stack([(GREY.astype(np.int32) + 97 * k) % 4096 for k in range(5)]).astype(
    np.uint16
)
path, ds = grey16_ds("mf_u16.dcm", MF)
ds.NumberOfFrames = 5
ds.save_as(path, enforce_file_format=True)

# Enhanced CT (PS3.3 A.38): 4 frames of 16 x 16 int16; geometry and rescale per frame in the
# functional groups, nothing at the top level.
EN = np.stack(
    [(np.arange(256).reshape(16, 16) * 4 - 500 + 100 * k) for k in range(4)]
).astype(np.int16)
path = out / "dicom" / "enhanced_ct.dcm"
ds = base(path, 16, 16)
ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"
ds.Modality = "CT"
ds.SamplesPerPixel = 1
ds.PhotometricInterpretation = "MONOCHROME2"
ds.BitsAllocated = ds.BitsStored = 16
ds.HighBit = 15
ds.PixelRepresentation = 1
ds.NumberOfFrames = 4
ds.FrameOfReferenceUID = generate_uid()
shared = Dataset()
pm = Dataset()
pm.PixelSpacing = ["0.7", "0.8"]
pm.SliceThickness = "1.25"
shared.PixelMeasuresSequence = Sequence([pm])
po = Dataset()
po.ImageOrientationPatient = ["1", "0", "0", "0", "0.8", "-0.6"]
shared.PlaneOrientationSequence = Sequence([po])
ds.SharedFunctionalGroupsSequence = Sequence([shared])
frames = []
for k in range(4):
    fg = Dataset()
    pp = Dataset()
    pp.ImagePositionPatient = ["-50", f"{-60 + 0.75 * k:g}", f"{10 + 1 * k:g}"]
    fg.PlanePositionSequence = Sequence([pp])
    pv = Dataset()
    pv.RescaleIntercept = str(-1024 + k)
    pv.RescaleSlope = "1"
    pv.RescaleType = "HU"
    fg.PixelValueTransformationSequence = Sequence([pv])
    voi = Dataset()
    voi.WindowCenter = str(40 + k)
    voi.WindowWidth = "400"
    fg.FrameVOILUTSequence = Sequence([voi])
    frames.append(fg)
ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
ds.PixelData = EN.tobytes()
ds.save_as(path, enforce_file_format=True)

# HTJ2K sources for OpenJPH's ojph_compress (make.sh wraps its codestreams with --wrap-htj2k).
(out / "htj2k").mkdir(exist_ok=True)
(out / "htj2k" / "grey12.pgm").write_bytes(
    b"P5\n64 64\n4095\n" + GREY.astype(">u2").tobytes()
)
(out / "htj2k" / "rgb8.ppm").write_bytes(b"P6\n32 32\n255\n" + RGB.tobytes())


# A DICOM series with distinct voxel values (v = i + 16 j + 200 k), anisotropic pixels and an
# oblique orientation, plus dcm2niix's NIfTI of it when dcm2niix is installed: volumeFromSeries is
# checked voxel by voxel against dcm2niix's geometry (series_geom/, series_geom_nifti/).
def dcm2niix_geometry_vectors():
    import shutil
    import subprocess

    src = out / "series_geom"
    src.mkdir(parents=True, exist_ok=True)
    rows, cols, slices = 12, 16, 6
    r = np.array([np.cos(0.4), 0.0, -np.sin(0.4)])  # row direction: L and a little I
    c = np.array([0.0, 1.0, 0.0])  # column direction: P
    n = np.cross(r, c)
    uid = generate_uid()
    y, x = np.mgrid[0:rows, 0:cols]
    for k in rng.permutation(slices):
        ds = base(src / f"g_{k:02d}.dcm", rows, cols, uid)
        ds.Modality = "MR"
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 0
        ds.InstanceNumber = int(k) + 1
        ds.ImageOrientationPatient = [f"{v:.6f}" for v in (*r, *c)]
        pos = np.array([-40.0, -30.0, 25.0]) + n * 2.0 * int(k)
        ds.ImagePositionPatient = [f"{v:.4f}" for v in pos]
        ds.PixelSpacing = ["0.9", "0.7"]  # between rows, between columns
        ds.SliceThickness = "1.5"
        ds.PixelData = (x + 16 * y + 200 * int(k)).astype(np.uint16).tobytes()
        ds.save_as(src / f"g_{k:02d}.dcm", enforce_file_format=True)
    tool = shutil.which("dcm2niix")
    if tool:
        dst = out / "series_geom_nifti"
        dst.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [tool, "-z", "n", "-b", "n", "-f", "geom", "-o", str(dst), str(src)],
            check=True,
            stdout=subprocess.DEVNULL,
        )


dcm2niix_geometry_vectors()
