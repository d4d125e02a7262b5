// Bytes [start, end) of a local file by a positioned read: the viewer reads a DICOM series' headers
// as a few KiB each and the rest of each file once (vscode.workspace.fs reads whole files only).
import { open } from 'node:fs/promises';

/** Bytes [start, end) of the file at `path` (to its end without `end`; fewer at the end). */
export async function readLocalRange(
  path: string,
  start: number,
  end: number | undefined
): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const stop = Math.min(end ?? Infinity, (await handle.stat()).size);
    const length = Math.max(0, stop - start);
    const bytes = new Uint8Array(length);
    let done = 0;
    // a read may return fewer bytes than asked (pipes, network file systems): read on
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === length ? bytes : bytes.subarray(0, done);
  } finally {
    await handle.close();
  }
}
