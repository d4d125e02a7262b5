// The one reusable "Drill Result" WebviewPanel: @radlab/ui's ResultGrid, bundled for the browser as
// dist/webview/grid.js (+ grid.css). Strict CSP (scripts only with a per-load nonce, styles only from
// the extension), resources only from dist/. Messages (../webview/messages.ts): host -> webview
// `running` | `result` + `rows`... + `done` | `error`, and `drill` (Drill's state, the query id and a
// link to its profile, which VS Code opens in the browser), streamed by a ResultFeed; webview -> host
// `ready` | `export` (CSV goes to a save dialog and the file system) | `fetchMore` | `openInSpark`
// (the result's connection and SQL to radlab.drill.openInSpark).
import * as vscode from 'vscode';
import type { ColumnarRows } from '@radlab/core';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { DrillStatus, ResultDone, ResultInfo, WebviewMessage } from '../webview/messages.js';
import { saveCsv } from './csvExport.js';
import { ResultFeed } from './resultFeed.js';

const t = vscode.l10n.t;

function nonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}

export class DrillResultPanel extends Disposable {
  static readonly viewType = 'radlab.drillResult';
  private panel: vscode.WebviewPanel | undefined;
  private readonly feed = new ResultFeed(message => {
    void this.panel?.webview.postMessage(message);
  });
  private readonly fetchMoreEmitter = this._register(new vscode.EventEmitter<void>());
  /** The user asked for more rows of the result shown (its Fetch more button). */
  readonly onDidRequestFetchMore = this.fetchMoreEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log
  ) {
    super();
    this._register({ dispose: () => this.panel?.dispose() });
  }

  /** Shows (creating or revealing, never duplicating) the panel. */
  private reveal(title: string): void {
    if (!this.panel) this.create();
    const panel = this.panel!;
    panel.title = title;
    if (!panel.visible) panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** A query is running (`limit`: the rows asked for, shown when fetching more). */
  showRunning(connection: string, sql: string, title: string, limit?: number): void {
    this.reveal(title);
    this.feed.running(connection, sql, limit);
  }

  /** A result starts: its rows are the store the query fills (`rowsAdded`, then `finishResult`). */
  startResult(
    info: ResultInfo,
    rows: ColumnarRows,
    fetchMore: { canFetchMore: boolean; maxRows: number },
    title: string
  ): void {
    this.reveal(title);
    this.feed.start(info, rows, fetchMore);
  }

  /** What Drill says about the query (state, id, profile link), shown while it runs and after. */
  showDrillStatus(status: DrillStatus): void {
    this.feed.drill(status);
  }

  rowsAdded(): void {
    this.feed.added();
  }

  finishResult(done: ResultDone): void {
    this.feed.finish(done);
  }

  showError(message: string, title: string): void {
    this.reveal(title);
    this.feed.error(message);
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
    this.feed.setReady(false);
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
<div id="drill" class="rl-Panel-drill" aria-label="${t('Drill query')}" hidden></div>
<div id="grid" class="rl-Panel-grid"></div>
<script nonce="${n}" type="module" src="${script.toString()}"></script>
</body>
</html>`;
    const subscriptions = [
      webview.onDidReceiveMessage((message: WebviewMessage) => void this.onMessage(message)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.feed.setReady(false);
        for (const s of subscriptions) s.dispose();
      })
    ];
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') this.feed.setReady(true);
    else if (message.type === 'fetchMore') this.fetchMoreEmitter.fire();
    else if (message.type === 'export') await saveCsv(message.csv, message.filename, this.log);
    else if (message.type === 'openInSpark')
      await vscode.commands.executeCommand('radlab.drill.openInSpark', {
        connection: message.connection,
        sql: message.sql
      });
    else if (message.type === 'openInViewer')
      await vscode.commands.executeCommand('radlab.drill.openInViewer', {
        target: message.target,
        connection: message.connection
      });
  }
}
