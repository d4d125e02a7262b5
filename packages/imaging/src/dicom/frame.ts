// One frame of a parsed DICOM image → display-ready stored values (monochrome) or interleaved RGB.
import { ImagingError } from '../errors.js';
import { decodeHtj2k, decodeJpeg2000 } from './decode/jpeg2000.js';
import { decodeJpegBaseline } from './decode/jpegBaseline.js';
import { decodeJpegExtended12 } from './decode/jpegExtended12.js';
import { decodeJpegLossless } from './decode/jpegLossless.js';
import { decodeJpegLs } from './decode/jpegls.js';
import { decodeRle } from './decode/rle.js';
import { bufferSink, type ByteSink, type CodecOutput } from './decode/codecOutput.js';
import { checkCodestream, endsWithEoi, j2kSize, jpegSize } from './decode/codestream.js';
import { checkPixelBytes } from './limits.js';
import { dicomParser, type DataSet, type Element } from './dicomParser.js';
import { truncatedError, type ParsedDicom } from './parse.js';
import {
  frameByteLength,
  isYbr422,
  minMax,
  readNativePixels,
  toInterleaved,
  ybrFull422ToRgb,
  ybrFullToRgb,
  type PixelArray,
  type PixelLayout
} from './pixels.js';
import { decoderFor } from './transferSyntax.js';
import { paletteToRgb } from '../lut/palette.js';

export interface DecodedFrame {
  frameIndex: number;
  rows: number;
  columns: number;
  /** 1, or 3 with `pixels` colour-by-pixel RGB. */
  samplesPerPixel: number;
  /** Stored values (before the modality LUT), masked and sign-extended. */
  pixels: PixelArray;
  /** After decoding: MONOCHROME1, MONOCHROME2 or RGB (YBR and PALETTE COLOR are converted). */
  photometricInterpretation: string;
  /** MONOCHROME1: the minimum is white; the view inverts after the VOI LUT. */
  invert: boolean;
  minValue: number;
  maxValue: number;
}

/**
 * One frame's bytes out of encapsulated pixel data: all fragments for a single frame; else the
 * Basic Offset Table when it has one entry per frame; else one fragment per frame; else frames
 * found by their JPEG start markers.
 */
function encapsulatedFrame(
  ds: DataSet,
  el: Element,
  frameIndex: number,
  frames: number
): Uint8Array {
  const fragments = el.fragments ?? [];
  if (!fragments.length) {
    throw new ImagingError({
      code: 'malformed',
      message: 'Encapsulated Pixel Data holds no fragments.'
    });
  }
  if (frames === 1) {
    return dicomParser.readEncapsulatedPixelDataFromFragments(
      ds,
      el,
      0,
      fragments.length
    ) as Uint8Array;
  }
  if (el.basicOffsetTable?.length === frames) {
    return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex) as Uint8Array;
  }
  if (fragments.length === frames) {
    return dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, frameIndex, 1) as Uint8Array;
  }
  const table = dicomParser.createJPEGBasicOffsetTable(ds, el);
  return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex, table) as Uint8Array;
}

/** The encoded bytes of frame `frameIndex` (a view into the file where possible). */
export function frameData(parsed: ParsedDicom, frameIndex: number): Uint8Array {
  const { dataSet: ds, header } = parsed;
  const el = ds.elements.x7fe00010;
  const cut = parsed.truncated;
  if (!el && cut) throw truncatedError(cut);
  if (!el)
    throw new ImagingError({
      code: 'malformed',
      message: 'The DICOM file has no Pixel Data (7FE0,0010).'
    });
  if (frameIndex < 0 || frameIndex >= header.numberOfFrames) {
    throw new ImagingError({
      code: 'malformed',
      message: `Frame ${frameIndex} out of range 0..${header.numberOfFrames - 1}.`
    });
  }
  if (el.encapsulatedPixelData) {
    // a fragment cut short cannot be told from the next frame's: refuse them all
    if (cut && (el.fragments ?? []).some(f => f.position + f.length > ds.byteArray.length))
      throw truncatedError(cut);
    try {
      return encapsulatedFrame(ds, el, frameIndex, header.numberOfFrames);
    } catch (cause) {
      if (cause instanceof ImagingError) throw cause;
      throw new ImagingError({
        code: 'malformed',
        message: `Encapsulated Pixel Data: frame ${frameIndex} cannot be located (${cause instanceof Error ? cause.message : String(cause)}).`,
        cause
      });
    }
  }
  const size = frameByteLength(header);
  const start = el.dataOffset + frameIndex * size;
  const end = Math.min(el.dataOffset + el.length, ds.byteArray.length);
  if (start + size > end) {
    if (cut)
      throw truncatedError(
        cut,
        header.numberOfFrames > 1
          ? `frame ${frameIndex + 1} of ${header.numberOfFrames}`
          : undefined
      );
    throw new ImagingError({
      code: 'malformed',
      message: `Pixel Data ends before frame ${frameIndex}: it holds ${Math.max(0, end - el.dataOffset)} bytes, ${header.numberOfFrames} frame(s) of ${size} bytes need ${header.numberOfFrames * size}.`
    });
  }
  return new Uint8Array(ds.byteArray.buffer, ds.byteArray.byteOffset + start, size);
}

const CODEC_LABEL: Record<string, string> = {
  jpegls: 'JPEG-LS',
  jpeg2000: 'JPEG 2000',
  htj2k: 'HTJ2K',
  jpegBaseline: 'JPEG baseline',
  jpegLossless: 'JPEG lossless'
};

async function decodeCompressed(
  kind: string,
  data: Uint8Array,
  layout: PixelLayout,
  sink: ByteSink
): Promise<CodecOutput> {
  const label = CODEC_LABEL[kind] ?? kind;
  const j2k = kind === 'jpeg2000' || kind === 'htj2k';
  const size = checkCodestream(label, j2k ? j2kSize(data) : jpegSize(data), layout);
  // CharLS (WASM) can spin for tens of seconds on a truncated stream before it fails: a stream
  // without its end marker is refused up front.
  if (kind === 'jpegls' && !endsWithEoi(data)) {
    throw new ImagingError({
      code: 'malformed',
      message: `${label}: the codestream is truncated (no end-of-image marker).`
    });
  }
  // 12-bit JPEG extended (process 4): no registry codec reads it, Radlab's own decoder does.
  if (kind === 'jpegBaseline' && size.precision === 12) return decodeJpegExtended12(data);
  if (kind === 'jpegBaseline' && size.precision > 8) {
    throw new ImagingError({
      code: 'unsupportedTransferSyntax',
      message: `Cannot decode pixel data: JPEG with ${size.precision}-bit samples is not supported, only 8 and 12-bit.`,
      details: { precision: size.precision }
    });
  }
  switch (kind) {
    case 'jpegls':
      return decodeJpegLs(data, sink);
    case 'jpeg2000':
      return decodeJpeg2000(data, sink);
    case 'htj2k':
      return decodeHtj2k(data, sink);
    case 'jpegBaseline':
      return decodeJpegBaseline(data, sink);
    default:
      return decodeJpegLossless(data, layout.bitsAllocated, layout.samplesPerPixel);
  }
}

/** `pixels` as a view of `into` from offset 0 (copied there unless already), if it fits. */
function placedIn(pixels: PixelArray, into: ArrayBuffer): PixelArray {
  if (pixels.buffer === into && pixels.byteOffset === 0) return pixels;
  if (pixels.byteLength > into.byteLength) return pixels;
  const Ctor = pixels.constructor as new (b: ArrayBuffer, o: number, n: number) => PixelArray;
  const out = new Ctor(into, 0, pixels.length);
  out.set(pixels);
  return out;
}

export interface DecodeFrameOptions {
  /** Refuse (code `tooLarge`) a frame whose decoded samples exceed this many bytes. Default 1 GiB. */
  maxPixelBytes?: number;
  /**
   * A spare buffer (e.g. the previous frame's, already copied into a volume) to hold the pixels
   * when large enough: decoding a series then makes no garbage frame per slice. The result's
   * `pixels` is then a view of it from offset 0.
   */
  into?: ArrayBuffer;
}

/**
 * Decode frame `frameIndex` (default 0) whatever its transfer syntax. Every failure is an
 * ImagingError: a corrupt file or codestream never escapes as a bare exception.
 */
export async function decodeFrame(
  parsed: ParsedDicom,
  frameIndex = 0,
  options: DecodeFrameOptions = {}
): Promise<DecodedFrame> {
  try {
    return await decodeFrameUnchecked(parsed, frameIndex, options);
  } catch (cause) {
    if (cause instanceof ImagingError) throw cause;
    throw new ImagingError({
      code: 'malformed',
      message: `Frame ${frameIndex} could not be decoded: ${cause instanceof Error ? cause.message : String(cause)}`,
      // Not raised by a decoder on purpose: flagged so the fuzz test and logs can tell.
      details: { unexpected: true },
      cause
    });
  }
}

async function decodeFrameUnchecked(
  parsed: ParsedDicom,
  frameIndex: number,
  options: DecodeFrameOptions
): Promise<DecodedFrame> {
  const { header } = parsed;
  const kind = decoderFor(header.transferSyntaxUID);
  checkPixelBytes(header, 1, options.maxPixelBytes);
  const data = frameData(parsed, frameIndex);
  let layout: PixelLayout = header;
  let photometric = header.photometricInterpretation.trim().toUpperCase();
  let pixels: PixelArray;

  let samplesPerPixel = header.samplesPerPixel;
  if ((kind === 'native' || kind === 'nativeBigEndian') && isYbr422(photometric)) {
    if (header.bitsAllocated !== 8 || header.samplesPerPixel !== 3 || header.columns % 2 !== 0) {
      throw new ImagingError({
        code: 'unsupportedPixelFormat',
        message: `YBR_FULL_422 needs 3 samples of 8 bits and an even number of columns.`
      });
    }
    pixels = ybrFull422ToRgb(data, header.rows, header.columns);
    layout = { ...header, planarConfiguration: 0 };
    photometric = 'RGB';
  } else if (kind === 'native' || kind === 'nativeBigEndian') {
    pixels = readNativePixels(data, layout, kind === 'native');
  } else if (kind === 'rle') {
    pixels = readNativePixels(decodeRle(data, layout), layout, true);
  } else {
    const out = await decodeCompressed(kind, data, layout, bufferSink(options.into));
    if (out.components !== header.samplesPerPixel) {
      throw new ImagingError({
        code: 'codecFailed',
        message: `Codec produced ${out.components} components, the header says ${header.samplesPerPixel}.`
      });
    }
    layout = { ...header, planarConfiguration: out.planarConfiguration };
    if (out.rgb) photometric = 'RGB';
    pixels = readNativePixels(
      out.bytes,
      layout,
      new Uint8Array(new Uint16Array([1]).buffer)[0] === 1,
      out.owned
    );
  }

  if (photometric === 'PALETTE COLOR' && samplesPerPixel === 1) {
    if (!header.palette) {
      throw new ImagingError({
        code: 'unsupportedPixelFormat',
        message:
          'PALETTE COLOR image without readable Red/Green/Blue Palette Color LUTs (segmented palettes are not supported).'
      });
    }
    pixels = paletteToRgb(pixels, header.palette);
    samplesPerPixel = 3;
    photometric = 'RGB';
  } else if (samplesPerPixel > 1) {
    if (layout.planarConfiguration === 1) pixels = toInterleaved(pixels, samplesPerPixel);
    if (photometric === 'RGB') {
      // Already colour-by-pixel RGB.
    } else if (
      (photometric === 'YBR_FULL' || photometric === 'YBR_FULL_422') &&
      pixels instanceof Uint8Array
    ) {
      if (pixels.buffer === data.buffer) pixels = pixels.slice();
      ybrFullToRgb(pixels as Uint8Array);
      photometric = 'RGB';
    } else if (photometric === 'YBR_RCT' || photometric === 'YBR_ICT') {
      photometric = 'RGB';
    } else {
      throw new ImagingError({
        code: 'unsupportedPixelFormat',
        message: `Photometric Interpretation ${photometric} is not supported for ${header.samplesPerPixel}-sample pixels.`
      });
    }
  }
  if (options.into) pixels = placedIn(pixels, options.into);
  const { min, max } = minMax(pixels);
  return {
    frameIndex,
    rows: header.rows,
    columns: header.columns,
    samplesPerPixel,
    pixels,
    photometricInterpretation: photometric,
    invert: photometric === 'MONOCHROME1',
    minValue: min,
    maxValue: max
  };
}
