// Where the codecs' WebAssembly files are in the lab: webpack emits each `new URL(…, import.meta.url)`
// as an asset beside the extension's chunks and gives its URL, which the Emscripten loaders are told.
import { setWasmLocator } from '@radlab/imaging';

let done = false;

export function locateCodecWasm(): void {
  if (done) return;
  done = true;
  const urls: Record<string, string> = {
    'openjpegwasm_decode.wasm': new URL('@cornerstonejs/codec-openjpeg/decodewasm', import.meta.url)
      .href,
    'charlswasm_decode.wasm': new URL('@cornerstonejs/codec-charls/decodewasm', import.meta.url)
      .href,
    'libjpegturbowasm_decode.wasm': new URL(
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
      import.meta.url
    ).href,
    // HTJ2K
    'openjphjs.wasm': new URL('@cornerstonejs/codec-openjph/wasm', import.meta.url).href
  };
  setWasmLocator(file => urls[file] ?? file);
}
