// One GPU panel: a WebviewPanel showing @radlab/ui's GpuDashboard (dist/webview/gpu.js + .css; strict
// CSP: the nonce'd script, styles from the extension, no network). The webview calls the backend's
// client by message (service.ts says which methods); a call in flight is aborted when the webview
// cancels it or the panel closes. PNG and CSV exports are saved through a save dialog.
import * as vscode from 'vscode';
import { toErrorJSON } from '@radlab/core';
import type { GpuWarningSettings } from '@radlab/ui';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import { webviewPage } from '../webviewPage.js';
import type { GpuBackend, GpuService } from './service.js';
import type { GpuHostMessage, GpuViewInit, GpuWebviewMessage } from './webview/messages.js';

const t = vscode.l10n.t;
export const GPU_VIEW_TYPE = 'radlab.gpu';

export class GpuPanel extends Disposable {
  private readonly calls = new Map<number, AbortController>();
  private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this._onDidDispose.event;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly service: GpuService,
    private readonly backend: GpuBackend,
    private readonly view: GpuViewInit,
    private readonly log: Log
  ) {
    super();
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')]
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'radlab.svg');
    panel.webview.html = webviewPage(panel.webview, extensionUri, {
      bundle: 'gpu',
      title: view.title,
      bodyClass: 'rl-GpuWebview',
      imageSources: ['blob:']
    });
    this._register(
      panel.webview.onDidReceiveMessage((m: GpuWebviewMessage) => void this.onMessage(m))
    );
    this._register(
      panel.onDidDispose(() => {
        this._onDidDispose.fire();
        this.dispose();
      })
    );
  }

  /** Opens a panel in the active column. */
  static open(
    extensionUri: vscode.Uri,
    service: GpuService,
    backend: GpuBackend,
    view: GpuViewInit,
    log: Log
  ): GpuPanel {
    const panel = vscode.window.createWebviewPanel(
      GPU_VIEW_TYPE,
      view.title,
      vscode.ViewColumn.Active,
      // the window's series are costly to fetch again: keep the webview while its tab is hidden
      { enableScripts: true, retainContextWhenHidden: true }
    );
    return new GpuPanel(panel, extensionUri, service, backend, view, log);
  }

  setWarnings(warnings: GpuWarningSettings): void {
    this.view.warnings = warnings;
    this.post({ type: 'warnings', warnings });
  }

  private post(message: GpuHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: GpuWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'init', view: this.view });
        return;
      case 'call': {
        const abort = new AbortController();
        this.calls.set(message.id, abort);
        try {
          const value = await this.service.call(
            this.backend,
            message.method,
            message.args,
            abort.signal
          );
          if (!abort.signal.aborted) this.post({ type: 'answer', id: message.id, value });
        } catch (err) {
          if (!abort.signal.aborted)
            this.post({
              type: 'failure',
              id: message.id,
              error: toErrorJSON(err, {
                code: 'server',
                ...(this.backend.kind === 'prometheus'
                  ? { connection: this.backend.connection }
                  : {})
              })
            });
        } finally {
          this.calls.delete(message.id);
        }
        return;
      }
      case 'cancel':
        this.calls.get(message.id)?.abort();
        this.calls.delete(message.id);
        return;
      case 'save':
        await this.save(message.name, message.text, message.bytes);
        return;
      case 'log':
        if (message.level === 'error') this.log.error(`gpu webview: ${message.message}`);
        else this.log.warn(`gpu webview: ${message.message}`);
        return;
    }
  }

  private async save(name: string, text?: string, bytes?: Uint8Array): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: t('Save GPU Metrics'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: name.endsWith('.png') ? { PNG: ['png'] } : { CSV: ['csv'] }
    });
    if (!target) return;
    // typed arrays cross as such in current VS Code; an older one may send a plain object of bytes
    const data = bytes
      ? bytes instanceof Uint8Array
        ? bytes
        : Uint8Array.from(Object.values(bytes as unknown as Record<string, number>))
      : new TextEncoder().encode(text ?? '');
    await vscode.workspace.fs.writeFile(target, data);
    this.log.info(`gpu: saved ${target.toString(true)}`);
  }

  override dispose(): void {
    for (const abort of this.calls.values()) abort.abort();
    this.calls.clear();
    super.dispose();
    this.panel.dispose();
  }
}
