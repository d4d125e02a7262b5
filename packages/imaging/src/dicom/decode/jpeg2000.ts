// JPEG 2000 (1.2.840.10008.1.2.4.90/91) with OpenJPEG, and High-Throughput JPEG 2000
// (1.2.840.10008.1.2.4.201/202/203) with OpenJPH, both compiled to WASM and loaded on first use.
import { interleavedRgb, wasmFrameDecoder } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type OpenJpeg = { J2KDecoder: new () => RadlabWasmDecoder };
type OpenJph = { HTJ2KDecoder: new () => RadlabWasmDecoder };
const loadOpenJpeg = lazyWasm<OpenJpeg>(() => import('@cornerstonejs/codec-openjpeg/decodewasmjs'));
const loadOpenJph = lazyWasm<OpenJph>(() => import('@cornerstonejs/codec-openjph/wasmjs'));

export const decodeJpeg2000 = interleavedRgb(
  wasmFrameDecoder('JPEG 2000', loadOpenJpeg, codec => new codec.J2KDecoder())
);

export const decodeHtj2k = interleavedRgb(
  wasmFrameDecoder('HTJ2K', loadOpenJph, codec => new codec.HTJ2KDecoder())
);
