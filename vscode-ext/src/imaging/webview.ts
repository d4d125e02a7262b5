// One webview showing @radlab/ui's ImageViewer (dist/webview/imaging.js + .css, the codecs' .wasm beside
// them). Strict CSP: scripts only with the per-load nonce (+ 'wasm-unsafe-eval' for the codecs),
// styles, fonts and the .wasm fetch only from the extension, images from blob:/data:, no other network.
// The webview asks for bytes by file id, whole or a range [start, end) (a series' headers); the host
// reads them with vscode.workspace.fs (remote-safe), ranges of local files by positioned reads.
// Messages (mirrored in webview/main.ts):
//   host → webview: open | bytes | readError | reveal | overlay | sidecar
//   webview → host: ready | read | confirmReveal | pickOverlay | sidecar | log
// An overlay the user picks joins the files (next id) and is read like them; so does a colour table
// found beside it (`sidecar`: the first of the names asked for that the file's folder holds).
import * as vscode from 'vscode';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import { webviewPage } from '../webviewPage.js';
import { readRange, sidecarOf, titleOf, type ViewerFile } from './files.js';

const t = vscode.l10n.t;

export type HostMessage =
  | {
      type: 'open';
      title: string;
      files: Array<{ id: number; name: string; size?: number }>;
      wasmBase: string;
    }
  | { type: 'bytes'; requestId: number; bytes: Uint8Array }
  | { type: 'readError'; requestId: number; message: string }
  | { type: 'reveal'; requestId: number; ok: boolean }
  /** The label map chosen for "Overlay…"; no file: the dialog was cancelled. */
  | { type: 'overlay'; requestId: number; file?: { id: number; name: string } }
  /** The sidecar found beside file `of`; no file: none of the names is there. */
  | { type: 'sidecar'; requestId: number; file?: { id: number; name: string } };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'read'; requestId: number; id: number; start?: number; end?: number }
  | { type: 'confirmReveal'; requestId: number }
  | { type: 'pickOverlay'; requestId: number }
  | { type: 'sidecar'; requestId: number; of: number; names: string[] }
  | { type: 'log'; level: 'warn' | 'error'; message: string };

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')]
  };
}

export function viewerHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  title: string
): string {
  return webviewPage(webview, extensionUri, {
    bundle: 'imaging',
    title,
    bodyClass: 'rl-ImagingWebview',
    imageSources: ['blob:'],
    scriptSources: ["'wasm-unsafe-eval'"],
    directives: ['connect-src {src}', 'worker-src {src} blob:']
  });
}

/** Wires a webview (of a custom editor or a panel) to the viewer script for these files. */
export class ImageWebview extends Disposable {
  /** The files first given, then any overlays picked: a file's id is its index. */
  private readonly files: ViewerFile[];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly extensionUri: vscode.Uri,
    private readonly title: string,
    files: ViewerFile[],
    private readonly log: Log
  ) {
    super();
    this.files = [...files];
    webview.options = webviewOptions(extensionUri);
    webview.html = viewerHtml(webview, extensionUri, title);
    this._register(webview.onDidReceiveMessage((m: WebviewMessage) => void this.onMessage(m)));
  }

  private post(message: HostMessage): void {
    void this.webview.postMessage(message);
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const base = this.webview.asWebviewUri(
          vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')
        );
        this.post({
          type: 'open',
          title: this.title,
          files: this.files.map((f, id) => ({ id, name: f.name, size: f.size })),
          wasmBase: `${base.toString()}/`
        });
        return;
      }
      case 'read': {
        const file = this.files[message.id];
        if (!file) {
          this.post({ type: 'readError', requestId: message.requestId, message: 'no such file' });
          return;
        }
        try {
          const data =
            message.start === undefined
              ? await vscode.workspace.fs.readFile(file.uri)
              : await readRange(file.uri, message.start, message.end);
          // a plain Uint8Array view: a Node Buffer would go through its toJSON ({type, data: [...]})
          // instead of VS Code's binary transfer of typed arrays
          const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          this.post({ type: 'bytes', requestId: message.requestId, bytes });
        } catch (err) {
          this.log.warn(`imaging: reading ${file.uri.toString(true)} failed`, err);
          this.post({
            type: 'readError',
            requestId: message.requestId,
            message: t('Cannot read {0}: {1}', file.name, errorText(err))
          });
        }
        return;
      }
      case 'confirmReveal': {
        const show = t('Show Patient Data');
        const answer = await vscode.window.showWarningMessage(
          t('Show patient data?'),
          {
            modal: true,
            detail: t(
              'The header panel will show identifying attributes (names, IDs, dates of birth, accession numbers, institution…). Make sure nobody who may not see them is looking.'
            )
          },
          show
        );
        this.post({ type: 'reveal', requestId: message.requestId, ok: answer === show });
        return;
      }
      case 'pickOverlay': {
        let picked: vscode.Uri[] | undefined;
        try {
          picked = await vscode.window.showOpenDialog({
            title: t('Overlay a Label Map'),
            openLabel: t('Overlay'),
            canSelectMany: false,
            // 'gz': the dialog matches the last extension only, so .nii.gz needs it
            filters: { NIfTI: ['nii', 'gz'] },
            defaultUri: this.files[0] ? vscode.Uri.joinPath(this.files[0].uri, '..') : undefined
          });
        } catch (err) {
          // answer anyway: the webview waits for this request
          this.log.warn('imaging: the overlay dialog failed', err);
          this.post({ type: 'readError', requestId: message.requestId, message: errorText(err) });
          return;
        }
        const uri = picked?.[0];
        if (!uri) {
          this.post({ type: 'overlay', requestId: message.requestId });
          return;
        }
        const file: ViewerFile = { uri, name: titleOf(uri) };
        this.files.push(file);
        this.post({
          type: 'overlay',
          requestId: message.requestId,
          file: { id: this.files.length - 1, name: file.name }
        });
        return;
      }
      case 'sidecar': {
        const file = this.files[message.of];
        const found = file ? await sidecarOf(file.uri, message.names) : undefined;
        if (found) this.files.push(found);
        this.post({
          type: 'sidecar',
          requestId: message.requestId,
          ...(found ? { file: { id: this.files.length - 1, name: found.name } } : {})
        });
        return;
      }
      case 'log':
        // the viewer's messages carry no PHI (it masks before anything leaves it)
        if (message.level === 'error') this.log.error(`imaging webview: ${message.message}`);
        else this.log.warn(`imaging webview: ${message.message}`);
        return;
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
