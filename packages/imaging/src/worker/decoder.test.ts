import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagingError } from '../errors.js';
import { createNodeDecoder, spawnNodeWorker } from '../node/index.js';
import { buildImagingLib } from '../testing/build.js';
import { ensureVectors, vector } from '../testing/vectors.js';
import {
  createInlineDecoder,
  createWorkerDecoder,
  type ImagingDecoder,
  type WorkerLike
} from './decoder.js';

function buffer(path: string): ArrayBuffer {
  return vector(path).buffer as ArrayBuffer;
}

let pool: ImagingDecoder;
const inline = createInlineDecoder();

beforeAll(() => {
  ensureVectors();
  // The Node pool runs the built lib/worker/entry.js; build it (incremental, quick when fresh).
  buildImagingLib();
  pool = createNodeDecoder(2);
}, 120_000);

afterAll(() => pool?.dispose());

describe('ImagingDecoder: inline and worker_threads pool agree', () => {
  const dicomFiles = readdirSync(join(ensureVectors(), 'dicom')).filter(f => f.endsWith('.dcm'));

  it.each(dicomFiles)('%s decodes to identical pixels (or the same error)', async name => {
    const a = await inline.dicom(buffer(`dicom/${name}`)).catch((e: unknown) => e as Error);
    const bytes = buffer(`dicom/${name}`);
    const b = await pool.dicom(bytes).catch((e: unknown) => e as Error);
    expect(bytes.byteLength).toBe(0); // transferred to the worker
    if (a instanceof Error) {
      expect(a).toBeInstanceOf(ImagingError);
      expect(b).toBeInstanceOf(ImagingError);
      expect((b as ImagingError).toJSON()).toEqual((a as ImagingError).toJSON());
      return;
    }
    if (b instanceof Error) throw b;
    expect(b.header).toEqual(a.header);
    expect(b.header.phiMasked).toBe(true);
    expect(b.frames).toHaveLength(a.frames.length);
    for (let i = 0; i < a.frames.length; i++) {
      expect(b.frames[i].pixels.constructor).toBe(a.frames[i].pixels.constructor);
      expect(Array.from(b.frames[i].pixels)).toEqual(Array.from(a.frames[i].pixels));
      expect({ ...b.frames[i], pixels: null }).toEqual({ ...a.frames[i], pixels: null });
    }
  });

  it.each(dicomFiles)(
    '%s decodes into recycled buffers to the same pixels, and hands its input back',
    async name => {
      const a = await inline.dicom(buffer(`dicom/${name}`)).catch((e: unknown) => e as Error);
      if (a instanceof Error) return;
      for (const decoder of [inline, pool]) {
        // a file inside a larger buffer (a view), and spares dirtied by an earlier frame
        const file = vector(`dicom/${name}`);
        const backing = new Uint8Array(file.byteLength + 16);
        backing.set(file, 16);
        const spares = a.frames.map(
          f => new Uint8Array(f.pixels.byteLength + 64).fill(0xa5).buffer
        );
        const b = await decoder.dicom(backing.subarray(16), { into: spares });
        for (let i = 0; i < a.frames.length; i++) {
          const pixels = b.frames[i].pixels;
          expect(pixels.constructor).toBe(a.frames[i].pixels.constructor);
          expect(Array.from(pixels)).toEqual(Array.from(a.frames[i].pixels));
          // the frame lives in its spare (workers transfer it there and back)
          expect(pixels.byteOffset).toBe(0);
          expect(pixels.buffer.byteLength).toBe(a.frames[i].pixels.byteLength + 64);
        }
        if (decoder === pool) expect(spares.every(x => x.byteLength === 0)).toBe(true);
        // no frame is a view of the file any more: its buffer comes back for the next read
        expect(b.input?.byteLength).toBe(file.byteLength + 16);
      }
    }
  );

  it('a detached or repeated spare is ignored, not a failure', async () => {
    const name = dicomFiles.find(f => f.includes('jpeg2000')) ?? dicomFiles[0];
    const spare = new ArrayBuffer(1 << 20);
    const first = await pool.dicom(buffer(`dicom/${name}`), { into: [spare] });
    expect(spare.byteLength).toBe(0); // transferred
    const again = await pool.dicom(buffer(`dicom/${name}`), { into: [spare, spare] });
    expect(Array.from(again.frames[0].pixels)).toEqual(Array.from(first.frames[0].pixels));
  });

  it.each([
    'int16_scl.nii',
    'int16_scl.nii.gz',
    'float32_4d.nii.gz',
    'rgb24.nii',
    'int16_nifti2.nii'
  ])('NIfTI %s reads the same in both', async name => {
    const a = await inline.nifti(buffer(`nifti/${name}`), name);
    const b = await pool.nifti(buffer(`nifti/${name}`), name);
    expect(b.data.constructor).toBe(a.data.constructor);
    expect(Array.from(b.data as ArrayLike<number>)).toEqual(
      Array.from(a.data as ArrayLike<number>)
    );
    expect({ ...b, data: null }).toEqual({ ...a, data: null });
  });

  it('runs requests in parallel and answers each its own', async () => {
    const names = ['u16_rle.dcm', 'u16_j2k.dcm', 'u16_jpegls.dcm', 's16_j2k.dcm', 'rgb8_j2k.dcm'];
    const results = await Promise.all(names.map(n => pool.dicom(buffer(`dicom/${n}`))));
    for (const [i, r] of results.entries()) {
      const a = await inline.dicom(buffer(`dicom/${names[i]}`));
      expect(Array.from(r.frames[0].pixels)).toEqual(Array.from(a.frames[0].pixels));
    }
  });

  it('decodes only the listed frames', async () => {
    const r = await pool.dicom(buffer('dicom/u16_j2k.dcm'), { frames: [0] });
    expect(r.frames.map(f => f.frameIndex)).toEqual([0]);
    await expect(pool.dicom(buffer('dicom/u16_j2k.dcm'), { frames: [1] })).rejects.toMatchObject({
      code: 'malformed'
    });
  });
});

describe('ImagingDecoder: errors and cancellation', () => {
  it('a worker error comes back as ImagingError with its code and message', async () => {
    const err = await pool
      .dicom(new TextEncoder().encode('not a dicom file at all').buffer)
      .catch(e => e);
    expect(err).toBeInstanceOf(ImagingError);
    expect(err.code).toBe('malformed');
    expect(err.message).toMatch(/Not a readable DICOM file/);
    expect(err.hint).toBeTruthy();
    const nifti = await pool.nifti(new Uint8Array(600).buffer, 'x.nii.gz').catch(e => e);
    expect(nifti).toBeInstanceOf(ImagingError);
    expect(nifti.message).toMatch(/not gzip/);
  });

  it('refuses more than maxPixelBytes / maxVoxelBytes before decoding', async () => {
    for (const d of [inline, pool]) {
      await expect(
        d.dicom(buffer('dicom/u16_j2k.dcm'), { maxPixelBytes: 8191 })
      ).rejects.toMatchObject({
        code: 'tooLarge'
      });
      await expect(
        d.dicom(buffer('dicom/u16_j2k.dcm'), { maxPixelBytes: 8192 })
      ).resolves.toBeTruthy();
      await expect(
        d.nifti(buffer('nifti/int16_scl.nii.gz'), 'int16_scl.nii.gz', { maxVoxelBytes: 100 })
      ).rejects.toMatchObject({ code: 'tooLarge' });
    }
  });

  it('an aborted request rejects as cancelled and the pool keeps working', async () => {
    const before = new AbortController();
    before.abort();
    await expect(
      pool.dicom(buffer('dicom/u16_rle.dcm'), { signal: before.signal })
    ).rejects.toMatchObject({
      code: 'cancelled'
    });
    await expect(
      inline.dicom(buffer('dicom/u16_rle.dcm'), { signal: before.signal })
    ).rejects.toMatchObject({
      code: 'cancelled'
    });
    const during = new AbortController();
    const running = pool.dicom(buffer('dicom/u16_j2k.dcm'), { signal: during.signal });
    during.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    const again = await pool.dicom(buffer('dicom/u16_j2k.dcm'));
    expect(again.frames[0].maxValue).toBe(4095);
  });

  it('dispose terminates every worker and rejects what is pending', async () => {
    const threads: Promise<number>[] = [];
    const decoder = createWorkerDecoder({
      size: 2,
      spawn: () => {
        const w = spawnNodeWorker();
        threads.push(new Promise(r => w.thread.once('exit', r)));
        return w;
      }
    });
    await Promise.all([
      decoder.dicom(buffer('dicom/u16_rle.dcm')),
      decoder.dicom(buffer('dicom/u16_rle.dcm'))
    ]);
    expect(threads).toHaveLength(2);
    const pending = decoder.dicom(buffer('dicom/u16_j2k.dcm'));
    decoder.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    await Promise.all(threads); // every thread exited
    await expect(decoder.dicom(buffer('dicom/u16_rle.dcm'))).rejects.toBeInstanceOf(ImagingError);
  });
});

describe('createWorkerDecoder over a fake worker', () => {
  function fake(onPost: (w: FakeWorker, message: { id: number }) => void): FakeWorker {
    return new FakeWorker(onPost);
  }
  class FakeWorker implements WorkerLike {
    listeners = new Map<string, ((e: unknown) => void)[]>();
    terminated = false;
    constructor(private onPost: (w: FakeWorker, message: { id: number }) => void) {}
    postMessage(message: unknown): void {
      queueMicrotask(() => this.onPost(this, message as { id: number }));
    }
    addEventListener(type: string, listener: (e: unknown) => void): void {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
    }
    emit(type: string, event: unknown): void {
      for (const l of this.listeners.get(type) ?? []) l(event);
    }
    terminate(): void {
      this.terminated = true;
    }
  }

  it('a crashed worker rejects its request with ImagingError and is replaced', async () => {
    const made: FakeWorker[] = [];
    let crash = true;
    const decoder = createWorkerDecoder({
      size: 1,
      spawn: () => {
        const w = fake((self, m) => {
          if (crash) self.emit('error', { message: 'out of memory' });
          else
            self.emit('message', {
              data: { id: m.id, ok: false, error: { code: 'codecFailed', message: 'bad J2K' } }
            });
        });
        made.push(w);
        return w;
      }
    });
    const err = await decoder.dicom(new ArrayBuffer(4)).catch(e => e);
    expect(err).toBeInstanceOf(ImagingError);
    expect(err).toMatchObject({
      code: 'codecFailed',
      message: 'The decoder worker failed: out of memory'
    });
    expect(made[0].terminated).toBe(true);
    crash = false;
    const second = await decoder.dicom(new ArrayBuffer(4)).catch(e => e);
    expect(second).toMatchObject({ code: 'codecFailed', message: 'bad J2K' });
    expect(second.hint).toMatch(/codec/);
    expect(made).toHaveLength(2);
    decoder.dispose();
    expect(made[1].terminated).toBe(true);
  });

  it('tells each new worker where the .wasm files are before any request', async () => {
    const seen: unknown[] = [];
    class Recording extends FakeWorker {
      override postMessage(message: unknown): void {
        seen.push(message);
        super.postMessage(message);
      }
    }
    const decoder = createWorkerDecoder({
      size: 1,
      wasmBaseUrl: 'https://host/static/wasm/',
      spawn: () =>
        new Recording((self, m) => {
          if ((m as { op?: string }).op === 'configure') return;
          self.emit('message', { data: { id: m.id, ok: true, result: {} } });
        })
    });
    await decoder.dicom(new ArrayBuffer(1));
    expect(seen[0]).toEqual({ op: 'configure', wasmBaseUrl: 'https://host/static/wasm/' });
    expect(seen[1]).toMatchObject({ op: 'dicom', id: 1 });
    decoder.dispose();
  });

  it('terminates a worker idle past idleTimeoutMs and starts a new one on demand', async () => {
    const made: FakeWorker[] = [];
    const decoder = createWorkerDecoder({
      size: 1,
      idleTimeoutMs: 20,
      spawn: () => {
        const w = fake((self, m) =>
          self.emit('message', { data: { id: m.id, ok: true, result: {} } })
        );
        made.push(w);
        return w;
      }
    });
    await decoder.dicom(new ArrayBuffer(1));
    await decoder.dicom(new ArrayBuffer(1));
    expect(made).toHaveLength(1); // busy again before the timeout: kept
    await new Promise(r => setTimeout(r, 60));
    expect(made[0].terminated).toBe(true);
    await decoder.dicom(new ArrayBuffer(1));
    expect(made).toHaveLength(2);
    expect(made[1].terminated).toBe(false);
    decoder.dispose();
    expect(made[1].terminated).toBe(true);
  });

  it('queues beyond the pool size and never runs two requests on one worker', async () => {
    let busy = 0;
    let peak = 0;
    const decoder = createWorkerDecoder({
      size: 2,
      spawn: () =>
        fake((self, m) => {
          busy++;
          peak = Math.max(peak, busy);
          setTimeout(() => {
            busy--;
            self.emit('message', { data: { id: m.id, ok: true, result: { id: m.id } } });
          }, 5);
        })
    });
    const out = await Promise.all(
      Array.from({ length: 7 }, () => decoder.dicom(new ArrayBuffer(1)))
    );
    expect(new Set(out.map(o => (o as unknown as { id: number }).id)).size).toBe(7);
    expect(peak).toBe(2);
    decoder.dispose();
  });
});
