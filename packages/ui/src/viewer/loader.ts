// Reading and decoding a source into a volume: NIfTI (single file or .hdr/.img pair) in one go, a
// DICOM folder file by file with bounded parallelism, reporting the first decoded image at once.
import {
  ImagingError,
  readNiftiPair,
  volumeFromNifti,
  volumeFromSeries,
  type DecodedDicom,
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
  onProgress?(done: number, total: number): void;
  /** The first decoded DICOM file of a folder, as a volume of its own, while the rest decode. */
  onFirst?(first: LoadedDicom): void;
}

export interface LoadedDicom {
  kind: 'dicom';
  volume: Volume;
  /** The file and (masked) header of the volume's first slice: the header panel shows it. */
  file: ImageFile;
  header: DicomImage;
  /** Volume slice showing the first file decoded (where the view starts). */
  startIndex: number;
  /** "name: why" for files left out. */
  skipped: string[];
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
  options.onProgress?.(0, plan.files.length);
  if (plan.kind === 'niftiPair') {
    // Pairs are rare: read on this thread (the decoder contract takes one buffer).
    const [hdr, img] = await Promise.all(plan.files.map(f => readBytes(f, maxBytes, signal)));
    nifti = readNiftiPair(hdr, img, { maxVoxelBytes: maxBytes });
  } else {
    const file = plan.files[0];
    const bytes = await readBytes(file, maxBytes, signal);
    nifti = await decoder.nifti(ownBuffer(bytes), file.name, { maxVoxelBytes: maxBytes, signal });
  }
  options.onProgress?.(plan.files.length, plan.files.length);
  const volume = volumeFromNifti(nifti, { maxVoxelBytes: maxBytes });
  return { kind: 'nifti', volume, nifti, skipped: [] };
}

interface DecodedFile extends DecodedDicom {
  file: ImageFile;
  /** Order in which decoding finished (0 = first shown). */
  arrival: number;
}

/** Slice of `volume` holding the image at `position` (LPS), by projection on the k axis. */
export function sliceAt(volume: Volume, position: readonly number[] | undefined): number {
  if (!position || volume.dims[2] <= 1) return 0;
  const k = volume.direction[2];
  const d = [0, 1, 2].reduce((sum, a) => sum + (position[a] - volume.origin[a]) * k[a], 0);
  const index = Math.round(d / (volume.spacing[2] || 1));
  return Math.min(volume.dims[2] - 1, Math.max(0, index));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function loadDicom(
  plan: SourcePlan,
  decoder: ImagingDecoder,
  options: LoadOptions
): Promise<LoadedDicom> {
  const { signal, maxBytes } = options;
  const files = [...plan.files, ...plan.maybe];
  const single = files.length === 1;
  const decoded: DecodedFile[] = [];
  const skipped: string[] = [];
  let done = 0;
  options.onProgress?.(0, files.length);
  await forEachBounded(files, options.concurrency, signal, async file => {
    try {
      const bytes = await readBytes(file, maxBytes, signal);
      if (!single && plan.maybe.includes(file) && !hasDicomPreamble(bytes)) {
        skipped.push(`${file.name}: not a DICOM file`);
        return;
      }
      const result = await decoder.dicom(ownBuffer(bytes), { maxPixelBytes: maxBytes, signal });
      const entry: DecodedFile = { ...result, file, arrival: decoded.length };
      decoded.push(entry);
      if (entry.arrival === 0 && !single && options.onFirst && result.frames.length) {
        options.onFirst({
          kind: 'dicom',
          volume: volumeFromSeries([entry], { maxVoxelBytes: maxBytes }),
          file,
          header: result.header,
          startIndex: 0,
          skipped: []
        });
      }
    } catch (err) {
      if (isAbort(err) || signal.aborted || single) throw err;
      // One bad file does not spoil a folder: say which and why.
      skipped.push(`${file.name}: ${message(err)}`);
    } finally {
      done++;
      if (!signal.aborted) options.onProgress?.(done, files.length);
    }
  });
  if (signal.aborted) throw abortError();
  const usable = decoded.filter(d => d.frames.length > 0);
  if (usable.length === 0) {
    throw new ImagingError({
      code: 'malformed',
      message: `No DICOM image could be read from ${files.length} file(s).`,
      hint: skipped.length
        ? `First problem: ${skipped[0]}`
        : 'The folder holds no DICOM images with pixel data.'
    });
  }
  // A stable order before sorting by position (workers finish in any order).
  usable.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
  const volume = volumeFromSeries(usable, { maxVoxelBytes: maxBytes });
  const shown = usable.find(d => d.arrival === 0) ?? usable[0];
  // The header panel shows the file at the volume's first slice (of the series shown).
  const head =
    usable.find(
      d =>
        d.header.seriesInstanceUID === shown.header.seriesInstanceUID &&
        sliceAt(volume, d.header.imagePositionPatient) === 0
    ) ?? shown;
  return {
    kind: 'dicom',
    volume,
    file: head.file,
    header: head.header,
    startIndex: usable.length > 1 ? sliceAt(volume, shown.header.imagePositionPatient) : 0,
    skipped
  };
}
