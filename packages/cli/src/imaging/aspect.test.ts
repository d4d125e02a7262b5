import { describe, expect, it } from 'vitest';
import { MAX_PNG_SIDE, resample, squarePixelSize } from './aspect.js';

describe('squarePixelSize', () => {
  it('stretches the coarser axis so each PNG pixel is square in mm', () => {
    // the coronal plane: 256 columns of 0.75 mm × 64 slices of 2 mm = 192 × 128 mm
    expect(squarePixelSize(256, 64, [0.75, 2])).toEqual([256, 171]);
    expect(squarePixelSize(64, 256, [2, 0.75])).toEqual([171, 256]);
  });

  it('leaves square or unknown spacing alone, and caps the size', () => {
    expect(squarePixelSize(24, 16, [0.5, 0.5])).toEqual([24, 16]);
    expect(squarePixelSize(24, 16, undefined)).toEqual([24, 16]);
    expect(squarePixelSize(24, 16, [0, 1])).toEqual([24, 16]);
    const [w, h] = squarePixelSize(512, 512, [0.01, 10]);
    expect(Math.max(w, h)).toBe(MAX_PNG_SIDE);
  });
});

describe('resample', () => {
  it('interpolates between pixel centres and keeps the edges', () => {
    const out = resample(Uint8Array.from([0, 100]), 1, 2, 1, 1, 4);
    expect(Array.from(out)).toEqual([0, 25, 75, 100]);
  });

  it('keeps interleaved channels apart and returns the input at the same size', () => {
    const rgb = Uint16Array.from([0, 10, 20, 1000, 1010, 1020]);
    expect(resample(rgb, 2, 1, 3, 2, 1)).toBe(rgb);
    const out = resample(rgb, 2, 1, 3, 4, 1);
    expect(out).toBeInstanceOf(Uint16Array);
    expect(Array.from(out.subarray(0, 3))).toEqual([0, 10, 20]);
    expect(Array.from(out.subarray(9))).toEqual([1000, 1010, 1020]);
  });
});
