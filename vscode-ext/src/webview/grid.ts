// The script of the "Drill Result" webview panel (bundled by esbuild.mjs as dist/webview/grid.js, with
// the grid's CSS as dist/webview/grid.css): the shared ResultGrid, fed by the extension host's messages
// (messages.ts). Rows stream in and are kept by column (ColumnarRows); a truncated result offers Fetch
// more, which asks the host to run the query again with a higher limit. Above the grid, what Drill says
// about the query (its state, its id and a link to its profile, as Drill's web UI and Hue show them):
// VS Code opens the link in the browser.
import { ColumnarRows, ResultGrid, formatCount } from '@radlab/ui';
import '@radlab/ui/style/grid.css';
import './panel.css';
import type { DrillStatus, HostMessage, ResultDone, ResultInfo } from './messages.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const status = document.getElementById('status')!;
const host = document.getElementById('grid')!;
const drillLine = document.getElementById('drill')!;

/** The result on screen, or the one arriving (whose grid is made at its first rows or its end). */
interface Shown {
  info: ResultInfo;
  rows: ColumnarRows;
  canFetchMore: boolean;
  maxRows: number;
  grid?: ResultGrid;
  done?: ResultDone;
}
let shown: Shown | undefined;
let arriving: Shown | undefined;
let fetching = false;

function maxHeight(): number {
  return Math.max(200, window.innerHeight - 90);
}

/**
 * The grid's scroll area takes the height the panel leaves it: the status lines above and the grid's
 * own bars (whose truncation notice wraps to a second line in a narrow panel) stay in view.
 */
function fit(): void {
  const grid = shown?.grid;
  const viewport = host.querySelector<HTMLElement>('.rl-Grid-viewport');
  if (!grid || !viewport) return;
  const around = document.body.offsetHeight - viewport.offsetHeight;
  grid.setMaxHeight(Math.max(120, window.innerHeight - around - 1));
}

function setStatus(text: string, kind: 'info' | 'running' | 'error' | 'warning'): void {
  status.textContent = text;
  status.dataset['kind'] = kind;
}

const oneLine = (sql: string | undefined): string => (sql ?? '').replace(/\s+/g, ' ').slice(0, 200);

function resultStatus(result: Shown): void {
  const { info, done } = result;
  const where = `${info.connection ?? ''}${info.sql ? `: ${oneLine(info.sql)}` : ''}`;
  if (!done) {
    setStatus(`Receiving rows… ${formatCount(result.rows.length)} so far — ${where}`, 'running');
  } else if (done.truncated && !result.canFetchMore) {
    // the most Fetch more goes to: say so, and how to get the rest
    setStatus(
      `Showing the first ${formatCount(done.rowCount)} rows, the most fetched here; the query has more. Narrow it (WHERE, LIMIT, GROUP BY) or use the CLI (radlab drill query --csv). — ${where}`,
      'warning'
    );
  } else {
    setStatus(where, 'info');
  }
}

function span(className: string, text: string): HTMLElement {
  const node = document.createElement('span');
  node.className = className;
  node.textContent = text;
  return node;
}

/** Drill's state, the query id and the profile link (undefined: none yet for this query). */
function showDrill(status: DrillStatus | undefined): void {
  drillLine.hidden = !status;
  if (!status) {
    drillLine.replaceChildren();
    return;
  }
  const state = span('rl-Panel-state', status.state);
  state.dataset['state'] = status.state;
  const parts: Node[] = [state];
  if (status.queryId) parts.push(span('rl-Panel-queryId', `query ${status.queryId}`));
  if (status.profile && /^https?:\/\//.test(status.profile)) {
    const link = document.createElement('a');
    link.className = 'rl-Panel-profile';
    link.href = status.profile;
    link.textContent = 'Query profile ↗';
    link.title = `Open the query's profile in Drill's web UI: ${status.profile}`;
    parts.push(link);
  }
  drillLine.replaceChildren(...parts);
}

function clear(): void {
  shown?.grid?.dispose();
  shown = undefined;
  host.replaceChildren();
}

/** Puts the arriving result on screen (replacing the one shown) once it has rows or has ended. */
function showArriving(): void {
  const result = arriving;
  if (!result) return;
  arriving = undefined;
  fetching = false;
  clear();
  result.grid = new ResultGrid(host, {
    maxHeight: maxHeight(),
    onExport: (csv, filename) => vscode.postMessage({ type: 'export', csv, filename }),
    onOpenInSpark: () =>
      vscode.postMessage({
        type: 'openInSpark',
        connection: result.info.connection,
        sql: result.info.sql
      }),
    onOpenInViewer: target =>
      vscode.postMessage({ type: 'openInViewer', target, connection: result.info.connection }),
    ...(result.canFetchMore ? { onFetchMore: fetchMore } : {})
  });
  result.grid.setResultRows(result.info, result.rows);
  shown = result;
}

function fetchMore(): void {
  if (fetching || !shown?.done?.truncated) return;
  fetching = true;
  vscode.postMessage({ type: 'fetchMore' });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'running':
      // the rows shown stay until the new result's first rows arrive; Drill's line is the new query's
      showDrill(undefined);
      setStatus(
        message.limit
          ? `Fetching up to ${formatCount(message.limit)} rows from ${message.connection}: ${oneLine(message.sql)}`
          : `Running on ${message.connection}: ${oneLine(message.sql)}`,
        'running'
      );
      break;
    case 'result':
      arriving = {
        info: message.info,
        rows: new ColumnarRows(message.info.columns),
        canFetchMore: message.canFetchMore,
        maxRows: message.maxRows
      };
      break;
    case 'rows': {
      const result = arriving ?? shown;
      if (!result) break;
      result.rows.appendRows(message.rows);
      if (result === arriving) showArriving();
      else result.grid?.rowsAppended();
      resultStatus(result);
      break;
    }
    case 'done': {
      const { type: _type, ...done } = message;
      void _type;
      if (arriving) showArriving();
      if (!shown) break;
      shown.done = done;
      shown.grid?.rowsAppended({ truncated: done.truncated, elapsedMs: done.elapsedMs });
      resultStatus(shown);
      break;
    }
    case 'error':
      // the rows of an earlier query must not pass for this one's
      arriving = undefined;
      fetching = false;
      clear();
      setStatus(message.message, 'error');
      break;
    case 'drill': {
      const { type: _type, ...status } = message;
      void _type;
      showDrill(status);
      break;
    }
  }
  fit();
});

let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  // the same grid at the new height: sort, filter and selection stay
  resizeTimer = setTimeout(fit, 100);
});

vscode.postMessage({ type: 'ready' });
