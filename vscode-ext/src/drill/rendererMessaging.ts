// The extension's side of the Drill result renderer's messages (../renderer/messages.ts): a grid in a
// notebook output exports its CSV here, and it is saved where the user says (the output webview
// cannot download files).
import * as vscode from 'vscode';
import type { Log } from '../log.js';
import type { RendererExportMessage, RendererExportedMessage } from '../renderer/messages.js';
import { saveCsv } from './csvExport.js';
import { isViewerRequest, type ViewerRequest } from './openInViewer.js';

/** contributes.notebookRenderer id (package.json). */
export const RENDERER_ID = 'radlab.drill-result';

function isExport(message: unknown): message is RendererExportMessage {
  const m = message as Partial<RendererExportMessage> | undefined;
  return (
    m?.type === 'export' &&
    typeof m.csv === 'string' &&
    typeof m.filename === 'string' &&
    typeof m.outputId === 'string'
  );
}

/** `openInViewer` hears a grid's Open in viewer (drill/openInViewer.ts). */
export function registerRendererMessaging(
  log: Log,
  openInViewer: (request: ViewerRequest) => Promise<void>
): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  return messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if ((message as { type?: unknown } | undefined)?.type === 'openInViewer') {
      if (isViewerRequest(message)) await openInViewer(message);
      return;
    }
    if (!isExport(message)) return;
    const target = await saveCsv(message.csv, message.filename, log);
    const answer: RendererExportedMessage = {
      type: 'exported',
      outputId: message.outputId,
      ...(target ? { path: vscode.workspace.asRelativePath(target) } : {})
    };
    void messaging.postMessage(answer, editor);
  });
}
