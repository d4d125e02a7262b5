// Open in viewer from a Drill result (issue 17 item 7): a grid cell's images (@radlab/ui decides
// which cells and where their files are: imageTarget / locateImages) opened in the imaging feature,
// a folder as a DICOM series (radlab.openDicomFolder), a file in the image viewer. Catalog rows are
// looked up through the result's own Drill connection (else the first one).
import * as vscode from 'vscode';
import { locateImages, type CatalogQuery, type ImageTarget } from '@radlab/ui';
import { IMAGE_VIEW_TYPE, OPEN_FOLDER_COMMAND } from '../imaging/ids.js';
import type { Log } from '../log.js';
import type { DrillService } from './service.js';

const t = vscode.l10n.t;

export interface ViewerRequest {
  target: ImageTarget;
  /** The result's Drill connection, when the result says. */
  connection?: string;
}

export function isViewerRequest(arg: unknown): arg is ViewerRequest {
  const target = (arg as Partial<ViewerRequest> | undefined)?.target;
  return (
    !!target &&
    typeof target === 'object' &&
    ['file', 'folder', 'series'].includes(target.kind) &&
    typeof target.row === 'object'
  );
}

/** A path from the catalog or a cell as a file URI: relative ones under the first workspace folder. */
function toUri(path: string): vscode.Uri | undefined {
  if (path.startsWith('/')) return vscode.Uri.file(path);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, path) : undefined;
}

export async function openInViewer(
  request: ViewerRequest,
  service: DrillService,
  log: Log
): Promise<void> {
  const name = request.connection ?? (await service.connections())[0]?.name;
  const query: CatalogQuery | undefined = name
    ? async sql => (await (await service.client(name)).query(sql)).rows
    : undefined;
  const where = await locateImages(request.target, query);
  if ('error' in where) {
    void vscode.window.showWarningMessage(t('Radlab: {0}', where.error));
    return;
  }
  const uri = toUri(where.path);
  if (!uri) {
    void vscode.window.showWarningMessage(
      t('Radlab: {0} is relative and no folder is open.', where.path)
    );
    return;
  }
  log.info(`drill: open in viewer (${where.kind})`);
  if (where.kind === 'folder') await vscode.commands.executeCommand(OPEN_FOLDER_COMMAND, uri);
  else await vscode.commands.executeCommand('vscode.openWith', uri, IMAGE_VIEW_TYPE);
}
