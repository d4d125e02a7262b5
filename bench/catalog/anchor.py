"""The anchor of bench/catalog (issue 17): what a team writes by hand today. Every file of the
tree through pydicom's dcmread(stop_before_pixels=True), the catalog's instance columns into a
pandas DataFrame, written with pyarrow as Parquet. Files that do not read are counted, not fatal.

usage: anchor.py TREE OUT.parquet  (prints one JSON line: files, instances, unreadable)
"""

import json
import os
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydicom import dcmread

tree, out = sys.argv[1], sys.argv[2]


def num(v):
    try:
        return float(v) if v is not None and v != "" else None
    except (TypeError, ValueError):
        return None


rows, files, unreadable = [], 0, 0
for folder, dirs, names in os.walk(tree):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(n for n in names if not n.startswith(".")):
        path = os.path.join(folder, name)
        files += 1
        try:
            ds = dcmread(path, stop_before_pixels=True)
            spacing = ds.get("PixelSpacing")
            iop = ds.get("ImageOrientationPatient")
            ipp = ds.get("ImagePositionPatient")
            rows.append(
                {
                    "DicomFile": os.path.relpath(path, tree),
                    "FileSize": os.path.getsize(path),
                    "SOPInstanceUID": str(ds.SOPInstanceUID),
                    "SeriesInstanceUID": str(ds.SeriesInstanceUID),
                    "StudyInstanceUID": str(ds.StudyInstanceUID),
                    "SOPClassUID": str(ds.get("SOPClassUID", "")),
                    "PatientID": str(ds.get("PatientID", "")),
                    "AccessionNumber": str(ds.get("AccessionNumber", "")),
                    "Modality": ds.get("Modality"),
                    "BodyPartExamined": ds.get("BodyPartExamined"),
                    "StudyDate": pd.to_datetime(
                        ds.get("StudyDate"), format="%Y%m%d", errors="coerce"
                    ),
                    "SeriesDescription": ds.get("SeriesDescription"),
                    "Manufacturer": ds.get("Manufacturer"),
                    "ManufacturerModelName": ds.get("ManufacturerModelName"),
                    "Rows": ds.get("Rows"),
                    "Columns": ds.get("Columns"),
                    "NumberOfFrames": int(ds.get("NumberOfFrames", 1) or 1),
                    "SliceThickness": num(ds.get("SliceThickness")),
                    "PixelSpacingRow": num(spacing[0]) if spacing else None,
                    "PixelSpacingColumn": num(spacing[1]) if spacing else None,
                    "ImageOrientationPatient": [float(v) for v in iop] if iop else None,
                    "ImagePositionPatient": [float(v) for v in ipp] if ipp else None,
                    "InstanceNumber": ds.get("InstanceNumber"),
                    "TransferSyntaxUID": str(ds.file_meta.TransferSyntaxUID),
                }
            )
        except Exception:  # noqa: BLE001 (a file that does not read is counted)
            unreadable += 1
df = pd.DataFrame(rows)
pq.write_table(pa.Table.from_pandas(df, preserve_index=False), out)
print(json.dumps({"files": files, "instances": len(df), "unreadable": unreadable}))
