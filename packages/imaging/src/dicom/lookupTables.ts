// Reading LUT Descriptor + LUT Data pairs from a data set: Modality LUT Sequence (0028,3000),
// VOI LUT Sequence (0028,3010) and the Red/Green/Blue Palette Color LUTs (0028,1101-1203).
import type { DataSet } from './dicomParser.js';
import type { LookupTable } from '../lut/table.js';

/** The three palettes of PALETTE COLOR, entries scaled to 8 bits by `paletteToRgb`. */
export interface Palette {
  red: LookupTable;
  green: LookupTable;
  blue: LookupTable;
}

function descriptor(
  ds: DataSet,
  tag: string,
  signedInput: boolean
): { entries: number; firstMapped: number; bits: number } | undefined {
  const el = ds.elements[tag];
  if (!el || el.length < 6) return undefined;
  const raw = (i: number): number => ds.uint16(tag, i) ?? 0;
  // Entries 0 means 65536 (the count does not fit 16 bits). The first mapped value is SS for
  // signed pixel data; implicit VR files do not say, so the pixel representation decides.
  const entries = raw(0) === 0 ? 65536 : raw(0);
  let firstMapped = raw(1);
  if ((el.vr === 'SS' || signedInput) && firstMapped >= 0x8000) firstMapped -= 0x10000;
  const bits = raw(2);
  if (bits < 1 || bits > 16) return undefined;
  return { entries, firstMapped, bits };
}

/**
 * LUT Data for `entries` entries. 16-bit words normally; 8-bit tables may also come packed two
 * entries per word (the length then says so).
 */
function lutData(ds: DataSet, tag: string, entries: number, bits: number): Uint16Array | undefined {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return undefined;
  const bytes = ds.byteArray;
  const end = Math.min(el.dataOffset + el.length, bytes.length);
  const available = end - el.dataOffset;
  const out = new Uint16Array(entries);
  if (bits <= 8 && available < entries * 2 && available >= entries) {
    for (let i = 0; i < entries; i++) out[i] = bytes[el.dataOffset + i];
    return out;
  }
  if (available < entries * 2) return undefined;
  for (let i = 0; i < entries; i++) out[i] = ds.uint16(tag, i) ?? 0;
  if (bits <= 8) for (let i = 0; i < entries; i++) out[i] &= 0xff;
  return out;
}

function tableAt(
  ds: DataSet,
  descriptorTag: string,
  dataTag: string,
  signedInput: boolean,
  explanationTag?: string
): LookupTable | undefined {
  const d = descriptor(ds, descriptorTag, signedInput);
  if (!d) return undefined;
  const data = lutData(ds, dataTag, d.entries, d.bits);
  if (!data) return undefined;
  const explanation = explanationTag ? ds.string(explanationTag) : undefined;
  return {
    firstMapped: d.firstMapped,
    bits: d.bits,
    data,
    ...(explanation ? { explanation } : {})
  };
}

function sequenceTables(ds: DataSet, sequenceTag: string, signedInput: boolean): LookupTable[] {
  const out: LookupTable[] = [];
  for (const item of ds.elements[sequenceTag]?.items ?? []) {
    if (!item.dataSet) continue;
    const t = tableAt(item.dataSet, 'x00283002', 'x00283006', signedInput, 'x00283003');
    if (t) out.push(t);
  }
  return out;
}

/** The Modality LUT Sequence's table (stored → modality values), if any. */
export function readModalityLut(ds: DataSet, signedInput: boolean): LookupTable | undefined {
  return sequenceTables(ds, 'x00283000', signedInput)[0];
}

/** Every table of the VOI LUT Sequence (modality values → display), in file order. */
export function readVoiLuts(ds: DataSet, signedInput: boolean): LookupTable[] {
  // The VOI LUT input is the modality output, which may be signed: decide by the descriptor VR
  // and, failing that, by whether the stored values are.
  return sequenceTables(ds, 'x00283010', signedInput);
}

/** The Red, Green and Blue Palette Color LUTs, when all three are present (non-segmented). */
export function readPalette(ds: DataSet, signedInput: boolean): Palette | undefined {
  const red = tableAt(ds, 'x00281101', 'x00281201', signedInput);
  const green = tableAt(ds, 'x00281102', 'x00281202', signedInput);
  const blue = tableAt(ds, 'x00281103', 'x00281203', signedInput);
  return red && green && blue ? { red, green, blue } : undefined;
}
