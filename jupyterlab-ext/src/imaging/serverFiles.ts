// The viewer's ImageFiles in JupyterLab: bytes come from the Radlab server extension
// (`radlab/api/contents-bytes`, streamed, no base64 round trip through the contents API) and a folder's files
// from `radlab/api/contents-list`. Failures leave as RadlabError (the server's JSON error body).
import { PathExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { RadlabError } from '@radlab/core';
import type { ImageFile, ImageSource } from '@radlab/ui';
import { errorFromResponse, radlabUrl, requestAPI } from '../api.js';

export interface ListedFile {
  name: string;
  size: number;
  mtime: number;
}

export interface FolderListing {
  path: string;
  files: ListedFile[];
  truncated: boolean;
}

/** `a/b` from a contents path (`/a/b/`, `a//b`): what the server endpoints take. */
export function apiPath(path: string): string {
  return path.split('/').filter(Boolean).join('/');
}

/** The URL of a file's bytes. */
export function bytesUrl(settings: ServerConnection.ISettings, path: string): string {
  return `${radlabUrl(settings, 'api/contents-bytes')}?path=${encodeURIComponent(apiPath(path))}`;
}

/** `bytes=start-end` for bytes [start, end) (HTTP ranges are inclusive); `bytes=start-` to the end. */
export function rangeHeader(start: number, end: number | undefined): string {
  return `bytes=${start}-${end === undefined ? '' : Math.max(start, end - 1)}`;
}

/** One server file as the viewer reads it. */
export function serverFile(
  path: string,
  size?: number,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): ImageFile {
  const name = PathExt.basename(path);
  const where = `radlab/api/contents-bytes (${name})`;
  /** The file's bytes, or bytes [start, end) of it (a `Range` request; end open: to the end). */
  const fetchBytes = async (
    signal: AbortSignal | undefined,
    range?: { start: number; end: number | undefined }
  ): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(
        bytesUrl(settings, path),
        {
          method: 'GET',
          signal,
          cache: 'no-cache',
          ...(range ? { headers: { Range: rangeHeader(range.start, range.end) } } : {})
        },
        settings
      );
    } catch (e) {
      if (signal?.aborted) {
        throw new RadlabError({
          code: 'cancelled',
          service: 'radlab',
          message: `cancelled: ${where}`
        });
      }
      throw new RadlabError({
        code: 'unreachable',
        service: 'radlab',
        message: `cannot reach the Jupyter server (${where})`,
        hint: 'Is the Jupyter server still running? Check the network and reload the page.',
        cause: e instanceof Error ? e : undefined
      });
    }
    // a range starting at or past the end: nothing left to read
    if (range && response.status === 416) return new Uint8Array(0);
    if (!response.ok) {
      throw errorFromResponse(response.status, response.statusText, await response.text(), where);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    // a server (or proxy) that ignores Range answers 200 with the whole file
    return range && response.status !== 206 ? bytes.slice(range.start, range.end) : bytes;
  };
  return {
    name,
    size,
    read: signal => fetchBytes(signal),
    readRange: (start, end, signal) =>
      end !== undefined && end <= start
        ? Promise.resolve(new Uint8Array(0))
        : fetchBytes(signal, { start, end }),
    // a colour table beside a label map: one listing of the folder answers every name
    async sidecar(names, signal) {
      const folder = PathExt.dirname(apiPath(path));
      const listing = await listFolder(folder === '.' ? '' : folder, settings, signal);
      const found = sidecarIn(names, listing.files);
      return found && serverFile(PathExt.join(folder, found.name), found.size, settings);
    }
  };
}

/** The first of `names` (bare file names, any case) among `files`. */
export function sidecarIn(
  names: readonly string[],
  files: readonly ListedFile[]
): ListedFile | undefined {
  const byName = new Map(files.map(f => [f.name.toLowerCase(), f]));
  for (const name of names) {
    if (name.includes('/') || name.includes('\\')) continue;
    const found = byName.get(name.toLowerCase());
    if (found) return found;
  }
  return undefined;
}

/** The regular files of a server folder (hidden ones left out unless the server allows them). */
export function listFolder(
  path: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  signal?: AbortSignal
): Promise<FolderListing> {
  return requestAPI<FolderListing>(
    `api/contents-list?path=${encodeURIComponent(apiPath(path))}`,
    { method: 'GET', signal },
    settings
  );
}

/** A file of a document: itself, and for an Analyze/NIfTI `.hdr` also its `.img` beside it. */
export async function documentSource(
  path: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  signal?: AbortSignal
): Promise<ImageSource> {
  const name = PathExt.basename(path);
  const files = [serverFile(path, undefined, settings)];
  if (/\.hdr$/i.test(name)) {
    const folder = PathExt.dirname(apiPath(path));
    const listing = await listFolder(folder, settings, signal);
    const img = pairedImage(name, listing.files);
    if (img) files.push(serverFile(PathExt.join(folder, img.name), img.size, settings));
  }
  return { title: name, files };
}

/** The `.img` of a `.hdr` (same stem, any case), if the folder has one. */
export function pairedImage(hdrName: string, files: ListedFile[]): ListedFile | undefined {
  const stem = hdrName.replace(/\.hdr$/i, '').toLowerCase();
  return files.find(f => f.name.toLowerCase() === `${stem}.img`);
}

/** Every file of a folder: the viewer groups DICOM files into series and sets the others aside. */
export async function folderSource(
  path: string,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings(),
  signal?: AbortSignal
): Promise<ImageSource> {
  const folder = apiPath(path);
  const listing = await listFolder(folder, settings, signal);
  if (listing.truncated) {
    console.warn(`Radlab: ${folder} has more files than the server lists; showing the first ones`);
  }
  return {
    title: PathExt.basename(folder) || '/',
    files: listing.files.map(f => serverFile(PathExt.join(folder, f.name), f.size, settings))
  };
}
