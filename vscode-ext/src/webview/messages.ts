// The messages of the Drill Result panel, between the extension host (drill/resultPanel.ts,
// drill/resultFeed.ts) and its webview (grid.ts). Types only: both sides import them.
//
// A result streams: `result` (columns, no rows) starts it, `rows` messages carry the rows in order
// (arrays of typed values, as the MIME payload has them), `done` ends it with the final count and
// whether Drill had more. A webview that (re)loads says `ready` and gets the whole state again.
// `drill` says what Drill says about the query (its state, id and profile page) while it runs and
// after it ended; a `running` clears it.

import type { ImageTarget } from '@radlab/ui';

/** A result without its rows (drill-result.schema.json less `rows`). */
export interface ResultInfo {
  version: 1;
  connection?: string;
  queryId?: string;
  sql?: string;
  columns: Array<{ name: string; type: string }>;
  rowCount: number;
  truncated: boolean;
  limit?: number;
  elapsedMs?: number;
}

export interface ResultDone {
  rowCount: number;
  truncated: boolean;
  elapsedMs?: number;
  queryId?: string;
}

/** Drill's view of a query, as its web UI shows it. */
export interface DrillStatus {
  /** Drill's state: SUBMITTED, STARTING, RUNNING, COMPLETED, FAILED, CANCELED, ... */
  state: string;
  queryId?: string;
  /** The query's profile page in Drill's web UI (the connection's own URL, not a proxy). */
  profile?: string;
}

export type HostMessage =
  | { type: 'running'; connection: string; sql: string; limit?: number }
  | {
      type: 'result';
      info: ResultInfo;
      /** Fetch more (a re-run with a higher limit) is offered when the result is truncated. */
      canFetchMore: boolean;
      /** The most rows Fetch more goes to. */
      maxRows: number;
    }
  | { type: 'rows'; rows: unknown[][] }
  | ({ type: 'done' } & ResultDone)
  | { type: 'error'; message: string }
  | ({ type: 'drill' } & DrillStatus);

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'export'; csv: string; filename: string }
  | { type: 'fetchMore' }
  /** Open in Spark: the result's connection and SQL (the host checks the connection). */
  | { type: 'openInSpark'; connection?: string; sql?: string }
  /** Open in viewer: a cell's images (the host looks catalog rows up on `connection`). */
  | { type: 'openInViewer'; target: ImageTarget; connection?: string };
