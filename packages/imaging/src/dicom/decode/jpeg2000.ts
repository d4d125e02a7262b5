// JPEG 2000 (1.2.840.10008.1.2.4.90/91) with OpenJPEG, and High-Throughput JPEG 2000
// (1.2.840.10008.1.2.4.201/202/203) with OpenJPH, both compiled to WASM and loaded on first use.
import { wasmFrameDecoder, type ByteSink, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type OpenJpeg = { J2KDecoder: new () => RadlabWasmDecoder };
type OpenJph = { HTJ2KDecoder: new () => RadlabWasmDecoder };
const loadOpenJpeg = lazyWasm<OpenJpeg>(() => import('@cornerstonejs/codec-openjpeg/decodewasmjs'));
const loadOpenJph = lazyWasm<OpenJph>(() => import('@cornerstonejs/codec-openjph/wasmjs'));

/** Both codecs apply the inverse component transform (RCT/ICT) and interleave the components. */
function interleaved(
  decode: (
    frame: Uint8Array,
    sink?: ByteSink
  ) => Promise<{ bytes: Uint8Array; info: RadlabCodecFrameInfo }>
): (frame: Uint8Array, sink?: ByteSink) => Promise<CodecOutput> {
  return async (frame, sink) => {
    const { bytes, info } = await decode(frame, sink);
    return {
      bytes,
      owned: true,
      planarConfiguration: 0,
      rgb: info.componentCount === 3,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount
    };
  };
}

export const decodeJpeg2000 = interleaved(
  wasmFrameDecoder('JPEG 2000', loadOpenJpeg, codec => new codec.J2KDecoder())
);

export const decodeHtj2k = interleaved(
  wasmFrameDecoder('HTJ2K', loadOpenJph, codec => new codec.HTJ2KDecoder())
);
