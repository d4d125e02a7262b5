// ImagingDecoder: decode DICOM and NIfTI off the UI thread. One pool of workers (Web Workers in
// the browser, worker_threads in Node via @radlab/imaging/node), one request per worker at a time;
// buffers are transferred both ways, errors come back as ImagingError, an abort of a running
// request terminates its worker (a codec cannot be interrupted) and a fresh one takes its place.
import type { DecodedDicom } from '../dicom/file.js';
import { ImagingError } from '../errors.js';
import type { NiftiVolume } from '../nifti/read.js';
import { decodeDicomRequest, decodeNiftiRequest } from './handler.js';
import {
  deserializeError,
  serializeError,
  type ConfigureMessage,
  type DecodeRequest,
  type DecodeResponse
} from './protocol.js';

export type { DecodedDicom } from '../dicom/file.js';

export interface DicomDecodeOptions {
  /** Frame indices to decode; default all. */
  frames?: number[];
  /** Limit on the decoded pixel bytes of the request, checked before allocating. Default 1 GiB. */
  maxPixelBytes?: number;
  signal?: AbortSignal;
  /** Return identifying attributes unmasked (an explicit user action). Default false. */
  revealPhi?: boolean;
  /**
   * Spare buffers for the frames' pixels, one per requested frame (transferred: the caller gives
   * them up). Pass back the buffers of frames already copied into a volume, so loading a series
   * makes no garbage frame per slice.
   */
  into?: (ArrayBuffer | undefined)[];
}

export interface NiftiDecodeOptions {
  /** Limit on the voxel bytes, checked from the header before inflating. Default 1 GiB. */
  maxVoxelBytes?: number;
  signal?: AbortSignal;
}

export interface ImagingDecoder {
  /**
   * Parses a whole DICOM file and decodes the listed frames (default: all). PHI stays masked.
   * The buffer (of a view: the whole buffer) may be transferred: the caller must not reuse it,
   * except as handed back in the result's `input`.
   */
  dicom(bytes: ArrayBuffer | Uint8Array, options?: DicomDecodeOptions): Promise<DecodedDicom>;
  /** Reads a NIfTI file (.nii, .nii.gz; name decides gzip) into a NiftiVolume. */
  nifti(bytes: ArrayBuffer, name: string, options?: NiftiDecodeOptions): Promise<NiftiVolume>;
  dispose(): void;
  /** Where decoding runs (hosts and tests tell a worker pool from the same-thread fallback). */
  readonly kind?: 'inline' | 'worker';
  /** Requests decoded at once (the pool's workers; 1 on this thread): loaders size their pipeline by it. */
  readonly size?: number;
}

/** What the pool needs of a worker: a browser `Worker` fits as is; Node's is adapted. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** 'message' events carry `data`; 'error' / 'messageerror' events a `message`. */
  addEventListener(
    type: 'message' | 'error' | 'messageerror',
    listener: (event: unknown) => void
  ): void;
  terminate(): unknown;
  /** Node: keep the process alive while a request runs, not while idle. */
  ref?(): void;
  unref?(): void;
}

export interface WorkerDecoderOptions {
  /** Most workers at once (spawned on demand). */
  size: number;
  spawn: () => WorkerLike;
  /**
   * Where the codecs' .wasm files are served, for bundled hosts (the worker cannot see the page's
   * setWasmLocator). Node needs nothing: the codecs find their files beside their JS.
   */
  wasmBaseUrl?: string;
  /**
   * Terminate a worker idle this long, and with it its codecs' WASM memory (tens of MB each); the
   * next request starts a new one. Default: workers live until dispose().
   */
  idleTimeoutMs?: number;
}

function cancelled(): ImagingError {
  return new ImagingError({ code: 'cancelled', message: 'The decode was cancelled.' });
}

function disposedError(): ImagingError {
  return new ImagingError({ code: 'cancelled', message: 'The decoder was disposed.' });
}

/** Any failure as an ImagingError (decoders throw nothing else, this is the last guard). */
function asImagingError(error: unknown): ImagingError {
  return error instanceof ImagingError ? error : deserializeError(serializeError(error));
}

/** Decodes on the calling thread: tests, the CLI fallback, hosts without workers. */
export function createInlineDecoder(): ImagingDecoder {
  let disposed = false;
  const guard = (signal?: AbortSignal): void => {
    if (disposed) throw disposedError();
    if (signal?.aborted) throw cancelled();
  };
  return {
    kind: 'inline',
    size: 1,
    async dicom(bytes, options = {}) {
      guard(options.signal);
      try {
        return await decodeDicomRequest(bytes, options);
      } catch (error) {
        throw asImagingError(error);
      }
    },
    async nifti(bytes, name, options = {}) {
      guard(options.signal);
      try {
        return decodeNiftiRequest(bytes, name, options);
      } catch (error) {
        throw asImagingError(error);
      }
    },
    dispose() {
      disposed = true;
    }
  };
}

type RequestBody =
  | Omit<Extract<DecodeRequest, { op: 'dicom' }>, 'id'>
  | Omit<Extract<DecodeRequest, { op: 'nifti' }>, 'id'>;

interface Job {
  id: number;
  body: RequestBody;
  resolve(value: unknown): void;
  reject(error: ImagingError): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: WorkerLike;
  job?: Job;
  dead: boolean;
  idle?: ReturnType<typeof setTimeout>;
}

function eventMessage(event: unknown): string {
  const e = event as { message?: unknown; error?: unknown } | undefined;
  if (typeof e?.message === 'string' && e.message) return e.message;
  if (e?.error instanceof Error) return e.error.message;
  return 'unknown error';
}

/** A pool of `size` decoder workers made by `spawn` (e.g. `() => new Worker(url, {type: 'module'})`). */
export function createWorkerDecoder(options: WorkerDecoderOptions): ImagingDecoder {
  const size = Math.max(1, Math.floor(options.size));
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let disposed = false;

  const settle = (job: Job): void => {
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
  };

  const rest = (slot: Slot): void => {
    if (slot.idle !== undefined) clearTimeout(slot.idle);
    slot.idle = undefined;
  };

  const retire = (slot: Slot): void => {
    rest(slot);
    slot.dead = true;
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    try {
      slot.worker.terminate();
    } catch {
      // Already gone.
    }
  };

  const finish = (slot: Slot): Job | undefined => {
    const job = slot.job;
    slot.job = undefined;
    slot.worker.unref?.();
    if (job) settle(job);
    return job;
  };

  const spawn = (): Slot => {
    const slot: Slot = { worker: options.spawn(), dead: false };
    slot.worker.unref?.();
    slot.worker.addEventListener('message', event => {
      if (slot.dead) return;
      const data = (event as { data?: DecodeResponse }).data;
      if (!data || data.id !== slot.job?.id) return;
      const job = finish(slot);
      if (data.ok) job?.resolve(data.result);
      else job?.reject(deserializeError(data.error));
      pump();
    });
    const crashed = (event: unknown): void => {
      if (slot.dead) return;
      const job = finish(slot);
      retire(slot);
      job?.reject(
        new ImagingError({
          code: 'codecFailed',
          message: `The decoder worker failed: ${eventMessage(event)}`
        })
      );
      pump();
    };
    slot.worker.addEventListener('error', crashed);
    slot.worker.addEventListener('messageerror', crashed);
    if (options.wasmBaseUrl) {
      const configure: ConfigureMessage = { op: 'configure', wasmBaseUrl: options.wasmBaseUrl };
      slot.worker.postMessage(configure, []);
    }
    slots.push(slot);
    return slot;
  };

  const start = (slot: Slot, job: Job): void => {
    rest(slot);
    slot.job = job;
    slot.worker.ref?.();
    const message = { ...job.body, id: job.id } as DecodeRequest;
    const spare = job.body.op === 'dicom' ? (job.body.options.into ?? []) : [];
    const input = job.body.bytes instanceof ArrayBuffer ? job.body.bytes : job.body.bytes.buffer;
    const transfer = new Set<ArrayBuffer>();
    if (input instanceof ArrayBuffer) transfer.add(input);
    for (const b of spare) if (b) transfer.add(b);
    try {
      slot.worker.postMessage(message, [...transfer]);
    } catch {
      try {
        // Not transferable (e.g. a view's shared or WASM buffer): copy instead.
        slot.worker.postMessage(message, []);
      } catch (error) {
        finish(slot);
        job.reject(asImagingError(error));
      }
    }
  };

  function pump(): void {
    while (queue.length && !disposed) {
      const slot = slots.find(s => !s.job) ?? (slots.length < size ? spawn() : undefined);
      if (!slot) return;
      start(slot, queue.shift() as Job);
    }
    const timeout = options.idleTimeoutMs;
    if (disposed || timeout === undefined) return;
    for (const slot of slots) {
      if (slot.job || slot.idle !== undefined) continue;
      slot.idle = setTimeout(() => {
        slot.idle = undefined;
        if (!slot.job) retire(slot);
      }, timeout);
      // Node: an idle pool must not keep the process alive
      (slot.idle as { unref?: () => void }).unref?.();
    }
  }

  const submit = <T>(body: RequestBody, signal: AbortSignal | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (disposed) return reject(disposedError());
      if (signal?.aborted) return reject(cancelled());
      const job: Job = {
        id: nextId++,
        body,
        resolve: resolve as (v: unknown) => void,
        reject,
        signal
      };
      if (signal) {
        job.onAbort = () => {
          const queued = queue.indexOf(job);
          if (queued >= 0) queue.splice(queued, 1);
          const slot = slots.find(s => s.job === job);
          if (slot) {
            finish(slot);
            retire(slot);
          }
          settle(job);
          reject(cancelled());
          pump();
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      queue.push(job);
      pump();
    });

  return {
    kind: 'worker',
    size,
    dicom(bytes, opts = {}) {
      const { signal, ...rest } = opts;
      // a detached spare (given twice, or already transferred) would fail the whole request
      if (rest.into) rest.into = rest.into.map(b => (b && b.byteLength > 0 ? b : undefined));
      return submit<DecodedDicom>({ op: 'dicom', bytes, options: rest }, signal);
    },
    nifti(bytes, name, opts = {}) {
      const { signal, ...rest } = opts;
      return submit<NiftiVolume>({ op: 'nifti', bytes, name, options: rest }, signal);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const job of queue.splice(0)) {
        settle(job);
        job.reject(disposedError());
      }
      for (const slot of [...slots]) {
        const job = finish(slot);
        retire(slot);
        job?.reject(disposedError());
      }
    }
  };
}
