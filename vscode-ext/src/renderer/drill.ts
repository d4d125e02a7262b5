// The VS Code notebook renderer of Drill results (contributes.notebookRenderer `radlab.drill-result`):
// @radlab/ui's ResultGrid in the notebook's output webview. Bundled by esbuild.mjs as browser ESM
// (dist/renderer.js) with the grid's CSS inlined and injected once per webview.
//
// CSV export: the output webview cannot download files, so the CSV goes to the extension
// (renderer messaging, `requiresMessaging: optional`; drill/rendererMessaging.ts), which asks where to
// save it. Where no extension answers (messaging unavailable), it goes to the clipboard instead.
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { ResultGrid } from '@radlab/ui';
import type { DrillResultPayload, ImageTarget } from '@radlab/ui';
import gridCss from '@radlab/ui/style/grid.css';
import uplotCss from 'uplot/dist/uPlot.min.css';
import type {
  RendererExportMessage,
  RendererExportedMessage,
  RendererOpenInViewerMessage
} from './messages.js';

const STYLE_ID = 'radlab-grid-style';
/** The most a grid's scroll area grows to in an output (px). */
const MAX_HEIGHT = 360;

function injectStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  // the CSS comes in as text, so grid.css's @import of uPlot's styles (the quick chart) is put in here
  style.textContent = `${uplotCss}\n${gridCss.replace(/@import[^;]*;/g, '')}`;
  doc.head.appendChild(style);
}

function errorNode(doc: Document, message: string): HTMLElement {
  const node = doc.createElement('div');
  node.className = 'rl-Grid-error';
  node.textContent = message;
  return node;
}

export const activate: ActivationFunction = context => {
  const grids = new Map<string, ResultGrid>();
  const messaging = typeof context.postMessage === 'function';
  context.onDidReceiveMessage?.((message: RendererExportedMessage) => {
    if (message?.type !== 'exported') return;
    grids
      .get(message.outputId)
      ?.notify(message.path ? `Saved as ${message.path}` : 'The CSV was not saved');
  });
  return {
    renderOutputItem(output: OutputItem, element: HTMLElement): void {
      const doc = element.ownerDocument;
      injectStyle(doc);
      grids.get(output.id)?.dispose();
      grids.delete(output.id);
      element.replaceChildren();
      let payload: DrillResultPayload;
      try {
        payload = output.json() as DrillResultPayload;
      } catch (reason) {
        element.appendChild(
          errorNode(doc, `Radlab: the Drill result is not valid JSON (${String(reason)})`)
        );
        return;
      }
      if (!payload || typeof payload !== 'object' || !Array.isArray(payload.columns)) {
        element.appendChild(errorNode(doc, 'Radlab: not a Drill result (no columns)'));
        return;
      }
      const outputId = output.id;
      const grid = new ResultGrid(element, {
        maxHeight: MAX_HEIGHT,
        ...(messaging
          ? {
              onOpenInViewer: (target: ImageTarget) => {
                const message: RendererOpenInViewerMessage = {
                  type: 'openInViewer',
                  target,
                  ...(payload.connection ? { connection: payload.connection } : {})
                };
                context.postMessage!(message);
              }
            }
          : {}),
        onExport: (csv, filename) => {
          if (messaging) {
            const message: RendererExportMessage = { type: 'export', csv, filename, outputId };
            context.postMessage!(message);
            return;
          }
          void navigator.clipboard
            ?.writeText(csv)
            .then(() => grids.get(outputId)?.notify('CSV copied to the clipboard'));
        }
      });
      grid.setResult(payload);
      grids.set(output.id, grid);
    },
    disposeOutputItem(id?: string): void {
      if (id === undefined) {
        for (const grid of grids.values()) grid.dispose();
        grids.clear();
        return;
      }
      grids.get(id)?.dispose();
      grids.delete(id);
    }
  };
};
