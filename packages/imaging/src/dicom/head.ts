// A DICOM file's header without its pixels, from as few bytes as a range read can give: the first
// HEAD_BYTES, grown (×4, appending, so no byte is read twice) only while the header is longer.
// Series ordering needs only the header; the viewer and the CLI read the rest once, for decoding.
import { dicomParser, type DataSet } from './dicomParser.js';

/** First bytes asked for: most CT/MR headers are 1–8 KiB; vendor private data can make them longer. */
export const HEAD_BYTES = 16 * 1024;

/**
 * Offset of Pixel Data's value in `bytes` (where the header ends), or undefined when the bytes end
 * before Pixel Data's element header or do not parse as the start of a DICOM file.
 */
export function pixelDataOffset(bytes: Uint8Array): number | undefined {
  try {
    // Pixel Data inside a sequence (an icon image) does not stop the parse: only the top level's
    const ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
    const offset = ds.elements.x7fe00010?.dataOffset;
    // kept for parseDicom(bytes, {untilPixelData}) of the same bytes (a harvest, a series' header
    // pass): the header is parsed once, not twice. Deflated data sets are parsed again there, with
    // its bounded inflater
    if (offset !== undefined && ds.string('x00020010')?.trim() !== DEFLATED) heads.set(bytes, ds);
    return offset;
  } catch {
    return undefined;
  }
}

const DEFLATED = '1.2.840.10008.1.2.1.99';
const heads = new WeakMap<Uint8Array, DataSet>();

/** The data set pixelDataOffset parsed from exactly these bytes (once: it is forgotten after). */
export function takeHeadParse(bytes: Uint8Array): DataSet | undefined {
  const ds = heads.get(bytes);
  heads.delete(bytes);
  return ds;
}

/** "DICM" at byte 128 (PS3.10 §7.1): a Part 10 file. */
export function hasDicomPreamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

export interface DicomHead {
  /** The file's first bytes, holding its whole header (or the whole file when `whole`). */
  bytes: Uint8Array;
  /** `bytes` is the whole file (it was small, or ended before Pixel Data). */
  whole: boolean;
  /** Range reads it took. */
  reads: number;
}

export interface ReadHeadOptions {
  /** The file's size when known (a read that reaches it ends the file). */
  size?: number;
  /** First range, bytes (default HEAD_BYTES). */
  first?: number;
  /** Most bytes to read for a header: past it the file is read to its end. */
  max: number;
}

/**
 * The head of a file through `read(start, end)` (bytes [start, end), fewer at the end of the
 * file): one range, grown while Pixel Data is not in it. A file that ends first comes back whole.
 */
export async function readDicomHead(
  read: (start: number, end: number | undefined) => Promise<Uint8Array>,
  options: ReadHeadOptions
): Promise<DicomHead> {
  const { size, max } = options;
  let want = Math.min(options.first ?? HEAD_BYTES, size ?? Infinity);
  let bytes = await read(0, want);
  let reads = 1;
  for (;;) {
    const ended = bytes.length < want || (size !== undefined && bytes.length >= size);
    if (ended) return { bytes, whole: true, reads };
    if (pixelDataOffset(bytes) !== undefined) return { bytes, whole: false, reads };
    // a long header (or not DICOM at all): 4× more, to the end past `max`
    const next = bytes.length * 4 > max ? undefined : Math.min(bytes.length * 4, size ?? Infinity);
    const more = await read(bytes.length, next);
    reads++;
    const joined = new Uint8Array(bytes.length + more.length);
    joined.set(bytes);
    joined.set(more, bytes.length);
    const asked = next === undefined ? Infinity : next - bytes.length;
    bytes = joined;
    if (next === undefined || more.length < asked) return { bytes, whole: true, reads };
    want = next;
  }
}
