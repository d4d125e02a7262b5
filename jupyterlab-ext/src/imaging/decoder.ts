// The lab's image decoder: one pool of Web Workers shared by every viewer (each worker holds its own
// codec WebAssembly, so one pool rather than one per document). Decodes on the page, with a console
// warning, only if the first worker cannot start.
import { createFallbackDecoder, type ImagingDecoder, type WorkerLike } from '@radlab/imaging';

let shared: ImagingDecoder | undefined;

/** A minute without decoding: the workers are terminated, and restarted (~0.1 s) when needed. */
const IDLE_TIMEOUT_MS = 60_000;

/** Two workers, fewer on small machines: one core stays with the page. */
export function poolSize(cores = globalThis.navigator?.hardwareConcurrency): number {
  return Math.max(1, Math.min(2, (cores || 2) - 1));
}

export function imagingDecoder(): ImagingDecoder {
  shared ??= createFallbackDecoder({
    size: poolSize(),
    // the pool lives as long as the page: idle workers go, with their codecs' memory
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    // webpack turns this `new Worker(new URL(…, import.meta.url))` into a worker chunk
    spawn: () =>
      new Worker(new URL('./worker.js', import.meta.url), {
        type: 'module',
        name: 'radlab-imaging'
      }) as unknown as WorkerLike
  });
  return shared;
}
