import { describe, expect, it, vi } from 'vitest';
import { ImagingError } from '../errors.js';
import type { WorkerLike } from './decoder.js';
import { WORKER_READY, createFallbackDecoder } from './fallback.js';

type Start = 'ready' | 'error' | 'silent';

/** A worker that announces itself (or fails to), then answers every request with `worker:<op>`. */
class FakeWorker implements WorkerLike {
  readonly received: unknown[] = [];
  announced = false;
  terminated = false;
  private readonly listeners = new Map<string, Array<(event: unknown) => void>>();

  constructor(start: Start) {
    setTimeout(() => {
      if (start === 'ready') {
        this.announced = true;
        this.emit('message', { data: WORKER_READY });
      } else if (start === 'error') this.emit('error', { message: 'script not found' });
    }, 5);
  }

  postMessage(message: unknown): void {
    expect(this.announced).toBe(true); // held until the worker said it listens
    this.received.push(message);
    const m = message as { id?: number; op: string };
    if (m.id !== undefined) {
      setTimeout(() =>
        this.emit('message', { data: { id: m.id, ok: true, result: `worker:${m.op}` } })
      );
    }
  }

  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  terminate(): void {
    this.terminated = true;
  }

  private emit(type: string, event: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

const garbage = (): ArrayBuffer => new Uint8Array(16).buffer;

describe('createFallbackDecoder', () => {
  it('decodes in workers once the first one announces itself, configured with the wasm base', async () => {
    const workers: FakeWorker[] = [];
    const onFallback = vi.fn();
    const decoder = createFallbackDecoder({
      size: 2,
      wasmBaseUrl: 'https://host/static/',
      spawn: () => {
        const w = new FakeWorker('ready');
        workers.push(w);
        return w;
      },
      onFallback
    });
    expect(workers).toHaveLength(0); // nothing starts before the first request
    const results = await Promise.all([
      decoder.dicom(garbage()),
      decoder.nifti(garbage(), 'a.nii'),
      decoder.dicom(garbage())
    ]);
    expect(results).toEqual(['worker:dicom', 'worker:nifti', 'worker:dicom']);
    expect(decoder.kind).toBe('worker');
    expect(onFallback).not.toHaveBeenCalled();
    expect(workers).toHaveLength(2);
    for (const w of workers) {
      expect(w.received[0]).toEqual({ op: 'configure', wasmBaseUrl: 'https://host/static/' });
    }
    decoder.dispose();
    expect(workers.every(w => w.terminated)).toBe(true);
  });

  it.each<[string, Partial<Parameters<typeof createFallbackDecoder>[0]>, RegExp]>([
    ['the worker reports an error', { spawn: () => new FakeWorker('error') }, /script not found/],
    [
      'the Worker constructor throws',
      {
        spawn: () => {
          throw new DOMException('Refused by CSP', 'SecurityError');
        }
      },
      /Refused by CSP/
    ],
    [
      'preparing the script fails',
      {
        spawn: () => new FakeWorker('ready'),
        prepare: () => Promise.reject(new Error('HTTP 404'))
      },
      /HTTP 404/
    ],
    [
      'the worker never answers',
      { spawn: () => new FakeWorker('silent'), readyTimeoutMs: 30 },
      /no answer/
    ]
  ])('falls back to this thread when %s, and says why', async (_, options, reason) => {
    const onFallback = vi.fn();
    const decoder = createFallbackDecoder({
      size: 2,
      spawn: () => new FakeWorker('ready'),
      ...options,
      onFallback
    });
    // decoded here: garbage is a real error from the inline decoder, not a worker's answer
    await expect(decoder.nifti(garbage(), 'a.nii')).rejects.toBeInstanceOf(ImagingError);
    await expect(decoder.dicom(garbage())).rejects.toBeInstanceOf(ImagingError);
    expect(decoder.kind).toBe('inline');
    expect(onFallback).toHaveBeenCalledTimes(1);
    expect(onFallback.mock.calls[0][0]).toMatch(reason);
  });

  it('warns on the console by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const decoder = createFallbackDecoder({ size: 1, spawn: () => new FakeWorker('error') });
    await decoder.dicom(garbage()).catch(() => undefined);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/main thread.*script not found/));
    warn.mockRestore();
  });

  it('rejects requests after dispose', async () => {
    const decoder = createFallbackDecoder({ size: 1, spawn: () => new FakeWorker('ready') });
    decoder.dispose();
    await expect(decoder.dicom(garbage())).rejects.toMatchObject({ code: 'cancelled' });
  });
});
