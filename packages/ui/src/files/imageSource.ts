// The viewer's ImageFiles on a files connection (MapR/HDFS): every read is a byte range of the file
// (a DICOM folder's header pass reads a few KiB of each), through whatever transport the client has.
import { baseName, childPath, parentPath, type FilesClient, type FileStatus } from '@radlab/core';
import type { ImageFile, ImageSource } from '../viewer/source.js';

/** Up to this many files of a folder go to the viewer (a series is hundreds, not 100,000). */
export const IMAGE_FOLDER_LIMIT = 5_000;

type Client = Pick<FilesClient, 'readBytes' | 'pages'>;

async function filesOf(
  client: Client,
  folder: string,
  signal?: AbortSignal
): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  for await (const page of client.pages(folder, { signal })) {
    for (const entry of page.entries) if (entry.type === 'file') out.push(entry);
    if (out.length >= IMAGE_FOLDER_LIMIT) break;
  }
  return out.slice(0, IMAGE_FOLDER_LIMIT);
}

/** One file, read whole or by range. */
export function filesImageFile(client: Client, path: string, size?: number): ImageFile {
  return {
    name: baseName(path),
    size,
    read: signal => client.readBytes(path, { signal }),
    readRange: (start, end, signal) =>
      end !== undefined && end <= start
        ? Promise.resolve(new Uint8Array(0))
        : client.readBytes(path, {
            offset: start,
            ...(end !== undefined ? { length: end - start } : {}),
            signal
          }),
    async sidecar(names, signal) {
      const files = await filesOf(client, parentPath(path), signal);
      const byName = new Map(files.map(f => [f.name.toLowerCase(), f]));
      for (const name of names) {
        if (name.includes('/')) continue;
        const found = byName.get(name.toLowerCase());
        if (found) return filesImageFile(client, found.path, found.size);
      }
      return undefined;
    }
  };
}

/** A document: the file, and for an Analyze/NIfTI `.hdr` also the `.img` beside it. */
export async function filesDocumentSource(
  client: Client,
  path: string,
  signal?: AbortSignal
): Promise<ImageSource> {
  const name = baseName(path);
  const files = [filesImageFile(client, path)];
  if (/\.hdr$/i.test(name)) {
    const stem = name.replace(/\.hdr$/i, '').toLowerCase();
    const img = (await filesOf(client, parentPath(path), signal)).find(
      f => f.name.toLowerCase() === `${stem}.img`
    );
    if (img) files.push(filesImageFile(client, childPath(parentPath(path), img.name), img.size));
  }
  return { title: name, files };
}

/** Every file of a folder (the viewer groups DICOM files into series and sets the others aside). */
export async function filesFolderSource(
  client: Client,
  folder: string,
  signal?: AbortSignal
): Promise<ImageSource> {
  const files = await filesOf(client, folder, signal);
  return {
    title: baseName(folder) || '/',
    files: files.map(f => filesImageFile(client, f.path, f.size))
  };
}
