// Classic and enhanced multi-frame: every frame bit-exact in every syntax, and the enhanced
// per-frame functional groups exposed as per-frame geometry and rescale.
import { describe, expect, it } from 'vitest';
import { grey, vector } from '../testing/vectors.js';
import { decodeDicom } from './file.js';

const mf = (k: number): number[] => grey().map(v => (v + 97 * k) % 4096);
const enhanced = (k: number): number[] =>
  Array.from({ length: 256 }, (_, i) => i * 4 - 500 + 100 * k);

describe('classic multi-frame (5 frames)', () => {
  it.each([
    'mf_u16.dcm',
    'mf_u16_rle.dcm',
    'mf_u16_j2k.dcm',
    'mf_u16_jpegls.dcm',
    'mf_u16_jpeg_lossless.dcm'
  ])('%s: every frame bit-exact', async name => {
    const { header, frames } = await decodeDicom(vector(`dicom/${name}`));
    expect(header.numberOfFrames).toBe(5);
    expect(frames.map(f => f.frameIndex)).toEqual([0, 1, 2, 3, 4]);
    for (const f of frames) expect(Array.from(f.pixels)).toEqual(mf(f.frameIndex));
    expect(header.perFrame).toBeUndefined();
  });

  it('decodes a chosen subset in the order asked', async () => {
    const { frames } = await decodeDicom(vector('dicom/mf_u16_j2k.dcm'), { frames: [3, 1] });
    expect(frames.map(f => f.frameIndex)).toEqual([3, 1]);
    expect(Array.from(frames[0].pixels)).toEqual(mf(3));
  });
});

describe('enhanced CT (functional groups)', () => {
  it.each(['enhanced_ct.dcm', 'enhanced_ct_j2k.dcm', 'enhanced_ct_rle.dcm'])(
    '%s: per-frame geometry, rescale and window; pixels bit-exact',
    async name => {
      const { header, frames } = await decodeDicom(vector(`dicom/${name}`));
      expect(header.sopClassUID).toBe('1.2.840.10008.5.1.4.1.1.2.1');
      expect(header.numberOfFrames).toBe(4);
      expect(header.perFrame).toHaveLength(4);
      header.perFrame!.forEach((f, k) => {
        expect(f).toEqual({
          imagePositionPatient: [-50, -60 + 0.75 * k, 10 + k],
          imageOrientationPatient: [1, 0, 0, 0, 0.8, -0.6],
          pixelSpacing: [0.7, 0.8],
          sliceThickness: 1.25,
          rescaleSlope: 1,
          rescaleIntercept: -1024 + k,
          rescaleType: 'HU',
          windowCenters: [40 + k],
          windowWidths: [400]
        });
      });
      // The top level holds frame 0's values for single-frame consumers.
      expect(header).toMatchObject({
        imagePositionPatient: [-50, -60, 10],
        imageOrientationPatient: [1, 0, 0, 0, 0.8, -0.6],
        pixelSpacing: [0.7, 0.8],
        sliceThickness: 1.25,
        rescaleIntercept: -1024,
        rescaleSlope: 1,
        windowCenters: [40],
        windowWidths: [400]
      });
      for (const f of frames) {
        expect(f.pixels).toBeInstanceOf(Int16Array);
        expect(Array.from(f.pixels)).toEqual(enhanced(f.frameIndex));
      }
    }
  );
});
