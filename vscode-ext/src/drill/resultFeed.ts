// What the Drill Result panel shows, and the messages that bring it to the webview (protocol in
// ../webview/messages.ts). The rows of a result stay by column in the host (core's ColumnarRows) and go
// to the webview in batches as they arrive: the first at once, then whenever enough rows have come
// or some time has passed, so a 1M-row Fetch more shows rows within a moment and never sends one
// giant message. A webview that (re)loads gets everything again. No `vscode` import: tested alone.
import type { ColumnarRows } from '@radlab/core';
import type { DrillStatus, HostMessage, ResultDone, ResultInfo } from '../webview/messages.js';

/** Default rows per `rows` message. */
export const BATCH_ROWS = 20_000;
/** Rows waiting at most this long before they are sent (ms). */
export const BATCH_INTERVAL_MS = 250;

type Running = HostMessage & { type: 'running' };

type State =
  | { kind: 'none' }
  | {
      kind: 'result';
      start: HostMessage & { type: 'result' };
      rows: ColumnarRows;
      done?: ResultDone;
    }
  | { kind: 'error'; message: string };

export class ResultFeed {
  private state: State = { kind: 'none' };
  /** A query running (whose result has not started): shown above what the state shows. */
  private run: Running | undefined;
  /** What Drill says about the last query started (running or ended). */
  private drillState: (HostMessage & { type: 'drill' }) | undefined;
  private ready = false;
  /** Rows of the current result already posted. */
  private sent = 0;
  private lastPost = 0;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly options: { batchRows?: number; intervalMs?: number; now?: () => number } = {}
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The webview is there (again): it gets the whole state. */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (ready) this.replay();
  }

  /** A query started: the result shown stays (a Fetch more keeps its rows until the new ones come). */
  running(connection: string, sql: string, limit?: number): void {
    this.run = { type: 'running', connection, sql, ...(limit ? { limit } : {}) };
    this.drillState = undefined;
    if (this.ready) this.post(this.run);
  }

  /** Drill's state, id and profile of the last query started; kept after it ended. */
  drill(status: DrillStatus): void {
    this.drillState = { type: 'drill', ...status };
    if (this.ready) this.post(this.drillState);
  }

  error(message: string): void {
    this.run = undefined;
    this.state = { kind: 'error', message };
    if (this.ready) this.post({ type: 'error', message });
  }

  /** A new result: its rows (the store the query fills) follow through `added` and `finish`. */
  start(
    info: ResultInfo,
    rows: ColumnarRows,
    fetchMore: { canFetchMore: boolean; maxRows: number }
  ): void {
    const start = { type: 'result' as const, info, ...fetchMore };
    this.run = undefined;
    this.state = { kind: 'result', start, rows };
    this.sent = 0;
    if (this.ready) {
      this.post(start);
      this.lastPost = this.now();
    }
  }

  /** The store has grown: sends rows when the first arrive, enough wait, or they waited long enough. */
  added(): void {
    if (this.state.kind !== 'result' || !this.ready) return;
    const waiting = this.state.rows.length - this.sent;
    if (waiting <= 0) return;
    const batch = this.options.batchRows ?? BATCH_ROWS;
    const interval = this.options.intervalMs ?? BATCH_INTERVAL_MS;
    if (this.sent === 0 || waiting >= batch || this.now() - this.lastPost >= interval) this.flush();
  }

  /** The result is complete. */
  finish(done: ResultDone): void {
    if (this.state.kind !== 'result') return;
    this.state.done = done;
    if (!this.ready) return;
    this.flush();
    this.post({ type: 'done', ...done });
  }

  /** Rows of the current result (tests, logs). */
  get current(): { rows: ColumnarRows; done?: ResultDone } | undefined {
    return this.state.kind === 'result' ? this.state : undefined;
  }

  private flush(): void {
    if (this.state.kind !== 'result') return;
    const { rows } = this.state;
    const batch = this.options.batchRows ?? BATCH_ROWS;
    while (this.sent < rows.length) {
      const to = Math.min(rows.length, this.sent + batch);
      this.post({ type: 'rows', rows: rows.rows(this.sent, to) });
      this.sent = to;
    }
    this.lastPost = this.now();
  }

  private replay(): void {
    const state = this.state;
    if (state.kind === 'error') this.post({ type: 'error', message: state.message });
    else if (state.kind === 'result') {
      this.sent = 0;
      this.post(state.start);
      this.flush();
      if (state.done) this.post({ type: 'done', ...state.done });
    }
    if (this.run) this.post(this.run);
    if (this.drillState) this.post(this.drillState);
  }
}
