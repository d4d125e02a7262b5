// Saving a Drill result's CSV as a file: a save dialog (in the first workspace folder by default),
// then the file system. Used by the Drill Result panel and the notebook renderer, whose webviews
// cannot download files themselves.
import * as vscode from 'vscode';
import type { Log } from '../log.js';

const t = vscode.l10n.t;

/** Asks where to save and writes the CSV; the file's URI, or undefined when dismissed or failed. */
export async function saveCsv(
  csv: string,
  filename: string,
  log: Log
): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const safeName = filename.replace(/[\\/:*?"<>|]+/g, '_') || 'drill-result.csv';
  const target = await vscode.window.showSaveDialog({
    title: t('Export the Drill result as CSV'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, safeName) : undefined,
    filters: { CSV: ['csv'] }
  });
  if (!target) return undefined;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
    log.info(`exported a Drill result to ${target.fsPath}`);
    void vscode.window.showInformationMessage(
      t('Saved the Drill result as {0}.', vscode.workspace.asRelativePath(target))
    );
    return target;
  } catch (err) {
    log.error('CSV export failed', err);
    void vscode.window.showErrorMessage(
      t('Radlab: could not save the CSV: {0}', err instanceof Error ? err.message : String(err))
    );
    return undefined;
  }
}
