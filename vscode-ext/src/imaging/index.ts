// DICOM and NIfTI in VS Code: a read-only custom editor for the files (radlab.imageViewer) and the
// command radlab.openDicomFolder for a folder's series, both showing @radlab/ui's ImageViewer in a
// webview. Everything returned goes into context.subscriptions.
import * as vscode from 'vscode';
import type { Feature, FeatureHost } from '../feature.js';
import type { Log } from '../log.js';
import { documentFiles, folderFiles, titleOf } from './files.js';
import { IMAGE_VIEW_TYPE, OPEN_FOLDER_COMMAND, SERIES_VIEW_TYPE } from './ids.js';
import { ImageWebview } from './webview.js';

const t = vscode.l10n.t;

class ImageDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // nothing held: the bytes are read when the webview asks
  }
}

export class ImageEditorProvider implements vscode.CustomReadonlyEditorProvider<ImageDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log
  ) {}

  openCustomDocument(uri: vscode.Uri): ImageDocument {
    return new ImageDocument(uri);
  }

  async resolveCustomEditor(document: ImageDocument, panel: vscode.WebviewPanel): Promise<void> {
    const files = await documentFiles(document.uri);
    const view = new ImageWebview(
      panel.webview,
      this.extensionUri,
      titleOf(document.uri),
      files,
      this.log
    );
    panel.onDidDispose(() => view.dispose());
  }
}

async function openFolder(extensionUri: vscode.Uri, log: Log, arg?: unknown): Promise<void> {
  let folder = arg instanceof vscode.Uri ? arg : undefined;
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: t('Open as DICOM Series'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri
    });
    folder = picked?.[0];
    if (!folder) return;
  }
  const files = await folderFiles(folder);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(t('Radlab: {0} has no files.', titleOf(folder)));
    return;
  }
  const title = titleOf(folder);
  const panel = vscode.window.createWebviewPanel(
    SERIES_VIEW_TYPE,
    title,
    vscode.ViewColumn.Active,
    // decoded volumes are costly to rebuild: keep the webview alive while its tab is hidden
    { enableScripts: true, retainContextWhenHidden: true }
  );
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'radlab.svg');
  const view = new ImageWebview(panel.webview, extensionUri, title, files, log);
  panel.onDidDispose(() => view.dispose());
  log.info(`imaging: opened ${files.length} file(s) of ${folder.toString(true)} as a series`);
}

function activate({ context, log, registerCommand }: FeatureHost): vscode.Disposable[] {
  const extensionUri = context.extensionUri;
  return [
    vscode.window.registerCustomEditorProvider(
      IMAGE_VIEW_TYPE,
      new ImageEditorProvider(extensionUri, log),
      {
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: true
      }
    ),
    registerCommand(OPEN_FOLDER_COMMAND, arg => openFolder(extensionUri, log, arg)),
    // loaded on first use: the catalog writer (apache-arrow, parquet-wasm) stays out of activation
    registerCommand('radlab.catalog.harvest', async arg => {
      const { harvestFolder, locateParquetWasm } = await import('./harvest.js');
      locateParquetWasm(context.extensionPath);
      return harvestFolder(arg, log);
    })
  ];
}

/** The imaging feature: the DICOM/NIfTI viewer as a custom editor and Open as DICOM Series. */
export const imagingFeature: Feature = { id: 'imaging', activate };
