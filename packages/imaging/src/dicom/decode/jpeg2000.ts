// JPEG 2000 (1.2.840.10008.1.2.4.90/91) with OpenJPEG compiled to WASM, loaded once on first use.
import { wasmFrameDecoder, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type OpenJpeg = { J2KDecoder: new () => RadlabWasmDecoder };
const loadOpenJpeg = lazyWasm<OpenJpeg>(() => import('@cornerstonejs/codec-openjpeg/decodewasmjs'));

const decode = wasmFrameDecoder('JPEG 2000', loadOpenJpeg, codec => new codec.J2KDecoder());

export async function decodeJpeg2000(frame: Uint8Array): Promise<CodecOutput> {
  const { bytes, info } = await decode(frame);
  // OpenJPEG applies the inverse component transform (RCT/ICT) and interleaves components.
  return {
    bytes,
    planarConfiguration: 0,
    rgb: info.componentCount === 3,
    bitsPerSample: info.bitsPerSample,
    components: info.componentCount
  };
}
