// "Harvest into Catalog…" on a folder of the explorer (issue 17 item 9): the harvest runs here in the
// extension host (@radlab/imaging/node, the same code as `radlab harvest`), reading the folder's
// headers into the catalog Drill reads as dfs.catalog, with progress and Cancel in a notification
// and the summary (quality findings included) at the end. The key is the CLI's (catalogKey).
import { join } from 'node:path';
import * as vscode from 'vscode';
import { harvestProgressText, harvestSummaryText } from '@radlab/imaging/catalog';
import {
  catalogDir,
  catalogKey,
  createDeidentifier,
  deidProfile,
  folderSource,
  harvest,
  setParquetWasm
} from '@radlab/imaging/node';
import type { Log } from '../log.js';

const t = vscode.l10n.t;

/** parquet-wasm's .wasm, copied into dist/ by esbuild.mjs (the bundle cannot resolve the package). */
export function locateParquetWasm(extensionPath: string): void {
  setParquetWasm(join(extensionPath, 'dist', 'parquet_wasm_bg.wasm'));
}

export async function harvestFolder(arg: unknown, log: Log): Promise<void> {
  let folder = arg instanceof vscode.Uri ? arg : undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: t('Harvest into Catalog'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri
    });
    folder = picked?.[0];
    if (!folder) return;
  }
  if (folder.scheme !== 'file') {
    void vscode.window.showWarningMessage(
      t('Radlab: only local folders can be harvested from VS Code for now.')
    );
    return;
  }
  const label = folder.path.split('/').filter(Boolean).pop() ?? '/';
  const env = process.env as Record<string, string | undefined>;
  const dest = catalogDir(env);
  const deid = createDeidentifier(await catalogKey(env), deidProfile('basic'));
  const stop = new AbortController();
  const started = Date.now();
  try {
    const summary = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: t('Radlab'),
        cancellable: true
      },
      async (progress, token) => {
        token.onCancellationRequested(() => stop.abort());
        let shown = 0;
        progress.report({ message: harvestProgressText(label, { files: 0, total: 0 }) });
        return harvest({
          source: folderSource(folder.fsPath),
          sourceLocation: folder.fsPath,
          dest,
          deid,
          signal: stop.signal,
          onProgress: p => {
            const done = p.total ? (100 * p.files) / p.total : 0;
            progress.report({
              message: harvestProgressText(label, p),
              increment: Math.max(0, done - shown)
            });
            shown = done;
          }
        });
      }
    );
    // names no file: paths may name patients
    log.info(`catalog: harvested ${summary.files} files in ${Date.now() - started} ms`);
    const text = t('Radlab: harvested {0}', harvestSummaryText(label, summary));
    if (Object.keys(summary.quality).length) void vscode.window.showWarningMessage(text);
    else void vscode.window.showInformationMessage(text);
  } catch (e) {
    if (stop.signal.aborted) {
      void vscode.window.showWarningMessage(
        t(
          'Radlab: harvest of {0} cancelled: the files read so far are kept, a new harvest goes on from there.',
          label
        )
      );
      return;
    }
    const code = (e as NodeJS.ErrnoException).code;
    log.error(`catalog: harvest failed${code ? ` (${code})` : ''}`);
    void vscode.window.showErrorMessage(
      t('Radlab: harvest of {0} failed{1}.', label, code ? ` (${code})` : '')
    );
  }
}
