// JPEG Baseline 8-bit (1.2.840.10008.1.2.4.50) with libjpeg-turbo compiled to WASM, loaded once.
import { wasmFrameDecoder, type ByteSink, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type LibJpegTurbo = { JPEGDecoder: new () => RadlabWasmDecoder };
const loadLibJpegTurbo = lazyWasm<LibJpegTurbo>(
  () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')
);

const decode = wasmFrameDecoder(
  'JPEG baseline',
  loadLibJpegTurbo,
  codec => new codec.JPEGDecoder()
);

export async function decodeJpegBaseline(frame: Uint8Array, sink?: ByteSink): Promise<CodecOutput> {
  const { bytes, info } = await decode(frame, sink);
  // libjpeg converts YCbCr to RGB and interleaves: the header's YBR_FULL_422 no longer applies.
  return {
    bytes,
    owned: true,
    planarConfiguration: 0,
    rgb: info.componentCount === 3,
    bitsPerSample: info.bitsPerSample,
    components: info.componentCount
  };
}
