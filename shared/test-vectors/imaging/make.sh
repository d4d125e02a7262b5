#!/usr/bin/env bash
# Generates the @radlab/imaging test vectors into .radlab/test-vectors/imaging/ (not committed).
# Sources are written by make_vectors.py (pydicom + numpy + nibabel); every compressed transfer
# syntax is then produced by the Debian tools (dcmtk, gdcm), so the decoders are checked against
# real third-party encoders, not against ourselves.
# Needs: apt-get install -y dcmtk libgdcm-tools openjph-tools; .venv with pydicom numpy nibabel.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-$root/.radlab/test-vectors/imaging}"
py="${RADLAB_PYTHON:-$root/.venv/bin/python}"
for tool in dcmconv dcmcrle dcmcjpeg dcmcjpls gdcmconv ojph_compress ojph_expand; do
  command -v "$tool" >/dev/null || { echo "make.sh: $tool missing (apt-get install -y dcmtk libgdcm-tools openjph-tools)" >&2; exit 2; }
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
# Deflated explicit VR little endian (dicom-parser inflates it through our bounded inflater).
dcmconv +td "$src" "$d/u16_deflate.dcm" 2>/dev/null || true

# Multi-frame (5 frames) and enhanced CT (functional groups) in the compressed syntaxes.
dcmcrle "$d/mf_u16.dcm" "$d/mf_u16_rle.dcm"
gdcmconv --j2k "$d/mf_u16.dcm" "$d/mf_u16_j2k.dcm"
gdcmconv --jpegls "$d/mf_u16.dcm" "$d/mf_u16_jpegls.dcm"
gdcmconv --jpeg "$d/mf_u16.dcm" "$d/mf_u16_jpeg_lossless.dcm"
gdcmconv --j2k "$d/enhanced_ct.dcm" "$d/enhanced_ct_j2k.dcm"
dcmcrle "$d/enhanced_ct.dcm" "$d/enhanced_ct_rle.dcm"
# Colour: planar configuration 1 in RLE, YBR_FULL_422 from JPEG baseline (dcmcjpeg's default).
dcmcrle "$d/rgb8_planar1.dcm" "$d/rgb8_planar1_rle.dcm"
# PALETTE COLOR indices compressed losslessly.
dcmcrle "$d/palette16.dcm" "$d/palette16_rle.dcm"
gdcmconv --j2k "$d/palette16_u16idx.dcm" "$d/palette16_u16idx_j2k.dcm"

# Lossy: JPEG-LS near-lossless (NEAR 2, dcmtk), JPEG 2000 irreversible (gdcm), JPEG extended
# (process 2 and 4: 8-bit and 12-bit, dcmtk).
dcmcjpls +en +md 2 "$src" "$d/u16_jpegls_near.dcm"
gdcmconv --jpegls --lossy --allowed-error 3 "$d/rgb8_planar0.dcm" "$d/rgb8_jpegls_near.dcm" >/dev/null
gdcmconv --j2k --lossy -q 80 "$src" "$d/u16_j2k_lossy.dcm" >/dev/null
gdcmconv --j2k --lossy -q 30 "$d/rgb8_planar0.dcm" "$d/rgb8_j2k_lossy.dcm" >/dev/null
# gdcm's own decode of the lossy files: the reference the decoded pixels must match.
gdcmconv --raw "$d/u16_j2k_lossy.dcm" "$d/u16_j2k_lossy.reference.dcm"
gdcmconv --raw "$d/rgb8_j2k_lossy.dcm" "$d/rgb8_j2k_lossy.reference.dcm"
dcmcjpeg +ee "$src" "$d/u16_jpeg_extended.dcm"
dcmcjpeg +ee "$d/u8_explicit_le.dcm" "$d/u8_jpeg_extended.dcm"
# 12-bit colour subsampled: 4:2:2 (2x1, YBR_FULL_422) and 4:2:0 (dcmtk's "4:1:1" is 2x2, YBR_FULL).
# dcmtk warns that 12 stored bits in 16 may not convert well; the JPEG itself is fine.
dcmcjpeg +ee +s2 "$d/rgb12_planar0.dcm" "$d/rgb12_jpeg_extended_422.dcm" 2>/dev/null
dcmcjpeg +ee +n1 "$d/rgb12_planar0.dcm" "$d/rgb12_jpeg_extended_420.dcm" 2>/dev/null

# HTJ2K: codestreams from OpenJPH (Debian openjph-tools), wrapped into DICOM by pydicom.
h="$tmp/htj2k"
ojph_compress -i "$h/grey12.pgm" -o "$h/grey12_lrcp.j2c" -reversible true -prog_order LRCP >/dev/null
ojph_compress -i "$h/grey12.pgm" -o "$h/grey12_rpcl.j2c" -reversible true -prog_order RPCL >/dev/null
ojph_compress -i "$h/grey12.pgm" -o "$h/grey12_lossy.j2c" -qstep 0.002 >/dev/null
ojph_compress -i "$h/rgb8.ppm" -o "$h/rgb8.j2c" -reversible true >/dev/null
wrap() { "$py" "$here/wrap_codestream.py" "$@"; }
wrap "$src" "$h/grey12_lrcp.j2c" 1.2.840.10008.1.2.4.201 MONOCHROME2 "$d/u16_htj2k.dcm"
wrap "$src" "$h/grey12_rpcl.j2c" 1.2.840.10008.1.2.4.202 MONOCHROME2 "$d/u16_htj2k_rpcl.dcm"
wrap "$src" "$h/grey12_lossy.j2c" 1.2.840.10008.1.2.4.203 MONOCHROME2 "$d/u16_htj2k_lossy.dcm"
# OpenJPH's own decode of the lossy codestream (16-bit big-endian PGM): the reference.
ojph_expand -i "$h/grey12_lossy.j2c" -o "$d/u16_htj2k_lossy.reference.pgm" >/dev/null
wrap "$d/rgb8_planar0.dcm" "$h/rgb8.j2c" 1.2.840.10008.1.2.4.201 YBR_RCT "$d/rgb8_htj2k.dcm"

rm -rf "$tmp/htj2k"
# Stamp: the generators' hash, so tests regenerate when a generator changes (testing/vectors.ts).
cat "$here/make.sh" "$here/make_vectors.py" "$here/wrap_codestream.py" | sha256sum | cut -d' ' -f1 >"$tmp/.stamp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "make.sh: wrote $(find "$out" -type f | wc -l) files to $out"
