// Lookup tables as DICOM stores them (PS3.3 C.11.1.1, C.11.2.1.1, C.7.6.3.1.5): a descriptor
// (entries, first input value mapped, bits per entry) and the entries. Inputs below the first
// mapped value take the first entry, inputs past the end the last.

export interface LookupTable {
  /** Input value mapped to data[0]. */
  firstMapped: number;
  /** Bits per entry (8..16): entries range 0 .. 2^bits - 1. */
  bits: number;
  data: Uint16Array;
  explanation?: string;
}

export function lookup(table: LookupTable, x: number): number {
  const i = Math.round(x) - table.firstMapped;
  const n = table.data.length;
  return table.data[i <= 0 ? 0 : i >= n ? n - 1 : i];
}

/** Largest value an entry can hold: the output range of a VOI LUT. */
export function lutMax(table: LookupTable): number {
  return 2 ** table.bits - 1;
}
