import { beforeAll, describe, expect, it } from 'vitest';
import { ImagingError } from '../errors.js';
import { grey, rgb, vector, ensureVectors } from '../testing/vectors.js';
import { decodeFrame } from './frame.js';
import { parseDicom } from './parse.js';

beforeAll(() => {
  ensureVectors();
});

async function decode(name: string) {
  const parsed = parseDicom(vector(`dicom/${name}`));
  return { parsed, frame: await decodeFrame(parsed) };
}

describe('decodeFrame: lossless syntaxes made by dcmtk/gdcm reproduce the gradient', () => {
  const unsigned = [
    ['u16_explicit_le.dcm', '1.2.840.10008.1.2.1'],
    ['u16_implicit_le.dcm', '1.2.840.10008.1.2'],
    ['u16_explicit_be.dcm', '1.2.840.10008.1.2.2'],
    ['u16_deflate.dcm', '1.2.840.10008.1.2.1.99'],
    ['u16_rle.dcm', '1.2.840.10008.1.2.5'],
    ['u16_jpegls.dcm', '1.2.840.10008.1.2.4.80'],
    ['u16_j2k.dcm', '1.2.840.10008.1.2.4.90'],
    ['u16_jpeg_lossless.dcm', '1.2.840.10008.1.2.4.70'],
    ['u16_bs12_garbage.dcm', '1.2.840.10008.1.2.1']
  ];
  it.each(unsigned)('%s (%s) unsigned 12-in-16', async (name, uid) => {
    const { parsed, frame } = await decode(name);
    expect(parsed.header.transferSyntaxUID).toBe(uid);
    expect(frame.pixels).toBeInstanceOf(Uint16Array);
    expect(Array.from(frame.pixels)).toEqual(grey());
    expect([frame.minValue, frame.maxValue]).toEqual([0, 4095]);
  });

  it.each([
    's16_explicit_le.dcm',
    's16_rle.dcm',
    's16_jpegls.dcm',
    's16_j2k.dcm',
    's16_jpeg_lossless.dcm',
    's12_garbage.dcm'
  ])('%s signed', async name => {
    const { frame } = await decode(name);
    expect(frame.pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(frame.pixels)).toEqual(grey().map(v => v - 2048));
  });

  it.each(['u8_explicit_le.dcm', 'u8_jpeg_lossless.dcm'])('%s 8-bit grey', async name => {
    const { frame } = await decode(name);
    expect(Array.from(frame.pixels)).toEqual(grey().map(v => v >> 4));
  });

  it.each([
    'rgb8_planar0.dcm',
    'rgb8_planar1.dcm',
    'rgb8_rle.dcm',
    'rgb8_jpegls.dcm',
    'rgb8_j2k.dcm'
  ])('%s RGB comes out interleaved', async name => {
    const { frame } = await decode(name);
    expect(frame.samplesPerPixel).toBe(3);
    expect(frame.photometricInterpretation).toBe('RGB');
    expect(Array.from(frame.pixels)).toEqual(rgb());
  });
});

describe('decodeFrame: colour and lossy', () => {
  it('YBR_FULL converts to RGB within rounding', async () => {
    const { frame } = await decode('ybr_full_planar0.dcm');
    expect(frame.photometricInterpretation).toBe('RGB');
    const want = rgb();
    const worst = Math.max(...Array.from(frame.pixels, (v, i) => Math.abs(v - want[i])));
    expect(worst).toBeLessThanOrEqual(2);
  });

  it.each([
    ['u8_jpeg_baseline.dcm', grey().map(v => v >> 4), 1],
    ['rgb8_jpeg_baseline.dcm', rgb(), 3]
  ] as const)('%s (JPEG baseline, lossy) is close', async (name, want, spp) => {
    const { parsed, frame } = await decode(name);
    expect(parsed.header.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.50');
    expect(frame.samplesPerPixel).toBe(spp);
    const mean =
      Array.from(frame.pixels, (v, i) => Math.abs(v - want[i])).reduce((a, b) => a + b, 0) /
      want.length;
    expect(mean).toBeLessThan(4);
    if (spp === 3) expect(frame.photometricInterpretation).toBe('RGB');
  });

  it('MONOCHROME1 sets the invert flag, values untouched', async () => {
    const { frame } = await decode('u8_monochrome1.dcm');
    expect(frame.invert).toBe(true);
    expect(frame.pixels[1]).toBe(0);
    expect(frame.pixels[4095]).toBe(255);
  });

  it('explicit LE decoding is a view on the file (no copy)', async () => {
    const bytes = vector('dicom/u16_explicit_le.dcm');
    const frame = await decodeFrame(parseDicom(bytes));
    expect(frame.pixels.buffer).toBe(bytes.buffer);
  });

  it('an unsupported syntax fails naming it', async () => {
    const parsed = parseDicom(vector('dicom/u16_explicit_le.dcm'));
    parsed.header.transferSyntaxUID = '1.2.840.10008.1.2.4.100';
    await expect(decodeFrame(parsed)).rejects.toThrow(
      /MPEG2 Main Profile.*1\.2\.840\.10008\.1\.2\.4\.100/
    );
    await expect(decodeFrame(parsed)).rejects.toBeInstanceOf(ImagingError);
  });
});
