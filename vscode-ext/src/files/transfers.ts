// Uploads from the local disk and downloads to it, streamed (node streams, no whole-file buffers),
// in a progress notification with Cancel. An upload goes through core's resumableUpload (a
// temporary name beside the target, renamed when complete; the same upload started again resumes);
// a download goes to a temporary file beside the destination, renamed when complete.
import * as vscode from 'vscode';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatSize } from '@radlab/ui';
import { resumableUpload, type FilesClient } from '@radlab/core';

const t = vscode.l10n.t;

/** Runs `work` in a cancellable notification that shows bytes done of `total`. */
async function withTransfer(
  title: string,
  total: number,
  work: (signal: AbortSignal, report: (bytes: number) => void) => Promise<void>
): Promise<void> {
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      let last = 0;
      try {
        await work(abort.signal, bytes => {
          const now = Date.now();
          if (now - last < 200 && bytes < total) return;
          last = now;
          const pct = total > 0 ? (bytes / total) * 100 : 100;
          progress.report({
            increment: pct - shown,
            message: `${formatSize(bytes)} / ${formatSize(total)}`
          });
          shown = pct;
        });
      } catch (err) {
        if (abort.signal.aborted) throw new vscode.CancellationError();
        throw err;
      } finally {
        sub.dispose();
      }
    }
  );
}

export async function uploadFromDisk(
  client: FilesClient,
  local: vscode.Uri,
  path: string,
  connection: string
): Promise<void> {
  const info = await stat(local.fsPath);
  let resumed = 0;
  await withTransfer(
    t('Uploading {0} to {1}:{2}', local.fsPath, connection, path),
    info.size,
    (signal, report) =>
      resumableUpload(
        client,
        path,
        {
          size: info.size,
          fingerprint: `${local.fsPath}:${info.size}:${info.mtimeMs}`,
          open: offset => createReadStream(local.fsPath, { start: offset, highWaterMark: 1 << 20 })
        },
        {
          signal,
          onProgress: p => report(p.bytes),
          onResume: offset => {
            resumed = offset;
          }
        }
      ).then(() => undefined)
  );
  void vscode.window.showInformationMessage(
    resumed > 0
      ? t(
          'Uploaded {0} to {1} (resumed after {2}).',
          formatSize(info.size),
          path,
          formatSize(resumed)
        )
      : t('Uploaded {0} to {1}.', formatSize(info.size), path)
  );
}

export async function downloadToDisk(
  client: FilesClient,
  path: string,
  to: vscode.Uri,
  connection: string
): Promise<void> {
  const remote = await client.stat(path);
  const temp = `${to.fsPath}.radlab-${process.pid}.part`;
  await withTransfer(
    t('Downloading {0}:{1}', connection, path),
    remote.size,
    async (signal, report) => {
      try {
        await pipeline(
          Readable.from(client.read(path, { signal, onProgress: p => report(p.bytes) })),
          createWriteStream(temp),
          { signal }
        );
        const got = (await stat(temp)).size;
        if (got !== remote.size) {
          throw new Error(
            t('{0}: got {1} of {2} bytes; download it again.', path, got, remote.size)
          );
        }
        await rename(temp, to.fsPath);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    }
  );
  void vscode.window.showInformationMessage(
    t('Downloaded {0} to {1}.', formatSize(remote.size), to.fsPath)
  );
}
