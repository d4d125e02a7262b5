// Typed reads of DICOM values from a dicom-parser data set, tolerant of the VR being unknown
// (implicit VR) and of junk: a value that does not parse is absent, never an exception.
import type { DataSet } from './dicomParser.js';

export function str(ds: DataSet, tag: string): string | undefined {
  const v = ds.string(tag);
  return v === undefined || v === '' ? undefined : v;
}

// US attributes read by number: implicit VR files give no VR, and a 2-byte IS string ("1 ")
// must not be taken for a binary US.
const US_TAGS: ReadonlySet<string> = new Set([
  'x00280002', // Samples per Pixel
  'x00280006', // Planar Configuration
  'x00280010', // Rows
  'x00280011', // Columns
  'x00280100', // Bits Allocated
  'x00280101', // Bits Stored
  'x00280102', // High Bit
  'x00280103' // Pixel Representation
]);

export function num(ds: DataSet, tag: string, index = 0): number | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  if (el.vr === 'US' || (el.vr === undefined && US_TAGS.has(tag))) return ds.uint16(tag, index);
  if (el.vr === 'SS') return ds.int16(tag, index);
  if (el.vr === 'UL') return ds.uint32(tag, index);
  if (el.vr === 'SL') return ds.int32(tag, index);
  const s = ds.string(tag, index);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function numbers(ds: DataSet, tag: string): number[] {
  const s = ds.string(tag);
  if (!s) return [];
  return s
    .split('\\')
    .map(p => Number(p))
    .filter(n => Number.isFinite(n));
}

export function fixed<N extends number>(values: number[], n: N): number[] | undefined {
  return values.length >= n ? values.slice(0, n) : undefined;
}
