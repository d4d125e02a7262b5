// Header-only reads: the header of every syntax from its first bytes, the range grown only for a
// long header, no byte read twice, and a file that ends first handed back whole.
import { describe, expect, it } from 'vitest';
import { vector } from '../testing/vectors.js';
import { pixelDataOffset, readDicomHead, takeHeadParse } from './head.js';
import { parseDicom } from './parse.js';

/** A range reader over `bytes` that records what it was asked for. */
function reader(bytes: Uint8Array) {
  const asked: [number, number | undefined][] = [];
  const read = (start: number, end: number | undefined): Promise<Uint8Array> => {
    asked.push([start, end]);
    return Promise.resolve(bytes.slice(start, end));
  };
  return { read, asked };
}

describe('readDicomHead', () => {
  it.each([
    'dicom/s16_explicit_le.dcm',
    'dicom/u16_implicit_le.dcm',
    'dicom/s16_j2k.dcm',
    'dicom/s16_jpegls.dcm',
    'dicom/mf_u16_rle.dcm'
  ])('reads the header of %s from its first bytes', async name => {
    const full = vector(name);
    const { read, asked } = reader(full);
    const head = await readDicomHead(read, { first: 1024, max: 2 ** 20 });
    const whole = parseDicom(full).header;
    if (head.whole) expect(head.bytes).toEqual(full);
    else {
      expect(pixelDataOffset(head.bytes)).toBeLessThanOrEqual(head.bytes.length);
      expect(head.bytes.length).toBeLessThan(full.length);
      const { header, truncated } = parseDicom(head.bytes, { untilPixelData: true });
      expect(truncated).toBeUndefined();
      expect(header).toEqual(whole);
    }
    // appended ranges: each starts where the last ended
    for (let i = 1; i < asked.length; i++) expect(asked[i][0]).toBe(asked[i - 1][1]);
  });

  it('grows the range for a long header and stops at the end of a small file', async () => {
    const full = vector('dicom/s16_explicit_le.dcm');
    const offset = pixelDataOffset(full)!;
    const { read, asked } = reader(full);
    const head = await readDicomHead(read, { first: 64, max: 2 ** 20, size: full.length });
    expect(head.reads).toBeGreaterThan(1);
    expect(asked[0]).toEqual([0, 64]);
    expect(head.bytes.length).toBeGreaterThanOrEqual(Math.min(offset, full.length));
    const small = await readDicomHead(reader(full).read, { first: full.length * 2, max: 2 ** 20 });
    expect(small).toMatchObject({ whole: true, reads: 1 });
    expect(small.bytes).toEqual(full);
  });

  it('reads a file with no Pixel Data (or not DICOM) to its end, past max in one last range', async () => {
    const text = new TextEncoder().encode('not a dicom file '.repeat(400));
    const { read, asked } = reader(text);
    const head = await readDicomHead(read, { first: 100, max: 1000 });
    expect(head.whole).toBe(true);
    expect(head.bytes).toEqual(text);
    expect(asked.at(-1)).toEqual([400, undefined]);
  });
});

describe('the header parsed once', () => {
  it('parseDicom of the bytes pixelDataOffset parsed reads the same header from its parse', () => {
    const full = vector('dicom/s16_explicit_le.dcm');
    const head = full.slice(0, (pixelDataOffset(full.slice()) ?? 0) + 8);
    const fresh = parseDicom(head.slice(), { untilPixelData: true, revealPhi: true });
    expect(pixelDataOffset(head)).toBeDefined();
    const reused = parseDicom(head, { untilPixelData: true, revealPhi: true });
    expect(reused.header).toEqual(fresh.header);
    // taken once: the next parse of the same bytes parses them again
    expect(takeHeadParse(head)).toBeUndefined();
  });

  it('keeps no parse of a deflated data set (parseDicom inflates it within its bound)', () => {
    const deflated = vector('dicom/u16_deflate.dcm');
    pixelDataOffset(deflated);
    expect(takeHeadParse(deflated)).toBeUndefined();
  });
});
