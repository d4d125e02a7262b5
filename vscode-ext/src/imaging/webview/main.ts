// The script of the imaging webviews (bundled by esbuild.mjs as dist/webview/imaging.js, its CSS as
// dist/webview/imaging.css): @radlab/ui's ImageViewer, reading bytes through the extension host.
// Message types mirror ../webview.ts.
import { setWasmLocator } from '@radlab/imaging';
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
  | { type: 'reveal'; requestId: number; ok: boolean };

const vscode = acquireVsCodeApi();
const waiting = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
let nextRequest = 1;
let viewer: ImageViewer | undefined;
let opening: AbortController | undefined;

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

function open(message: Extract<HostMessage, { type: 'open' }>): void {
  setWasmLocator(file => message.wasmBase + file);
  opening?.abort();
  viewer?.dispose();
  opening = new AbortController();
  viewer = new ImageViewer({
    confirmRevealPhi: () => ask<boolean>({ type: 'confirmReveal' })
  });
  document.body.replaceChildren(viewer.node);
  const files: ImageFile[] = message.files.map(f => ({
    name: f.name,
    size: f.size,
    // a copy would double the memory: the posted Uint8Array is ours alone
    read: signal => ask<Uint8Array>({ type: 'read', id: f.id }, signal)
  }));
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
  }
});

window.addEventListener('unload', () => {
  opening?.abort();
  viewer?.dispose();
});

vscode.postMessage({ type: 'ready' });
