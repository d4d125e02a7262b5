// The decoder worker's script in the lab. webpack bundles it as its own chunk (see decoder.ts); the
// codecs' .wasm files are webpack assets with hashed names, so the worker locates them itself, as
// the page does, instead of being told a base URL.
import '@radlab/imaging/worker';
import { WORKER_READY } from '@radlab/imaging';
import { locateCodecWasm } from './wasm.js';

locateCodecWasm();
// the entry listens now: the pool may send its requests
(globalThis as unknown as { postMessage(message: unknown): void }).postMessage(WORKER_READY);
