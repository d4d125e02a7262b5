// Running a Drill query: POST /query.json answers while the query runs, and rows are parsed as they
// arrive (node: responseType 'stream'; browsers: the whole text, through the same parser, because the
// transport there is XHR-based and must keep Jupyter's XSRF handling).
//
// Cancelling on the Drill side: Drill sends the queryId with its first bytes, and those only come with
// the first result batch (a long aggregation sends nothing until it is done). So each query carries a
// leading comment line `/* radlab:<random id> */`; on abort or timeout the query is cancelled by its
// queryId if it has one, else by finding the running query in /profiles.json by that tag, then
// GET /profiles/cancel/{id}.

import { Deadline, wait } from '../deadline.js';
import { RadlabError, type RedactedRequest } from '../errors.js';
import { destroyBody as destroy, textChunks } from '../transport/body.js';
import { isBrowser } from '../transport/transport.js';
import { ColumnarRows } from './columnar.js';
import { drillQueryError } from './errors.js';
import { str } from './fields.js';
import { cancelQuery, listProfiles } from './profiles.js';
import type { DrillSession } from './session.js';
import { sqlTag, tagSql, trimSql, untagPositions } from './sql.js';
import { DrillResponseParser, DrillStreamSyntaxError, type DrillRawRow } from './stream.js';
import { rowMapper, type DrillColumn } from './types.js';

export type DrillOptionValue = string | number | boolean;

export interface DrillQueryOptions {
  signal?: AbortSignal;
  /** At most this many rows; `truncated` tells whether Drill had more. 0/undefined: no limit. */
  autoLimit?: number;
  /** Schema for unqualified names (Drill's `defaultSchema`, like `USE dfs.radlab`). */
  defaultSchema?: string;
  /** Session options for this query, e.g. `{'planner.enable_nljoin_for_scalar_only': false}`. */
  options?: Record<string, DrillOptionValue>;
  /** Run as this user (Drill's `userName`: impersonation; needs Drill's user proxy/impersonation set up). */
  userName?: string;
  /** Limit for the whole query, rows included. Default: the client's queryTimeoutMs (5 min). 0: none. */
  timeoutMs?: number;
}

/** What a client sets for every query (see DrillClientOptions). */
export interface DrillQueryDefaults {
  /** Default `userName` of every query (impersonation). */
  userName?: string;
  /** Default `defaultSchema` of every query. */
  defaultSchema?: string;
  /** Default query time limit in ms (default 300000; 0 for none). */
  queryTimeoutMs?: number;
  /** Time given to cancelling a query on Drill after an abort (default 8000 ms). */
  cancelTimeoutMs?: number;
}

export interface DrillResultSummary {
  queryId: string;
  columns: DrillColumn[];
  rowCount: number;
  /** The autoLimit was hit: Drill had more rows than were returned. */
  truncated: boolean;
  elapsedMs: number;
  /** Drill's final state, `COMPLETED` for a successful query. */
  queryState: string;
}

export interface DrillResult extends DrillResultSummary {
  /** One array per row, in column order, typed by the column metadata (see drill/types.ts). */
  rows: unknown[][];
}

export interface DrillColumnarResult extends DrillResultSummary {
  /** The rows by column (drill/columnar.ts): the same typed values in far less memory. */
  rows: ColumnarRows;
}

const DEFAULT_QUERY_TIMEOUT = 300_000;
const DEFAULT_CANCEL_TIMEOUT = 8_000;

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** 16 random hex digits: unique enough among the queries running at once on one Drill. */
function randomTag(): string {
  const c = globalThis.crypto as { randomUUID?: () => string } | undefined;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '').slice(0, 16);
  return `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`.slice(0, 16);
}

/** Internal: the query was stopped by the caller's signal or the time limit. */
class Stopped extends Error {}

/**
 * A running query: iterate it for row batches (typed arrays in column order), or iterate `columnar()`
 * to keep the rows by column. `columns` and `queryId` are set once Drill has sent them; `summary` once
 * the iteration has finished. Iterate once. Leaving the loop early (break/return/throw) cancels the
 * query on Drill.
 */
export class DrillQuery implements AsyncIterable<unknown[][]> {
  queryId?: string;
  columns?: DrillColumn[];
  summary?: DrillResultSummary;
  /** Set when the query was cancelled on Drill after an abort: the id that was cancelled. */
  cancelledQueryId?: string;
  /** The marker in the SQL's leading comment, once sent: finds the query in /profiles.json before Drill sends its id. */
  tag?: string;
  /** The store `columnar()` fills, from the first batch (or the end of an empty result) on. */
  rows?: ColumnarRows;
  private started = false;

  /** `run` yields Drill's row objects (the limit applied) once `columns` is set. */
  constructor(private readonly run: (query: DrillQuery) => AsyncGenerator<DrillRawRow[]>) {}

  private start(): AsyncGenerator<DrillRawRow[]> {
    if (this.started) throw new Error('a DrillQuery can be iterated only once');
    this.started = true;
    return this.run(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown[][]> {
    return this.typed(this.start());
  }

  /**
   * The rows into one ColumnarRows (`rows`) instead of row arrays: no array per row, dates kept as
   * epoch ms; yields that same store whenever a batch was added to it.
   */
  columnar(): AsyncGenerator<ColumnarRows> {
    return this.collect(this.start());
  }

  private async *typed(raw: AsyncGenerator<DrillRawRow[]>): AsyncGenerator<unknown[][]> {
    let map: ((row: DrillRawRow) => unknown[]) | undefined;
    for await (const batch of raw) {
      map ??= rowMapper(this.columns ?? []);
      yield batch.map(map);
    }
  }

  private async *collect(raw: AsyncGenerator<DrillRawRow[]>): AsyncGenerator<ColumnarRows> {
    for await (const batch of raw) {
      const rows = (this.rows ??= new ColumnarRows(this.columns ?? []));
      rows.appendRaw(batch);
      yield rows;
    }
    this.rows ??= new ColumnarRows(this.columns ?? []);
  }
}

function drillError(
  session: DrillSession,
  code: 'badResponse' | 'unreachable',
  message: string,
  hint?: string,
  details?: Record<string, unknown>,
  request?: RedactedRequest
): RadlabError {
  return new RadlabError({
    code,
    service: 'drill',
    connection: session.transport.connection,
    message,
    hint,
    details,
    request
  });
}

export async function* runQuery(
  session: DrillSession,
  defaults: DrillQueryDefaults,
  query: DrillQuery,
  sql: string,
  options: DrillQueryOptions
): AsyncGenerator<DrillRawRow[]> {
  const started = now();
  const limit = options.autoLimit && options.autoLimit > 0 ? Math.floor(options.autoLimit) : 0;
  const tag = randomTag();
  query.tag = tag;
  const body: Record<string, unknown> = {
    queryType: 'SQL',
    query: tagSql(trimSql(sql), tag)
  };
  // one row more than asked for tells whether there were more
  if (limit) body['autoLimit'] = String(limit + 1);
  const defaultSchema = options.defaultSchema ?? defaults.defaultSchema;
  if (defaultSchema) body['defaultSchema'] = defaultSchema;
  const userName = options.userName ?? defaults.userName;
  if (userName) body['userName'] = userName;
  if (options.options && Object.keys(options.options).length > 0) {
    body['options'] = Object.fromEntries(
      Object.entries(options.options).map(([k, v]) => [k, String(v)])
    );
  }

  const abortedBeforeStart = options.signal?.aborted === true;
  const timeoutMs = options.timeoutMs ?? defaults.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT;
  const deadline = new Deadline({ signal: options.signal, timeoutMs });

  const request = { method: 'POST', url: '/query.json' };
  let responseBody: unknown;
  let finished = false;
  const parser = new DrillResponseParser();
  let pending: DrillRawRow[] = [];
  let rowCount = 0;
  let truncated = false;

  const header = (): void => {
    const f = parser.fields;
    if (query.queryId === undefined && typeof f['queryId'] === 'string')
      query.queryId = f['queryId'];
    if (!query.columns && Array.isArray(f['columns'])) {
      const names = (f['columns'] as unknown[]).map(String);
      const types = Array.isArray(f['metadata']) ? (f['metadata'] as unknown[]).map(String) : [];
      // Drill sends columns before metadata; wait for both unless the rows already started
      if (types.length === 0 && !('rows' in f) && pending.length === 0) return;
      query.columns = names.map((name, i) => ({ name, type: types[i] ?? 'ANY' }));
    }
  };
  /** The rows to hand on: none before the columns are known, none beyond the limit. */
  const limited = (raw: DrillRawRow[]): DrillRawRow[] => {
    if (!query.columns) {
      for (const row of raw) pending.push(row);
      return [];
    }
    let all = raw;
    if (pending.length > 0) {
      all = pending;
      for (const row of raw) all.push(row);
      pending = [];
    }
    if (limit && rowCount + all.length > limit) {
      truncated = true;
      all = all.slice(0, Math.max(0, limit - rowCount));
    }
    rowCount += all.length;
    return all;
  };
  const stopped = (): RadlabError => {
    const onDrill = query.cancelledQueryId;
    return deadline.error({
      service: 'drill',
      connection: session.transport.connection,
      details: { queryId: query.queryId ?? onDrill, cancelledOnDrill: onDrill !== undefined },
      request,
      timeout: {
        message: `query did not finish within ${timeoutMs} ms${onDrill ? ' (cancelled on Drill)' : ''}`,
        hint: 'Narrow the query (filters, LIMIT) or raise the query timeout.'
      },
      cancelled: {
        message: `query cancelled${onDrill ? ` (query ${onDrill} cancelled on Drill)` : ''}`,
        hint: 'The query was cancelled.'
      }
    });
  };

  try {
    try {
      const response = await session.send<unknown>({
        method: 'POST',
        path: '/query.json',
        data: body,
        headers: { 'Content-Type': 'application/json', ...session.headers },
        responseType: isBrowser() ? 'text' : 'stream',
        signal: deadline.signal,
        timeoutMs: 0
      });
      responseBody = response.data;
    } catch (e) {
      if (deadline.reason) throw new Stopped();
      throw e;
    }

    try {
      for await (const chunk of textChunks(responseBody)) {
        const rows = parser.push(chunk);
        header();
        const out = limited(rows);
        if (out.length > 0) yield out;
      }
      const rows = parser.end();
      header();
      const out = limited(rows);
      if (out.length > 0) yield out;
    } catch (e) {
      if (deadline.reason) throw new Stopped();
      if (e instanceof DrillStreamSyntaxError) {
        throw drillError(
          session,
          'badResponse',
          `Drill's answer to POST /query.json is not the JSON Drill sends (${e.message} at byte ${e.offset}: ${e.excerpt.slice(0, 40)})`,
          `Is ${session.transport.baseURL} a Drill REST API? A login page (Drill FORM auth) or a proxy answers like this.`,
          undefined,
          request
        );
      }
      if (RadlabError.isRadlabError(e)) throw e;
      throw drillError(
        session,
        'unreachable',
        `connection to Drill lost while reading the results (${e instanceof Error ? e.message : String(e)})`,
        'Check the network and the drillbit; run the query again.',
        { queryId: query.queryId },
        request
      );
    }

    const f = parser.fields;
    const state = str(f['queryState']) ?? (f['errorMessage'] ? 'FAILED' : undefined);
    if (state !== 'COMPLETED' || f['errorMessage'] !== undefined) {
      throw drillQueryError(
        {
          queryId: query.queryId,
          queryState: state,
          exception: str(f['exception']),
          errorMessage:
            typeof f['errorMessage'] === 'string' ? untagPositions(f['errorMessage']) : undefined
        },
        { connection: session.transport.connection, request }
      );
    }
    finished = true;
    query.summary = {
      queryId: query.queryId ?? '',
      columns: query.columns ?? [],
      rowCount,
      truncated,
      elapsedMs: Math.round(now() - started),
      queryState: state
    };
  } catch (e) {
    if (e instanceof Stopped) {
      if (!abortedBeforeStart) await cancelOnDrill(session, defaults, query, tag);
      throw stopped();
    }
    throw e;
  } finally {
    deadline.dispose();
    if (!finished) {
      if (!deadline.reason) {
        // the consumer left early (break) or the query failed: stop reading, cancel if still running
        deadline.abort();
        destroy(responseBody);
        if (responseBody !== undefined && !parser.complete)
          await cancelOnDrill(session, defaults, query, tag);
      } else {
        destroy(responseBody);
      }
    }
  }
}

/** Cancels by id when known, else by the tag in /profiles.json. Never throws. */

async function cancelOnDrill(
  session: DrillSession,
  defaults: DrillQueryDefaults,
  query: DrillQuery,
  tag: string
): Promise<void> {
  if (query.cancelledQueryId) return;
  const budget = defaults.cancelTimeoutMs ?? DEFAULT_CANCEL_TIMEOUT;
  const deadline = Date.now() + budget;
  try {
    let id = query.queryId;
    // Drill lists a query as running from its planning on, but a loaded Drill can take seconds
    // to answer: the lookup may use the whole budget.
    while (!id && Date.now() < deadline) {
      const listed = await listProfiles(session, {
        timeoutMs: Math.max(500, deadline - Date.now()),
        runningOnly: true
      }).catch(() => undefined);
      id = listed?.running.find(p => sqlTag(p.query) === tag)?.queryId;
      if (!id) await wait(250);
    }
    if (!id) return;
    await cancelQuery(session, id, { timeoutMs: Math.max(500, deadline - Date.now()) });
    query.cancelledQueryId = id;
  } catch {
    // best effort: the query may have finished, or Drill may be gone
  }
}
