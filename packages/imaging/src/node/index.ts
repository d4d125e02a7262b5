// @radlab/imaging/node: the decoder worker pool on Node's worker_threads (CLI, tests, benches).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { createWorkerDecoder, type ImagingDecoder, type WorkerLike } from '../worker/decoder.js';
import { setGunzip, type GunzipFn } from '../worker/niftiSize.js';

/** zlib's inflate for .nii.gz (fflate is the portable default); bounded by the expected size. */
export const zlibGunzip: GunzipFn = (gz, size) => {
  const out = gunzipSync(gz, { maxOutputLength: Math.max(1, size) });
  // a Buffer may sit in a larger pooled ArrayBuffer: callers want one of its own
  return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength
    ? new Uint8Array(out.buffer, 0, out.byteLength)
    : new Uint8Array(out);
};
setGunzip(zlibGunzip);

/** The built worker entry (lib/worker/entry.js), also when this module runs from src/ in tests. */
export function workerEntryUrl(): URL {
  const beside = new URL('../worker/entry.js', import.meta.url);
  return existsSync(fileURLToPath(beside))
    ? beside
    : new URL('../../lib/worker/entry.js', import.meta.url);
}

/**
 * A decoder worker makes little JS garbage (pixels live in transferred buffers and WASM memory),
 * yet V8 grows each isolate's young generation to tens of MB under a steady request rate: capped,
 * a series loads with ~0.3× its pixel bytes less peak memory, at no measured speed cost.
 */
const WORKER_YOUNG_GENERATION_MB = 2;

/** One worker_threads decoder worker, adapted to the pool's WorkerLike. */
export function spawnNodeWorker(entry: URL = workerEntryUrl()): WorkerLike & { thread: Worker } {
  const thread = new Worker(entry, {
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }
  });
  return {
    thread,
    postMessage: (message, transfer) => thread.postMessage(message, transfer),
    addEventListener: (type, listener) => {
      if (type === 'message') thread.on('message', data => listener({ data }));
      else if (type === 'messageerror') thread.on('messageerror', error => listener({ error }));
      else {
        thread.on('error', error => listener({ message: error.message, error }));
        thread.on('exit', code => listener({ message: `the worker exited with code ${code}` }));
      }
    },
    terminate: () => thread.terminate(),
    ref: () => thread.ref(),
    unref: () => thread.unref()
  };
}

/** A pool of `size` worker_threads decoders (default: the cores less one, 1 to 4). */
export function createNodeDecoder(size?: number): ImagingDecoder {
  const n = size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const entry = workerEntryUrl();
  return createWorkerDecoder({ size: n, spawn: () => spawnNodeWorker(entry) });
}

export { createInlineDecoder, createWorkerDecoder } from '../worker/decoder.js';
export type { ImagingDecoder, WorkerLike } from '../worker/decoder.js';
export * from '../catalog/index.js';
