// Modality LUT: stored values → modality values (e.g. HU) by Rescale Slope/Intercept, or by the
// Modality LUT Sequence's table when the file has one (PS3.3 C.11.1).
import { lookup, type LookupTable } from './table.js';

export interface Rescale {
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Modality LUT Sequence table; when present it replaces slope and intercept. */
  modalityLut?: LookupTable;
}

export function isIdentityRescale(r: Rescale): boolean {
  return !r.modalityLut && r.rescaleSlope === 1 && r.rescaleIntercept === 0;
}

export function modalityValue(stored: number, r: Rescale): number {
  if (r.modalityLut) return lookup(r.modalityLut, stored);
  return stored * r.rescaleSlope + r.rescaleIntercept;
}

/** Modality values for all pixels: the input itself when the rescale is the identity. */
export function applyModalityLut(
  stored: ArrayLike<number> & { length: number },
  r: Rescale
): ArrayLike<number> {
  if (isIdentityRescale(r)) return stored;
  const out = new Float32Array(stored.length);
  if (r.modalityLut) {
    const table = r.modalityLut;
    for (let i = 0; i < stored.length; i++) out[i] = lookup(table, stored[i]);
    return out;
  }
  for (let i = 0; i < stored.length; i++) out[i] = stored[i] * r.rescaleSlope + r.rescaleIntercept;
  return out;
}
