// Lossy syntaxes (and HTJ2K) against the source image: lossless HTJ2K bit-exact, the lossy ones
// within their encoder's stated bound (JPEG-LS NEAR) or a small mean error.
import { describe, expect, it } from 'vitest';
import { grey, rgb, vector } from '../testing/vectors.js';
import { decodeFrame } from './frame.js';
import { parseDicom } from './parse.js';

async function decode(name: string) {
  const parsed = parseDicom(vector(`dicom/${name}`));
  return { header: parsed.header, frame: await decodeFrame(parsed) };
}

function errors(got: ArrayLike<number>, want: number[]): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / want.length };
}

describe('HTJ2K (OpenJPH-encoded)', () => {
  it.each([
    ['u16_htj2k.dcm', '1.2.840.10008.1.2.4.201'],
    ['u16_htj2k_rpcl.dcm', '1.2.840.10008.1.2.4.202']
  ])('%s (%s) lossless is bit-exact', async (name, uid) => {
    const { header, frame } = await decode(name);
    expect(header.transferSyntaxUID).toBe(uid);
    expect(frame.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(frame.pixels)).toEqual(grey());
  });

  it("u16_htj2k_lossy.dcm (.203) matches OpenJPH's own decode, close to the source", async () => {
    const { header, frame } = await decode('u16_htj2k_lossy.dcm');
    expect(header.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.203');
    const pgm = vector('dicom/u16_htj2k_lossy.reference.pgm');
    const body = pgm.subarray(pgm.length - 64 * 64 * 2);
    const reference = Array.from(
      { length: 64 * 64 },
      (_, i) => (body[2 * i] << 8) | body[2 * i + 1]
    );
    expect(Array.from(frame.pixels)).toEqual(reference);
    const e = errors(frame.pixels, grey());
    expect(e.max).toBeGreaterThan(0); // really lossy
    expect(e.mean).toBeLessThan(8);
  });
});

describe('JPEG-LS near-lossless', () => {
  it('u16 with NEAR=2 (dcmtk): every sample within 2', async () => {
    const { header, frame } = await decode('u16_jpegls_near.dcm');
    expect(header.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.81');
    expect(errors(frame.pixels, grey()).max).toBeLessThanOrEqual(2);
  });
  it('RGB with allowed error 3 (gdcm): every sample within 3', async () => {
    const { header, frame } = await decode('rgb8_jpegls_near.dcm');
    expect(header.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.81');
    expect(errors(frame.pixels, rgb()).max).toBeLessThanOrEqual(3);
  });
});

describe('JPEG 2000 lossy (gdcm, irreversible 9/7)', () => {
  it.each([
    ['u16_j2k_lossy.dcm', grey(), 8],
    ['rgb8_j2k_lossy.dcm', rgb(), 10]
  ] as const)("%s matches gdcm's own decode, close to the source", async (name, want, mean) => {
    const { header, frame } = await decode(name);
    expect(header.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.91');
    const reference = await decode(name.replace('.dcm', '.reference.dcm'));
    expect(errors(frame.pixels, Array.from(reference.frame.pixels)).max).toBeLessThanOrEqual(1);
    const e = errors(frame.pixels, [...want]);
    expect(e.max).toBeGreaterThan(0);
    expect(e.mean).toBeLessThan(mean);
  });
});

describe('JPEG extended (1.2.840.10008.1.2.4.51)', () => {
  it('8-bit (process 2) decodes close to the source', async () => {
    const { frame } = await decode('u8_jpeg_extended.dcm');
    expect(
      errors(
        frame.pixels,
        grey().map(v => v >> 4)
      ).mean
    ).toBeLessThan(2);
  });
  // Bit-exact against dcmdjpeg in decode/jpegExtended12.test.ts; here: close to the source.
  it('12-bit (process 4) decodes close to the source', async () => {
    const { frame } = await decode('u16_jpeg_extended.dcm');
    expect(frame.pixels).toBeInstanceOf(Uint16Array);
    const e = errors(frame.pixels, grey());
    expect(e.max).toBeGreaterThan(0); // really lossy
    expect(e.mean).toBeLessThan(4);
  });
});
