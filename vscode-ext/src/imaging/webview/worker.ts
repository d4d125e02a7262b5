// The decoder worker's script in the imaging webview (dist/webview/imaging-worker.js, see
// esbuild.mjs). A webview cannot start a worker from its resource origin, so main.ts fetches this
// file and starts it from a blob: URL; the pool's configure message tells it where the .wasm are.
import '@radlab/imaging/worker';
import { WORKER_READY } from '@radlab/imaging';

// the entry listens now: the pool may send its requests
(globalThis as unknown as { postMessage(message: unknown): void }).postMessage(WORKER_READY);
