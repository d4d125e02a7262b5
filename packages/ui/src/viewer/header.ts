// The header panel's rows: key DICOM attributes or NIfTI header fields. Identifying values are
// masked (PHI_MASK) unless the header was re-parsed with revealPhi after the user confirmed.
import {
  PHI_ATTRIBUTES,
  PHI_MASK,
  lookupTransferSyntax,
  type DicomImage,
  type NiftiVolume,
  type Slice
} from '@radlab/imaging';
import { formatNumber } from './windowing.js';

export interface HeaderRow {
  name: string;
  value: string;
  /** An identifying value (masked unless revealed). */
  phi?: boolean;
}

const list = (values: readonly number[] | undefined): string =>
  values ? values.map(v => formatNumber(v)).join(' \\ ') : '';

/**
 * UIDs are not in phi.ts's list but PS3.15's basic profile replaces them (they link back to the
 * patient's study), so the panel masks them with the rest.
 */
const UID_ROWS: readonly [string, keyof DicomImage][] = [
  ['Study Instance UID', 'studyInstanceUID'],
  ['Series Instance UID', 'seriesInstanceUID'],
  ['SOP Instance UID', 'sopInstanceUID'],
  ['Frame of Reference UID', 'frameOfReferenceUID']
];

/** The file's rows; `frame` (0-based) of a multi-frame file takes that frame's own geometry. */
export function dicomHeaderRows(h: DicomImage, frame?: number): HeaderRow[] {
  const ts = lookupTransferSyntax(h.transferSyntaxUID);
  const own = frame === undefined ? undefined : h.perFrame?.[frame];
  const position = own?.imagePositionPatient ?? h.imagePositionPatient;
  const orientation = own?.imageOrientationPatient ?? h.imageOrientationPatient;
  const rows: HeaderRow[] = [
    { name: 'Modality', value: h.modality ?? '' },
    { name: 'Transfer Syntax', value: ts ? `${ts.name} (${ts.uid})` : h.transferSyntaxUID },
    { name: 'Rows × Columns', value: `${h.rows} × ${h.columns}` },
    { name: 'Number of Frames', value: String(h.numberOfFrames) },
    {
      name: 'Frame shown',
      value:
        frame === undefined || h.numberOfFrames <= 1 ? '' : `${frame + 1} of ${h.numberOfFrames}`
    },
    { name: 'Photometric Interpretation', value: h.photometricInterpretation },
    { name: 'Samples per Pixel', value: String(h.samplesPerPixel) },
    {
      name: 'Bits Allocated / Stored / High Bit',
      value: `${h.bitsAllocated} / ${h.bitsStored} / ${h.highBit}`
    },
    { name: 'Pixel Representation', value: h.pixelRepresentation ? 'signed' : 'unsigned' },
    { name: 'Pixel Spacing (row, column)', value: list(h.pixelSpacing) },
    {
      name: 'Slice Thickness',
      value: h.sliceThickness === undefined ? '' : formatNumber(h.sliceThickness)
    },
    { name: 'Image Position (Patient)', value: list(position) },
    { name: 'Image Orientation (Patient)', value: list(orientation) },
    {
      name: 'Rescale Slope / Intercept',
      value: `${formatNumber(h.rescaleSlope)} / ${formatNumber(h.rescaleIntercept)}${h.rescaleType ? ` (${h.rescaleType})` : ''}`
    },
    {
      name: 'Window Center / Width',
      value: h.windowCenters
        .map((c, i) => {
          const w = h.windowWidths[i];
          const what = h.windowExplanations[i];
          return `${formatNumber(c)} / ${w === undefined ? '?' : formatNumber(w)}${what ? ` (${what})` : ''}`;
        })
        .join('; ')
    },
    { name: 'VOI LUT Function', value: h.voiLutFunction ?? '' },
    {
      name: 'Instance Number',
      value: h.instanceNumber === undefined ? '' : String(h.instanceNumber)
    },
    { name: 'SOP Class UID', value: h.sopClassUID ?? '' }
  ].filter(r => r.value !== '');
  for (const [name, key] of UID_ROWS) {
    const v = h[key];
    if (typeof v === 'string' && v)
      rows.push({ name, value: h.phiMasked ? PHI_MASK : v, phi: true });
  }
  for (const attribute of PHI_ATTRIBUTES) {
    const v = h.phi[attribute.keyword];
    if (v === undefined) continue;
    rows.push({ name: attribute.name, value: h.phiMasked ? PHI_MASK : v, phi: true });
  }
  return rows;
}

/** The slice on screen: "Axial 12 / 24", where its first pixel lies and its pixel size. */
export function sliceRows(
  plane: string,
  slice: Pick<Slice, 'index' | 'count' | 'width' | 'height' | 'pixelSpacing' | 'toPatient'>,
  frame: { index: number; count: number },
  coordinates: 'LPS' | 'RAS'
): HeaderRow[] {
  const p = slice.toPatient(0, 0);
  const at = coordinates === 'RAS' ? [-p[0], -p[1], p[2]] : p;
  const rows: HeaderRow[] = [
    { name: 'Plane', value: plane },
    { name: 'Slice', value: `${slice.index + 1} / ${slice.count}` }
  ];
  if (frame.count > 1) rows.push({ name: 'Frame', value: `${frame.index + 1} / ${frame.count}` });
  rows.push(
    { name: 'Columns × Rows', value: `${slice.width} × ${slice.height}` },
    {
      name: 'Pixel size (column, row)',
      value: `${slice.pixelSpacing.map(v => formatNumber(v)).join(' × ')} mm`
    },
    {
      name: `Top-left pixel (${coordinates})`,
      value: `${at.map(v => formatNumber(Math.abs(v) < 0.005 ? 0 : v)).join(', ')} mm`
    }
  );
  return rows;
}

const AFFINE_SOURCE = { sform: 'sform', qform: 'qform', pixdim: 'pixdim only (no orientation)' };

/** NIfTI fields; the free-text description can name the subject, so it counts as PHI. */
export function niftiHeaderRows(n: NiftiVolume, revealed: boolean): HeaderRow[] {
  const rows: HeaderRow[] = [
    { name: 'Format', value: `NIfTI-${n.version}` },
    { name: 'Dimensions', value: n.dims.join(' × ') },
    { name: 'Voxel size (pixdim)', value: n.pixdims.map(v => formatNumber(v)).join(' × ') },
    { name: 'Datatype', value: `${n.datatype} (${n.datatypeCode})` },
    {
      name: 'scl_slope / scl_inter',
      value: `${formatNumber(n.sclSlope)} / ${formatNumber(n.sclInter)}`
    },
    { name: 'Orientation from', value: AFFINE_SOURCE[n.affineSource] },
    ...n.affine.slice(0, 3).map((row, i) => ({
      name: `Affine row ${i + 1} (RAS)`,
      value: row.map(v => formatNumber(v)).join('  ')
    })),
    { name: 'Byte order', value: n.littleEndian ? 'little endian' : 'big endian' }
  ];
  // NIFTI_INTENT_LABEL (1002) marks a label map; intent_name often names the label set
  if (n.intentCode)
    rows.push({
      name: 'Intent',
      value: `${n.intentCode === 1002 ? 'label map' : 'code'} ${n.intentCode}${n.intentName ? ` (${n.intentName})` : ''}`
    });
  if (n.description.trim())
    rows.push({ name: 'Description', value: revealed ? n.description : PHI_MASK, phi: true });
  return rows;
}
