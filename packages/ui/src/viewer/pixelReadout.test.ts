import { describe, expect, it } from 'vitest';
import { describePixel } from './pixelReadout.js';

const slice = {
  width: 2,
  data: Int16Array.from([0, 24, 100, -3]),
  toPatient: (x: number, y: number): [number, number, number] => [x - 10.5, y + 20, 30.25]
};

describe('describePixel', () => {
  it('reads stored → real values, HU for CT, and LPS or RAS positions', () => {
    const ct = { rescale: { slope: 1, intercept: -1024 } };
    expect(describePixel(slice, ct, 1, 0, { hu: true, coordinates: 'LPS' })).toBe(
      'x 1 y 0 · 24 → HU -1000 · LPS -9.5, 20.0, 30.3 mm'
    );
    const plain = { rescale: { slope: 1, intercept: 0 } };
    expect(describePixel(slice, plain, 1, 1, { hu: false, coordinates: 'RAS' })).toBe(
      'x 1 y 1 · -3 · RAS 9.5, -21.0, 30.3 mm'
    );
  });

  it('reads RGB as three samples', () => {
    const rgb = { width: 1, data: Uint8Array.from([1, 2, 3]), toPatient: slice.toPatient };
    expect(
      describePixel(rgb, { rgb: true, rescale: { slope: 1, intercept: 0 } }, 0, 0, {
        hu: false,
        coordinates: 'LPS'
      })
    ).toMatch(/^x 0 y 0 · RGB 1 2 3 · LPS/);
  });
});
