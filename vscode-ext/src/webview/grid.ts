// The script of the "Drill Result" webview panel (bundled by esbuild.mjs as dist/webview/grid.js, with
// the grid's CSS as dist/webview/grid.css): the shared ResultGrid, fed by the extension host's messages.
import { ResultGrid } from '@radlab/ui';
import type { DrillResultPayload } from '@radlab/ui';
import '@radlab/ui/style/grid.css';
import './panel.css';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type HostMessage =
  | { type: 'running'; connection: string; sql: string }
  | { type: 'result'; payload: DrillResultPayload }
  | { type: 'error'; message: string };

const vscode = acquireVsCodeApi();
const status = document.getElementById('status')!;
const host = document.getElementById('grid')!;
let grid: ResultGrid | undefined;
let shown: DrillResultPayload | undefined;

function maxHeight(): number {
  return Math.max(200, window.innerHeight - 90);
}

function setStatus(text: string, kind: 'info' | 'running' | 'error'): void {
  status.textContent = text;
  status.dataset['kind'] = kind;
}

function render(payload: DrillResultPayload): void {
  shown = payload;
  grid?.dispose();
  host.replaceChildren();
  grid = new ResultGrid(host, {
    maxHeight: maxHeight(),
    onExport: (csv, filename) => vscode.postMessage({ type: 'export', csv, filename })
  });
  grid.setResult(payload);
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'running':
      setStatus(
        `Running on ${message.connection}: ${message.sql.replace(/\s+/g, ' ').slice(0, 200)}`,
        'running'
      );
      break;
    case 'result':
      setStatus(
        `${message.payload.connection ?? ''}${message.payload.sql ? `: ${message.payload.sql.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
        'info'
      );
      render(message.payload);
      break;
    case 'error':
      // the rows of an earlier query must not pass for this one's
      grid?.dispose();
      grid = undefined;
      shown = undefined;
      host.replaceChildren();
      setStatus(message.message, 'error');
      break;
  }
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    // the grid takes its height at creation: rebuild it at the new size with the same rows
    if (shown) render(shown);
  }, 200);
});

vscode.postMessage({ type: 'ready' });
