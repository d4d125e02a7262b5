// High-Throughput JPEG 2000 (1.2.840.10008.1.2.4.201/202/203) with OpenJPH compiled to WASM,
// loaded once on first use.
import { wasmFrameDecoder, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type OpenJph = { HTJ2KDecoder: new () => RadlabWasmDecoder };
const loadOpenJph = lazyWasm<OpenJph>(() => import('@cornerstonejs/codec-openjph/wasmjs'));

const decode = wasmFrameDecoder('HTJ2K', loadOpenJph, codec => new codec.HTJ2KDecoder());

export async function decodeHtj2k(frame: Uint8Array): Promise<CodecOutput> {
  const { bytes, info } = await decode(frame);
  // OpenJPH applies the inverse component transform and interleaves components.
  return {
    bytes,
    planarConfiguration: 0,
    rgb: info.componentCount === 3,
    bitsPerSample: info.bitsPerSample,
    components: info.componentCount
  };
}
