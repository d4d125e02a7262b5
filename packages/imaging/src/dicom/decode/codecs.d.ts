// Ambient types for the codec packages, which ship none (jpeg-lossless-decoder-js points at a
// .d.ts it does not publish). Only what the decoders call.

interface RadlabCodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface RadlabWasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): RadlabCodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
  getInterleaveMode?(): number;
  delete?(): void;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (o?: object) => Promise<{ JpegLSDecoder: new () => RadlabWasmDecoder }>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (o?: object) => Promise<{ J2KDecoder: new () => RadlabWasmDecoder }>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjph/wasmjs' {
  const factory: (o?: object) => Promise<{ HTJ2KDecoder: new () => RadlabWasmDecoder }>;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (o?: object) => Promise<{ JPEGDecoder: new () => RadlabWasmDecoder }>;
  export default factory;
}
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(
      buffer?: ArrayBuffer,
      offset?: number,
      length?: number,
      numBytes?: number
    ): Uint8Array | Uint16Array;
  }
}
