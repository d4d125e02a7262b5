// Reading and decoding a source into a volume: NIfTI (single file or .hdr/.img pair) and a single
// DICOM file in one go; a DICOM folder in two passes: every file's header first (parsed here, from
// a byte range up to Pixel Data when the host reads ranges: a few KiB a file), then one
// VolumeBuilder allocated from them, filled slice by slice from the middle outwards as the decoder
// returns frames, each file's remaining bytes read once for it, so the view shows the middle slice
// at once and peak memory stays near the volume plus the files in flight. Reads run as many at
// once as the transport serves well, decodes as many as the decoder has workers, overlapped.
import {
  groupSeries,
  ImagingError,
  parseDicom,
  pixelBytes,
  readDicomHead,
  readNiftiPair,
  spareBuffer,
  truncatedError,
  VolumeBuilder,
  volumeFromNifti,
  type DecodedDicom,
  type DicomHead,
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
  /** Files read at once (DICOM folders: headers, then files fetched ahead of the decoder). */
  concurrency: number;
  /** Decodes at once (default: the decoder's size): the decode pass keeps this many busy. */
  decodes?: number;
  /**
   * The files are one series in slice order (ImageSource.ordered): the middle file is read and
   * decoded first and shown (a one-slice volume, through onStart) while the headers are read.
   */
  ordered?: boolean;
  /** First range of a header read, bytes (default HEAD_BYTES). */
  headBytes?: number;
  /** 'reading': headers of a folder's files; 'decoding': slices (or files) decoded. */
  onProgress?(done: number, total: number, phase: LoadPhase): void;
  /**
   * DICOM folders: the volume, allocated from the headers before any slice is decoded. Its data
   * fills in place; `filled` tells which slices hold pixels so far. An ordered series may first
   * come as a one-slice preview (its middle file), then as the whole volume.
   */
  onStart?(loading: LoadedDicom): void;
  /** DICOM folders: slot `slot` (t × slices + k) of the volume given to onStart now holds pixels. */
  onSlice?(slot: number): void;
  /**
   * DICOM folders read whole (a host without range reads): file bytes kept from the header pass
   * for the decode pass (the rest are read again). Default: a quarter of the volume's estimated
   * pixel bytes, so the peak stays ≤ 1.5×. Heads of range reads are always kept.
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

/**
 * The head of a DICOM file: the bytes up to Pixel Data through range reads, or the whole file
 * when the host cannot read ranges (or the file ended first).
 */
export async function readHead(
  file: ImageFile,
  maxBytes: number,
  signal: AbortSignal,
  first?: number
): Promise<DicomHead> {
  const range = file.readRange?.bind(file);
  if (file.head && range) return { bytes: file.head, whole: false, reads: 0 };
  if (!range) return { bytes: await readBytes(file, maxBytes, signal), whole: true, reads: 1 };
  if (file.size !== undefined && file.size > maxBytes)
    throw tooLarge(file.name, file.size, maxBytes);
  if (signal.aborted) throw abortError();
  const head = await readDicomHead((start, end) => range(start, end, signal), {
    ...(file.size !== undefined ? { size: file.size } : {}),
    ...(first !== undefined ? { first } : {}),
    max: maxBytes
  });
  if (signal.aborted) throw abortError();
  if (head.bytes.length > maxBytes) throw tooLarge(file.name, head.bytes.length, maxBytes);
  return head;
}

/**
 * A file's bytes for decoding: the head kept from the header pass joined with the rest (one
 * range from where the head ends), the whole file kept, or (nothing kept) the file read again.
 */
export async function restOfFile(
  file: ImageFile,
  kept: { bytes?: Uint8Array; whole?: boolean },
  maxBytes: number,
  signal: AbortSignal
): Promise<Uint8Array> {
  const head = kept.bytes;
  if (head && kept.whole) return head;
  if (!head || !file.readRange) return readBytes(file, maxBytes, signal);
  const rest = await file.readRange(head.length, undefined, signal);
  if (signal.aborted) throw abortError();
  const total = head.length + rest.length;
  if (total > maxBytes) throw tooLarge(file.name, total, maxBytes);
  const bytes = new Uint8Array(total);
  bytes.set(head);
  bytes.set(rest, head.length);
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
  /** Bytes kept from the header pass (dropped once decoded): the head, or the whole file. */
  bytes?: Uint8Array;
  /** `bytes` is the whole file. */
  whole?: boolean;
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

/** An ordered series' middle file, decoded while the other headers are read. */
interface Early {
  file: ImageFile;
  header: DicomImage;
  result: Promise<DecodedDicom>;
}

/** Index order of an ordered series' header pass: the middle file first. */
function middleFirst(n: number): number[] {
  const m = Math.floor((n - 1) / 2);
  return [m, ...Array.from({ length: n }, (_, i) => i).filter(i => i !== m)];
}

/**
 * Pass 1: every file's header parsed on this thread, from its head (pixels are neither read, with
 * range reads, nor decoded). An ordered series' middle file is read whole and its decode started.
 */
async function readHeaders(
  plan: SourcePlan,
  files: ImageFile[],
  decoder: ImagingDecoder,
  options: LoadOptions,
  skipped: string[],
  onEarly: (early: Early) => void
): Promise<Parsed[]> {
  const { signal, maxBytes } = options;
  const parsed: (Parsed | undefined)[] = new Array(files.length);
  let budget = options.retainBytes;
  let retained = 0;
  let done = 0;
  const order = options.ordered ? middleFirst(files.length) : files.map((_, i) => i);
  const early = options.ordered ? order[0] : -1;
  options.onProgress?.(0, files.length, 'reading');
  await forEachBounded(order, options.concurrency, signal, async i => {
    const file = files[i];
    try {
      const head =
        i === early
          ? { bytes: await readBytes(file, maxBytes, signal), whole: true }
          : await readHead(file, maxBytes, signal, options.headBytes);
      const bytes = head.bytes;
      if (plan.maybe.includes(file) && !hasDicomPreamble(bytes)) {
        skipped.push(`${file.name}: not a DICOM file`);
        return;
      }
      const { header, dataSet, truncated } = parseDicom(bytes, {
        maxPixelBytes: maxBytes,
        untilPixelData: !head.whole
      });
      if (truncated) throw truncatedError(truncated);
      if (!dataSet.elements.x7fe00010)
        throw new ImagingError({ code: 'malformed', message: 'no image (no Pixel Data)' });
      if (i === early) {
        // the bytes go to the decoder now: the decode pass takes its frames from `result`
        parsed[i] = { file, header };
        const result = decoder.dicom(ownBuffer(bytes), { maxPixelBytes: maxBytes, signal });
        result.catch(() => undefined); // awaited by the decode pass; a failure is said there
        onEarly({ file, header, result });
        return;
      }
      if (!head.whole || file.readRange) {
        // a head is a few KiB (or a small file whole): always kept, so no byte is read twice
        parsed[i] = { file, header, bytes, whole: head.whole };
        return;
      }
      // The first header tells the volume's likely size: keep files up to a quarter of it.
      budget ??= Math.floor((pixelBytes(header, header.numberOfFrames) * files.length) / 4);
      const keep = retained + bytes.byteLength <= budget;
      if (keep) retained += bytes.byteLength;
      parsed[i] = { file, header, ...(keep ? { bytes, whole: true } : {}) };
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
 * An ordered series' middle file as a one-slice volume, shown while the other headers are read
 * (the source vouches that it is the middle slice). Undefined when it cannot be shown alone.
 */
function previewOf(early: Early, result: DecodedDicom, maxBytes: number): LoadedDicom | undefined {
  try {
    const builder = new VolumeBuilder([result.header], { maxVoxelBytes: maxBytes });
    for (const frame of result.frames) builder.setFrame(0, frame);
    const { file, header } = early;
    return {
      kind: 'dicom',
      volume: builder.volume,
      file,
      header,
      sourceOf: slot => {
        const s = builder.slots[slot];
        return s && { file, header, frame: s.frame };
      },
      startIndex: Math.floor((builder.volume.dims[2] - 1) / 2),
      skipped: [],
      filled: slot => builder.filled(slot)
    };
  } catch {
    return undefined; // the full volume will say what is wrong
  }
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
  let early: Early | undefined;
  let started = false;
  const parsed = await readHeaders(plan, files, decoder, options, skipped, e => {
    early = e;
    // an ordered series: its middle slice on screen before the other headers are in
    void e.result.then(
      result => {
        if (started || signal.aborted) return;
        const preview = previewOf(e, result, maxBytes);
        if (!preview) return;
        options.onStart?.(preview);
        options.onSlice?.(0);
      },
      () => undefined
    );
  });
  started = true;
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
  // an ordered series starts where its preview was (the file decoded first), others at the middle
  const earlyFile = early ? entries.findIndex(e => e.file === early?.file) : -1;
  const earlySlot = earlyFile >= 0 ? builder.slotOf(earlyFile, 0) : -1;
  const startIndex = earlySlot >= 0 ? earlySlot % nz : Math.floor((nz - 1) / 2);
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
  // Files in flight: enough to keep every decoder busy while the next files are fetched.
  const inFlight = Math.max(options.concurrency, options.decodes ?? decoder.size ?? 1);
  // The slice on screen is fetched and decoded alone (as a viewer's prefetch starts after its first
  // image): the next files' reads and decodes do not share the transport and the CPU with it.
  let firstDone: () => void = () => undefined;
  const first = new Promise<void>(resolve => (firstDone = resolve));
  await forEachBounded(
    jobsFor(builder, builder.decodeOrder(startIndex)),
    inFlight,
    signal,
    async (job, index) => {
      const entry = entries[job.file];
      try {
        let request: Promise<DecodedDicom>;
        if (index > 0) await first;
        if (job.file === earlyFile && early) request = early.result;
        else {
          // No local holds the bytes: once the decoder is done with them they can be collected.
          request = decoder.dicom(
            ownBuffer(await restOfFile(entry.file, entry, maxBytes, signal)),
            {
              frames: job.frames,
              maxPixelBytes: maxBytes,
              signal,
              into: job.frames.map(() => spares.pop())
            }
          );
        }
        delete entry.bytes;
        const result = await request;
        if (signal.aborted) throw abortError();
        for (const frame of result.frames) {
          const slot = builder.slotOf(job.file, frame.frameIndex);
          if (slot < 0 || builder.filled(slot)) continue;
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
      } finally {
        if (index === 0) firstDone();
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
