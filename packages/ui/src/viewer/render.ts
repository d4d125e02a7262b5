// Slice → RGBA pixels: modality rescale, VOI window, MONOCHROME1 inversion (the order of PS3.3
// C.11), RGB copied straight. Pure functions on typed arrays so they run and test without a canvas.
import { labelColor, voiValue, type VoiWindow } from '@radlab/imaging';

export type ScalarArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface RenderInput {
  width: number;
  height: number;
  /** Stored values, row-major; interleaved RGB (3 per pixel) when `rgb`. */
  data: ScalarArray;
  rgb?: boolean;
}

export interface GreyMapping {
  rescale: { slope: number; intercept: number };
  window: VoiWindow;
  /** MONOCHROME1: applied after the VOI LUT. */
  invert?: boolean;
}

/** The display value (0..255) of one stored value, exactly as imaging's renderGrey8 computes it. */
export function displayValue(stored: number, m: GreyMapping): number {
  const y = Math.round(voiValue(stored * m.rescale.slope + m.rescale.intercept, m.window));
  return m.invert ? 255 - y : y;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** A little-endian RGBA word: alpha 255 in the top byte, `y * GREY` puts y in R, G and B. */
const OPAQUE = 0xff000000;
const GREY = 0x010101;

function isSmallInteger(a: ScalarArray): a is Uint8Array | Int8Array | Uint16Array | Int16Array {
  return (
    a instanceof Uint8Array ||
    a instanceof Int8Array ||
    a instanceof Uint16Array ||
    a instanceof Int16Array
  );
}

/**
 * Render into `out` (RGBA, length width*height*4; allocated when absent). Integer data up to 16
 * bits goes through a lookup table over the slice's own value range, so a window change costs one
 * table of at most 65,536 entries plus one pass.
 */
export function renderRgba(
  input: RenderInput,
  mapping: GreyMapping,
  out?: Uint8ClampedArray
): Uint8ClampedArray {
  const n = input.width * input.height;
  const rgba = out ?? new Uint8ClampedArray(n * 4);
  const { data } = input;
  if (input.rgb) {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += 3, o += 4) {
      rgba[o] = data[s];
      rgba[o + 1] = data[s + 1];
      rgba[o + 2] = data[s + 2];
      rgba[o + 3] = 255;
    }
    return rgba;
  }
  if (isSmallInteger(data) && n > 0) {
    let min = data[0];
    let max = data[0];
    for (let i = 1; i < n; i++) {
      const v = data[i];
      if (v < min) min = v;
      else if (v > max) max = v;
    }
    if (LITTLE_ENDIAN && rgba.byteOffset % 4 === 0) {
      // one 32-bit store per pixel (grey in R, G, B; opaque A) instead of four byte stores
      const lut = new Uint32Array(max - min + 1);
      for (let v = min; v <= max; v++) lut[v - min] = OPAQUE | (displayValue(v, mapping) * GREY);
      const words = new Uint32Array(rgba.buffer, rgba.byteOffset, n);
      for (let i = 0; i < n; i++) words[i] = lut[data[i] - min];
      return rgba;
    }
    const lut = new Uint8Array(max - min + 1);
    for (let v = min; v <= max; v++) lut[v - min] = displayValue(v, mapping);
    for (let i = 0, o = 0; i < n; i++, o += 4) {
      const y = lut[data[i] - min];
      rgba[o] = y;
      rgba[o + 1] = y;
      rgba[o + 2] = y;
      rgba[o + 3] = 255;
    }
    return rgba;
  }
  for (let i = 0, o = 0; i < n; i++, o += 4) {
    const v = data[i];
    const y = Number.isFinite(v) ? displayValue(v, mapping) : 0;
    rgba[o] = y;
    rgba[o + 1] = y;
    rgba[o + 2] = y;
    rgba[o + 3] = 255;
  }
  return rgba;
}

/**
 * Blend a label map (0 = background) over `rgba` in place with `opacity` (0..1), in `colorOf`'s
 * colours (default imaging's categorical ones; a colour table's when the file has one).
 */
export function blendLabels(
  rgba: Uint8ClampedArray,
  labels: ArrayLike<number>,
  opacity: number,
  colorOf: (label: number) => readonly [number, number, number] = labelColor
): Uint8ClampedArray {
  const a = Math.min(1, Math.max(0, opacity));
  if (a === 0) return rgba;
  for (let i = 0, o = 0; i < labels.length; i++, o += 4) {
    const label = labels[i];
    if (!label || !Number.isFinite(label)) continue;
    const [r, g, b] = colorOf(label);
    rgba[o] = rgba[o] * (1 - a) + r * a;
    rgba[o + 1] = rgba[o + 1] * (1 - a) + g * a;
    rgba[o + 2] = rgba[o + 2] * (1 - a) + b * a;
  }
  return rgba;
}
