// What every compressed-syntax decoder hands back: host-order sample bytes plus the layout facts
// the codec knows better than the header (component order, colour already converted).

export interface CodecOutput {
  /** Decoded samples, host byte order, owned by the caller (copied out of WASM memory). */
  bytes: Uint8Array;
  /** Layout of `bytes`: 0 interleaved, 1 one plane per component. */
  planarConfiguration: 0 | 1;
  /** The codec already produced RGB (JPEG YCbCr, J2K ICT/RCT). */
  rgb: boolean;
  bitsPerSample: number;
  components: number;
}

/** Run an initialised emscripten decoder on one frame and copy its output out of WASM memory. */
export function runWasmDecoder(
  decoder: RadlabWasmDecoder,
  frame: Uint8Array
): { bytes: Uint8Array; info: RadlabCodecFrameInfo } {
  decoder.getEncodedBuffer(frame.length).set(frame);
  decoder.decode();
  const info = decoder.getFrameInfo();
  return { bytes: decoder.getDecodedBuffer().slice(), info };
}
