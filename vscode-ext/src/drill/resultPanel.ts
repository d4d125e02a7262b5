// The one reusable "Drill Result" WebviewPanel: @radlab/ui's ResultGrid, bundled for the browser as
// dist/webview/grid.js (+ grid.css). Strict CSP (scripts only with a per-load nonce, styles only from
// the extension), resources only from dist/. Messages: host -> webview `running` | `result` | `error`;
// webview -> host `ready` | `export` (CSV goes to a save dialog and the file system).
import * as vscode from 'vscode';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { DrillResultPayload } from './sqlText.js';

const t = vscode.l10n.t;

export type HostMessage =
  | { type: 'running'; connection: string; sql: string }
  | { type: 'result'; payload: DrillResultPayload }
  | { type: 'error'; message: string };

export type WebviewMessage = { type: 'ready' } | { type: 'export'; csv: string; filename: string };

function nonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}

export class DrillResultPanel extends Disposable {
  static readonly viewType = 'radlab.drillResult';
  private panel: vscode.WebviewPanel | undefined;
  private last: HostMessage | undefined;
  private ready = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log
  ) {
    super();
    this._register({ dispose: () => this.panel?.dispose() });
  }

  /** Shows (creating or revealing, never duplicating) the panel with this state. */
  show(message: HostMessage, title: string): void {
    this.last = message;
    if (!this.panel) this.create();
    const panel = this.panel!;
    panel.title = title;
    if (!panel.visible) panel.reveal(vscode.ViewColumn.Beside, true);
    if (this.ready) void panel.webview.postMessage(message);
  }

  private create(): void {
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      DrillResultPanel.viewType,
      t('Drill Result'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist] }
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'radlab.svg');
    this.panel = panel;
    this.ready = false;
    const webview = panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', 'grid.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview', 'grid.css'));
    const n = nonce();
    webview.html = `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<title>${t('Drill Result')}</title>
</head>
<body>
<div id="status" class="rl-Panel-status" role="status" aria-live="polite"></div>
<div id="grid" class="rl-Panel-grid"></div>
<script nonce="${n}" type="module" src="${script.toString()}"></script>
</body>
</html>`;
    const subscriptions = [
      webview.onDidReceiveMessage((message: WebviewMessage) => void this.onMessage(message)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        for (const s of subscriptions) s.dispose();
      })
    ];
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') {
      this.ready = true;
      if (this.last) void this.panel?.webview.postMessage(this.last);
      return;
    }
    if (message.type === 'export') {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        title: t('Export the Drill result as CSV'),
        defaultUri: folder ? vscode.Uri.joinPath(folder, message.filename) : undefined,
        filters: { CSV: ['csv'] }
      });
      if (!target) return;
      try {
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(message.csv));
        this.log.info(`exported a Drill result to ${target.fsPath}`);
        void vscode.window.showInformationMessage(
          t('Saved the Drill result as {0}.', vscode.workspace.asRelativePath(target))
        );
      } catch (err) {
        this.log.error('CSV export failed', err);
        void vscode.window.showErrorMessage(
          t('Radlab: could not save the CSV: {0}', err instanceof Error ? err.message : String(err))
        );
      }
    }
  }
}
