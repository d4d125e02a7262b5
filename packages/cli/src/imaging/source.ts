// What a PATH given to `radlab imaging` is: one DICOM file, a folder holding a DICOM series (or
// several), or a NIfTI volume (.nii, .nii.gz, or a .hdr/.img pair). Headers are parsed here; pixels
// are decoded later, only for what is asked.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import {
  groupSeries,
  ImagingError,
  parseDicom,
  readNifti,
  readNiftiPair,
  sortSeries,
  truncatedError,
  type DicomImage,
  type NiftiVolume,
  type ParsedDicom,
  type SliceHeader,
  type SortedSeries
} from '@radlab/imaging';
// for its side effect: readNifti inflates .nii.gz with zlib (2–3× faster than the portable default)
import '@radlab/imaging/node';
import { EXIT_IMAGE, ImagingCliError, usageError } from './failure.js';

export interface DicomFileInput {
  kind: 'dicom';
  name: string;
  parsed: ParsedDicom;
}

/** One file of a folder; the SliceHeader fields (copied from `header`) are what sortSeries reads. */
export interface SeriesSlice extends SliceHeader {
  /** Absolute path, to read the pixels later. */
  file: string;
  /** Path relative to the folder, for messages. */
  name: string;
  header: DicomImage;
}

export interface SkippedFile {
  name: string;
  reason: string;
}

export interface SeriesInput {
  kind: 'series';
  name: string;
  /** Largest series first. */
  series: SortedSeries<SeriesSlice>[];
  skipped: SkippedFile[];
  fileCount: number;
}

export interface NiftiInput {
  kind: 'nifti';
  name: string;
  volume: NiftiVolume;
  gzip: boolean;
  pair: boolean;
}

export type ImageInput = DicomFileInput | SeriesInput | NiftiInput;

/** More files than this in a folder is not a series someone previews from a terminal. */
const MAX_FOLDER_FILES = 100_000;

function niftiName(path: string): 'nii' | 'hdr' | 'img' | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return 'nii';
  if (lower.endsWith('.hdr')) return 'hdr';
  if (lower.endsWith('.img')) return 'img';
  return undefined;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function looksLikeNifti(bytes: Uint8Array): boolean {
  if (isGzip(bytes)) return true;
  const magic = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 3));
  return bytes.length >= 348 && (magic(344) === 'n+1' || magic(4) === 'n+2');
}

async function openNifti(path: string): Promise<NiftiInput> {
  const kind = niftiName(path);
  if (kind === 'hdr' || kind === 'img') {
    const stem = path.slice(0, -4);
    const upper = /\.(HDR|IMG)$/.test(path);
    const [header, image] = await Promise.all([
      readFile(stem + (upper ? '.HDR' : '.hdr')),
      readFile(stem + (upper ? '.IMG' : '.img'))
    ]);
    return {
      kind: 'nifti',
      name: basename(path),
      volume: readNiftiPair(header, image),
      gzip: isGzip(image),
      pair: true
    };
  }
  const bytes = await readFile(path);
  return {
    kind: 'nifti',
    name: basename(path),
    volume: readNifti(bytes),
    gzip: isGzip(bytes),
    pair: false
  };
}

async function openDicomFile(path: string, revealPhi: boolean): Promise<ImageInput> {
  const bytes = await readFile(path);
  try {
    return { kind: 'dicom', name: basename(path), parsed: parseDicom(bytes, { revealPhi }) };
  } catch (e) {
    // A NIfTI file without its usual extension.
    if (looksLikeNifti(bytes)) {
      return {
        kind: 'nifti',
        name: basename(path),
        volume: readNifti(bytes),
        gzip: isGzip(bytes),
        pair: false
      };
    }
    throw e;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        out.push(full);
        if (out.length > MAX_FOLDER_FILES) {
          throw usageError(
            `the folder holds more than ${MAX_FOLDER_FILES} files`,
            'point at one series folder'
          );
        }
      }
    }
  };
  await walk(dir);
  return out;
}

async function openSeries(dir: string, revealPhi: boolean): Promise<SeriesInput> {
  const files = await listFiles(dir);
  const slices: SeriesSlice[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const name = relative(dir, file);
    try {
      const { header, truncated } = parseDicom(await readFile(file), { revealPhi });
      // a file cut short cannot give its slice: say so once here, as the viewer does
      if (truncated) throw truncatedError(truncated);
      slices.push({
        file,
        name,
        header,
        seriesInstanceUID: header.seriesInstanceUID,
        imagePositionPatient: header.imagePositionPatient,
        imageOrientationPatient: header.imageOrientationPatient,
        instanceNumber: header.instanceNumber
      });
    } catch (e) {
      // DICOMDIR, reports, sidecar files: not images of the series.
      const reason = e instanceof ImagingError ? e.message : 'unreadable';
      skipped.push({ name, reason });
    }
  }
  if (!slices.length) {
    throw new ImagingCliError(
      `${basename(dir)}: no DICOM images in the folder (${files.length} files looked at)`,
      EXIT_IMAGE
    );
  }
  // The viewer's grouping: by SeriesInstanceUID, largest first, odd-sized files left out.
  const grouping = groupSeries(slices);
  for (const s of grouping.skipped) skipped.push({ name: s.file.name, reason: s.reason });
  const series = grouping.groups.map(g => sortSeries(g.files)[0]);
  return { kind: 'series', name: basename(dir), series, skipped, fileCount: files.length };
}

/** Opens PATH as whatever it is; throws ImagingCliError/ImagingError/fs errors. */
export async function openImage(
  path: string,
  options: { revealPhi?: boolean } = {}
): Promise<ImageInput> {
  const info = await stat(path);
  if (info.isDirectory()) return openSeries(path, options.revealPhi === true);
  if (niftiName(path)) return openNifti(path);
  return openDicomFile(path, options.revealPhi === true);
}
