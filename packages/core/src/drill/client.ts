// Apache Drill over its REST API, on a core Transport (so auth, TLS, proxying, redaction and error
// mapping are the transport's). Queries stream: POST /query.json answers while the query runs and
// rows are parsed as they arrive (node: responseType 'stream'; browsers: the whole text, through the
// same parser, because the transport there is XHR-based and must keep Jupyter's XSRF handling).
//
// Cancelling on the Drill side: Drill sends the queryId with its first bytes, and those only come with
// the first result batch (a long aggregation sends nothing until it is done). So each query carries a
// leading comment line `/* radlab:<random id> */`; on abort or timeout the client cancels by the queryId if
// it has one, else finds the running query in /profiles.json by that tag, then GET /profiles/cancel/{id}.

import { RadlabError, type RedactedRequest } from '../errors.js';
import { registerSecret } from '../redact.js';
import { DRILL_HINTS } from '../services/drill/hints.js';
import {
  isBrowser,
  type RequestOptions,
  type Transport,
  type TransportResponse
} from '../transport/transport.js';
import { drillQueryError } from './errors.js';
import { quoteLiteral, quoteTable, sqlTag, tagSql, trimSql, untagPositions } from './sql.js';
import { ColumnarRows } from './columnar.js';
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

export interface DrillClientOptions {
  /** Default `userName` of every query (impersonation). */
  userName?: string;
  /** Default `defaultSchema` of every query. */
  defaultSchema?: string;
  /** Default query time limit in ms (default 300000; 0 for none). */
  queryTimeoutMs?: number;
  /** Time given to cancelling a query on Drill after an abort (default 5000 ms). */
  cancelTimeoutMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /**
   * Drill's FORM login (node only; in a browser the Jupyter proxy authenticates): the client POSTs these
   * to /j_security_check, keeps the session cookie and logs in again once when the session has expired.
   * BASIC needs nothing here: it is the transport's `auth: {type: 'basic', ...}`.
   */
  formLogin?: { username: string; password: string };
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

export interface DrillProfileSummary {
  queryId: string;
  query: string;
  /** As Drill lists it: Running, Succeeded, Failed, Canceled, ... */
  state: string;
  user?: string;
  foreman?: string;
  startTime?: number;
  endTime?: number;
}

export interface DrillProfiles {
  running: DrillProfileSummary[];
  finished: DrillProfileSummary[];
}

export interface DrillProfile {
  queryId: string;
  query?: string;
  /** Drill's QueryState name: STARTING, RUNNING, COMPLETED, CANCELED, FAILED, ... */
  state?: string;
  user?: string;
  startTime?: number;
  endTime?: number;
  errorMessage?: string;
  /** The whole profile as Drill sent it. */
  raw: Record<string, unknown>;
}

export interface DrillStoragePlugin {
  name: string;
  type?: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

export interface DrillSchema {
  name: string;
  /** file, ischema, system-tables, jdbc, ... */
  type: string;
  mutable: boolean;
}

export interface DrillTable {
  schema: string;
  name: string;
  /** TABLE, VIEW, SYSTEM_TABLE (INFORMATION_SCHEMA.TABLES) or FILE, DIRECTORY (file workspaces). */
  type: string;
}

export interface DrillColumnInfo {
  name: string;
  type: string;
  nullable?: boolean;
  position: number;
}

export interface DrillColumns {
  columns: DrillColumnInfo[];
  /** `information_schema` (declared) or `probe` (from `SELECT * ... LIMIT 0`, for files without a schema). */
  source: 'information_schema' | 'probe';
}

const DEFAULT_QUERY_TIMEOUT = 300_000;
const DEFAULT_CANCEL_TIMEOUT = 8_000;
const PROFILE_STATES = [
  'STARTING',
  'RUNNING',
  'COMPLETED',
  'CANCELED',
  'FAILED',
  'CANCELLATION_REQUESTED',
  'ENQUEUED',
  'PREPARING',
  'PLANNING'
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

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

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A whole answer (browsers) is fed to the parser in slices this long, so rows come in batches. */
const TEXT_SLICE = 1 << 20;

/** Text chunks of a node Readable, a web ReadableStream, or a whole string / buffer. */
async function* textChunks(body: unknown): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  if (typeof body === 'string') {
    // one slice at a time: the parsed-but-not-yet-stored rows of a big answer never all exist at once
    for (let i = 0; i < body.length; i += TEXT_SLICE) yield body.slice(i, i + TEXT_SLICE);
    return;
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    yield decoder.decode(body);
    return;
  }
  if (body && typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of body as AsyncIterable<unknown>) {
      yield typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk as Uint8Array, { stream: true });
    }
  } else if (body && typeof (body as { getReader?: unknown }).getReader === 'function') {
    const reader = (
      body as {
        getReader(): {
          read(): Promise<{ done: boolean; value?: Uint8Array }>;
          releaseLock(): void;
        };
      }
    ).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value) yield decoder.decode(value, { stream: true });
      }
    } finally {
      reader.releaseLock();
    }
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

function destroy(body: unknown): void {
  (body as { destroy?: () => void } | undefined)?.destroy?.();
  const cancel = (body as { cancel?: () => Promise<void> } | undefined)?.cancel;
  if (typeof cancel === 'function') cancel.call(body).catch(() => undefined);
}

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

/** Drill's session cookie (Jetty's JSESSIONID renamed by Drill) from Set-Cookie headers. */
const SESSION_COOKIE = /(?:^|[\s,])(Drill-Session-Id|JSESSIONID)=([^;,\s]+)/i;

/** A redirect to Drill's login page (/mainLogin, /login) or a login error: not authenticated. */
function isLoginRedirect(location: string | undefined): boolean {
  return (
    location !== undefined && /\/(mainLogin|login|j_security_check)\b|[?&]error\b/i.test(location)
  );
}

export class DrillClient {
  private readonly options: DrillClientOptions;
  /** `name=value` of the FORM session; undefined before the login and after a failed one. */
  private session?: string;
  private loggingIn?: Promise<string>;

  constructor(
    readonly transport: Transport,
    options: DrillClientOptions = {}
  ) {
    this.options = options;
    if (options.formLogin) registerSecret(options.formLogin.password);
  }

  private get headers(): Record<string, string> | undefined {
    return this.options.headers;
  }

  private authError(message: string, request: RedactedRequest, status?: number): RadlabError {
    return new RadlabError({
      code: 'auth',
      service: 'drill',
      connection: this.transport.connection,
      status,
      message,
      hint: `Check the username and password of ${this.transport.connection ? `connection "${this.transport.connection}"` : 'this connection'} (Drill user authentication is on).`,
      request
    });
  }

  /** FORM login: POST /j_security_check, no redirects followed; the session cookie, or an auth error. */
  private login(): Promise<string> {
    this.loggingIn ??= (async () => {
      const form = this.options.formLogin!;
      const request = { method: 'POST', url: '/j_security_check' };
      const response = await this.transport.request<string>({
        method: 'POST',
        path: '/j_security_check',
        data: new URLSearchParams({
          j_username: form.username,
          j_password: form.password
        }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...this.headers },
        responseType: 'text',
        followRedirects: false
      });
      const location = response.headers['location'];
      const cookie = SESSION_COOKIE.exec(response.headers['set-cookie'] ?? '');
      // success is a redirect to the page asked for; a wrong password answers 200 with the login form
      if (response.status < 300 || response.status >= 400 || isLoginRedirect(location) || !cookie) {
        throw this.authError(
          `authentication failed: Drill's FORM login did not accept the username and password (HTTP ${response.status})`,
          request,
          response.status
        );
      }
      registerSecret(cookie[2]!);
      return `${cookie[1]}=${cookie[2]}`;
    })();
    return this.loggingIn.finally(() => {
      this.loggingIn = undefined;
    });
  }

  /**
   * Every request to Drill: without following redirects (Drill redirects an unauthenticated request to
   * its login page, which must fail as `auth`, not parse as HTML), with the FORM session when configured
   * (logging in first, and once more when the session has expired).
   */
  private async send<T>(options: RequestOptions): Promise<TransportResponse<T>> {
    const browser = isBrowser();
    const form = this.options.formLogin && !browser;
    for (let attempt = 0; ; attempt++) {
      let session: string | undefined;
      if (form) {
        this.session ??= await this.login();
        session = this.session;
      }
      let response: TransportResponse<T>;
      try {
        response = await this.transport.request<T>({
          ...options,
          headers: { ...this.headers, ...options.headers, ...(session ? { Cookie: session } : {}) },
          ...(browser ? {} : { followRedirects: false })
        });
      } catch (e) {
        if (!(RadlabError.isRadlabError(e) && e.status === 401)) throw e;
        if (form && attempt === 0) {
          if (this.session === session) this.session = undefined;
          continue;
        }
        throw e;
      }
      if (response.status < 300 || response.status >= 400) return response;
      const location = response.headers['location'];
      const request = { method: (options.method ?? 'GET').toUpperCase(), url: options.path };
      if (isLoginRedirect(location)) {
        if (form && attempt === 0) {
          // the session expired (or Drill restarted): log in again, once
          if (this.session === session) this.session = undefined;
          continue;
        }
        throw this.authError(
          `authentication failed: Drill redirected ${request.method} ${request.url} to its login page`,
          request,
          response.status
        );
      }
      throw new RadlabError({
        code: 'badResponse',
        service: 'drill',
        connection: this.transport.connection,
        status: response.status,
        message: `unexpected redirect (HTTP ${response.status}, ${request.method} ${request.url})`,
        hint: DRILL_HINTS.badResponse,
        request
      });
    }
  }

  private error(
    code: 'badResponse' | 'cancelled' | 'timeout' | 'unreachable',
    message: string,
    hint?: string,
    details?: Record<string, unknown>,
    request?: RedactedRequest
  ): RadlabError {
    return new RadlabError({
      code,
      service: 'drill',
      connection: this.transport.connection,
      message,
      hint,
      details,
      request
    });
  }

  /** Runs a query and collects all rows. */
  async query(sql: string, options: DrillQueryOptions = {}): Promise<DrillResult> {
    const query = this.queryStream(sql, options);
    const rows: unknown[][] = [];
    for await (const batch of query) {
      for (const row of batch) rows.push(row);
    }
    return { ...query.summary!, rows };
  }

  /** Runs a query and keeps all rows by column: for big results (a grid), far less memory than `query`. */
  async queryColumnar(sql: string, options: DrillQueryOptions = {}): Promise<DrillColumnarResult> {
    const query = this.queryStream(sql, options);
    for await (const rows of query.columnar()) void rows;
    return { ...query.summary!, rows: query.rows! };
  }

  /** Starts a query whose rows arrive in batches as Drill streams them. */
  queryStream(sql: string, options: DrillQueryOptions = {}): DrillQuery {
    return new DrillQuery(query => this.runQuery(query, sql, options));
  }

  private async *runQuery(
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
    const defaultSchema = options.defaultSchema ?? this.options.defaultSchema;
    if (defaultSchema) body['defaultSchema'] = defaultSchema;
    const userName = options.userName ?? this.options.userName;
    if (userName) body['userName'] = userName;
    if (options.options && Object.keys(options.options).length > 0) {
      body['options'] = Object.fromEntries(
        Object.entries(options.options).map(([k, v]) => [k, String(v)])
      );
    }

    const controller = new AbortController();
    let reason: 'cancelled' | 'timeout' | undefined;
    const onAbort = (): void => {
      reason ??= 'cancelled';
      controller.abort();
    };
    const abortedBeforeStart = options.signal?.aborted === true;
    if (abortedBeforeStart) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = options.timeoutMs ?? this.options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            reason ??= 'timeout';
            controller.abort();
          }, timeoutMs)
        : undefined;

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
      const details = {
        queryId: query.queryId ?? query.cancelledQueryId,
        cancelledOnDrill: query.cancelledQueryId !== undefined
      };
      return reason === 'timeout'
        ? this.error(
            'timeout',
            `query did not finish within ${timeoutMs} ms${query.cancelledQueryId ? ' (cancelled on Drill)' : ''}`,
            'Narrow the query (filters, LIMIT) or raise the query timeout.',
            details,
            request
          )
        : this.error(
            'cancelled',
            `query cancelled${query.cancelledQueryId ? ` (query ${query.cancelledQueryId} cancelled on Drill)` : ''}`,
            'The query was cancelled.',
            details,
            request
          );
    };

    try {
      try {
        const response = await this.send<unknown>({
          method: 'POST',
          path: '/query.json',
          data: body,
          headers: { 'Content-Type': 'application/json', ...this.headers },
          responseType: isBrowser() ? 'text' : 'stream',
          signal: controller.signal,
          timeoutMs: 0
        });
        responseBody = response.data;
      } catch (e) {
        if (reason) throw new Stopped();
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
        if (reason) throw new Stopped();
        if (e instanceof DrillStreamSyntaxError) {
          throw this.error(
            'badResponse',
            `Drill's answer to POST /query.json is not the JSON Drill sends (${e.message} at byte ${e.offset}: ${e.excerpt.slice(0, 40)})`,
            `Is ${this.transport.baseURL} a Drill REST API? A login page (Drill FORM auth) or a proxy answers like this.`,
            undefined,
            request
          );
        }
        if (RadlabError.isRadlabError(e)) throw e;
        throw this.error(
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
          { connection: this.transport.connection, request }
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
        if (!abortedBeforeStart) await this.cancelOnDrill(query, tag);
        throw stopped();
      }
      throw e;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!finished) {
        if (!reason) {
          // the consumer left early (break) or the query failed: stop reading, cancel if still running
          reason = 'cancelled';
          controller.abort();
          destroy(responseBody);
          if (responseBody !== undefined && !parser.complete) await this.cancelOnDrill(query, tag);
        } else {
          destroy(responseBody);
        }
      }
    }
  }

  /** Cancels by id when known, else by the tag in /profiles.json. Never throws. */
  private async cancelOnDrill(query: DrillQuery, tag: string): Promise<void> {
    if (query.cancelledQueryId) return;
    const budget = this.options.cancelTimeoutMs ?? DEFAULT_CANCEL_TIMEOUT;
    const deadline = Date.now() + budget;
    try {
      let id = query.queryId;
      // Drill lists a query as running from its planning on, but a loaded Drill can take seconds
      // to answer: the lookup may use the whole budget.
      while (!id && Date.now() < deadline) {
        const listed = await this.profiles({
          timeoutMs: Math.max(500, deadline - Date.now()),
          runningOnly: true
        }).catch(() => undefined);
        id = listed?.running.find(p => sqlTag(p.query) === tag)?.queryId;
        if (!id) await delay(250);
      }
      if (!id) return;
      await this.cancel(id, { timeoutMs: Math.max(500, deadline - Date.now()) });
      query.cancelledQueryId = id;
    } catch {
      // best effort: the query may have finished, or Drill may be gone
    }
  }

  /** Cancels a running query (`GET /profiles/cancel/{id}`); true when Drill says it cancelled it. */
  async cancel(
    queryId: string,
    options: { signal?: AbortSignal; timeoutMs?: number } = {}
  ): Promise<boolean> {
    const response = await this.send<string>({
      path: `/profiles/cancel/${encodeURIComponent(queryId)}`,
      responseType: 'text',
      headers: this.headers,
      ...options
    });
    return /^Cancel/i.test(response.data.trim());
  }

  /**
   * Running and recently finished queries (`/profiles.json`). `runningOnly` asks for no finished
   * ones (`?max=0`): Drill then reads no profile files, which on a busy store takes seconds.
   */
  async profiles(
    options: { signal?: AbortSignal; timeoutMs?: number; runningOnly?: boolean } = {}
  ): Promise<DrillProfiles> {
    const { runningOnly, ...requestOptions } = options;
    // Drill's local profile store answers 500 "Failed to get completed profiles" while a profile is
    // being written; that goes away at once.
    let response: { data: unknown } | undefined;
    for (let attempt = 0; !response; attempt++) {
      try {
        response = await this.send<unknown>({
          path: '/profiles.json',
          ...(runningOnly ? { params: { max: 0 } } : {}),
          headers: this.headers,
          ...requestOptions
        });
      } catch (e) {
        if (!(RadlabError.isRadlabError(e) && e.status === 500 && attempt < 3)) throw e;
        await delay(150 * (attempt + 1));
      }
    }
    const data = isObject(response.data) ? response.data : {};
    const list = (value: unknown): DrillProfileSummary[] =>
      (Array.isArray(value) ? value : []).filter(isObject).map(p => ({
        queryId: str(p['queryId']) ?? '',
        query: str(p['query']) ?? '',
        state: str(p['state']) ?? '',
        user: str(p['user']),
        foreman: str(p['foreman']),
        startTime: num(p['startTime']),
        endTime: num(p['endTime'])
      }));
    return { running: list(data['runningQueries']), finished: list(data['finishedQueries']) };
  }

  /** One query profile (`/profiles/{id}.json`). */
  async profile(queryId: string, options: { signal?: AbortSignal } = {}): Promise<DrillProfile> {
    const response = await this.send<unknown>({
      path: `/profiles/${encodeURIComponent(queryId)}.json`,
      headers: this.headers,
      ...options
    });
    const raw = isObject(response.data) ? response.data : {};
    const state = raw['state'];
    return {
      queryId,
      query: str(raw['query']),
      state: typeof state === 'number' ? (PROFILE_STATES[state] ?? String(state)) : str(state),
      user: str(raw['user']),
      startTime: num(raw['start']),
      endTime: num(raw['end']),
      errorMessage: str(raw['error']),
      raw
    };
  }

  /** Storage plugins and their configs (`/storage.json`). */
  async storagePlugins(options: { signal?: AbortSignal } = {}): Promise<DrillStoragePlugin[]> {
    const response = await this.send<unknown>({
      path: '/storage.json',
      headers: this.headers,
      ...options
    });
    const list = Array.isArray(response.data) ? response.data : [];
    return list.filter(isObject).map(p => {
      const config = isObject(p['config']) ? p['config'] : {};
      return {
        name: str(p['name']) ?? '',
        type: str(config['type']),
        enabled: config['enabled'] === true,
        config
      };
    });
  }

  /** Schemas (`INFORMATION_SCHEMA.SCHEMATA`). */
  async schemas(options: { signal?: AbortSignal } = {}): Promise<DrillSchema[]> {
    const result = await this.query(
      'SELECT SCHEMA_NAME, TYPE, IS_MUTABLE FROM INFORMATION_SCHEMA.SCHEMATA ORDER BY SCHEMA_NAME',
      options
    );
    return result.rows.map(([name, type, mutable]) => ({
      name: String(name),
      type: String(type ?? ''),
      mutable: mutable === 'YES'
    }));
  }

  /** Tables and views of a schema; for file workspaces also the files and directories in it. */
  async tables(schema: string, options: { signal?: AbortSignal } = {}): Promise<DrillTable[]> {
    const literal = quoteLiteral(schema);
    const [tables, files] = await Promise.all([
      this.query(
        `SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.\`TABLES\` WHERE TABLE_SCHEMA = ${literal} ORDER BY TABLE_NAME`,
        options
      ),
      this.query(
        `SELECT FILE_NAME, IS_DIRECTORY FROM INFORMATION_SCHEMA.\`FILES\` WHERE SCHEMA_NAME = ${literal} AND RELATIVE_PATH = FILE_NAME ORDER BY FILE_NAME`,
        options
      )
    ]);
    const out: DrillTable[] = tables.rows.map(([name, type]) => ({
      schema,
      name: String(name),
      type: String(type ?? 'TABLE')
    }));
    const seen = new Set(out.map(t => t.name));
    for (const [name, isDirectory] of files.rows) {
      if (seen.has(String(name))) continue;
      out.push({ schema, name: String(name), type: isDirectory === true ? 'DIRECTORY' : 'FILE' });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Columns of a table with their types: from INFORMATION_SCHEMA.COLUMNS, or, for files Drill has no
   * schema of (CSV, JSON), from the metadata of `SELECT * FROM schema.table LIMIT 0`.
   */
  async columns(
    schema: string,
    table: string,
    options: { signal?: AbortSignal } = {}
  ): Promise<DrillColumns> {
    const declared = await this.query(
      `SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, ORDINAL_POSITION FROM INFORMATION_SCHEMA.\`COLUMNS\` WHERE TABLE_SCHEMA = ${quoteLiteral(schema)} AND TABLE_NAME = ${quoteLiteral(table)} ORDER BY ORDINAL_POSITION`,
      options
    );
    if (declared.rows.length > 0) {
      return {
        source: 'information_schema',
        columns: declared.rows.map(([name, type, nullable, position], i) => ({
          name: String(name),
          type: String(type ?? ''),
          nullable: nullable === 'YES' ? true : nullable === 'NO' ? false : undefined,
          position: typeof position === 'number' ? position : i + 1
        }))
      };
    }
    const probe = await this.query(`SELECT * FROM ${quoteTable(schema, table)} LIMIT 0`, options);
    return {
      source: 'probe',
      columns: probe.columns.map((c, i) => ({ name: c.name, type: c.type, position: i + 1 }))
    };
  }
}
