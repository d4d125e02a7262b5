// What every compressed-syntax decoder hands back: host-order sample bytes plus the layout facts
// the codec knows better than the header (component order, colour already converted).

import { ImagingError } from '../../errors.js';

export interface CodecOutput {
  /** Decoded samples, host byte order, owned by the caller (copied out of WASM memory). */
  bytes: Uint8Array;
  /** `bytes` came from the sink (or is otherwise the caller's own): fix-ups may work in place. */
  owned?: boolean;
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

/**
 * Where a decoder puts its output: a view of `byteLength` bytes. Callers building a volume hand in
 * a recycled buffer, so a series decodes without one garbage frame per slice.
 */
export type ByteSink = (byteLength: number) => Uint8Array;

export const newBytes: ByteSink = byteLength => new Uint8Array(byteLength);

/** A sink writing into `buffer` when it is large enough, else into new memory. */
export function bufferSink(buffer: ArrayBuffer | undefined): ByteSink {
  if (!buffer) return newBytes;
  return byteLength =>
    byteLength <= buffer.byteLength ? new Uint8Array(buffer, 0, byteLength) : newBytes(byteLength);
}

/**
 * Run an initialised emscripten decoder on one frame and copy its output out of WASM memory into
 * the sink, synchronously (the WASM view is only valid until the instance decodes again).
 */
export function runWasmDecoder(
  decoder: RadlabWasmDecoder,
  frame: Uint8Array,
  sink: ByteSink = newBytes
): { bytes: Uint8Array; info: RadlabCodecFrameInfo } {
  decoder.getEncodedBuffer(frame.length).set(frame);
  decoder.decode();
  const info = decoder.getFrameInfo();
  const decoded = decoder.getDecodedBuffer();
  const bytes = sink(decoded.byteLength);
  bytes.set(decoded);
  return { bytes, info };
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
  frame: Uint8Array,
  sink?: ByteSink
) => Promise<{ bytes: Uint8Array; info: RadlabCodecFrameInfo; decoder: RadlabWasmDecoder }> {
  let decoder: RadlabWasmDecoder | undefined;
  return async (frame, sink) => {
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
      return { ...runWasmDecoder(current, frame, sink), decoder: current };
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

/**
 * A WASM decoder whose codec interleaves the components and converts colour to RGB itself
 * (OpenJPEG, OpenJPH: the inverse RCT/ICT; libjpeg-turbo: YCbCr), as a CodecOutput decoder.
 */
export function interleavedRgb(
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
