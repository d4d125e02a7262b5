import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../dicom/frame.js';
import { parseDicom } from '../dicom/parse.js';
import { vector } from '../testing/vectors.js';
import { applyModalityLut, modalityValue } from './modality.js';
import { headerWindows, renderGrey8, voiValue } from './voi.js';

describe('modality LUT', () => {
  it('applies slope and intercept', () => {
    expect(modalityValue(100, { rescaleSlope: 2, rescaleIntercept: -1024 })).toBe(-824);
    const id = new Int16Array([1, 2]);
    expect(applyModalityLut(id, { rescaleSlope: 1, rescaleIntercept: 0 })).toBe(id);
    expect(Array.from(applyModalityLut(id, { rescaleSlope: 0.5, rescaleIntercept: 1 }))).toEqual([
      1.5, 2
    ]);
  });
});

describe('VOI LUT (PS3.3 C.11.2.1.2)', () => {
  const w = { center: 40, width: 400 };
  it('LINEAR follows the standard formula at the edges and centre', () => {
    // x <= c - 0.5 - (w-1)/2 = -160 → 0 ; x > c - 0.5 + (w-1)/2 = 239 → 255
    expect(voiValue(-160, w)).toBe(0);
    expect(voiValue(-159, w)).toBeCloseTo(((-159 - 39.5) / 399 + 0.5) * 255, 10);
    expect(voiValue(239, w)).toBeCloseTo(255, 10);
    expect(voiValue(240, w)).toBe(255);
    expect(voiValue(39.5, w)).toBeCloseTo(127.5, 10);
    expect(voiValue(10, { center: 10, width: 1 })).toBe(255);
    expect(voiValue(9.5, { center: 10, width: 1 })).toBe(0);
  });
  it('LINEAR_EXACT and SIGMOID', () => {
    expect(voiValue(40, { ...w, fn: 'LINEAR_EXACT' })).toBe(127.5);
    expect(voiValue(-160, { ...w, fn: 'LINEAR_EXACT' })).toBe(0);
    expect(voiValue(40, { ...w, fn: 'SIGMOID' })).toBe(127.5);
    expect(voiValue(240, { ...w, fn: 'SIGMOID' })).toBeCloseTo(255 / (1 + Math.exp(-2)), 10);
  });
  it('renders the real file through rescale + first window', async () => {
    const parsed = parseDicom(vector('dicom/u16_explicit_le.dcm'));
    const frame = await decodeFrame(parsed);
    const [first, second] = headerWindows(parsed.header);
    expect(first).toEqual({ center: 1000, width: 400, fn: 'LINEAR' });
    expect(second).toEqual({ center: 2000, width: 800, fn: 'LINEAR' });
    const out = renderGrey8(frame.pixels, parsed.header, first);
    for (const i of [0, 1000, 1012, 1100, 1111, 1200, 4095]) {
      expect(out[i]).toBe(Math.round(voiValue(i * 2 - 1024, first)));
    }
    expect(out[0]).toBe(0);
    expect(out[4095]).toBe(255);
    const inverted = renderGrey8(frame.pixels, parsed.header, first, { invert: true });
    expect(inverted[4095]).toBe(0);
  });
});
