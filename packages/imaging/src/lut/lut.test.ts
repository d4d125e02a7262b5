// Modality LUT Sequence, VOI LUT Sequence (several tables, signed input), several windows with
// explanations and the VOI LUT Function, on pydicom-written files against numpy's ground truth.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../dicom/frame.js';
import { parseDicom } from '../dicom/parse.js';
import { vector } from '../testing/vectors.js';
import { applyModalityLut, isIdentityRescale, modalityValue } from './modality.js';
import { lookup } from './table.js';
import { headerVoiLuts, headerWindows, renderGrey8, voiLutValue, voiValue } from './voi.js';

async function open(name: string) {
  const parsed = parseDicom(vector(`dicom/${name}`));
  return { header: parsed.header, frame: await decodeFrame(parsed) };
}

const truth16 = (name: string): number[] => {
  const b = vector(`dicom/${name}.expected`);
  return Array.from(new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2));
};

describe('Modality LUT Sequence', () => {
  it('maps stored values through the table, bit-exact', async () => {
    const { header, frame } = await open('u16_modality_lut.dcm');
    expect(header.modalityLut).toMatchObject({ firstMapped: 0, bits: 16, explanation: 'square' });
    expect(isIdentityRescale(header)).toBe(false);
    expect(Array.from(applyModalityLut(frame.pixels, header))).toEqual(
      truth16('u16_modality_lut.dcm')
    );
    expect(modalityValue(4095, header)).toBe((4095 * 4095) >> 8);
  });

  it('clamps inputs outside the table', () => {
    const table = { firstMapped: 10, bits: 8, data: Uint16Array.from([1, 2, 3]) };
    expect([5, 10, 11, 12, 13, 99].map(x => lookup(table, x))).toEqual([1, 1, 2, 3, 3, 3]);
  });
});

describe('VOI LUT Sequence', () => {
  it('reads every table and maps bit-exact (12-bit table from input 1024)', async () => {
    const { header, frame } = await open('u16_voi_lut.dcm');
    const luts = headerVoiLuts(header);
    expect(
      luts.map(l => [l.lut.firstMapped, l.lut.bits, l.lut.data.length, l.lut.explanation])
    ).toEqual([
      [1024, 12, 2048, 'ramp'],
      [0, 8, 4096, 'full']
    ]);
    const want = truth16('u16_voi_lut.dcm');
    expect(Array.from(frame.pixels, v => lookup(luts[0].lut, v))).toEqual(want);
    const display = renderGrey8(frame.pixels, header, luts[0]);
    expect(Array.from(display)).toEqual(want.map(v => Math.round((v / 4095) * 255)));
    // The 8-bit table maps the whole range: entry v >> 4 is already a display value.
    expect(Array.from(renderGrey8(frame.pixels, header, luts[1]))).toEqual(
      Array.from(frame.pixels, v => v >> 4)
    );
  });

  it('signed input with a negative first mapped value (descriptor SS)', async () => {
    const { header, frame } = await open('s16_voi_lut.dcm');
    const [voi] = headerVoiLuts(header);
    expect(voi.lut.firstMapped).toBe(-2048);
    expect(Array.from(frame.pixels, v => lookup(voi.lut, v))).toEqual(truth16('s16_voi_lut.dcm'));
    expect(voiLutValue(-5000, voi.lut)).toBe(0);
    expect(voiLutValue(2047, voi.lut)).toBeCloseTo((4095 * 16 * 255) / 65535, 10);
  });
});

describe('windows and VOI LUT Function', () => {
  it('reads several windows with explanations and SIGMOID', async () => {
    const { header, frame } = await open('u16_windows_sigmoid.dcm');
    const windows = headerWindows(header);
    expect(windows).toEqual([
      { center: 1000, width: 400, fn: 'SIGMOID', explanation: 'NARROW' },
      { center: 2048, width: 4096, fn: 'SIGMOID', explanation: 'FULL' },
      { center: 3000, width: 100, fn: 'SIGMOID', explanation: 'HIGH' }
    ]);
    for (const w of windows) {
      const out = renderGrey8(frame.pixels, header, w);
      for (const i of [0, 999, 1000, 2048, 3000, 4095])
        expect(out[i]).toBe(Math.round(voiValue(i, w)));
    }
  });

  it('LINEAR_EXACT differs from LINEAR at the window edges', () => {
    const exact = { center: 100, width: 10, fn: 'LINEAR_EXACT' as const };
    const linear = { center: 100, width: 10, fn: 'LINEAR' as const };
    expect(voiValue(95, exact)).toBe(0);
    expect(voiValue(105, exact)).toBe(255);
    expect(voiValue(100, exact)).toBe(127.5);
    expect(voiValue(95, linear)).toBeCloseTo(((95 - 99.5) / 9 + 0.5) * 255, 10);
  });
});
