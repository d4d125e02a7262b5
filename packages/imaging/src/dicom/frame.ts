// One frame of a parsed DICOM image → display-ready stored values (monochrome) or interleaved RGB.
import { ImagingError } from '../errors.js';
import { decodeJpeg2000 } from './decode/jpeg2000.js';
import { decodeJpegBaseline } from './decode/jpegBaseline.js';
import { decodeJpegLossless } from './decode/jpegLossless.js';
import { decodeJpegLs } from './decode/jpegls.js';
import { decodeRle } from './decode/rle.js';
import type { CodecOutput } from './decode/codecOutput.js';
import { dicomParser } from './dicomParser.js';
import type { ParsedDicom } from './parse.js';
import {
  frameByteLength,
  minMax,
  readNativePixels,
  toInterleaved,
  ybrFullToRgb,
  type PixelArray,
  type PixelLayout
} from './pixels.js';
import { decoderFor } from './transferSyntax.js';

export interface DecodedFrame {
  frameIndex: number;
  rows: number;
  columns: number;
  /** 1, or 3 with `pixels` colour-by-pixel RGB. */
  samplesPerPixel: number;
  /** Stored values (before the modality LUT), masked and sign-extended. */
  pixels: PixelArray;
  /** After decoding: MONOCHROME1, MONOCHROME2, RGB or PALETTE COLOR. */
  photometricInterpretation: string;
  /** MONOCHROME1: the minimum is white; the view inverts after the VOI LUT. */
  invert: boolean;
  minValue: number;
  maxValue: number;
}

/** The encoded bytes of frame `frameIndex` (a view into the file where possible). */
export function frameData(parsed: ParsedDicom, frameIndex: number): Uint8Array {
  const { dataSet: ds, header } = parsed;
  const el = ds.elements.x7fe00010;
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
    const fragments = el.fragments ?? [];
    if (header.numberOfFrames === 1) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(
        ds,
        el,
        0,
        fragments.length
      ) as Uint8Array;
    }
    if (el.basicOffsetTable && el.basicOffsetTable.length) {
      return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex) as Uint8Array;
    }
    if (fragments.length === header.numberOfFrames) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(
        ds,
        el,
        frameIndex,
        1
      ) as Uint8Array;
    }
    const table = dicomParser.createJPEGBasicOffsetTable(ds, el);
    return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex, table) as Uint8Array;
  }
  const size = frameByteLength(header);
  const start = el.dataOffset + frameIndex * size;
  if (start + size > ds.byteArray.length) {
    throw new ImagingError({
      code: 'malformed',
      message: `Pixel Data ends before frame ${frameIndex}.`
    });
  }
  return new Uint8Array(ds.byteArray.buffer, ds.byteArray.byteOffset + start, size);
}

async function decodeCompressed(
  kind: string,
  data: Uint8Array,
  layout: PixelLayout
): Promise<CodecOutput> {
  switch (kind) {
    case 'jpegls':
      return decodeJpegLs(data);
    case 'jpeg2000':
      return decodeJpeg2000(data);
    case 'jpegBaseline':
      return decodeJpegBaseline(data);
    default:
      return decodeJpegLossless(data, layout.bitsAllocated, layout.samplesPerPixel);
  }
}

/** Decode frame `frameIndex` (default 0) whatever its transfer syntax. */
export async function decodeFrame(parsed: ParsedDicom, frameIndex = 0): Promise<DecodedFrame> {
  const { header } = parsed;
  const kind = decoderFor(header.transferSyntaxUID);
  const data = frameData(parsed, frameIndex);
  let layout: PixelLayout = header;
  let photometric = header.photometricInterpretation.trim().toUpperCase();
  let pixels: PixelArray;

  if (kind === 'native' || kind === 'nativeBigEndian') {
    pixels = readNativePixels(data, layout, kind === 'native');
  } else if (kind === 'rle') {
    pixels = readNativePixels(decodeRle(data, layout), layout, true);
  } else {
    const out = await decodeCompressed(kind, data, layout);
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
      new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
    );
  }

  if (header.samplesPerPixel > 1) {
    if (layout.planarConfiguration === 1) pixels = toInterleaved(pixels, header.samplesPerPixel);
    if (photometric === 'YBR_FULL' && pixels instanceof Uint8Array) {
      if (pixels.buffer === data.buffer) pixels = pixels.slice();
      ybrFullToRgb(pixels as Uint8Array);
      photometric = 'RGB';
    } else if (photometric === 'YBR_RCT' || photometric === 'YBR_ICT') {
      photometric = 'RGB';
    } else if (photometric !== 'RGB') {
      throw new ImagingError({
        code: 'unsupportedPixelFormat',
        message: `Photometric Interpretation ${photometric} is not supported for ${header.samplesPerPixel}-sample pixels.`
      });
    }
  }
  const { min, max } = minMax(pixels);
  return {
    frameIndex,
    rows: header.rows,
    columns: header.columns,
    samplesPerPixel: header.samplesPerPixel,
    pixels,
    photometricInterpretation: photometric,
    invert: photometric === 'MONOCHROME1',
    minValue: min,
    maxValue: max
  };
}
