// A PACS series as an ImageSource (the viewer's seam for files): WADO-RS metadata (one request for
// the series) orders the instances by their position along the slice normal and gives each one a
// DICOM Part 10 header made from it in memory (ImageFile.head), so the loader's header pass asks the
// PACS nothing;
// an instance's pixels come from WADO-RS frames (uncompressed, Explicit VR Little Endian) when the
// loader decodes it. The header carries the attributes of the image and its geometry only: no
// patient or study attribute is copied from the PACS.
import { ImagingError } from '@radlab/imaging';
import type { ImageFile, ImageSource } from './source.js';

/** DICOM JSON (PS3.18 F.2), as WADO-RS metadata carries it. */
export type DicomJsonInstance = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

/** What the source asks of a DICOMweb client (@radlab/core's DicomWebClient). */
export interface DicomWebSeriesClient {
  seriesMetadata(
    study: string,
    series: string,
    options?: { signal?: AbortSignal }
  ): Promise<DicomJsonInstance[]>;
  frames(
    study: string,
    series: string,
    instance: string,
    frames: number[],
    options?: { signal?: AbortSignal }
  ): Promise<{ transferSyntax?: string; data: Uint8Array }[]>;
}

export interface DicomWebSeriesOptions {
  signal?: AbortSignal;
  /** The viewer's title (default: the series' modality and description). */
  title?: string;
}

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';

/** The attributes copied into a header, in tag order: the image, its pixels and its geometry. */
const COPIED = [
  '00080016', // SOPClassUID
  '00080018', // SOPInstanceUID
  '00080060', // Modality
  '00180050', // SliceThickness
  '00180088', // SpacingBetweenSlices
  '0020000D', // StudyInstanceUID
  '0020000E', // SeriesInstanceUID
  '00200013', // InstanceNumber
  '00200032', // ImagePositionPatient
  '00200037', // ImageOrientationPatient
  '00200052', // FrameOfReferenceUID
  '00280002', // SamplesPerPixel
  '00280004', // PhotometricInterpretation
  '00280006', // PlanarConfiguration
  '00280008', // NumberOfFrames
  '00280010', // Rows
  '00280011', // Columns
  '00280030', // PixelSpacing
  '00280100', // BitsAllocated
  '00280101', // BitsStored
  '00280102', // HighBit
  '00280103', // PixelRepresentation
  '00281050', // WindowCenter
  '00281051', // WindowWidth
  '00281052', // RescaleIntercept
  '00281053', // RescaleSlope
  '00281054', // RescaleType
  '00281055', // WindowCenterWidthExplanation
  '00281056' // VOILUTFunction
];

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'SH', 'TM', 'UI']);
const LONG_VRS = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'UC',
  'UN',
  'UR',
  'UT',
  'SV',
  'UV'
]);

function values(ds: DicomJsonInstance, tag: string): unknown[] {
  return ds[tag]?.Value ?? [];
}
const first = (ds: DicomJsonInstance, tag: string): unknown => values(ds, tag)[0];
const numbers = (ds: DicomJsonInstance, tag: string): number[] =>
  values(ds, tag)
    .map(v => (typeof v === 'number' ? v : Number(v)))
    .filter(n => Number.isFinite(n));
const uid = (ds: DicomJsonInstance, tag: string): string | undefined => {
  const v = first(ds, tag);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};

/** A DS value within its 16 characters. */
function ds(n: number): string {
  const s = String(n);
  if (s.length <= 16) return s;
  for (let p = 15; p > 1; p--) {
    const t = Number(n.toPrecision(p)).toString();
    if (t.length <= 16) return t;
  }
  return n.toExponential(6);
}

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function elementHeader(tag: string, vr: string, length: number): Uint8Array {
  const long = LONG_VRS.has(vr);
  const b = new Uint8Array(long ? 12 : 8);
  const v = new DataView(b.buffer);
  v.setUint16(0, parseInt(tag.slice(0, 4), 16), true);
  v.setUint16(2, parseInt(tag.slice(4, 8), 16), true);
  b[4] = vr.charCodeAt(0);
  b[5] = vr.charCodeAt(1);
  if (long) v.setUint32(8, length, true);
  else v.setUint16(6, length, true);
  return b;
}

function encodeValue(vr: string, vals: unknown[]): Uint8Array | undefined {
  if (TEXT_VRS.has(vr)) {
    const text = vals
      .map(v =>
        typeof v === 'number' ? (vr === 'DS' ? ds(v) : String(Math.round(v))) : String(v ?? '')
      )
      .join('\\');
    const bytes = Uint8Array.from(text, c => c.charCodeAt(0) & 0x7f);
    if (bytes.length % 2 === 0) return bytes;
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    padded[bytes.length] = vr === 'UI' ? 0 : 0x20;
    return padded;
  }
  const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 }[vr];
  if (!size) return undefined;
  const nums = vals.map(v => Number(v));
  const b = new Uint8Array(size * nums.length);
  const d = new DataView(b.buffer);
  nums.forEach((n, i) => {
    if (vr === 'US') d.setUint16(i * 2, n, true);
    else if (vr === 'SS') d.setInt16(i * 2, n, true);
    else if (vr === 'UL') d.setUint32(i * 4, n, true);
    else if (vr === 'SL') d.setInt32(i * 4, n, true);
    else if (vr === 'FL') d.setFloat32(i * 4, n, true);
    else d.setFloat64(i * 8, n, true);
  });
  return b;
}

function element(w: Writer, tag: string, vr: string, vals: unknown[]): void {
  const value = encodeValue(vr, vals);
  if (!value || value.length > 0xffff) return;
  w.push(elementHeader(tag, vr, value.length));
  w.push(value);
}

/** The instance's pixel bytes: rows × columns × samples × bytes per sample × frames. */
export function pixelLength(meta: DicomJsonInstance): number {
  const rows = Number(first(meta, '00280010'));
  const columns = Number(first(meta, '00280011'));
  const samples = Number(first(meta, '00280002') ?? 1) || 1;
  const bits = Number(first(meta, '00280100'));
  const frames = Number(first(meta, '00280008') ?? 1) || 1;
  if (!(rows > 0 && columns > 0 && bits > 0))
    throw new ImagingError({
      code: 'malformed',
      message: 'The PACS metadata of an instance lacks Rows, Columns or BitsAllocated.',
      hint: 'It is not an image; open another series.'
    });
  return Math.ceil((rows * columns * samples * frames * bits) / 8);
}

/**
 * A Part 10 header (preamble, meta group, the copied attributes, Pixel Data's element header) for
 * `meta`'s instance, its pixel data to follow: `length` bytes, Explicit VR Little Endian.
 */
export function part10Header(meta: DicomJsonInstance, length: number): Uint8Array {
  const sopClass = uid(meta, '00080016') ?? '1.2.840.10008.5.1.4.1.1.7';
  const sop = uid(meta, '00080018') ?? '2.25.0';
  const group = new Writer();
  group.push(elementHeader('00020001', 'OB', 2));
  group.push(new Uint8Array([0, 1]));
  element(group, '00020002', 'UI', [sopClass]);
  element(group, '00020003', 'UI', [sop]);
  element(group, '00020010', 'UI', [EXPLICIT_LE]);
  const w = new Writer();
  w.push(new Uint8Array(128));
  w.push(Uint8Array.from('DICM', c => c.charCodeAt(0)));
  element(w, '00020000', 'UL', [group.length]);
  w.push(group.bytes());
  for (const tag of COPIED) {
    const e = meta[tag];
    if (!e?.Value?.length || !e.vr) continue;
    element(w, tag, e.vr, e.Value);
  }
  w.push(
    elementHeader(
      '7FE00010',
      Number(first(meta, '00280100')) > 8 ? 'OW' : 'OB',
      length + (length % 2)
    )
  );
  return w.bytes();
}

/** Slice order: by position along the normal of the orientation, else by InstanceNumber. */
export function orderInstances(metas: DicomJsonInstance[]): DicomJsonInstance[] {
  const iop = numbers(metas[0] ?? {}, '00200037');
  const normal =
    iop.length === 6
      ? [
          iop[1] * iop[5] - iop[2] * iop[4],
          iop[2] * iop[3] - iop[0] * iop[5],
          iop[0] * iop[4] - iop[1] * iop[3]
        ]
      : undefined;
  const key = (m: DicomJsonInstance): number => {
    const p = numbers(m, '00200032');
    if (normal && p.length === 3) return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
    return numbers(m, '00200013')[0] ?? 0;
  };
  return metas
    .map(m => ({ m, k: key(m) }))
    .sort((a, b) => a.k - b.k)
    .map(x => x.m);
}

/** The series `series` of study `study` on a PACS, ordered from its metadata. */
export async function dicomWebSeriesSource(
  client: DicomWebSeriesClient,
  study: string,
  series: string,
  options: DicomWebSeriesOptions = {}
): Promise<ImageSource> {
  const metas = (await client.seriesMetadata(study, series, { signal: options.signal })).filter(
    m => uid(m, '00080018') && first(m, '00280010') !== undefined
  );
  if (!metas.length)
    throw new ImagingError({
      code: 'malformed',
      message: 'The PACS series has no image instances.',
      hint: 'Check the SeriesInstanceUID, or open another series.'
    });
  const files: ImageFile[] = orderInstances(metas).map(meta => {
    const sop = uid(meta, '00080018')!;
    const length = pixelLength(meta);
    const header = part10Header(meta, length);
    const frames = Number(first(meta, '00280008') ?? 1) || 1;
    let whole: Promise<Uint8Array> | undefined;
    const read = (signal?: AbortSignal): Promise<Uint8Array> => {
      whole ??= client
        .frames(
          study,
          series,
          sop,
          Array.from({ length: frames }, (_, i) => i + 1),
          { signal }
        )
        .then(parts => {
          const out = new Uint8Array(header.length + length + (length % 2));
          out.set(header);
          let at = header.length;
          for (const p of parts) {
            if (
              p.transferSyntax &&
              p.transferSyntax !== EXPLICIT_LE &&
              p.transferSyntax !== IMPLICIT_LE
            )
              throw new ImagingError({
                code: 'unsupportedTransferSyntax',
                message: `The PACS sent frames in transfer syntax ${p.transferSyntax}, not uncompressed.`,
                hint: 'Let the PACS transcode WADO-RS frames to Explicit VR Little Endian.'
              });
            out.set(p.data.subarray(0, Math.max(0, header.length + length - at)), at);
            at += p.data.length;
          }
          return out;
        });
      whole.catch(() => (whole = undefined));
      return whole;
    };
    return {
      name: `${sop}.dcm`,
      size: header.length + length,
      head: header,
      read,
      // the loader asks for the rest after `head` (the pixels): one frames request
      readRange: async (start, end, signal) =>
        end !== undefined && end <= header.length
          ? header.slice(start, end)
          : (await read(signal)).slice(start, end)
    };
  });
  // not the SeriesDescription: free text a PACS may hold a name in
  const modality = first(metas[0], '00080060');
  const title =
    options.title ??
    `${typeof modality === 'string' ? `${modality} ` : ''}series (${files.length} images, PACS)`;
  return { title, files, ordered: true };
}
