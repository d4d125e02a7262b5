// Modality LUT: stored values → modality values (e.g. HU) by Rescale Slope/Intercept
// (PS3.3 C.11.1). A Modality LUT Sequence is not applied yet.

export interface Rescale {
  rescaleSlope: number;
  rescaleIntercept: number;
}

export function isIdentityRescale(r: Rescale): boolean {
  return r.rescaleSlope === 1 && r.rescaleIntercept === 0;
}

export function modalityValue(stored: number, r: Rescale): number {
  return stored * r.rescaleSlope + r.rescaleIntercept;
}

/** Modality values for all pixels: the input itself when the rescale is the identity. */
export function applyModalityLut(
  stored: ArrayLike<number> & { length: number },
  r: Rescale
): ArrayLike<number> {
  if (isIdentityRescale(r)) return stored;
  const out = new Float32Array(stored.length);
  for (let i = 0; i < stored.length; i++) out[i] = stored[i] * r.rescaleSlope + r.rescaleIntercept;
  return out;
}
