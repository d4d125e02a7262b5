// PALETTE COLOR (PS3.3 C.7.6.3.1.5-6): stored values index the red, green and blue tables; entries
// of 16-bit tables keep their high byte for 8-bit display, 8-bit tables are used as they are.
import { lookup, type LookupTable } from './table.js';

export interface PaletteTables {
  red: LookupTable;
  green: LookupTable;
  blue: LookupTable;
}

function to8(table: LookupTable): (x: number) => number {
  const shift = Math.max(0, table.bits - 8);
  return x => lookup(table, x) >> shift;
}

/** Indices → interleaved 8-bit RGB. */
export function paletteToRgb(indices: ArrayLike<number>, palette: PaletteTables): Uint8Array {
  const r = to8(palette.red);
  const g = to8(palette.green);
  const b = to8(palette.blue);
  const out = new Uint8Array(indices.length * 3);
  for (let i = 0, o = 0; i < indices.length; i++, o += 3) {
    const v = indices[i];
    out[o] = r(v);
    out[o + 1] = g(v);
    out[o + 2] = b(v);
  }
  return out;
}
