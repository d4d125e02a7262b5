// Part 10 bytes → a typed image header plus what the decoders need (the dicom-parser data set).
import { ImagingError } from '../errors.js';
import { maskPhi, PHI_ATTRIBUTES, phiTagKey, type PhiCarrier } from '../phi.js';
import { inflateSync } from 'fflate';
import { dicomParser, type DataSet } from './dicomParser.js';

export type Vec3 = [number, number, number];

export interface DicomImage extends PhiCarrier {
  transferSyntaxUID: string;
  sopClassUID?: string;
  modality?: string;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  photometricInterpretation: string;
  /** 0 colour-by-pixel (RGBRGB…), 1 colour-by-plane (RR…GG…BB…). */
  planarConfiguration: 0 | 1;
  numberOfFrames: number;
  /** 1 when absent. */
  rescaleSlope: number;
  /** 0 when absent. */
  rescaleIntercept: number;
  rescaleType?: string;
  /** Multi-valued: pairs with windowWidths by index. */
  windowCenters: number[];
  windowWidths: number[];
  windowExplanations: string[];
  voiLutFunction?: string;
  imagePositionPatient?: Vec3;
  /** Row direction cosines then column direction cosines. */
  imageOrientationPatient?: [number, number, number, number, number, number];
  /** [row spacing (between rows, mm), column spacing (between columns, mm)]. */
  pixelSpacing?: [number, number];
  sliceThickness?: number;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
  frameOfReferenceUID?: string;
  instanceNumber?: number;
}

export interface ParsedDicom {
  header: DicomImage;
  dataSet: DataSet;
}

export interface ParseDicomOptions {
  /** Return the identifying attributes unmasked. Default false: every header starts masked. */
  revealPhi?: boolean;
  /** Override the inflater for Deflated Explicit VR LE (default: fflate, works without Node). */
  inflater?: (bytes: Uint8Array, position: number) => Uint8Array;
}

function str(ds: DataSet, tag: string): string | undefined {
  const v = ds.string(tag);
  return v === undefined || v === '' ? undefined : v;
}

function num(ds: DataSet, tag: string, index = 0): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  if (el.vr === 'US' || (el.vr === undefined && el.length === 2)) return ds.uint16(tag, index);
  if (el.vr === 'SS') return ds.int16(tag, index);
  if (el.vr === 'UL') return ds.uint32(tag, index);
  if (el.vr === 'SL') return ds.int32(tag, index);
  const s = ds.string(tag, index);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function numbers(ds: DataSet, tag: string): number[] {
  const s = ds.string(tag);
  if (!s) return [];
  return s
    .split('\\')
    .map(p => Number(p))
    .filter(n => Number.isFinite(n));
}

function required(ds: DataSet, tag: string, name: string): number {
  const v = num(ds, tag);
  if (v === undefined) {
    throw new ImagingError({
      code: 'malformed',
      message: `DICOM image lacks ${name} ${tag}.`,
      details: { tag }
    });
  }
  return v;
}

function fixed<N extends number>(values: number[], n: N): number[] | undefined {
  return values.length >= n ? values.slice(0, n) : undefined;
}

/** dicom-parser inflater: meta header bytes as-is, the raw-deflated rest inflated after them. */
function inflateDataSet(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateSync(bytes.subarray(position));
  const out = new Uint8Array(position + inflated.length);
  out.set(bytes.subarray(0, position));
  out.set(inflated, position);
  return out;
}

/** Parse a DICOM Part 10 file (or a dataset without preamble when it has File Meta). */
export function parseDicom(bytes: Uint8Array, options: ParseDicomOptions = {}): ParsedDicom {
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, { inflater: options.inflater ?? inflateDataSet });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ImagingError({
      code: 'malformed',
      message: `Not a readable DICOM file: ${message}`,
      cause
    });
  }
  const ds = dataSet;
  const tsuid = str(ds, 'x00020010') ?? '1.2.840.10008.1.2';

  const phi: Record<string, string> = {};
  for (const attribute of PHI_ATTRIBUTES) {
    const key = phiTagKey(attribute);
    if (ds.elements[key]) phi[attribute.keyword] = ds.string(key) ?? '';
  }

  const centers = numbers(ds, 'x00281050');
  const widths = numbers(ds, 'x00281051');
  const explanations = (ds.string('x00281055') ?? '').split('\\').filter(s => s !== '');
  const bitsAllocated = required(ds, 'x00280100', 'Bits Allocated');
  const bitsStored = num(ds, 'x00280101') ?? bitsAllocated;
  const ipp = fixed(numbers(ds, 'x00200032'), 3);
  const iop = fixed(numbers(ds, 'x00200037'), 6);
  const spacing = fixed(numbers(ds, 'x00280030'), 2);

  const header: DicomImage = {
    transferSyntaxUID: tsuid,
    sopClassUID: str(ds, 'x00080016'),
    modality: str(ds, 'x00080060'),
    rows: required(ds, 'x00280010', 'Rows'),
    columns: required(ds, 'x00280011', 'Columns'),
    bitsAllocated,
    bitsStored,
    highBit: num(ds, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: num(ds, 'x00280103') === 1 ? 1 : 0,
    samplesPerPixel: num(ds, 'x00280002') ?? 1,
    photometricInterpretation: str(ds, 'x00280004') ?? 'MONOCHROME2',
    planarConfiguration: num(ds, 'x00280006') === 1 ? 1 : 0,
    numberOfFrames: Math.max(1, num(ds, 'x00280008') ?? 1),
    rescaleSlope: num(ds, 'x00281053') ?? 1,
    rescaleIntercept: num(ds, 'x00281052') ?? 0,
    rescaleType: str(ds, 'x00281054'),
    windowCenters: centers,
    windowWidths: widths,
    windowExplanations: explanations,
    voiLutFunction: str(ds, 'x00281056'),
    imagePositionPatient: ipp as Vec3 | undefined,
    imageOrientationPatient: iop as DicomImage['imageOrientationPatient'],
    pixelSpacing: spacing as [number, number] | undefined,
    sliceThickness: num(ds, 'x00180050'),
    studyInstanceUID: str(ds, 'x0020000d'),
    seriesInstanceUID: str(ds, 'x0020000e'),
    sopInstanceUID: str(ds, 'x00080018'),
    frameOfReferenceUID: str(ds, 'x00200052'),
    instanceNumber: num(ds, 'x00200013'),
    phi,
    phiMasked: false
  };
  return { header: options.revealPhi ? header : maskPhi(header), dataSet };
}
