// The 12-bit JPEG decoder against dcmtk: streams made by dcmcjpeg (process 4), decoded by dcmdjpeg
// (IJG 6b, islow IDCT) as ground truth, bit-exact; and corrupt streams → ImagingError.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImagingError } from '../../errors.js';
import { ensureVectors } from '../../testing/vectors.js';
import { decodeFrame, frameData } from '../frame.js';
import { parseDicom } from '../parse.js';
import { decodeJpegExtended12 } from './jpegExtended12.js';

const dir = mkdtempSync(join(tmpdir(), 'radlab-jpeg12-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const source = (name: string): string => join(ensureVectors(), 'dicom', name);

// dcmtk's warnings (e.g. on 12-bit colour) would only clutter the test output.
const run = (tool: string, args: string[]): void => {
  execFileSync(tool, args, { stdio: 'pipe' });
};

/** dcmcjpeg `args` on `src` → a 12-bit JPEG extended file, and dcmdjpeg's decode of it. */
function encoded(src: string, name: string, args: string[]): { jpeg: string; reference: string } {
  const jpeg = join(dir, `${name}.dcm`);
  const reference = join(dir, `${name}.reference.dcm`);
  run('dcmcjpeg', ['+ee', ...args, src, jpeg]);
  run('dcmdjpeg', [jpeg, reference]);
  return { jpeg, reference };
}

async function pixels(path: string) {
  return decodeFrame(parseDicom(new Uint8Array(readFileSync(path))));
}

/**
 * A JPEG stream wrapped by img2dcm as `${base}.dcm`, decoded by us and by dcmdjpeg: `length`
 * samples, equal to the last bit. Returns ours.
 */
async function decodedAsDcmtk(base: string, jpeg: Uint8Array, length: number) {
  writeFileSync(`${base}.jpg`, jpeg);
  run('img2dcm', [`${base}.jpg`, `${base}.dcm`]);
  run('dcmdjpeg', [`${base}.dcm`, `${base}.reference.dcm`]);
  const got = await pixels(`${base}.dcm`);
  const want = await pixels(`${base}.reference.dcm`);
  expect(got.pixels.length).toBe(length);
  expect(maxDiff(got.pixels, want.pixels)).toBe(0);
  return got;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Position of the frame header's FF marker. */
function sofAt(data: Uint8Array): number {
  return data.findIndex((b, i) => b === 0xff && (data[i + 1] === 0xc0 || data[i + 1] === 0xc1));
}

/** The (H << 4 | V) sampling byte of each component in the frame header. */
function sampling(data: Uint8Array): number[] {
  const sof = sofAt(data);
  return Array.from({ length: data[sof + 9] }, (_, k) => data[sof + 11 + 3 * k]);
}

/** A synthetic 37×21 stream with these sampling factors. */
function synth(factors: readonly number[], interleaved = true): Uint8Array {
  return synthJpeg({
    width: 37,
    height: 21,
    components: factors.length,
    interleaved,
    restart: 0,
    seed: 3,
    sampling: factors
  });
}

/** The marker segments of a stream, by marker byte. */
function markers(data: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 2; i + 3 < data.length;) {
    const m = data[i + 1];
    found.push(m);
    if (m === 0xda) break;
    i += 2 + ((data[i + 2] << 8) | data[i + 3]);
  }
  return found;
}

/**
 * A minimal 12-bit sequential JPEG encoder for what dcmcjpeg cannot make (restart intervals, odd
 * sizes, non-interleaved scans, large coefficients, any sampling factors): random quantised
 * blocks with flat Huffman tables. The decoder is then checked against dcmdjpeg on the same stream.
 */
function synthJpeg(o: {
  width: number;
  height: number;
  components: number;
  interleaved: boolean;
  restart: number;
  seed: number;
  /** Per component H << 4 | V, as in the frame header; 0x11 for all by default. */
  sampling?: readonly number[];
}): Uint8Array {
  let state = o.seed;
  const rand = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const bytes: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]): void => {
    bytes.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body);
  };
  // Table 0 with 16-bit entries (some above 255), table 1 with 8-bit entries; zigzag order.
  const q0 = Array.from({ length: 64 }, (_, k) => (k === 0 ? 1 + rand(16) : 1 + rand(400)));
  const q1 = Array.from({ length: 64 }, () => 1 + rand(60));
  segment(0xdb, [0x10, ...q0.flatMap(v => [v >> 8, v & 255]), 0x01, ...q1]);
  const ids = Array.from({ length: o.components }, (_, c) => c + 1);
  const sampling = o.sampling ?? ids.map(() => 0x11);
  segment(0xc1, [
    12,
    o.height >> 8,
    o.height & 255,
    o.width >> 8,
    o.width & 255,
    o.components,
    ...ids.flatMap((id, c) => [id, sampling[c], c ? 1 : 0])
  ]);
  // DC: categories 0..15 all 5-bit codes; AC: EOB, ZRL and (run, size ≤ 10) all 8-bit codes.
  const acSymbols = [0x00, 0xf0];
  for (let r = 0; r < 16; r++) for (let sz = 1; sz <= 10; sz++) acSymbols.push((r << 4) | sz);
  const counts = (len: number, n: number) =>
    Array.from({ length: 16 }, (_, i) => (i === len - 1 ? n : 0));
  segment(0xc4, [0x00, ...counts(5, 16), ...Array.from({ length: 16 }, (_, i) => i)]);
  segment(0xc4, [0x10, ...counts(8, acSymbols.length), ...acSymbols]);
  if (o.restart) segment(0xdd, [o.restart >> 8, o.restart & 255]);

  let acc = 0;
  let nbits = 0;
  const put = (value: number, len: number): void => {
    for (let b = len - 1; b >= 0; b--) {
      acc = (acc << 1) | ((value >> b) & 1);
      if (++nbits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0);
        acc = 0;
        nbits = 0;
      }
    }
  };
  const flush = (): void => {
    if (nbits) put(0x7f, 8 - nbits); // pad with 1-bits
  };
  const category = (v: number): number => (v === 0 ? 0 : 32 - Math.clz32(Math.abs(v)));
  const bitsOf = (v: number, sz: number): number => (v < 0 ? v + (1 << sz) - 1 : v);
  const hmax = Math.max(...sampling.map(s => s >> 4));
  const vmax = Math.max(...sampling.map(s => s & 15));
  const pred = new Array<number>(o.components).fill(0);
  const block = (c: number): void => {
    const dc = rand(2) ? rand(3600) - 1800 : rand(60) - 30;
    const diff = dc - pred[c];
    pred[c] = dc;
    const t = category(diff);
    put(t, 5);
    if (t) put(bitsOf(diff, t), t);
    let run = 0;
    const density = rand(4); // some blocks DC-only, some busy
    for (let k = 1; k < 64; k++) {
      const v =
        rand(8) < density ? (rand(2) ? 1 : -1) * (1 + (rand(10) ? rand(20) : rand(1000))) : 0;
      if (!v) {
        run++;
        continue;
      }
      for (; run > 15; run -= 16) put(acSymbols.indexOf(0xf0), 8);
      const sz = category(v);
      put(acSymbols.indexOf((run << 4) | sz), 8);
      put(bitsOf(v, sz), sz);
      run = 0;
    }
    if (run) put(0, 8); // EOB
  };
  const scan = (comps: number[]): void => {
    segment(0xda, [comps.length, ...comps.flatMap(c => [ids[c], 0x00]), 0, 63, 0]);
    pred.fill(0);
    let rst = 0;
    // T.81 A.2: an interleaved MCU holds H×V blocks of each component and covers 8·Hmax × 8·Vmax
    // pixels; a single-component scan goes block by block over the component's own samples.
    const h = sampling[comps[0]] >> 4;
    const v = sampling[comps[0]] & 15;
    const mcus =
      comps.length > 1
        ? Math.ceil(o.width / (8 * hmax)) * Math.ceil(o.height / (8 * vmax))
        : Math.ceil(Math.ceil((o.width * h) / hmax) / 8) *
          Math.ceil(Math.ceil((o.height * v) / vmax) / 8);
    for (let m = 0; m < mcus; m++) {
      if (o.restart && m > 0 && m % o.restart === 0) {
        flush();
        bytes.push(0xff, 0xd0 + rst);
        rst = (rst + 1) & 7;
        pred.fill(0);
      }
      for (const c of comps) {
        const n = comps.length > 1 ? (sampling[c] >> 4) * (sampling[c] & 15) : 1;
        for (let k = 0; k < n; k++) block(c);
      }
    }
    flush();
  };
  const all = ids.map((_, c) => c);
  if (o.interleaved) scan(all);
  else for (const c of all) scan([c]);
  bytes.push(0xff, 0xd9);
  return Uint8Array.from(bytes);
}

describe('JPEG extended 12-bit (process 4)', () => {
  it('decodes the dcmcjpeg vector bit-exact against dcmdjpeg', async () => {
    const path = source('u16_jpeg_extended.dcm');
    const reference = join(dir, 'u16.reference.dcm');
    run('dcmdjpeg', [path, reference]);
    const got = await pixels(path);
    const want = await pixels(reference);
    expect(got.pixels).toBeInstanceOf(Uint16Array);
    expect(maxDiff(got.pixels, want.pixels)).toBe(0);
    expect(Array.from(got.pixels)).toEqual(Array.from(want.pixels));
  });

  it.each([
    ['low quality: 16-bit quantisation tables', 'u16_explicit_le.dcm', ['+q', '3']],
    ['quality 100', 'u16_explicit_le.dcm', ['+q', '100']],
    ['standard Huffman tables', 'u16_explicit_le.dcm', ['-ho']],
    ['multi-frame', 'mf_u16.dcm', []]
  ])('%s: bit-exact against dcmdjpeg', async (_, src, args) => {
    const { jpeg, reference } = encoded(source(src), src.replace('.dcm', args.join('')), args);
    const parsed = parseDicom(new Uint8Array(readFileSync(jpeg)));
    const ref = parseDicom(new Uint8Array(readFileSync(reference)));
    for (let f = 0; f < parsed.header.numberOfFrames; f++) {
      const got = await decodeFrame(parsed, f);
      const want = await decodeFrame(ref, f);
      expect(maxDiff(got.pixels, want.pixels)).toBe(0);
    }
    if (args[1] === '3') {
      const data = frameData(parsed, 0);
      const dqt = data.indexOf(0xdb, 2);
      expect(data[dqt + 3] >> 4).toBe(1); // Pq = 1: the 16-bit table path ran
    }
  });

  it('RGB 12-bit, 1×1 sampling (YCbCr and RGB coded): bit-exact against dcmdjpeg', async () => {
    for (const mode of ['+s4', '+cr']) {
      const { jpeg, reference } = encoded(source('rgb8_planar0.dcm'), `rgb${mode}`, ['+bt', mode]);
      const got = await pixels(jpeg);
      const want = await pixels(reference);
      expect(got.samplesPerPixel).toBe(3);
      expect(got.photometricInterpretation).toBe('RGB');
      expect(maxDiff(got.pixels, want.pixels)).toBe(0);
    }
  });

  it.each([
    ['grey 37×21, restart every 3 MCUs', 1, true, 3],
    ['grey 64×9, restart every MCU (RST wraps past 7)', 1, true, 1],
    ['3 components interleaved, restart 5', 3, true, 5],
    ['3 components non-interleaved (one scan each), restart 2', 3, false, 2]
  ] as const)(
    'synthetic %s: bit-exact against dcmdjpeg',
    async (name, components, interleaved, restart) => {
      const [width, height] = name.includes('64×9') ? [64, 9] : [37, 21];
      const base = join(dir, `synth-${components}-${interleaved}-${restart}`);
      const got = await decodedAsDcmtk(
        base,
        synthJpeg({ width, height, components, interleaved, restart, seed: 7 }),
        width * height * components
      );
      expect(got.minValue).toBe(0); // large coefficients: the range limit ran at both ends
      expect(got.maxValue).toBe(4095);
    }
  );

  it.each([
    ['4:2:2 (2×1, YBR_FULL_422), make.sh vector', 'rgb12_jpeg_extended_422.dcm', [], 0x21],
    ['4:2:0 (2×2, YBR_FULL), make.sh vector', 'rgb12_jpeg_extended_420.dcm', [], 0x22],
    ['4:2:2 (2×1, YBR_FULL)', 'rgb12_planar0.dcm', ['+n2'], 0x21],
    ['4:2:0 (2×2, YBR_FULL_422)', 'rgb12_planar0.dcm', ['+np'], 0x22],
    ['4:2:2 of 8-bit RGB forced to 12 bits', 'rgb8_planar0.dcm', ['+bt', '+s2'], 0x21]
  ] as const)(
    'subsampled 12-bit colour %s: fancy upsampling bit-exact against dcmdjpeg',
    async (_, src, args, lumaSampling) => {
      const { jpeg, reference } = args.length
        ? encoded(source(src), src.replace('.dcm', args.join('')), [...args])
        : { jpeg: source(src), reference: join(dir, src.replace('.dcm', '.reference.dcm')) };
      if (!args.length) run('dcmdjpeg', [jpeg, reference]);
      const data = frameData(parseDicom(new Uint8Array(readFileSync(jpeg))), 0);
      expect(sampling(data)).toEqual([lumaSampling, 0x11, 0x11]);
      const got = await pixels(jpeg);
      const want = await pixels(reference);
      expect(want.photometricInterpretation).toBe('RGB'); // dcmdjpeg converted YCbCr → RGB
      expect(got.photometricInterpretation).toBe('RGB');
      expect(got.samplesPerPixel).toBe(3);
      expect(got.pixels.length).toBe(want.pixels.length);
      expect(maxDiff(got.pixels, want.pixels)).toBe(0);
    }
  );

  it.each([
    ['4:2:0 37×21 interleaved, restart 2', 37, 21, true, 2, [0x22, 0x11, 0x11]],
    ['4:2:2 37×21 non-interleaved, restart 3', 37, 21, false, 3, [0x21, 0x11, 0x11]],
    ['2×2/1×2/2×1 (h2v1 fancy, vertical ×2) 37×21, restart 1', 37, 21, true, 1, [0x22, 0x12, 0x21]],
    ['4×1/1×1/1×1 (×4 across) 45×13, restart 4', 45, 13, true, 4, [0x41, 0x11, 0x11]],
    ['3×1/1×1/3×1 (×3 across) 50×10', 50, 10, true, 0, [0x31, 0x11, 0x31]],
    [
      '4×4/2×2/1×1 non-interleaved (h2v2 fancy at 2:1, ×4) 70×41, restart 5',
      70,
      41,
      false,
      5,
      [0x44, 0x22, 0x11]
    ],
    [
      '2×2/2×2/1×2 (10 blocks per MCU, h2v1 fancy) 37×21, restart 3',
      37,
      21,
      true,
      3,
      [0x22, 0x22, 0x12]
    ],
    ['4:2:0 5×3 (chroma 3 wide: fancy)', 5, 3, true, 0, [0x22, 0x11, 0x11]],
    ['4:2:0 4×9 (chroma 2 wide: box filter)', 4, 9, true, 0, [0x22, 0x11, 0x11]],
    ['4:2:2 3×17 (chroma 2 wide: box filter)', 3, 17, true, 1, [0x21, 0x11, 0x11]],
    ['grey with 2×2 sampling (one component) 37×21', 37, 21, true, 2, [0x22]]
  ] as const)(
    'synthetic subsampled %s: bit-exact against dcmdjpeg',
    async (_, width, height, interleaved, restart, factors) => {
      const components = factors.length;
      const base = join(
        dir,
        `synth-sub-${factors.map(b => b.toString(16)).join('-')}-${width}x${height}`
      );
      await decodedAsDcmtk(
        base,
        synthJpeg({ width, height, components, interleaved, restart, seed: 1, sampling: factors }),
        width * height * components
      );
    }
  );

  const s420 = [0x22, 0x11, 0x11] as const;

  it('refuses non-integral sampling ratios and sampling factors outside 1..4 clearly', () => {
    const fractional = synth([0x31, 0x21, 0x11]);
    expect(() => decodeJpegExtended12(fractional)).toThrow(
      expect.objectContaining({
        code: 'unsupportedPixelFormat',
        message: expect.stringMatching(/2×1 sampling against 3×1: non-integral/) as unknown
      }) as unknown as Error
    );
    const zero = synth(s420);
    zero[sofAt(zero) + 14] = 0x01; // component 2: H = 0
    expect(() => decodeJpegExtended12(zero)).toThrow(
      expect.objectContaining({
        code: 'malformed',
        message: expect.stringMatching(/0×1/) as unknown
      }) as unknown as Error
    );
  });

  it('refuses an interleaved MCU of more than 10 blocks (T.81 B.2.3)', () => {
    const wide = [0x42, 0x21, 0x11] as const;
    expect(() => decodeJpegExtended12(synth(wide))).toThrow(/11 blocks per MCU/);
    // The same sampling scanned one component at a time is legal.
    expect(decodeJpegExtended12(synth(wide, false)).bytes.length).toBe(37 * 21 * 3 * 2);
  });

  it('counts the chroma planes against the byte limit, before allocating', () => {
    const data = synth(s420);
    const outBytes = 37 * 21 * 3 * 2;
    const planeBytes = 2 * (19 * 11 * 2);
    expect(() => decodeJpegExtended12(data, { maxPixelBytes: outBytes })).toThrow(
      expect.objectContaining({ code: 'tooLarge' }) as unknown as Error
    );
    expect(decodeJpegExtended12(data, { maxPixelBytes: outBytes + planeBytes }).bytes.length).toBe(
      outBytes
    );
  });

  /** Cuts `data` every `step` bytes: each decode ends in an ImagingError; returns SOS's offset. */
  function expectCutsRefused(data: Uint8Array, step: number): number {
    const sos = data.indexOf(0xda, 2);
    for (let cut = 0; cut < data.length - 2; cut += step) {
      // A cut inside the last byte's padding or before EOI can still be whole; all others fail.
      let err: unknown;
      try {
        decodeJpegExtended12(data.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      if (cut < sos + 10) expect(err).toBeInstanceOf(ImagingError);
      else if (err) expect(err).toBeInstanceOf(ImagingError);
    }
    expect(() => decodeJpegExtended12(data.subarray(0, sos + 40))).toThrow(/truncated/);
    return sos;
  }

  /** 199 copies with 4 bytes garbled after `from`: each decodes or fails as an ImagingError. */
  function expectGarbledRefused(data: Uint8Array, from: number): void {
    for (let seed = 1; seed < 200; seed++) {
      const g = data.slice();
      for (let k = 0; k < 4; k++) {
        const at = from + ((seed * 7919 * (k + 1)) % (data.length - from - 2));
        g[at] = (seed * 31 + k * 17) & 0xff;
      }
      try {
        decodeJpegExtended12(g);
      } catch (e) {
        expect(e).toBeInstanceOf(ImagingError);
      }
    }
  }

  it('rejects a truncated or garbled 4:2:0 stream with an ImagingError, never hanging', () => {
    const data = frameData(
      parseDicom(new Uint8Array(readFileSync(source('rgb12_jpeg_extended_420.dcm')))),
      0
    );
    expectGarbledRefused(data, expectCutsRefused(data, 5) + 14);
  });

  const stream = (): Uint8Array =>
    frameData(parseDicom(new Uint8Array(readFileSync(source('u16_jpeg_extended.dcm')))), 0);

  it('rejects a truncated stream at every cut with an ImagingError, never hanging', () => {
    const data = stream();
    expect(markers(data)).toContain(0xc1);
    expectCutsRefused(data, 7);
  });

  it('rejects a corrupt Huffman table and garbled entropy data with an ImagingError', () => {
    const data = stream().slice();
    const dht = data.indexOf(0xc4, 2) - 1;
    // Claim 3 codes of length 1: they cannot fit in one bit.
    const bad = data.slice();
    bad[dht + 5] = 3;
    expect(() => decodeJpegExtended12(bad)).toThrow(ImagingError);
    expect(() => decodeJpegExtended12(bad)).toThrow(/Huffman table/);
    // Garbled scan data: decodes to something or fails as ImagingError, never a bare exception.
    expectGarbledRefused(data, data.indexOf(0xda, 2) + 12);
  });

  it('refuses a frame above the byte limit before allocating', () => {
    expect(() => decodeJpegExtended12(stream(), { maxPixelBytes: 1000 })).toThrow(
      expect.objectContaining({ code: 'tooLarge' }) as unknown as Error
    );
  });
});
