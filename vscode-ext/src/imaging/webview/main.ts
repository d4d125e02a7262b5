// The script of the imaging webviews (bundled by esbuild.mjs as dist/webview/imaging.js, its CSS as
// dist/webview/imaging.css): @radlab/ui's ImageViewer, reading bytes through the extension host.
// Message types mirror ../webview.ts.
import {
  createFallbackDecoder,
  setWasmLocator,
  type ImagingDecoder,
  type WorkerLike
} from '@radlab/imaging';
import { ImageViewer } from '@radlab/ui';
import type { ImageFile, ImageSource } from '@radlab/ui';
import '@radlab/ui/style/viewer.css';
import './imaging.css';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type HostMessage =
  | {
      type: 'open';
      title: string;
      files: Array<{ id: number; name: string; size?: number }>;
      wasmBase: string;
    }
  | { type: 'bytes'; requestId: number; bytes: unknown }
  | { type: 'readError'; requestId: number; message: string }
  | { type: 'reveal'; requestId: number; ok: boolean }
  | { type: 'overlay'; requestId: number; file?: { id: number; name: string } }
  | { type: 'sidecar'; requestId: number; file?: { id: number; name: string } };

const vscode = acquireVsCodeApi();
const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
let nextRequest = 1;
let viewer: ImageViewer | undefined;
let opening: AbortController | undefined;
let decoder: ImagingDecoder | undefined;

/**
 * Decoding in Web Workers (two, fewer on small machines). The webview's CSP allows workers from
 * blob: only, so the script is fetched (connect-src) and started from a blob: URL; the worker is
 * told the absolute URL of dist/webview/ for the .wasm. If no worker starts: this thread, a warning.
 */
function workerDecoder(base: string): ImagingDecoder {
  let url = '';
  return createFallbackDecoder({
    size: Math.max(1, Math.min(2, (navigator.hardwareConcurrency || 2) - 1)),
    wasmBaseUrl: base,
    // an open but untouched viewer gives back its workers' codec memory after a minute
    idleTimeoutMs: 60_000,
    prepare: async () => {
      const response = await fetch(`${base}imaging-worker.js`);
      if (!response.ok) throw new Error(`the worker script answered HTTP ${response.status}`);
      const script = new Blob([await response.text()], { type: 'text/javascript' });
      url = URL.createObjectURL(script);
    },
    spawn: () =>
      new Worker(url, { type: 'module', name: 'radlab-imaging' }) as unknown as WorkerLike,
    onFallback: reason => {
      console.warn(`Radlab: decoding on the main thread, a worker could not start: ${reason}`);
      vscode.postMessage({
        type: 'log',
        level: 'warn',
        message: `decoding without workers: ${reason}`
      });
    }
  });
}

function ask<T>(message: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
  const requestId = nextRequest++;
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      waiting.delete(requestId);
      const err = new Error('The operation was aborted.');
      err.name = 'AbortError';
      reject(err);
    };
    if (signal?.aborted) return abort();
    signal?.addEventListener('abort', abort, { once: true });
    waiting.set(requestId, {
      resolve: value => {
        signal?.removeEventListener('abort', abort);
        resolve(value as T);
      },
      reject: err => {
        signal?.removeEventListener('abort', abort);
        reject(err);
      }
    });
    vscode.postMessage({ ...message, requestId });
  });
}

function settle(requestId: number, outcome: { value: unknown } | { error: Error }): void {
  const entry = waiting.get(requestId);
  if (!entry) return; // aborted meanwhile
  waiting.delete(requestId);
  if ('error' in outcome) entry.reject(outcome.error);
  else entry.resolve(outcome.value);
}

/** A file the extension host reads for us, by id. */
function hostFile(f: { id: number; name: string; size?: number }): ImageFile {
  return {
    name: f.name,
    size: f.size,
    // a copy would double the memory: the posted Uint8Array is ours alone
    read: signal => ask<Uint8Array>({ type: 'read', id: f.id }, signal),
    // a series' headers are read as a few KiB each, the rest of each file once
    readRange: (start, end, signal) =>
      ask<Uint8Array>(
        { type: 'read', id: f.id, start, ...(end !== undefined ? { end } : {}) },
        signal
      ),
    // a colour table beside a label map: the host looks in the file's folder
    sidecar: async (names, signal) => {
      const found = await ask<{ id: number; name: string } | undefined>(
        { type: 'sidecar', of: f.id, names: [...names] },
        signal
      );
      return found ? hostFile(found) : undefined;
    }
  };
}

function open(message: Extract<HostMessage, { type: 'open' }>): void {
  setWasmLocator(file => message.wasmBase + file);
  opening?.abort();
  viewer?.dispose();
  opening = new AbortController();
  decoder ??= workerDecoder(message.wasmBase);
  viewer = new ImageViewer({
    decoder,
    confirmRevealPhi: () => ask<boolean>({ type: 'confirmReveal' }),
    // the host's open dialog; the chosen file is then read by id like the image's own files
    pickOverlay: async () => {
      const picked = await ask<{ id: number; name: string } | undefined>({ type: 'pickOverlay' });
      return picked ? hostFile(picked) : undefined;
    }
  });
  document.body.replaceChildren(viewer.node);
  const files: ImageFile[] = message.files.map(hostFile);
  const source: ImageSource = { title: message.title, files };
  viewer.open(source, opening.signal).catch((err: unknown) => {
    if (err instanceof Error && err.name === 'AbortError') return;
    vscode.postMessage({
      type: 'log',
      level: 'warn',
      message: `opening failed: ${err instanceof Error ? err.message : String(err)}`
    });
  });
}

/** The posted bytes as a Uint8Array, whatever form the host's transfer gave them. */
function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  const json = value as { type?: string; data?: number[] } | null;
  if (json?.type === 'Buffer' && Array.isArray(json.data)) return Uint8Array.from(json.data);
  throw new Error('The extension sent the file in an unexpected form.');
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'open':
      open(message);
      break;
    case 'bytes':
      try {
        settle(message.requestId, { value: toBytes(message.bytes) });
      } catch (err) {
        settle(message.requestId, { error: err as Error });
      }
      break;
    case 'readError':
      settle(message.requestId, { error: new Error(message.message) });
      break;
    case 'reveal':
      settle(message.requestId, { value: message.ok });
      break;
    case 'overlay':
    case 'sidecar':
      settle(message.requestId, { value: message.file });
      break;
  }
});

window.addEventListener('unload', () => {
  opening?.abort();
  viewer?.dispose();
  decoder?.dispose();
});

vscode.postMessage({ type: 'ready' });
