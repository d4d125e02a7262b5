// Part 10 bytes → a typed image header plus what the decoders need (the dicom-parser data set).
import { ImagingError } from '../errors.js';
import { maskPhi, PHI_ATTRIBUTES, phiTagKey, type PhiCarrier } from '../phi.js';
import { Inflate } from 'fflate';
import { DEFAULT_MAX_PIXEL_BYTES } from './limits.js';
import { dicomParser, type DataSet } from './dicomParser.js';
import { takeHeadParse } from './head.js';
import { readFunctionalGroups, type DicomFrameInfo, type Vec3 } from './functionalGroups.js';
import { readModalityLut, readPalette, readVoiLuts, type Palette } from './lookupTables.js';
import type { LookupTable } from '../lut/table.js';
import { fixed, num, numbers, str } from './values.js';

export type { DicomFrameInfo, Vec3 } from './functionalGroups.js';
export type { Palette } from './lookupTables.js';

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
  spacingBetweenSlices?: number;
  /** Modality LUT Sequence table: stored → modality values, instead of rescale. */
  modalityLut?: LookupTable;
  /** VOI LUT Sequence tables (modality → display), as alternatives to the windows. */
  voiLuts?: LookupTable[];
  /** PALETTE COLOR: the red, green and blue tables (decodeFrame applies them). */
  palette?: Palette;
  /**
   * Enhanced multi-frame: each frame's geometry, rescale and window from the functional groups
   * (length numberOfFrames). The top-level fields then hold frame 0's values.
   */
  perFrame?: DicomFrameInfo[];
}

export interface ParsedDicom {
  header: DicomImage;
  dataSet: DataSet;
  /**
   * The file ends before its last element does (a copy cut short): the header was read from what
   * is there, and decoding a frame says so (`truncatedError`).
   */
  truncated?: Truncation;
}

/** How much of a cut-short file is there: `bytes` of the `expected` its elements declare. */
export interface Truncation {
  bytes: number;
  expected: number;
}

export interface ParseDicomOptions {
  /** Return the identifying attributes unmasked. Default false: every header starts masked. */
  revealPhi?: boolean;
  /** Override the inflater for Deflated Explicit VR LE (default: fflate, works without Node). */
  inflater?: (bytes: Uint8Array, position: number) => Uint8Array;
  /** Pixel memory limit; a deflated data set may inflate to this plus 64 MiB of header at most. */
  maxPixelBytes?: number;
  /**
   * Stop at Pixel Data's element header: `bytes` may be a file's first bytes only (readDicomHead),
   * and the header is read without its pixels.
   */
  untilPixelData?: boolean;
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

/**
 * dicom-parser inflater: meta header bytes as-is, the raw-deflated rest inflated after them,
 * refusing (before growing past it) more than `maxBytes` of inflated data: a deflate bomb stops here.
 */
function boundedInflater(maxBytes: number): (bytes: Uint8Array, position: number) => Uint8Array {
  return (bytes, position) => {
    const chunks: Uint8Array[] = [];
    let total = position;
    const inflater = new Inflate(chunk => {
      total += chunk.length;
      if (total > maxBytes) {
        throw new ImagingError({
          code: 'tooLarge',
          message: `The deflated data set inflates past the limit of ${maxBytes} bytes.`,
          details: { maxBytes }
        });
      }
      chunks.push(chunk);
    });
    inflater.push(bytes.subarray(position), true);
    const out = new Uint8Array(total);
    out.set(bytes.subarray(0, position));
    let at = position;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  };
}

function checkDimension(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ImagingError({
      code: 'malformed',
      message: `${name} ${value} is not a valid image dimension (1..${max}).`,
      details: { [name]: value }
    });
  }
  return value;
}

/** What dicom-parser threw, as text: it throws strings, Errors and {exception, dataSet} objects. */
function parserMessage(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  const exception = (cause as { exception?: unknown } | null)?.exception;
  if (exception !== undefined) return parserMessage(exception);
  return String(cause);
}

/**
 * Where the file's elements say it ends: past the value of the last one read (an encapsulated
 * Pixel Data element ends after its last fragment and the sequence delimiter).
 */
function declaredEnd(ds: DataSet): number {
  let end = 0;
  for (const el of Object.values(ds.elements)) {
    const fragments = el.fragments;
    if (fragments?.length) {
      const last = fragments[fragments.length - 1];
      end = Math.max(end, last.position + last.length + 8);
    } else if (el.length !== 0xffffffff) end = Math.max(end, el.dataOffset + el.length);
  }
  return end;
}

/**
 * The partial data set dicom-parser hands over lacks the File Meta group (it merges it only after a
 * whole parse): without it the transfer syntax would read as the implicit default. Read it again.
 */
function withFileMeta(partial: DataSet, bytes: Uint8Array): DataSet {
  if (partial.elements.x00020010) return partial;
  try {
    const meta = dicomParser.readPart10Header(bytes);
    // the meta bytes sit at the same offsets in the partial set's array (deflate keeps them as-is)
    for (const [tag, el] of Object.entries(meta.elements)) partial.elements[tag] ??= el;
  } catch {
    // no File Meta to read: a bare data set, whose syntax is the implicit default indeed
  }
  return partial;
}

/** "The file is truncated (N of M bytes)": what a reader of a cut-short file is told. */
export function truncatedError(t: Truncation, what = 'its pixel data'): ImagingError {
  return new ImagingError({
    code: 'malformed',
    message: `The file is truncated (${t.bytes} of ${t.expected} bytes): ${what} cannot be read.`,
    hint: 'The copy was cut short (an interrupted download or transfer): copy the file again.',
    details: { truncated: true, bytes: t.bytes, expected: t.expected }
  });
}

const PIXEL_DATA = 'x7fe00010';

/** Parse a DICOM Part 10 file (or a dataset without preamble when it has File Meta). */
export function parseDicom(bytes: Uint8Array, options: ParseDicomOptions = {}): ParsedDicom {
  let ds: DataSet;
  let truncated: Truncation | undefined;
  const head = options.untilPixelData && !options.inflater ? takeHeadParse(bytes) : undefined;
  if (head) ds = head;
  else
    try {
      const maxInflated = (options.maxPixelBytes ?? DEFAULT_MAX_PIXEL_BYTES) + 64 * 1024 ** 2;
      ds = dicomParser.parseDicom(bytes, {
        inflater: options.inflater ?? boundedInflater(maxInflated),
        ...(options.untilPixelData ? { untilTag: PIXEL_DATA } : {})
      });
    } catch (cause) {
      if (cause instanceof ImagingError) throw cause;
      // dicom-parser throws {exception, dataSet} when an element runs past the end of the bytes:
      // the elements before it (usually the whole header) are in that data set
      const partial = (cause as { dataSet?: DataSet } | null)?.dataSet;
      const expected = partial ? declaredEnd(partial) : 0;
      if (!partial || expected <= bytes.length)
        throw new ImagingError({
          code: 'malformed',
          message: `Not a readable DICOM file: ${parserMessage(cause)}`,
          cause
        });
      ds = withFileMeta(partial, bytes);
      truncated = { bytes: bytes.length, expected };
    }
  try {
    const parsed = readHeader(ds, options);
    return truncated ? { ...parsed, truncated } : parsed;
  } catch (cause) {
    if (truncated) throw truncatedError(truncated, 'too little is left to read its header');
    if (cause instanceof ImagingError) throw cause;
    throw new ImagingError({
      code: 'malformed',
      message: `Not a readable DICOM file: ${parserMessage(cause)}`,
      cause
    });
  }
}

function readHeader(ds: DataSet, options: ParseDicomOptions): ParsedDicom {
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
    rows: checkDimension(required(ds, 'x00280010', 'Rows'), 'Rows', 65535),
    columns: checkDimension(required(ds, 'x00280011', 'Columns'), 'Columns', 65535),
    bitsAllocated,
    bitsStored,
    highBit: num(ds, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: num(ds, 'x00280103') === 1 ? 1 : 0,
    samplesPerPixel: num(ds, 'x00280002') ?? 1,
    photometricInterpretation: str(ds, 'x00280004') ?? 'MONOCHROME2',
    planarConfiguration: num(ds, 'x00280006') === 1 ? 1 : 0,
    numberOfFrames: checkDimension(num(ds, 'x00280008') || 1, 'Number of Frames', 2 ** 31 - 1),
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
  const between = num(ds, 'x00180088');
  if (between !== undefined) header.spacingBetweenSlices = between;
  const signed = header.pixelRepresentation === 1;
  const modalityLut = readModalityLut(ds, signed);
  if (modalityLut) header.modalityLut = modalityLut;
  const voiLuts = readVoiLuts(ds, signed && !modalityLut);
  if (voiLuts.length) header.voiLuts = voiLuts;
  if (header.photometricInterpretation.trim().toUpperCase() === 'PALETTE COLOR') {
    const palette = readPalette(ds, signed);
    if (palette) header.palette = palette;
  }
  const perFrame = readFunctionalGroups(ds, header.numberOfFrames);
  if (perFrame) {
    header.perFrame = perFrame;
    fillFromFrame(header, perFrame[0]);
  }
  return { header: options.revealPhi ? header : maskPhi(header), dataSet: ds };
}

/** Enhanced images keep geometry and rescale in functional groups: frame 0 fills the top level. */
function fillFromFrame(header: DicomImage, frame: DicomFrameInfo | undefined): void {
  if (!frame) return;
  header.imagePositionPatient ??= frame.imagePositionPatient;
  header.imageOrientationPatient ??= frame.imageOrientationPatient;
  header.pixelSpacing ??= frame.pixelSpacing;
  header.sliceThickness ??= frame.sliceThickness;
  if (frame.spacingBetweenSlices !== undefined)
    header.spacingBetweenSlices ??= frame.spacingBetweenSlices;
  if (header.rescaleSlope === 1 && header.rescaleIntercept === 0) {
    header.rescaleSlope = frame.rescaleSlope;
    header.rescaleIntercept = frame.rescaleIntercept;
    header.rescaleType ??= frame.rescaleType;
  }
  if (!header.windowCenters.length && frame.windowCenters.length) {
    header.windowCenters = frame.windowCenters;
    header.windowWidths = frame.windowWidths;
  }
}
