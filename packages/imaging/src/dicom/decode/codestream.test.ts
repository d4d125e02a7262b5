import { describe, expect, it } from 'vitest';
import { vector } from '../../testing/vectors.js';
import { frameData } from '../frame.js';
import { parseDicom } from '../parse.js';
import { checkCodestream, endsWithEoi, j2kSize, jpegSize } from './codestream.js';

const frame = (name: string): Uint8Array => frameData(parseDicom(vector(`dicom/${name}`)), 0);

describe('codestream headers', () => {
  it('reads the SOF of JPEG baseline, lossless and JPEG-LS streams', () => {
    expect(jpegSize(frame('u8_jpeg_baseline.dcm'))).toEqual({
      width: 64,
      height: 64,
      components: 1,
      precision: 8
    });
    expect(jpegSize(frame('u16_jpeg_lossless.dcm'))).toMatchObject({ width: 64, precision: 16 });
    expect(jpegSize(frame('rgb8_jpegls.dcm'))).toMatchObject({ width: 32, components: 3 });
    expect(jpegSize(frame('u16_jpeg_extended.dcm'))).toMatchObject({ precision: 12 });
  });

  it('reads the SIZ of JPEG 2000 and HTJ2K streams', () => {
    expect(j2kSize(frame('u16_j2k.dcm'))).toEqual({
      width: 64,
      height: 64,
      components: 1,
      precision: 16
    });
    expect(j2kSize(frame('rgb8_htj2k.dcm'))).toMatchObject({ width: 32, components: 3 });
  });

  it('refuses a stream that disagrees with the header or has none', () => {
    const header = { rows: 64, columns: 64, samplesPerPixel: 1 };
    expect(() =>
      checkCodestream('X', { width: 65535, height: 65535, components: 1, precision: 16 }, header)
    ).toThrow(/65535×65535×1 at 16 bits, the header says 64×64×1/);
    expect(() => checkCodestream('X', jpegSize(new Uint8Array(8)), header)).toThrow(
      /no readable codestream header/
    );
  });

  it('spots a truncated stream by its missing end marker', () => {
    const f = frame('u16_jpegls.dcm');
    expect(endsWithEoi(f)).toBe(true);
    expect(endsWithEoi(f.subarray(0, f.length - 91))).toBe(false);
    expect(endsWithEoi(Uint8Array.from([0xff, 0xd9, 0]))).toBe(true);
  });
});
