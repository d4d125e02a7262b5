// A worker pool for hosts (JupyterLab, the VS Code webview) that decodes on the calling thread only
// when no worker can start (a CSP, a bundler or a sandbox that forbids them). The first request
// waits for one worker to announce itself with WORKER_READY; later workers hold their messages
// until they have announced themselves too, so none is lost while a worker's script still loads.
import { ImagingError } from '../errors.js';
import {
  createInlineDecoder,
  createWorkerDecoder,
  type ImagingDecoder,
  type WorkerLike
} from './decoder.js';

/** Posted by a host's worker script once the decoder entry listens (`postMessage(WORKER_READY)`). */
export const WORKER_READY = { op: 'ready' } as const;

export interface FallbackDecoderOptions {
  /** Most workers at once. */
  size: number;
  /** Starts a worker whose script posts WORKER_READY after importing `@radlab/imaging/worker`. */
  spawn: () => WorkerLike;
  /** Runs once before the first worker (e.g. fetching the script for a blob: URL); may reject. */
  prepare?: () => Promise<void>;
  wasmBaseUrl?: string;
  /** How long the first worker may take to announce itself. Default 20 s. */
  readyTimeoutMs?: number;
  /** Told why workers are not used. Default: console.warn. */
  onFallback?: (reason: string) => void;
  /** See WorkerDecoderOptions.idleTimeoutMs. */
  idleTimeoutMs?: number;
}

function isReady(data: unknown): boolean {
  return (data as { op?: unknown } | null)?.op === WORKER_READY.op;
}

function reasonOf(error: unknown): string {
  const e = error as { message?: unknown } | undefined;
  if (typeof e?.message === 'string' && e.message) return e.message;
  return error instanceof Error ? error.name : 'the worker script did not load';
}

interface HeldWorker extends WorkerLike {
  /** Resolves on WORKER_READY, rejects on the worker's error event. */
  ready: Promise<void>;
}

/** Holds posted messages until the worker announces itself; hides that announcement. */
function hold(worker: WorkerLike): HeldWorker {
  const pending: Array<[unknown, ArrayBuffer[]]> = [];
  let open = false;
  let settle: { resolve(): void; reject(e: unknown): void } | undefined;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Only the first worker's readiness is awaited; later ones report failures through the pool.
  ready.catch(() => undefined);
  worker.addEventListener('message', event => {
    if (open || !isReady((event as { data?: unknown }).data)) return;
    open = true;
    for (const [message, transfer] of pending.splice(0)) worker.postMessage(message, transfer);
    settle?.resolve();
  });
  worker.addEventListener('error', event => settle?.reject(event));
  return {
    ready,
    postMessage(message, transfer) {
      if (open) worker.postMessage(message, transfer);
      else pending.push([message, transfer]);
    },
    addEventListener(type, listener) {
      if (type !== 'message') return worker.addEventListener(type, listener);
      worker.addEventListener('message', event => {
        if (!isReady((event as { data?: unknown }).data)) listener(event);
      });
    },
    terminate: () => worker.terminate(),
    ref: worker.ref && (() => worker.ref?.()),
    unref: worker.unref && (() => worker.unref?.())
  };
}

/** Waits for the first worker, then hands it to a pool; any failure on the way → inline decoder. */
async function choose(options: FallbackDecoderOptions): Promise<ImagingDecoder> {
  let first: HeldWorker | undefined;
  try {
    await options.prepare?.();
    first = hold(options.spawn());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = options.readyTimeoutMs ?? 20_000;
    await Promise.race([
      first.ready,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer from the worker in ${limit / 1000} s`)),
          limit
        );
      })
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    try {
      first?.terminate();
    } catch {
      // Never started.
    }
    const warn =
      options.onFallback ??
      ((reason: string) =>
        console.warn(`Radlab: decoding on the main thread, a worker could not start: ${reason}`));
    warn(reasonOf(error));
    return createInlineDecoder();
  }
  let spare: WorkerLike | undefined = first;
  return createWorkerDecoder({
    size: options.size,
    wasmBaseUrl: options.wasmBaseUrl,
    idleTimeoutMs: options.idleTimeoutMs,
    spawn: () => {
      const worker = spare ?? hold(options.spawn());
      spare = undefined;
      return worker;
    }
  });
}

/**
 * An ImagingDecoder on a pool of `size` workers, or on this thread (with a warning) if the first
 * worker fails to start. Nothing starts until the first request. `kind` says which, once known.
 */
export function createFallbackDecoder(options: FallbackDecoderOptions): ImagingDecoder {
  let chosen: Promise<ImagingDecoder> | undefined;
  let current: ImagingDecoder | undefined;
  let disposed = false;
  const get = async (): Promise<ImagingDecoder> => {
    if (disposed)
      throw new ImagingError({ code: 'cancelled', message: 'The decoder was disposed.' });
    chosen ??= choose(options).then(decoder => {
      current = decoder;
      if (disposed) decoder.dispose();
      return decoder;
    });
    return chosen;
  };
  return {
    get kind() {
      return current?.kind ?? 'worker';
    },
    get size() {
      return current?.size ?? Math.max(1, Math.floor(options.size));
    },
    async dicom(bytes, opts) {
      return (await get()).dicom(bytes, opts);
    },
    async nifti(bytes, name, opts) {
      return (await get()).nifti(bytes, name, opts);
    },
    dispose() {
      disposed = true;
      current?.dispose();
    }
  };
}
