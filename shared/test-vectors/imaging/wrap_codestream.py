"""Wraps a codestream made by an external encoder (OpenJPH's ojph_compress for HTJ2K) into a copy
of an uncompressed source DICOM: same header, encapsulated pixel data, the given transfer syntax.

usage: wrap_codestream.py SOURCE.dcm CODESTREAM TRANSFER_SYNTAX_UID PHOTOMETRIC OUT.dcm
"""

import sys

import pydicom
from pydicom.encaps import encapsulate

src, codestream, tsuid, photometric, dst = sys.argv[1:6]
ds = pydicom.dcmread(src)
with open(codestream, "rb") as f:
    frame = f.read()
ds.file_meta.TransferSyntaxUID = tsuid
ds.PhotometricInterpretation = photometric
if "PlanarConfiguration" in ds:
    ds.PlanarConfiguration = 0
ds.PixelData = encapsulate([frame])
ds["PixelData"].VR = "OB"
ds["PixelData"].is_undefined_length = True
ds.save_as(dst, enforce_file_format=True)
