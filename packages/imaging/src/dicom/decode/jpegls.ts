// JPEG-LS (1.2.840.10008.1.2.4.80/81) with CharLS compiled to WASM, loaded once on first use.
import { wasmFrameDecoder, type ByteSink, type CodecOutput } from './codecOutput.js';
import { lazyWasm } from './wasm.js';

type CharLS = { JpegLSDecoder: new () => RadlabWasmDecoder };
const loadCharLS = lazyWasm<CharLS>(() => import('@cornerstonejs/codec-charls/decodewasmjs'));

/** Line-interleaved (ILV_LINE) rows → colour-by-pixel. */
function lineToPixel(
  bytes: Uint8Array,
  width: number,
  height: number,
  comps: number,
  bytesPer: number
): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const rowBytes = width * bytesPer;
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < comps; c++) {
      const src = (y * comps + c) * rowBytes;
      for (let x = 0; x < width; x++) {
        for (let b = 0; b < bytesPer; b++) {
          out[((y * width + x) * comps + c) * bytesPer + b] = bytes[src + x * bytesPer + b];
        }
      }
    }
  }
  return out;
}

const decode = wasmFrameDecoder('JPEG-LS', loadCharLS, codec => new codec.JpegLSDecoder());

export async function decodeJpegLs(frame: Uint8Array, sink?: ByteSink): Promise<CodecOutput> {
  const result = await decode(frame, sink);
  const { info, decoder } = result;
  let bytes = result.bytes;
  const mode = info.componentCount > 1 ? (decoder.getInterleaveMode?.() ?? 2) : 2;
  const bytesPer = info.bitsPerSample > 8 ? 2 : 1;
  if (mode === 1)
    bytes = lineToPixel(bytes, info.width, info.height, info.componentCount, bytesPer);
  return {
    bytes,
    owned: true,
    planarConfiguration: mode === 0 ? 1 : 0,
    rgb: false,
    bitsPerSample: info.bitsPerSample,
    components: info.componentCount
  };
}
