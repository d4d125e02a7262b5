// `radlab imaging info`: what a file or series folder holds, as JSON or aligned text. Identifying
// attributes (and UIDs, which PS3.15's basic profile replaces too) stay masked unless revealed.
import {
  headerWindows,
  truncatedError,
  lookupTransferSyntax,
  PHI_MASK,
  sliceNormal,
  type DicomImage,
  type SortedSeries,
  type Vec3
} from '@radlab/imaging';
import {
  affineSpacing,
  orientationOf,
  rasAffineDirections,
  type Orientation
} from './orientation.js';
import { niftiWindows } from './slice.js';
import type { ImageInput, NiftiInput, SeriesSlice } from './source.js';

export interface WindowInfo {
  center: number;
  width: number;
  explanation?: string;
  function?: string;
}

export interface PixelInfo {
  samplesPerPixel: number;
  photometricInterpretation?: string;
  bitsAllocated: number;
  bitsStored?: number;
  signed: boolean;
  /** NIfTI datatype name (int16, float32, rgb24, …). */
  datatype?: string;
}

export interface SeriesInfo {
  /** 1-based, as `slice --series N` takes it (largest series first). */
  number: number;
  uid: string;
  modality?: string;
  transferSyntaxes: { uid: string; name: string }[];
  /** [columns, rows, slices]. */
  dims: [number, number, number];
  /** mm between columns, between rows, between slices (0 when unknown). */
  spacing: [number, number, number];
  orientation?: Orientation;
  orderedBy: 'position' | 'instanceNumber';
  pixels: PixelInfo;
  rescale: { slope: number; intercept: number; type?: string };
  windows: WindowInfo[];
  warnings: string[];
}

export interface ImageInfo {
  path: string;
  kind: 'dicom' | 'dicom-series' | 'nifti';
  phiMasked: boolean;
  /** DICOM: identifying attributes by keyword. NIfTI: the free-text description. */
  patient: Record<string, string>;
  modality?: string;
  transferSyntax?: { uid: string; name: string; lossy: boolean; decodable: boolean };
  /** [columns (i), rows (j), slices (k)]. */
  dims: [number, number, number];
  /** Frames of a multi-frame DICOM file or the 4th NIfTI dimension; 1 otherwise. */
  frames: number;
  spacing: [number, number, number];
  orientation?: Orientation;
  origin?: Vec3;
  pixels: PixelInfo;
  rescale: { slope: number; intercept: number; type?: string };
  windows: WindowInfo[];
  series: SeriesInfo[];
  /** Files in a folder that are not images of any series. */
  skipped?: { name: string; reason: string }[];
  nifti?: {
    version: 1 | 2;
    affine: number[][];
    affineSource: string;
    gzip: boolean;
    pair: boolean;
  };
  warnings: string[];
}

function windowsOf(h: DicomImage): WindowInfo[] {
  return headerWindows(h).map((w, i) => ({
    center: w.center,
    width: w.width,
    ...(h.windowExplanations[i] ? { explanation: h.windowExplanations[i] } : {}),
    function: w.fn
  }));
}

function pixelsOf(h: DicomImage): PixelInfo {
  return {
    samplesPerPixel: h.samplesPerPixel,
    photometricInterpretation: h.photometricInterpretation,
    bitsAllocated: h.bitsAllocated,
    bitsStored: h.bitsStored,
    signed: h.pixelRepresentation === 1
  };
}

function dicomOrientation(h: DicomImage, normal?: Vec3): Orientation | undefined {
  const iop = h.imageOrientationPatient;
  if (!iop) return undefined;
  return orientationOf([
    [iop[0], iop[1], iop[2]],
    [iop[3], iop[4], iop[5]],
    normal ?? sliceNormal(iop)
  ]);
}

function transferSyntaxOf(uid: string): NonNullable<ImageInfo['transferSyntax']> {
  const ts = lookupTransferSyntax(uid);
  return {
    uid,
    name: ts?.name ?? 'unknown transfer syntax',
    lossy: ts?.lossy ?? false,
    decodable: ts?.decoder !== undefined
  };
}

const mm = (n: number): string => `${Number(n.toFixed(2))} mm`;

/** Human text for the slice checks of one series. No header values, only counts and distances. */
export function seriesWarnings(s: SortedSeries<SeriesSlice>): string[] {
  const out: string[] = [];
  if (s.orderedBy === 'instanceNumber' && s.slices.length > 1) {
    out.push('slices lack Image Position/Orientation (Patient): ordered by Instance Number');
  }
  for (const g of s.gaps) {
    out.push(
      `missing slices: ~${g.missing} between slices ${g.after + 1} and ${g.after + 2} (${mm(g.distance)} apart, spacing ${mm(s.spacing)})`
    );
  }
  for (const g of s.uneven) {
    out.push(
      `uneven spacing: slices ${g.after + 1} and ${g.after + 2} are ${mm(g.distance)} apart (spacing ${mm(s.spacing)})`
    );
  }
  if (s.duplicates) out.push(`${s.duplicates} slice(s) share a position with a neighbour`);
  const first = s.slices[0].header;
  const sizes = new Set(s.slices.map(x => `${x.header.columns}x${x.header.rows}`));
  if (sizes.size > 1) out.push(`slices differ in size: ${[...sizes].join(', ')}`);
  if (s.slices.some(x => x.header.numberOfFrames > 1)) {
    out.push('some files hold several frames: each file counts as one slice (its first frame)');
  }
  const iop = first.imageOrientationPatient?.join('\\');
  if (iop && s.slices.some(x => x.header.imageOrientationPatient?.join('\\') !== iop)) {
    out.push('slices differ in orientation');
  }
  return out;
}

function seriesInfo(s: SortedSeries<SeriesSlice>, number: number, reveal: boolean): SeriesInfo {
  const h = s.slices[0].header;
  const syntaxes = new Map<string, string>();
  for (const x of s.slices) {
    const uid = x.header.transferSyntaxUID;
    if (!syntaxes.has(uid)) syntaxes.set(uid, transferSyntaxOf(uid).name);
  }
  const ps = h.pixelSpacing;
  return {
    number,
    uid: reveal ? s.seriesInstanceUID : PHI_MASK,
    modality: h.modality,
    transferSyntaxes: [...syntaxes].map(([uid, name]) => ({ uid, name })),
    dims: [h.columns, h.rows, s.slices.length],
    spacing: [ps?.[1] ?? 0, ps?.[0] ?? 0, s.spacing || h.sliceThickness || 0],
    orientation: dicomOrientation(h, s.normal),
    orderedBy: s.orderedBy,
    pixels: pixelsOf(h),
    rescale: { slope: h.rescaleSlope, intercept: h.rescaleIntercept, type: h.rescaleType },
    windows: windowsOf(h),
    warnings: seriesWarnings(s)
  };
}

function niftiInfo(input: NiftiInput, reveal: boolean): ImageInfo {
  const v = input.volume;
  const dims = [0, 1, 2].map(i => Math.max(1, v.dims[i] ?? 1)) as [number, number, number];
  const frames = v.dims.slice(3).reduce((p, n) => p * Math.max(1, n), 1);
  const warnings: string[] = [];
  if (v.dims.length > 4)
    warnings.push(`${v.dims.length}-D image: dimensions past the 4th are flattened into frames`);
  if (v.affineSource === 'pixdim')
    warnings.push('no qform or sform: orientation unknown, voxel sizes from pixdim');
  const description = v.description.replace(/\0/g, '').trim();
  return {
    path: input.name,
    kind: 'nifti',
    phiMasked: !reveal,
    patient: description ? { description: reveal ? description : PHI_MASK } : {},
    dims,
    frames,
    spacing: affineSpacing(v.affine),
    orientation:
      v.affineSource === 'pixdim' ? undefined : orientationOf(rasAffineDirections(v.affine)),
    origin: [-v.affine[0][3], -v.affine[1][3], v.affine[2][3]],
    pixels: {
      samplesPerPixel: v.components,
      bitsAllocated: v.data.BYTES_PER_ELEMENT * 8,
      signed: /^int|^float/.test(v.datatype),
      datatype: v.datatype
    },
    rescale: { slope: v.sclSlope, intercept: v.sclInter },
    windows: niftiWindows(v).map(w => ({
      center: w.center,
      width: w.width,
      explanation: 'cal_min..cal_max'
    })),
    series: [],
    nifti: {
      version: v.version,
      affine: v.affine,
      affineSource: v.affineSource,
      gzip: input.gzip,
      pair: input.pair
    },
    warnings
  };
}

export function describeImage(input: ImageInput, reveal: boolean): ImageInfo {
  if (input.kind === 'nifti') return niftiInfo(input, reveal);
  if (input.kind === 'dicom') {
    const h = input.parsed.header;
    const single: SortedSeries<SeriesSlice> = {
      seriesInstanceUID: h.seriesInstanceUID ?? '',
      slices: [{ file: input.name, name: input.name, header: h, ...h }],
      positions: [],
      orderedBy: 'position',
      spacing: 0,
      gaps: [],
      uneven: [],
      duplicates: 0
    };
    const ps = h.pixelSpacing;
    return {
      path: input.name,
      kind: 'dicom',
      phiMasked: h.phiMasked,
      patient: h.phi,
      modality: h.modality,
      transferSyntax: transferSyntaxOf(h.transferSyntaxUID),
      dims: [h.columns, h.rows, h.numberOfFrames],
      frames: h.numberOfFrames,
      spacing: [ps?.[1] ?? 0, ps?.[0] ?? 0, h.sliceThickness ?? 0],
      orientation: dicomOrientation(h),
      origin: h.imagePositionPatient,
      pixels: pixelsOf(h),
      rescale: { slope: h.rescaleSlope, intercept: h.rescaleIntercept, type: h.rescaleType },
      windows: windowsOf(h),
      series: [seriesInfo(single, 1, reveal)],
      warnings: input.parsed.truncated ? [truncatedError(input.parsed.truncated).message] : []
    };
  }
  const series = input.series.map((s, i) => seriesInfo(s, i + 1, reveal));
  const main = series[0];
  const h = input.series[0].slices[0].header;
  const warnings = [...main.warnings];
  if (series.length > 1) {
    warnings.unshift(
      `the folder holds ${series.length} series; the first (largest) is described, pick another with slice --series N`
    );
  }
  for (const s of input.skipped.slice(0, 5)) warnings.push(`skipped ${s.name}: ${s.reason}`);
  if (input.skipped.length > 5) {
    warnings.push(`… and ${input.skipped.length - 5} more file(s) skipped`);
  }
  const syntax = main.transferSyntaxes[0];
  return {
    path: input.name,
    kind: 'dicom-series',
    phiMasked: h.phiMasked,
    patient: h.phi,
    modality: main.modality,
    transferSyntax: transferSyntaxOf(syntax.uid),
    dims: main.dims,
    frames: 1,
    spacing: main.spacing,
    orientation: main.orientation,
    origin: input.series[0].slices[0].header.imagePositionPatient,
    pixels: main.pixels,
    rescale: main.rescale,
    windows: main.windows,
    series,
    skipped: input.skipped,
    warnings
  };
}

const KINDS = { dicom: 'DICOM file', 'dicom-series': 'DICOM series folder', nifti: 'NIfTI volume' };

const num = (n: number): string => String(Number(n.toFixed(4)));
const vec = (v: readonly number[]): string => v.map(num).join(' ');

function pixelText(p: PixelInfo): string {
  if (p.datatype) return `${p.datatype}${p.samplesPerPixel === 3 ? ' (RGB)' : ''}`;
  const sign = p.signed ? 'signed' : 'unsigned';
  return `${p.photometricInterpretation ?? ''}, ${p.samplesPerPixel} sample(s), ${p.bitsStored}/${p.bitsAllocated} bits ${sign}`;
}

function windowText(windows: WindowInfo[]): string {
  if (!windows.length) return 'none in the header (PNG uses the data range)';
  return windows
    .map(w => `C ${num(w.center)} W ${num(w.width)}${w.explanation ? ` ${w.explanation}` : ''}`)
    .join('; ');
}

/** Aligned `label  value` lines. */
export function formatInfo(info: ImageInfo): string {
  const rows: [string, string][] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') rows.push([label, value]);
  };
  add('path', info.path);
  add('kind', KINDS[info.kind]);
  add('modality', info.modality);
  if (info.transferSyntax) {
    const ts = info.transferSyntax;
    add(
      'transfer syntax',
      `${ts.name} (${ts.uid})${ts.decodable ? '' : ' — not decodable by Radlab'}`
    );
  }
  if (info.nifti) {
    const n = info.nifti;
    add('format', `NIfTI-${n.version}${n.gzip ? ', gzip' : ''}${n.pair ? ', .hdr/.img pair' : ''}`);
  }
  const [c, r, s] = info.dims;
  const third = info.kind === 'dicom' ? `${s} frame(s)` : `${s} slice(s)`;
  add(
    'dims',
    `${c} × ${r} × ${third}${info.kind === 'nifti' && info.frames > 1 ? `, ${info.frames} frames` : ''}`
  );
  add('spacing', `${info.spacing.map(num).join(' × ')} mm`);
  if (info.orientation) {
    // e.g. LPS: columns (i) run to the patient's left, rows (j) to posterior, slices (k) superior
    const [i, j, k] = [...info.orientation.axes];
    add('orientation', `i→${i} j→${j} k→${k}, ${info.orientation.plane}`);
  } else add('orientation', 'unknown');
  if (info.origin) add('origin', `${vec(info.origin)} mm (LPS)`);
  add('pixels', pixelText(info.pixels));
  const rs = info.rescale;
  if (rs.slope !== 1 || rs.intercept !== 0 || rs.type) {
    add('rescale', `× ${num(rs.slope)} + ${num(rs.intercept)}${rs.type ? ` (${rs.type})` : ''}`);
  }
  add('windows', windowText(info.windows));
  if (info.nifti)
    add(
      'affine',
      `${info.nifti.affineSource}: ${info.nifti.affine.slice(0, 3).map(vec).join(' | ')}`
    );
  if (info.kind === 'dicom-series') {
    for (const se of info.series) {
      const ts = se.transferSyntaxes.map(t => t.name).join(', ');
      add(
        `series ${se.number}`,
        `${se.dims[2]} slice(s) ${se.dims[0]} × ${se.dims[1]}, ${se.modality ?? '?'}, ${ts}, ordered by ${se.orderedBy === 'position' ? 'patient position' : 'instance number'}, UID ${se.uid}`
      );
    }
  }
  const patient = Object.entries(info.patient);
  if (patient.length) {
    add('patient data', info.phiMasked ? 'masked (--reveal-phi shows it)' : 'SHOWN');
    for (const [k, v] of patient) add(`  ${k}`, v);
  }
  for (const w of info.warnings) add('warning', w);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${l.padEnd(width)}  ${v}`).join('\n') + '\n';
}
