// JPEG 2000 (1.2.840.10008.1.2.4.90/91) with OpenJPEG compiled to WASM, loaded once on first use.
import { ImagingError } from '../../errors.js';
import { runWasmDecoder, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type OpenJpeg = { J2KDecoder: new () => RadlabWasmDecoder };
const loadOpenJpeg = lazyWasm<OpenJpeg>(() => import('@cornerstonejs/codec-openjpeg/decodewasmjs'));
let decoder: RadlabWasmDecoder | undefined;

export async function decodeJpeg2000(frame: Uint8Array): Promise<CodecOutput> {
  const codec = await loadOpenJpeg();
  decoder ??= new codec.J2KDecoder();
  try {
    const { bytes, info } = runWasmDecoder(decoder, frame);
    // OpenJPEG applies the inverse component transform (RCT/ICT) and interleaves components.
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
      message: `JPEG 2000 decode failed: ${String(cause)}`,
      cause
    });
  }
}
