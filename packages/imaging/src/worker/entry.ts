// Decoder worker entry: runs as a Web Worker (module type) and as a Node worker_threads worker.
// Both speak postMessage; only the way to reach the parent differs, hence the small adapter.
import { handleRequest } from './handler.js';
import { setWasmLocator } from '../dicom/decode/wasm.js';
import { setGunzip } from './niftiSize.js';
import { serializeError, type ConfigureMessage, type DecodeRequest } from './protocol.js';

interface ParentPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface NodeParentPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: unknown) => void): void;
}

interface WorkerGlobal {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

function listen(port: ParentPort): void {
  port.onMessage(message => {
    const configure = message as Partial<ConfigureMessage>;
    if (configure.op === 'configure') {
      const base = String(configure.wasmBaseUrl);
      setWasmLocator(file => new URL(file, base).href);
      return;
    }
    void handleRequest(message as DecodeRequest).then(({ response, transfer }) => {
      try {
        port.postMessage(response, transfer);
      } catch (error) {
        // A result that does not clone must still answer its request.
        port.postMessage({ id: response.id, ok: false, error: serializeError(error) });
      }
    });
  });
}

const g = globalThis as unknown as Partial<WorkerGlobal>;
if (typeof g.postMessage === 'function' && typeof g.addEventListener === 'function') {
  // Web Worker: listen synchronously, so no message arrives before the listener does.
  const self = g as WorkerGlobal;
  listen({
    postMessage: (m, t) => self.postMessage(m, t ?? []),
    onMessage: l => self.addEventListener('message', e => l(e.data))
  });
} else {
  // Node: parentPort queues messages until a listener is attached. A computed specifier keeps
  // browser bundlers from resolving the Node module.
  const specifier = 'node:worker_threads';
  const { parentPort } = (await import(/* webpackIgnore: true */ specifier)) as {
    parentPort: NodeParentPort | null;
  };
  if (!parentPort) throw new Error('@radlab/imaging worker entry loaded outside a worker.');
  const zlib = 'node:zlib';
  const { gunzipSync } = (await import(/* webpackIgnore: true */ zlib)) as {
    gunzipSync: (b: Uint8Array, o: { maxOutputLength: number }) => Uint8Array;
  };
  // zlib inflates .nii.gz 2–3× faster than the portable fflate
  setGunzip((gz, size) => {
    const out = gunzipSync(gz, { maxOutputLength: Math.max(1, size) });
    return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength
      ? new Uint8Array(out.buffer, 0, out.byteLength)
      : out.slice();
  });
  listen({
    postMessage: (m, t) => parentPort.postMessage(m, t),
    onMessage: l => parentPort.on('message', l)
  });
}
