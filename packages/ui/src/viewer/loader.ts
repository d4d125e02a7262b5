// Reading and decoding a source into a volume: NIfTI (single file or .hdr/.img pair) and a single
// DICOM file in one go; a DICOM folder in two passes: every file's header first (parsed here,
// without decoding pixels), then one VolumeBuilder allocated from them, filled slice by slice from
// the middle outwards as the decoder returns frames, so the view shows the middle slice at once
// and peak memory stays near the volume plus the files in flight.
import {
  groupSeries,
  ImagingError,
  parseDicom,
  pixelBytes,
  readNiftiPair,
  spareBuffer,
  truncatedError,
  VolumeBuilder,
  volumeFromNifti,
  type DicomImage,
  type ImagingDecoder,
  type NiftiVolume,
  type Volume
} from '@radlab/imaging';
import { hasDicomPreamble, type ImageFile, type SourcePlan } from './source.js';

/** Default limit for one file and for one decoded image or volume. */
export const DEFAULT_MAX_BYTES = 2 ** 30;

export function abortError(): Error {
  const err = new Error('The operation was aborted.');
  err.name = 'AbortError';
  return err;
}

/** An abort from the caller, the viewer or the decoder (ImagingError 'cancelled'). */
export function isAbort(err: unknown): boolean {
  return (
    (err instanceof Error && err.name === 'AbortError') ||
    (err instanceof ImagingError && err.code === 'cancelled')
  );
}

export interface LoadOptions {
  signal: AbortSignal;
  /** Largest file and decoded image/volume, bytes. */
  maxBytes: number;
  /** Files read and decoded at once (DICOM folders). */
  concurrency: number;
  /** 'reading': headers of a folder's files; 'decoding': slices (or files) decoded. */
  onProgress?(done: number, total: number, phase: LoadPhase): void;
  /**
   * DICOM folders: the volume, allocated from the headers before any slice is decoded. Its data
   * fills in place; `filled` tells which slices hold pixels so far.
   */
  onStart?(loading: LoadedDicom): void;
  /** DICOM folders: slot `slot` (t × slices + k) of the volume given to onStart now holds pixels. */
  onSlice?(slot: number): void;
  /**
   * DICOM folders: file bytes kept from the header pass for the decode pass (the rest are read
   * again). Default: a quarter of the volume's estimated pixel bytes, so the peak stays ≤ 1.5×.
   */
  retainBytes?: number;
}

export type LoadPhase = 'reading' | 'decoding';

/** The file behind one slot of a DICOM volume, and its (masked) header. */
export interface SliceSource {
  file: ImageFile;
  header: DicomImage;
  /** Frame of that file (0-based). */
  frame: number;
}

export interface LoadedDicom {
  kind: 'dicom';
  volume: Volume;
  /** The file and (masked) header of the volume's first slice. */
  file: ImageFile;
  header: DicomImage;
  /** The file and header behind slot t × slices + k: the header panel follows the slice shown. */
  sourceOf(slot: number): SliceSource | undefined;
  /** Volume slice where the view starts (a folder: the middle one, decoded first). */
  startIndex: number;
  /** "name: why" for files left out. */
  skipped: string[];
  /** Whether slot t × slices + k holds pixels; absent when every slot does. */
  filled?: (slot: number) => boolean;
}

export interface LoadedNifti {
  kind: 'nifti';
  volume: Volume;
  nifti: NiftiVolume;
  skipped: string[];
}

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

function tooLarge(name: string, bytes: number, limit: number): ImagingError {
  return new ImagingError({
    code: 'tooLarge',
    message: `${name} is ${mib(bytes)}, over the viewer's ${mib(limit)} limit.`,
    hint: 'Open a smaller file, or take single slices with `radlab imaging slice`.',
    details: { bytes, limit }
  });
}

/** The file's bytes, refusing files over the limit before reading them. */
export async function readBytes(
  file: ImageFile,
  maxBytes: number,
  signal: AbortSignal
): Promise<Uint8Array> {
  if (file.size !== undefined && file.size > maxBytes)
    throw tooLarge(file.name, file.size, maxBytes);
  if (signal.aborted) throw abortError();
  const bytes = await file.read(signal);
  if (signal.aborted) throw abortError();
  if (bytes.length > maxBytes) throw tooLarge(file.name, bytes.length, maxBytes);
  return bytes;
}

/** An ArrayBuffer holding exactly `bytes` (the decoder may transfer it to a worker). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  )
    return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** Run `task` over `items`, at most `limit` at a time; the first failure rejects (others stop). */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  task: (item: T, index: number) => Promise<void>
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      if (signal.aborted) throw abortError();
      const i = next++;
      try {
        await task(items[i], i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const n = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: n }, worker));
}

export async function loadNifti(
  plan: SourcePlan,
  decoder: ImagingDecoder,
  options: LoadOptions
): Promise<LoadedNifti> {
  const { signal, maxBytes } = options;
  let nifti: NiftiVolume;
  options.onProgress?.(0, plan.files.length, 'decoding');
  if (plan.kind === 'niftiPair') {
    // Pairs are rare: read on this thread (the decoder contract takes one buffer).
    const [hdr, img] = await Promise.all(plan.files.map(f => readBytes(f, maxBytes, signal)));
    nifti = readNiftiPair(hdr, img, { maxVoxelBytes: maxBytes });
  } else {
    const file = plan.files[0];
    const bytes = await readBytes(file, maxBytes, signal);
    nifti = await decoder.nifti(ownBuffer(bytes), file.name, { maxVoxelBytes: maxBytes, signal });
  }
  options.onProgress?.(plan.files.length, plan.files.length, 'decoding');
  const volume = volumeFromNifti(nifti, { maxVoxelBytes: maxBytes });
  return { kind: 'nifti', volume, nifti, skipped: [] };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A file whose pixels cannot be read (cut short) but whose header can: the viewer shows the
 * header with `cause`'s message.
 */
export class HeaderOnlyError extends Error {
  constructor(
    override readonly cause: ImagingError,
    readonly file: ImageFile,
    readonly header: DicomImage
  ) {
    super(cause.message);
    this.name = 'HeaderOnlyError';
  }
}

function isTruncated(err: unknown): err is ImagingError {
  return err instanceof ImagingError && err.details?.truncated === true;
}

/** Single file: decode it whole (its frames are the slices). */
async function loadDicomFile(
  file: ImageFile,
  decoder: ImagingDecoder,
  options: LoadOptions
): Promise<LoadedDicom> {
  const { signal, maxBytes } = options;
  options.onProgress?.(0, 1, 'decoding');
  const bytes = await readBytes(file, maxBytes, signal);
  let result;
  try {
    result = await decoder.dicom(ownBuffer(bytes), { maxPixelBytes: maxBytes, signal });
  } catch (err) {
    if (!isTruncated(err)) throw err;
    // the bytes went to the decoder: read them again for the header alone
    const again = await readBytes(file, maxBytes, signal);
    const { header } = await decoder.dicom(ownBuffer(again), { frames: [], signal });
    throw new HeaderOnlyError(err, file, header);
  }
  if (signal.aborted) throw abortError();
  if (!result.frames.length)
    throw new ImagingError({
      code: 'malformed',
      message: `${file.name} holds no image (no pixel data).`,
      hint: 'Open a DICOM image, or a folder holding a DICOM series.'
    });
  options.onProgress?.(1, 1, 'decoding');
  const builder = new VolumeBuilder([result.header], { maxVoxelBytes: maxBytes });
  for (const frame of result.frames) builder.setFrame(0, frame);
  const volume = builder.finish();
  const header = result.header;
  return {
    kind: 'dicom',
    volume,
    file,
    header,
    sourceOf: slot => {
      const s = builder.slots[slot];
      return s && { file, header, frame: s.frame };
    },
    startIndex: 0,
    skipped: []
  };
}

interface Parsed {
  file: ImageFile;
  header: DicomImage;
  /** Bytes kept from the header pass (dropped once decoded). */
  bytes?: Uint8Array;
}

/** One decoder request of the decode pass: the frames of one file that fill volume slots. */
interface Job {
  /** Index into the chosen series' files (the builder's file index). */
  file: number;
  frames: number[];
}

/** Files of the series in the order their slots come in `order`, each with its frames. */
function jobsFor(builder: VolumeBuilder, order: readonly number[]): Job[] {
  const byFile = new Map<number, Job>();
  for (const slot of order) {
    const { file, frame } = builder.slots[slot];
    const job = byFile.get(file);
    if (job) job.frames.push(frame);
    else byFile.set(file, { file, frames: [frame] });
  }
  return [...byFile.values()];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Pass 1: every file read and its header parsed on this thread (pixels are not decoded). */
async function readHeaders(
  plan: SourcePlan,
  files: ImageFile[],
  options: LoadOptions,
  skipped: string[]
): Promise<Parsed[]> {
  const { signal, maxBytes } = options;
  const parsed: (Parsed | undefined)[] = new Array(files.length);
  let budget = options.retainBytes;
  let retained = 0;
  let done = 0;
  options.onProgress?.(0, files.length, 'reading');
  await forEachBounded(files, options.concurrency, signal, async (file, i) => {
    try {
      const bytes = await readBytes(file, maxBytes, signal);
      if (plan.maybe.includes(file) && !hasDicomPreamble(bytes)) {
        skipped.push(`${file.name}: not a DICOM file`);
        return;
      }
      const { header, dataSet, truncated } = parseDicom(bytes, { maxPixelBytes: maxBytes });
      if (truncated) throw truncatedError(truncated);
      if (!dataSet.elements.x7fe00010)
        throw new ImagingError({ code: 'malformed', message: 'no image (no Pixel Data)' });
      // The first header tells the volume's likely size: keep files up to a quarter of it.
      budget ??= Math.floor((pixelBytes(header, header.numberOfFrames) * files.length) / 4);
      const keep = retained + bytes.byteLength <= budget;
      if (keep) retained += bytes.byteLength;
      parsed[i] = { file, header, ...(keep ? { bytes } : {}) };
    } catch (err) {
      if (isAbort(err) || signal.aborted) throw err;
      // One bad file does not spoil a folder: say which and why.
      skipped.push(`${file.name}: ${message(err)}`);
    } finally {
      done++;
      if (!signal.aborted) options.onProgress?.(done, files.length, 'reading');
    }
  });
  if (signal.aborted) throw abortError();
  return parsed.filter((p): p is Parsed => p !== undefined);
}

/**
 * A DICOM folder (or a single file): a folder's headers first, then its slices decoded from the
 * middle outwards into one volume, reported through onStart / onSlice as they arrive.
 */
export async function loadDicom(
  plan: SourcePlan,
  decoder: ImagingDecoder,
  options: LoadOptions
): Promise<LoadedDicom> {
  const { signal, maxBytes } = options;
  const files = [...plan.files, ...plan.maybe];
  if (files.length === 1) return loadDicomFile(files[0], decoder, options);

  const skipped: string[] = [];
  const parsed = await readHeaders(plan, files, options, skipped);
  if (parsed.length === 0) {
    throw new ImagingError({
      code: 'malformed',
      message: `No DICOM image could be read from ${files.length} file(s).`,
      hint: skipped.length
        ? `First problem: ${skipped[0]}`
        : 'The folder holds no DICOM images with pixel data.'
    });
  }
  const { groups, skipped: left } = groupSeries(parsed);
  const series = groups[0];
  for (const s of left)
    if ((s.file.header.seriesInstanceUID ?? '') === series.seriesInstanceUID)
      skipped.push(`${s.file.file.name}: ${s.reason}`);
  const builder = new VolumeBuilder(
    series.files.map(f => f.header),
    { maxVoxelBytes: maxBytes }
  );
  const volume = builder.volume;
  if (groups.length > 1)
    volume.warnings.push(
      `The files hold ${groups.length} series; showing one with ${plural(series.frames, 'image')}.`
    );
  const entries = series.files;
  // Bytes kept for files of other series are no longer needed.
  for (const p of parsed) if (!entries.includes(p)) delete p.bytes;

  const nz = volume.dims[2];
  const startIndex = Math.floor((nz - 1) / 2);
  const head = entries[builder.slots[0].file];
  const filled = (slot: number): boolean => builder.filled(slot);
  const sourceOf = (slot: number): SliceSource | undefined => {
    const s = builder.slots[slot];
    const entry = s && entries[s.file];
    return entry && { file: entry.file, header: entry.header, frame: s.frame };
  };
  options.onStart?.({
    kind: 'dicom',
    volume,
    file: head.file,
    header: head.header,
    sourceOf,
    startIndex,
    skipped,
    filled
  });

  // Pass 2: the middle slice first, its neighbours outwards; each file's bytes are dropped as soon
  // as its request is sent and each decoded frame once copied into the volume.
  const total = builder.size;
  let done = 0;
  const progress = (n: number): void => {
    done += n;
    if (!signal.aborted) options.onProgress?.(done, total, 'decoding');
  };
  progress(0);
  // Frame buffers already copied into the volume go back to the decoder for the next files: a
  // series then loads without one garbage frame per slice (peak memory near the volume's size).
  const spares: ArrayBuffer[] = [];
  await forEachBounded(
    jobsFor(builder, builder.decodeOrder(startIndex)),
    options.concurrency,
    signal,
    async job => {
      const entry = entries[job.file];
      try {
        // No local holds the bytes: once the decoder is done with them they can be collected.
        const request = decoder.dicom(
          ownBuffer(entry.bytes ?? (await readBytes(entry.file, maxBytes, signal))),
          {
            frames: job.frames,
            maxPixelBytes: maxBytes,
            signal,
            into: job.frames.map(() => spares.pop())
          }
        );
        delete entry.bytes;
        const result = await request;
        if (signal.aborted) throw abortError();
        for (const frame of result.frames) {
          const slot = builder.slotOf(job.file, frame.frameIndex);
          if (slot < 0) continue;
          builder.set(slot, frame);
          const spare = spareBuffer(frame.pixels);
          if (spare && !spares.includes(spare)) spares.push(spare);
          progress(1);
          options.onSlice?.(slot);
        }
      } catch (err) {
        if (isAbort(err) || signal.aborted) throw err;
        skipped.push(`${entry.file.name}: ${message(err)}`);
        progress(job.frames.filter(f => !builder.filled(builder.slotOf(job.file, f))).length);
      }
    }
  );
  if (signal.aborted) throw abortError();
  builder.finish();
  return {
    kind: 'dicom',
    volume,
    file: head.file,
    header: head.header,
    sourceOf,
    startIndex,
    skipped,
    ...(builder.complete ? {} : { filled })
  };
}
