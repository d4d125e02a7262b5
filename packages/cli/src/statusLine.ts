// The live line a query shows on a terminal while it runs (stderr, only when it is a TTY): Drill's
// state, the elapsed time, rows so far, the query id and its profile page, redrawn in place and wiped
// when the query ends, so what stays on screen is only the result.

import type { DrillQueryStatus } from '@radlab/core';

export interface StatusView extends DrillQueryStatus {
  elapsedMs: number;
  rows: number;
  /** The query's profile page, once the id is known. */
  profile?: string;
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

/** One line of at most `width` characters: on a narrow terminal the Ctrl-C note goes first, then the link, then the id. */
export function renderStatus(view: StatusView, width: number): string {
  const head = [view.state, seconds(view.elapsedMs)];
  if (view.rows > 0) head.push(`${view.rows} row${view.rows === 1 ? '' : 's'}`);
  const parts = [head.join(' · ')];
  if (view.queryId) parts.push(`query ${view.queryId}`);
  if (view.profile) parts.push(view.profile);
  parts.push('(Ctrl-C cancels)');
  let line = parts.join('  ');
  while (line.length > width && parts.length > 1) {
    parts.pop();
    line = parts.join('  ');
  }
  return line.length > width ? line.slice(0, Math.max(0, width - 1)) : line;
}

export interface StatusLineOptions {
  out: { write(text: string): unknown; columns?: number };
  /** Drill's view of the query; failures keep the last state shown. */
  poll: (signal: AbortSignal) => Promise<DrillQueryStatus>;
  profile: (queryId: string) => string;
  /** Redraw interval (default 200 ms) and status poll interval (default 1000 ms). */
  redrawMs?: number;
  pollMs?: number;
}

export class StatusLine {
  private readonly started = Date.now();
  private status: DrillQueryStatus = { state: 'SUBMITTED' };
  private rowCount = 0;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly polling = new AbortController();
  private busy = false;
  private shown = false;

  constructor(private readonly options: StatusLineOptions) {
    this.timers.push(setInterval(() => this.draw(), options.redrawMs ?? 200));
    this.timers.push(setInterval(() => void this.refresh(), options.pollMs ?? 1000));
    void this.refresh();
  }

  rows(count: number): void {
    this.rowCount = count;
  }

  private async refresh(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.status = await this.options.poll(this.polling.signal);
    } catch {
      // Drill busy or the query just ended: keep what was shown
    } finally {
      this.busy = false;
    }
    this.draw();
  }

  private draw(): void {
    if (this.polling.signal.aborted) return;
    const { queryId } = this.status;
    const line = renderStatus(
      {
        ...this.status,
        elapsedMs: Date.now() - this.started,
        rows: this.rowCount,
        ...(queryId ? { profile: this.options.profile(queryId) } : {})
      },
      (this.options.out.columns ?? 80) - 1
    );
    this.options.out.write(`\r\u001b[2K${line}`);
    this.shown = true;
  }

  /** Stops redrawing and wipes the line. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.polling.abort();
    if (this.shown) this.options.out.write('\r\u001b[2K');
    this.shown = false;
  }
}
