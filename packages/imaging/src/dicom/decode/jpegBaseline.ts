// JPEG Baseline 8-bit (1.2.840.10008.1.2.4.50) with libjpeg-turbo compiled to WASM, loaded once.
import { ImagingError } from '../../errors.js';
import { runWasmDecoder, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type LibJpegTurbo = { JPEGDecoder: new () => RadlabWasmDecoder };
const loadLibJpegTurbo = lazyWasm<LibJpegTurbo>(
  () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')
);
let decoder: RadlabWasmDecoder | undefined;

export async function decodeJpegBaseline(frame: Uint8Array): Promise<CodecOutput> {
  const codec = await loadLibJpegTurbo();
  decoder ??= new codec.JPEGDecoder();
  try {
    const { bytes, info } = runWasmDecoder(decoder, frame);
    // libjpeg converts YCbCr to RGB and interleaves: the header's YBR_FULL_422 no longer applies.
    return {
      bytes,
      planarConfiguration: 0,
      rgb: info.componentCount === 3,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount
    };
  } catch (cause) {
    decoder = undefined;
    throw new ImagingError({
      code: 'codecFailed',
      message: `JPEG baseline decode failed: ${String(cause)}`,
      cause
    });
  }
}
