#!/usr/bin/env bash
# Generates the @radlab/imaging test vectors into .radlab/test-vectors/imaging/ (not committed).
# Sources are written by make_vectors.py (pydicom + numpy + nibabel); every compressed transfer
# syntax is then produced by the Debian tools (dcmtk, gdcm), so the decoders are checked against
# real third-party encoders, not against ourselves.
# Needs: apt-get install -y dcmtk libgdcm-tools; .venv with pydicom numpy nibabel.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-$root/.radlab/test-vectors/imaging}"
py="${RADLAB_PYTHON:-$root/.venv/bin/python}"
for tool in dcmconv dcmcrle dcmcjpeg gdcmconv; do
  command -v "$tool" >/dev/null || { echo "make.sh: $tool missing (apt-get install -y dcmtk libgdcm-tools)" >&2; exit 2; }
done
"$py" -c 'import pydicom, numpy, nibabel' 2>/dev/null || {
  echo "make.sh: $py lacks pydicom/numpy/nibabel (.venv/bin/pip install pydicom numpy nibabel)" >&2; exit 2; }

mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d "${out%/}.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/make_vectors.py" "$tmp"

d="$tmp/dicom"
# Grey 12-in-16 gradient (clean high bits) in every transfer syntax we decode.
src="$d/u16_explicit_le.dcm"
dcmconv +ti "$src" "$d/u16_implicit_le.dcm"
dcmconv +tb "$src" "$d/u16_explicit_be.dcm"
dcmcrle "$src" "$d/u16_rle.dcm"
gdcmconv --jpegls "$src" "$d/u16_jpegls.dcm"
gdcmconv --j2k "$src" "$d/u16_j2k.dcm"
gdcmconv --jpeg "$src" "$d/u16_jpeg_lossless.dcm"
# Signed 16-bit in the lossless compressed syntaxes too.
dcmcrle "$d/s16_explicit_le.dcm" "$d/s16_rle.dcm"
gdcmconv --jpegls "$d/s16_explicit_le.dcm" "$d/s16_jpegls.dcm"
gdcmconv --j2k "$d/s16_explicit_le.dcm" "$d/s16_j2k.dcm"
gdcmconv --jpeg "$d/s16_explicit_le.dcm" "$d/s16_jpeg_lossless.dcm"
# 8-bit grey and RGB.
dcmcrle "$d/rgb8_planar0.dcm" "$d/rgb8_rle.dcm"
gdcmconv --jpegls "$d/rgb8_planar0.dcm" "$d/rgb8_jpegls.dcm"
gdcmconv --j2k "$d/rgb8_planar0.dcm" "$d/rgb8_j2k.dcm"
dcmcjpeg +eb "$d/u8_explicit_le.dcm" "$d/u8_jpeg_baseline.dcm"
dcmcjpeg +eb "$d/rgb8_planar0.dcm" "$d/rgb8_jpeg_baseline.dcm"
gdcmconv --jpeg "$d/u8_explicit_le.dcm" "$d/u8_jpeg_lossless.dcm"
# A syntax we do not decode (deflate is handled by dicom-parser only when inflate is provided).
dcmconv +td "$src" "$d/u16_deflate.dcm" 2>/dev/null || true

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "make.sh: wrote $(find "$out" -type f | wc -l) files to $out"
