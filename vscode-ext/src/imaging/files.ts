// The files behind one viewer: a DICOM/NIfTI file (and an Analyze/NIfTI .hdr's .img), or every file of a
// folder for a DICOM series. Only `vscode.workspace.fs`, so remote and virtual file systems work too.
import * as vscode from 'vscode';
import { readLocalRange } from './localRange.js';

export interface ViewerFile {
  uri: vscode.Uri;
  name: string;
  size?: number;
}

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** The file itself; for `x.hdr` also `x.img` (any case) from the same folder, when there is one. */
export async function documentFiles(uri: vscode.Uri): Promise<ViewerFile[]> {
  const name = baseName(uri);
  const files: ViewerFile[] = [{ uri, name }];
  if (/\.hdr$/i.test(name)) {
    const folder = vscode.Uri.joinPath(uri, '..');
    const wanted = `${name.replace(/\.hdr$/i, '')}.img`.toLowerCase();
    try {
      for (const [entry, type] of await vscode.workspace.fs.readDirectory(folder)) {
        if (type & vscode.FileType.File && entry.toLowerCase() === wanted) {
          files.push({ uri: vscode.Uri.joinPath(folder, entry), name: entry });
          break;
        }
      }
    } catch {
      // an unreadable folder: the viewer says the .img is missing
    }
  }
  return files;
}

/** The folder's regular files (links to files too), hidden ones left out, by name. */
export async function folderFiles(folder: vscode.Uri): Promise<ViewerFile[]> {
  const entries = await vscode.workspace.fs.readDirectory(folder);
  return entries
    .filter(([name, type]) => (type & vscode.FileType.File) !== 0 && !name.startsWith('.'))
    .map(([name]) => name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(name => ({ uri: vscode.Uri.joinPath(folder, name), name }));
}

export function titleOf(uri: vscode.Uri): string {
  return baseName(uri) || uri.path || uri.toString();
}

/**
 * The first of `names` (bare file names, case-insensitive) that is a file in `uri`'s folder: a
 * label map's colour table. Undefined when none is, or the folder cannot be read.
 */
export async function sidecarOf(
  uri: vscode.Uri,
  names: readonly string[]
): Promise<ViewerFile | undefined> {
  const folder = vscode.Uri.joinPath(uri, '..');
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return undefined;
  }
  const files = new Map<string, string>();
  for (const [entry, type] of entries)
    if (type & vscode.FileType.File) files.set(entry.toLowerCase(), entry);
  for (const name of names) {
    // names come from the webview: a bare name only, never a path out of the folder
    if (!/^[\w.-]+$/.test(name) || /^\.+$/.test(name)) continue;
    const entry = files.get(name.toLowerCase());
    if (entry) return { uri: vscode.Uri.joinPath(folder, entry), name: entry };
  }
  return undefined;
}

/** Reads bytes [start, end) of a URI of one scheme (the files feature registers maprfs:). */
export type RangeReader = (
  uri: vscode.Uri,
  start: number,
  end: number | undefined
) => Promise<Uint8Array>;

const rangeReaders = new Map<string, RangeReader>();

/** Lets the viewer read `scheme` URIs by byte range; dispose to remove. */
export function registerRangeReader(scheme: string, reader: RangeReader): vscode.Disposable {
  rangeReaders.set(scheme, reader);
  return new vscode.Disposable(() => {
    if (rangeReaders.get(scheme) === reader) rangeReaders.delete(scheme);
  });
}

/**
 * Bytes [start, end) of a file (to its end without `end`): a positioned read on the local disk
 * (also the remote side's disk under Remote-SSH), a ranged read where a feature registered one
 * (maprfs:); other file systems read whole through vscode.workspace.fs, which has no ranges, and
 * are sliced here.
 */
export async function readRange(
  uri: vscode.Uri,
  start: number,
  end: number | undefined
): Promise<Uint8Array> {
  if (uri.scheme === 'file') return readLocalRange(uri.fsPath, start, end);
  const reader = rangeReaders.get(uri.scheme);
  if (reader) return reader(uri, start, end);
  return (await vscode.workspace.fs.readFile(uri)).subarray(start, end);
}
