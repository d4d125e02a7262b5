// JPEG Baseline 8-bit (1.2.840.10008.1.2.4.50) with libjpeg-turbo compiled to WASM, loaded once.
import { interleavedRgb, wasmFrameDecoder } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type LibJpegTurbo = { JPEGDecoder: new () => RadlabWasmDecoder };
const loadLibJpegTurbo = lazyWasm<LibJpegTurbo>(
  () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')
);

// libjpeg converts YCbCr to RGB and interleaves: the header's YBR_FULL_422 no longer applies.
export const decodeJpegBaseline = interleavedRgb(
  wasmFrameDecoder('JPEG baseline', loadLibJpegTurbo, codec => new codec.JPEGDecoder())
);
