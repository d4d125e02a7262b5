// A Drill result as the hosts show and emit it: the MIME payload (shared/schema/drill-result.schema.json,
// shared/mime-types.json), the row limits and the Fetch-more rule. No transport here: the notebook
// renderers import this subpath alone.

/** shared/mime-types.json `drillResult` (tests keep them equal). */
export const DRILL_RESULT_MIME = 'application/vnd.radlab.drill-result+json';

/** A column as in shared/schema/drill-result.schema.json. */
export interface DrillResultColumn {
  name: string;
  /** Drill's type, e.g. BIGINT, VARCHAR, DATE, FLOAT8, BIT, TIMESTAMP, VARDECIMAL(10, 2). */
  type: string;
}

/** The MIME payload `application/vnd.radlab.drill-result+json`, version 1. */
export interface DrillResultPayload {
  version: 1;
  connection?: string;
  queryId?: string;
  sql?: string;
  columns: DrillResultColumn[];
  /** One array per row in column order, typed as DrillClient types them. */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  limit?: number;
  elapsedMs?: number;
}

/** A result without its rows: what the grid shows beside rows kept by column. */
export type DrillResultInfo = Omit<DrillResultPayload, 'rows'>;

/** What a query returns at most unless asked otherwise (editors, notebooks, `%%drill`). */
export const DEFAULT_ROW_LIMIT = 10_000;
/** The most rows Fetch more goes to: past this, narrow the query or use the CLI. */
export const MAX_ROW_LIMIT = 1_000_000;
/** The rows a table's Preview asks for. */
export const PREVIEW_ROW_LIMIT = 100;

/**
 * Fetch more runs the same query with ten times its limit, at most MAX_ROW_LIMIT; undefined when the
 * limit is already there (nothing more to offer).
 */
export function fetchMoreLimit(limit: number): number | undefined {
  if (limit >= MAX_ROW_LIMIT) return undefined;
  return Math.min(Math.max(1, limit) * 10, MAX_ROW_LIMIT);
}

/** What the payload of a query result holds, however the host ran it. */
export interface ResultLike {
  queryId?: string;
  columns: ReadonlyArray<{ name: string; type: string }>;
  rows: unknown[][];
  truncated: boolean;
  elapsedMs?: number;
}

export function toPayload(
  result: ResultLike,
  extra: { connection?: string; sql?: string; limit?: number }
): DrillResultPayload {
  const payload: DrillResultPayload = {
    version: 1,
    columns: result.columns.map(c => ({ name: c.name, type: c.type })),
    rows: result.rows,
    rowCount: result.rows.length,
    truncated: result.truncated
  };
  if (extra.connection !== undefined) payload.connection = extra.connection;
  if (result.queryId) payload.queryId = result.queryId;
  if (extra.sql !== undefined) payload.sql = extra.sql;
  if (extra.limit !== undefined && extra.limit > 0) payload.limit = extra.limit;
  if (result.elapsedMs !== undefined) payload.elapsedMs = result.elapsedMs;
  return payload;
}
