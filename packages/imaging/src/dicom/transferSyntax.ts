// Transfer syntax UID → how its pixel data is decoded (PS3.5 §8, §10, Annex A).
import { ImagingError } from '../errors.js';

export type DecoderKind =
  | 'native'
  | 'nativeBigEndian'
  | 'rle'
  | 'jpegBaseline'
  | 'jpegLossless'
  | 'jpegls'
  | 'jpeg2000'
  | 'htj2k';

export interface TransferSyntax {
  uid: string;
  name: string;
  /** Undefined when Radlab knows the syntax but cannot decode it. */
  decoder?: DecoderKind;
  lossy: boolean;
}

const TABLE: readonly TransferSyntax[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', decoder: 'native', lossy: false },
  {
    uid: '1.2.840.10008.1.2.1',
    name: 'Explicit VR Little Endian',
    decoder: 'native',
    lossy: false
  },
  {
    uid: '1.2.840.10008.1.2.1.99',
    name: 'Deflated Explicit VR Little Endian',
    decoder: 'native',
    lossy: false
  },
  {
    uid: '1.2.840.10008.1.2.2',
    name: 'Explicit VR Big Endian (retired)',
    decoder: 'nativeBigEndian',
    lossy: false
  },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', decoder: 'rle', lossy: false },
  {
    uid: '1.2.840.10008.1.2.4.50',
    name: 'JPEG Baseline (Process 1)',
    decoder: 'jpegBaseline',
    lossy: true
  },
  {
    // 8-bit (process 2) goes to libjpeg-turbo; no registry codec reads 12-bit (process 4), so
    // decodeFrame routes those streams to Radlab's own decode/jpegExtended12.ts.
    uid: '1.2.840.10008.1.2.4.51',
    name: 'JPEG Extended (Process 2 & 4)',
    decoder: 'jpegBaseline',
    lossy: true
  },
  {
    uid: '1.2.840.10008.1.2.4.57',
    name: 'JPEG Lossless, Non-Hierarchical (Process 14)',
    decoder: 'jpegLossless',
    lossy: false
  },
  {
    uid: '1.2.840.10008.1.2.4.70',
    name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])',
    decoder: 'jpegLossless',
    lossy: false
  },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', decoder: 'jpegls', lossy: false },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Near-Lossless', decoder: 'jpegls', lossy: true },
  {
    uid: '1.2.840.10008.1.2.4.90',
    name: 'JPEG 2000 Image Compression (Lossless Only)',
    decoder: 'jpeg2000',
    lossy: false
  },
  {
    uid: '1.2.840.10008.1.2.4.91',
    name: 'JPEG 2000 Image Compression',
    decoder: 'jpeg2000',
    lossy: true
  },
  {
    uid: '1.2.840.10008.1.2.4.201',
    name: 'High-Throughput JPEG 2000 (Lossless Only)',
    decoder: 'htj2k',
    lossy: false
  },
  {
    uid: '1.2.840.10008.1.2.4.202',
    name: 'High-Throughput JPEG 2000 with RPCL (Lossless Only)',
    decoder: 'htj2k',
    lossy: false
  },
  {
    uid: '1.2.840.10008.1.2.4.203',
    name: 'High-Throughput JPEG 2000',
    decoder: 'htj2k',
    lossy: true
  },
  { uid: '1.2.840.10008.1.2.4.100', name: 'MPEG2 Main Profile / Main Level', lossy: true },
  { uid: '1.2.840.10008.1.2.4.102', name: 'MPEG-4 AVC/H.264 High Profile', lossy: true },
  { uid: '1.2.840.10008.1.2.4.107', name: 'HEVC/H.265 Main Profile', lossy: true },
  { uid: '1.2.840.10008.1.2.4.110', name: 'JPEG XL Lossless', lossy: false },
  { uid: '1.2.840.10008.1.2.4.112', name: 'JPEG XL', lossy: true }
];

const BY_UID = new Map(TABLE.map(t => [t.uid, t]));

/** All transfer syntaxes Radlab knows, decodable or not. */
export const transferSyntaxes: readonly TransferSyntax[] = TABLE;

export function lookupTransferSyntax(uid: string): TransferSyntax | undefined {
  return BY_UID.get(uid.replace(/\0/g, '').trim());
}

/** The decoder for `uid`, or an ImagingError naming the syntax when there is none. */
export function decoderFor(uid: string): DecoderKind {
  const clean = uid.replace(/\0/g, '').trim();
  const ts = BY_UID.get(clean);
  if (ts?.decoder) return ts.decoder;
  // A corrupt UID may hold any bytes: show only what a UID can hold.
  const shown = clean.replace(/[^0-9.]/g, '?').slice(0, 64);
  const name = ts ? `${ts.name} (${clean})` : `unknown transfer syntax ${shown || '(empty)'}`;
  throw new ImagingError({
    code: 'unsupportedTransferSyntax',
    message: `Cannot decode pixel data: ${name} is not supported.`,
    details: { transferSyntaxUID: clean, name: ts?.name }
  });
}
