// PALETTE COLOR, YBR_FULL_422, planar configuration 1, colour in compressed syntaxes: decoded RGB
// compared bit-exact with numpy's ground truth (<name>.expected) or the analytic RGB image.
import { describe, expect, it } from 'vitest';
import { rgb, vector } from '../testing/vectors.js';
import { decodeFrame } from './frame.js';
import { parseDicom } from './parse.js';

async function decode(name: string) {
  const parsed = parseDicom(vector(`dicom/${name}`));
  return { header: parsed.header, frame: await decodeFrame(parsed) };
}

const expectedBytes = (name: string): number[] => Array.from(vector(`dicom/${name}.expected`));

describe('PALETTE COLOR → RGB', () => {
  it.each([
    ['palette8.dcm', 'palette8.dcm'], // 8-bit entries packed, first mapped 20 (clamped below/above)
    ['palette16.dcm', 'palette16.dcm'], // 16-bit entries, 8-bit indices
    ['palette16_rle.dcm', 'palette16.dcm'],
    ['palette16_u16idx.dcm', 'palette16_u16idx.dcm'], // 4096-entry tables, 12-bit indices
    ['palette16_u16idx_j2k.dcm', 'palette16_u16idx.dcm']
  ])('%s', async (name, truth) => {
    const { header, frame } = await decode(name);
    expect(header.photometricInterpretation).toBe('PALETTE COLOR');
    expect(header.palette?.red.data.length).toBeGreaterThan(0);
    expect(frame.photometricInterpretation).toBe('RGB');
    expect(frame.samplesPerPixel).toBe(3);
    expect(frame.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(frame.pixels)).toEqual(expectedBytes(truth));
  });

  it('reads the descriptors', async () => {
    const { header } = await decode('palette8.dcm');
    expect(header.palette?.red).toMatchObject({ firstMapped: 20, bits: 8 });
    expect(header.palette?.red.data.length).toBe(200);
    expect(Array.from(header.palette!.green.data.slice(0, 3))).toEqual([255, 254, 253]);
  });
});

describe('YBR and planar configuration', () => {
  it('native YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair) → RGB, bit-exact', async () => {
    const { frame } = await decode('ybr_full_422.dcm');
    expect(frame.photometricInterpretation).toBe('RGB');
    expect(Array.from(frame.pixels)).toEqual(expectedBytes('ybr_full_422.dcm'));
  });

  it('YBR_FULL with planar configuration 1 → RGB, bit-exact', async () => {
    const { header, frame } = await decode('ybr_full_planar1.dcm');
    expect(header.planarConfiguration).toBe(1);
    expect(Array.from(frame.pixels)).toEqual(expectedBytes('ybr_full_planar1.dcm'));
  });

  it.each(['rgb8_planar1.dcm', 'rgb8_planar1_rle.dcm', 'rgb8_htj2k.dcm'])(
    '%s → interleaved RGB, bit-exact',
    async name => {
      const { frame } = await decode(name);
      expect(frame.photometricInterpretation).toBe('RGB');
      expect(Array.from(frame.pixels)).toEqual(rgb());
    }
  );

  it('YBR_FULL_422 as JPEG baseline writes it: libjpeg output is RGB, close to the source', async () => {
    const { header, frame } = await decode('rgb8_jpeg_baseline.dcm');
    expect(header.photometricInterpretation).toBe('YBR_FULL_422');
    expect(frame.photometricInterpretation).toBe('RGB');
    const want = rgb();
    const mean =
      Array.from(frame.pixels, (v, i) => Math.abs(v - want[i])).reduce((a, b) => a + b, 0) /
      want.length;
    expect(mean).toBeLessThan(4);
  });
});
