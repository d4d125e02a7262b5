// From a result cell to its images (issue 17 item 7): which cells the grid offers "Open in viewer"
// for, decided here once for both hosts. A host is handed an ImageTarget and only opens it.
//   - a DICOM or NIfTI file path (by extension, or any path in a catalog's DicomFile column);
//   - a folder in a catalog's Folder column (a series' files);
//   - a UID in a SeriesInstanceUID column (the host looks the series up in the catalog).
// The cell's row comes along (as column name → value), so a host can use a Folder or DicomFile that
// the same row holds beside the UID, without a query.

export type ImageTarget =
  | { kind: 'file'; format: 'dicom' | 'nifti'; path: string; row: Record<string, unknown> }
  | { kind: 'folder'; path: string; row: Record<string, unknown> }
  | { kind: 'series'; seriesInstanceUid: string; row: Record<string, unknown> };

const NIFTI = /\.(nii|nii\.gz|hdr)$/i;
const DICOM = /\.(dcm|dicom|ima)$/i;
/** A DICOM UID: dotted numbers, at most 64 characters (PS3.5 9.1). */
const UID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

const looksLikePath = (v: string): boolean =>
  v.length > 0 && v.length < 4096 && !/[\n\r\0]/.test(v) && !/^[a-z]+:\/\//i.test(v);

/** The target of one cell, or undefined when it holds no image reference. */
export function imageTarget(
  column: string,
  value: unknown,
  row: Record<string, unknown> = {}
): ImageTarget | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  const name = column.toLowerCase();
  if (name === 'seriesinstanceuid' && v.length <= 64 && UID.test(v))
    return { kind: 'series', seriesInstanceUid: v, row };
  if (!looksLikePath(v)) return undefined;
  if (NIFTI.test(v)) return { kind: 'file', format: 'nifti', path: v, row };
  if (DICOM.test(v) || (name === 'dicomfile' && v.includes('/')))
    return { kind: 'file', format: 'dicom', path: v, row };
  if (name === 'folder') return { kind: 'folder', path: v, row };
  return undefined;
}

/**
 * The folder a target's images are in, as the catalog names it: a file's folder, a Folder, or the
 * Folder (else DicomFile's folder) in the same row as a SeriesInstanceUID; undefined when the row
 * does not say (the host then asks the catalog).
 */
export function targetFolder(target: ImageTarget): string | undefined {
  if (target.kind === 'folder') return target.path;
  if (target.kind === 'file') return dirname(target.path);
  const folder = target.row['Folder'];
  if (typeof folder === 'string') return folder;
  const file = target.row['DicomFile'];
  return typeof file === 'string' ? dirname(file) : undefined;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : path.slice(0, i);
}

/**
 * A catalog path made absolute with the catalog's `source` (catalog.json): paths already absolute
 * are kept. A component starting with `~` is a de-identified stand-in (the harvest's catalogPath):
 * the host cannot open it without the catalog key, so it says so instead of guessing.
 */
export function catalogLocation(
  source: string | undefined,
  path: string
): { path: string } | { error: string } {
  const full = path.startsWith('/') || !source ? path : `${source.replace(/\/+$/, '')}/${path}`;
  if (full.split('/').some(c => c.startsWith('~')))
    return {
      error:
        'This path was de-identified in the catalog (a folder or file named after a patient); ' +
        'open it from where it was harvested.'
    };
  return { path: full };
}

/**
 * A location in a catalog harvested from a PACS (`radlab harvest pacs:<connection>`: catalog.json's
 * source is `pacs:<connection>`, paths `studies/<uid>/series/<uid>/instances/<uid>`): the dicomweb
 * connection and the series to open with WADO-RS, else undefined. Its UIDs are the PACS's only when
 * the harvest kept them (--retain-uids); remapped ones (2.25.…) the PACS answers with 404.
 */
export function pacsLocation(
  path: string
): { connection: string; study: string; series: string } | undefined {
  const m =
    /^pacs:([A-Za-z0-9][A-Za-z0-9_.-]{0,62})\/studies\/([0-9.]{1,64})\/series\/([0-9.]{1,64})(\/|$)/.exec(
      path
    );
  return m ? { connection: m[1], study: m[2], series: m[3] } : undefined;
}

/** Where a target's images are, for a host to open: a folder (a series) or one file. */
export type ImageLocation =
  { kind: 'folder'; path: string } | { kind: 'file'; format: 'dicom' | 'nifti'; path: string };

/** Runs SQL on the result's Drill; resolves to the rows (column order). */
export type CatalogQuery = (sql: string) => Promise<unknown[][]>;

/** The workspace a catalog's tables are in (scripts/services/drill: `dfs.catalog`). */
export const CATALOG_WORKSPACE = 'dfs.catalog';

/**
 * Where to open a target: a catalog's DicomFile opens its folder as the series, a Folder that folder,
 * a SeriesInstanceUID the Folder its row holds or the catalog's series table has; a path outside
 * the catalog (by extension) opens as the file. Relative catalog paths are made absolute with the
 * catalog's `source` (catalog.json, read through Drill). Without `query`, relative paths stay
 * relative (the host's own root). Never throws: a failure is `{ error }` to show.
 */
export async function locateImages(
  target: ImageTarget,
  query?: CatalogQuery,
  workspace = CATALOG_WORKSPACE
): Promise<ImageLocation | { error: string }> {
  try {
    let folder = targetFolder(target);
    const fromCatalog =
      target.kind !== 'file' || 'DicomFile' in target.row || 'SOPInstanceUID' in target.row;
    if (target.kind === 'series' && folder === undefined) {
      if (!query) return { error: 'Open in viewer needs the catalog: no Drill connection.' };
      const rows = await query(
        `SELECT Folder FROM ${workspace}.series WHERE SeriesInstanceUID = '${target.seriesInstanceUid}' LIMIT 1`
      );
      const found = rows[0]?.[0];
      if (typeof found !== 'string')
        return { error: `Series ${target.seriesInstanceUid} is not in ${workspace}.series.` };
      folder = found;
    }
    if (target.kind === 'file' && (!fromCatalog || target.format === 'nifti')) {
      const where = await absolute(target.path, fromCatalog ? query : undefined, workspace);
      return 'error' in where ? where : { kind: 'file', format: target.format, path: where.path };
    }
    const where = await absolute(folder ?? '', query, workspace);
    return 'error' in where ? where : { kind: 'folder', path: where.path };
  } catch (e) {
    return {
      error: `The catalog could not be read: ${e instanceof Error ? e.message : String(e)}`
    };
  }
}

async function absolute(
  path: string,
  query: CatalogQuery | undefined,
  workspace: string
): Promise<{ path: string } | { error: string }> {
  if (path.startsWith('/') || !query) return catalogLocation(undefined, path);
  const rows = await query(`SELECT source FROM ${workspace}.\`catalog.json\``);
  const source = rows[0]?.[0];
  return catalogLocation(typeof source === 'string' ? source : undefined, path);
}
