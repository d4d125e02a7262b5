// A copy cut short (an interrupted download): the reader is told "the file is truncated (N of M
// bytes)", not dicom-parser's "buffer overrun", and the header still reads when it is all there.
import { describe, expect, it } from 'vitest';
import { ImagingError } from '../errors.js';
import { vector } from '../testing/vectors.js';
import { decodeDicom } from './file.js';
import { decodeFrame } from './frame.js';
import { parseDicom } from './parse.js';

function cut(name: string, drop: number): { bytes: Uint8Array; full: number } {
  const full = vector(name);
  return { bytes: full.slice(0, full.length - drop), full: full.length };
}

async function failure(p: Promise<unknown>): Promise<ImagingError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(ImagingError);
  return err as ImagingError;
}

describe('a truncated DICOM file', () => {
  it('keeps its header and says how much is missing when a frame is decoded', async () => {
    const { bytes, full } = cut('dicom/s16_explicit_le.dcm', 300);
    const parsed = parseDicom(bytes);
    expect(parsed.truncated).toEqual({ bytes: full - 300, expected: full });
    expect(parsed.header).toMatchObject({ rows: 64, columns: 64, bitsAllocated: 16 });
    // the File Meta group too (dicom-parser's partial data set leaves it out)
    expect(parsed.header.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(parsed.header.phiMasked).toBe(true);
    const err = await failure(decodeFrame(parsed, 0));
    expect(err.message).toBe(
      `The file is truncated (${full - 300} of ${full} bytes): its pixel data cannot be read.`
    );
    expect(err.message).not.toMatch(/overrun|dicomParser/);
    expect(err.details).toMatchObject({ truncated: true, bytes: full - 300, expected: full });
  });

  it('counts the fragments of encapsulated pixel data', async () => {
    const { bytes, full } = cut('dicom/s16_j2k.dcm', 100);
    const parsed = parseDicom(bytes);
    expect(parsed.truncated).toEqual({ bytes: full - 100, expected: full });
    expect(parsed.header.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.90');
    const err = await failure(decodeFrame(parsed, 0));
    expect(err.message).toMatch(/^The file is truncated \(\d+ of \d+ bytes\)/);
  });

  it('decodes the frames that are whole and names the first one that is not', async () => {
    const whole = decodeDicom(vector('dicom/mf_u16.dcm'));
    const { bytes } = cut('dicom/mf_u16.dcm', 300);
    const parsed = parseDicom(bytes);
    const n = parsed.header.numberOfFrames;
    expect(n).toBeGreaterThan(1);
    const first = await decodeFrame(parsed, 0);
    expect(Array.from(first.pixels)).toEqual(Array.from((await whole).frames[0].pixels));
    const err = await failure(decodeFrame(parsed, n - 1));
    expect(err.message).toContain(`frame ${n} of ${n} cannot be read`);
  });

  it('returns the header alone when no frame is asked for (the viewer shows it)', async () => {
    const { bytes } = cut('dicom/s16_explicit_le.dcm', 300);
    const { header, frames } = await decodeDicom(bytes, { frames: [] });
    expect(frames).toEqual([]);
    expect(header.rows).toBe(64);
    await expect(decodeDicom(bytes)).rejects.toThrow(/The file is truncated/);
  });

  it('says truncated, not "lacks Rows", when the cut is inside the header', () => {
    const bytes = vector('dicom/s16_explicit_le.dcm').slice(0, 400);
    expect(() => parseDicom(bytes)).toThrow(/^The file is truncated \(400 of \d+ bytes\)/);
  });
});
