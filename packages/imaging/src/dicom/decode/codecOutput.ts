// What every compressed-syntax decoder hands back: host-order sample bytes plus the layout facts
// the codec knows better than the header (component order, colour already converted).

import { ImagingError } from '../../errors.js';

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

/** Emscripten codecs throw C++ exceptions as bare numbers (pointers): say what that means. */
export function codecMessage(cause: unknown): string {
  if (typeof cause === 'number')
    return `the codec rejected the codestream (native error ${cause}).`;
  return cause instanceof Error ? cause.message : String(cause);
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

/**
 * One codec's frame decoder: the WASM module loads once, one decoder instance is reused across
 * frames, and a failed decode drops that instance (its state is unknown) and says which codec failed.
 */
export function wasmFrameDecoder<C>(
  label: string,
  load: () => Promise<C>,
  create: (codec: C) => RadlabWasmDecoder
): (
  frame: Uint8Array
) => Promise<{ bytes: Uint8Array; info: RadlabCodecFrameInfo; decoder: RadlabWasmDecoder }> {
  let decoder: RadlabWasmDecoder | undefined;
  return async frame => {
    let codec: C;
    try {
      codec = await load();
    } catch (cause) {
      // the file is fine: the codec's WASM did not load (not shipped, blocked by a CSP, offline)
      throw new ImagingError({
        code: 'codecFailed',
        message: `The ${label} codec could not be loaded: ${codecMessage(cause)}`,
        hint: `This is not the file's fault: the ${label} decoder (WebAssembly) is missing or blocked in this host. Reload; if it persists, report it with this message.`,
        cause
      });
    }
    const current = (decoder ??= create(codec));
    try {
      return { ...runWasmDecoder(current, frame), decoder: current };
    } catch (cause) {
      decoder = undefined;
      throw new ImagingError({
        code: 'codecFailed',
        message: `${label} decode failed: ${codecMessage(cause)}`,
        cause
      });
    }
  };
}
