// What the hosts hand the viewer (a file, a .hdr/.img pair, or a DICOM folder's files) and how the
// viewer tells the kinds apart: by name first, then by the DICOM preamble.
import { ImagingError } from '@radlab/imaging';

export interface ImageFile {
  name: string;
  size?: number;
  read(signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * Bytes [start, end) of the file (to its end without `end`; fewer at the end of the file). A
   * DICOM folder's headers are read with it (a few KiB each) and the rest of each file once, for
   * decoding; hosts that cannot read ranges leave it out and files are read whole.
   */
  readRange?(start: number, end: number | undefined, signal?: AbortSignal): Promise<Uint8Array>;
  /**
   * The file's head, known without reading: its bytes up to and including Pixel Data's element
   * header (a PACS series' header made from its metadata). The header pass then reads nothing and
   * the decode pass asks readRange for the rest.
   */
  head?: Uint8Array;
  /**
   * The first of `names` that exists in this file's folder (case-insensitive), e.g. a label map's
   * colour table; undefined when none does. Hosts that cannot look leave it out.
   */
  sidecar?(names: readonly string[], signal?: AbortSignal): Promise<ImageFile | undefined>;
}

export interface ImageSource {
  title: string;
  /** One file (.dcm, .nii, .nii.gz), a .hdr + .img pair, or the files of a DICOM folder. */
  files: ImageFile[];
  /**
   * The files are one series in slice order (a catalog's or a PACS's): the middle one is decoded
   * and shown while the other headers are read. Default: the order is found from the headers.
   */
  ordered?: boolean;
  /** Reads the transport serves well at once (default 6, a browser's connections per host). */
  parallelReads?: number;
}

export type FileKind = 'dicom' | 'nifti' | 'niftiHeader' | 'niftiImage' | 'other';

const DICOM_EXT = /\.(dcm|dicom|dic|ima)$/i;
const OTHER_EXT = /\.[a-z0-9]{1,5}$/i;

/** The file's kind from its name alone: no extension or .dcm → DICOM (confirmed by its bytes). */
export function kindFromName(name: string): FileKind {
  const base = name.split(/[\\/]/).pop() ?? name;
  const lower = base.toLowerCase();
  if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) return 'nifti';
  if (lower.endsWith('.hdr')) return 'niftiHeader';
  if (lower.endsWith('.img')) return 'niftiImage';
  if (DICOM_EXT.test(lower)) return 'dicom';
  // Series files are often named by UID or number ("1.2.840…", "IM0001"): digits-only suffixes
  // are not extensions.
  if (!OTHER_EXT.test(lower) || /\.\d+$/.test(lower)) return 'dicom';
  return 'other';
}

export { hasDicomPreamble } from '@radlab/imaging';

export interface SourcePlan {
  kind: 'dicom' | 'nifti' | 'niftiPair';
  /** DICOM files to decode, or [the .nii], or [.hdr, .img]. */
  files: ImageFile[];
  /** Files set aside by name, decided again by their bytes (a `.txt` can still be DICOM). */
  maybe: ImageFile[];
}

function stem(name: string): string {
  return name.replace(/\.(hdr|img)$/i, '');
}

/** Decide how to open a source. Throws ImagingError for an empty or unusable source. */
export function planSource(source: ImageSource): SourcePlan {
  const files = source.files;
  if (files.length === 0)
    throw new ImagingError({
      code: 'malformed',
      message: 'Nothing to open: the source has no files.',
      hint: 'Open a .dcm, .nii, .nii.gz or .hdr/.img file, or a folder holding a DICOM series.'
    });
  const kinds = files.map(f => kindFromName(f.name));
  if (files.length === 1 && kinds[0] === 'nifti') return { kind: 'nifti', files, maybe: [] };
  const header = files.find((_, i) => kinds[i] === 'niftiHeader');
  if (header) {
    const image = files.find(
      f => kindFromName(f.name) === 'niftiImage' && stem(f.name) === stem(header.name)
    );
    if (!image)
      throw new ImagingError({
        code: 'malformed',
        message: `${header.name} has no matching .img file.`,
        hint: 'Open the .hdr together with its .img (same name), or convert to .nii.'
      });
    return { kind: 'niftiPair', files: [header, image], maybe: [] };
  }
  if (files.length === 1 && kinds[0] !== 'niftiImage') return { kind: 'dicom', files, maybe: [] };
  return {
    kind: 'dicom',
    files: files.filter((_, i) => kinds[i] === 'dicom'),
    maybe: files.filter((_, i) => kinds[i] === 'other')
  };
}
