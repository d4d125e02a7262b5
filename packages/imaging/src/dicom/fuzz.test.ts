// Fuzz: mutated real files (byte flips, truncations, corrupted length fields and dimensions)
// must each decode or fail with an ImagingError, within a time bound. Cases run in the Node
// worker pool so that a hang is caught (the request is aborted, its worker terminated) instead of
// freezing the test run.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagingError } from '../errors.js';
import { createNodeDecoder } from '../node/index.js';
import { buildImagingLib } from '../testing/build.js';
import { ensureVectors, vector } from '../testing/vectors.js';
import type { ImagingDecoder } from '../worker/decoder.js';

const SEED = Number(process.env.RADLAB_FUZZ_SEED ?? 0x5eed_2024);
// ~12 × 58 files ≈ 700 cases by default; RADLAB_FUZZ_CASES=200 for a deeper run.
const CASES_PER_FILE = Number(process.env.RADLAB_FUZZ_CASES ?? 12);
const CASE_MS = 5000;
const MAX_PIXEL_BYTES = 64 * 1024 ** 2;

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Tags whose length or value matter most: image size, pixel data, encapsulation items.
const TAGS: [number, number][] = [
  [0x0028, 0x0010],
  [0x0028, 0x0011],
  [0x0028, 0x0008],
  [0x0028, 0x0002],
  [0x0028, 0x0100],
  [0x0028, 0x0101],
  [0x0028, 0x0103],
  [0x0002, 0x0010],
  [0x7fe0, 0x0010],
  [0xfffe, 0xe000]
];

function tagPositions(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 < b.length; i++) {
    for (const [g, e] of TAGS) {
      if (
        b[i] === (g & 0xff) &&
        b[i + 1] === g >> 8 &&
        b[i + 2] === (e & 0xff) &&
        b[i + 3] === e >> 8
      )
        out.push(i);
    }
  }
  return out;
}

const SPECIAL = [
  0, 1, 2, 3, 0xff, 0x100, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0xfffffffe, 0xffffffff
];

type Mutation = { kind: string; bytes: Uint8Array };

function mutate(src: Uint8Array, rnd: () => number): Mutation {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const b = src.slice();
  const view = new DataView(b.buffer);
  const choice = rnd();
  if (choice < 0.25) {
    const n = 1 + Math.floor(rnd() * 8);
    // Bias flips toward the data set after the preamble and meta header.
    for (let k = 0; k < n; k++)
      b[132 + Math.floor(rnd() * (b.length - 132))] = Math.floor(rnd() * 256);
    return { kind: `flip×${n}`, bytes: b };
  }
  if (choice < 0.45) {
    const cut = Math.floor(rnd() * b.length);
    return { kind: `truncate@${cut}`, bytes: b.slice(0, cut) };
  }
  const tags = tagPositions(b);
  if (!tags.length) return { kind: 'truncate@200', bytes: b.slice(0, 200) };
  const at = pick(tags);
  if (choice < 0.7) {
    // A length field: 2 bytes after an explicit VR, or 4 bytes (implicit VR, OB/OW, items).
    const wide = rnd() < 0.5;
    const off = at + (wide ? (rnd() < 0.5 ? 4 : 8) : 6);
    const v = rnd() < 0.7 ? pick(SPECIAL) : Math.floor(rnd() * 2 ** 32);
    if (off + 4 <= b.length) {
      if (wide) view.setUint32(off, v >>> 0, true);
      else view.setUint16(off, v & 0xffff, true);
    }
    return { kind: `length@${at}=${v}`, bytes: b };
  }
  // A value: for US elements the value sits at +8 (explicit) or +8 (implicit, length 4 bytes).
  const v = pick(SPECIAL);
  if (at + 10 <= b.length) view.setUint16(at + 8, v & 0xffff, true);
  return { kind: `value@${at}=${v}`, bytes: b };
}

let pool: ImagingDecoder;

beforeAll(() => {
  ensureVectors();
  buildImagingLib();
  pool = createNodeDecoder(2);
}, 120_000);

afterAll(() => pool?.dispose());

async function outcome(bytes: Uint8Array): Promise<'ok' | ImagingError | unknown> {
  try {
    await pool.dicom(bytes.slice().buffer, {
      maxPixelBytes: MAX_PIXEL_BYTES,
      signal: AbortSignal.timeout(CASE_MS)
    });
    return 'ok';
  } catch (error) {
    return error;
  }
}

describe('fuzz: mutated DICOM files decode or fail with ImagingError, never hang', () => {
  const files = readdirSync(join(ensureVectors(), 'dicom')).filter(f => f.endsWith('.dcm'));

  it.each(files)(
    '%s',
    async name => {
      const src = vector(`dicom/${name}`);
      const rnd = prng(SEED ^ [...name].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
      const cases = Array.from({ length: CASES_PER_FILE }, () => mutate(src, rnd));
      const failures: string[] = [];
      const codes = new Map<string, number>();
      await Promise.all(
        cases.map(async c => {
          const r = await outcome(c.bytes);
          const code = r === 'ok' ? 'ok' : r instanceof ImagingError ? r.code : 'other';
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (r !== 'ok' && !(r instanceof ImagingError)) failures.push(`${c.kind}: ${String(r)}`);
          else if (r instanceof ImagingError && r.details?.unexpected)
            failures.push(`${c.kind}: not raised as ImagingError in the worker: ${r.message}`);
          else if (r instanceof ImagingError && r.code === 'cancelled')
            failures.push(`${c.kind}: took over ${CASE_MS} ms`);
          if (
            process.env.RADLAB_FUZZ_DUMP &&
            r !== 'ok' &&
            (!(r instanceof ImagingError) || r.code === 'cancelled' || r.details?.unexpected)
          )
            writeFileSync(
              `${process.env.RADLAB_FUZZ_DUMP}/${name}.${c.kind.replace(/[^\w@=.-]/g, '_')}.dcm`,
              c.bytes
            );
        })
      );
      expect(failures).toEqual([]);
      expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(CASES_PER_FILE);
    },
    120_000
  );

  it('non-DICOM input named .dcm fails clearly', async () => {
    const png = Uint8Array.from([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...new Array(200).fill(0)
    ]);
    const random = new Uint8Array(4096).map((_, i) => (i * 7919) & 0xff);
    for (const bytes of [new Uint8Array(0), png, random, vector('nifti/int16_scl.nii')]) {
      const err = await outcome(bytes);
      expect(err).toBeInstanceOf(ImagingError);
      expect((err as ImagingError).code).toBe('malformed');
      expect((err as ImagingError).message).toMatch(/Not a readable DICOM file/);
    }
  });

  it('absurd dimensions are refused before allocating', async () => {
    const src = vector('dicom/u16_explicit_le.dcm');
    for (const [g, e, v] of [
      [0x0028, 0x0010, 0xffff],
      [0x0028, 0x0011, 0xffff]
    ]) {
      const b = src.slice();
      const at = tagPositions(b).find(p => b[p] === (g & 0xff) && b[p + 2] === (e & 0xff));
      new DataView(b.buffer).setUint16((at as number) + 8, v, true);
      const err = await outcome(b);
      expect(err).toBeInstanceOf(ImagingError);
      // 65535 × 64 × 2 bytes fits the limit but not the file: a clear malformed error.
      expect((err as ImagingError).code).toBe('malformed');
    }
    const err = await pool
      .dicom(src.slice().buffer, { maxPixelBytes: 1000 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'tooLarge' });
  });
});
