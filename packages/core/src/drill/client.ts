// Apache Drill over its REST API, on a core Transport (so auth, TLS, proxying, redaction and error
// mapping are the transport's). The client is a façade over three parts: the session (every request,
// FORM login), queries (streamed rows, cancel on Drill) and introspection (schemas, tables, columns);
// profiles.ts reads and cancels running queries.

import type { Transport } from '../transport/transport.js';
import {
  columns,
  schemas,
  storagePlugins,
  tables,
  type DrillColumns,
  type DrillSchema,
  type DrillStoragePlugin,
  type DrillTable
} from './introspection.js';
import {
  cancelQuery,
  getProfile,
  listProfiles,
  type DrillProfile,
  type DrillProfiles
} from './profiles.js';
import {
  DrillQuery,
  runQuery,
  type DrillColumnarResult,
  type DrillQueryDefaults,
  type DrillQueryOptions,
  type DrillResult
} from './query.js';
import { DrillSession } from './session.js';

export interface DrillClientOptions extends DrillQueryDefaults {
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /**
   * Drill's FORM login (node only; in a browser the Jupyter proxy authenticates): the client POSTs these
   * to /j_security_check, keeps the session cookie and logs in again once when the session has expired.
   * BASIC needs nothing here: it is the transport's `auth: {type: 'basic', ...}`.
   */
  formLogin?: { username: string; password: string };
}

export class DrillClient {
  private readonly session: DrillSession;

  constructor(
    readonly transport: Transport,
    private readonly options: DrillClientOptions = {}
  ) {
    this.session = new DrillSession(transport, options);
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
    return new DrillQuery(query => runQuery(this.session, this.options, query, sql, options));
  }

  /** Cancels a running query (`GET /profiles/cancel/{id}`); true when Drill says it cancelled it. */
  cancel(
    queryId: string,
    options: { signal?: AbortSignal; timeoutMs?: number } = {}
  ): Promise<boolean> {
    return cancelQuery(this.session, queryId, options);
  }

  /** Running and recently finished queries (`/profiles.json`; `runningOnly`: `?max=0`). */
  profiles(
    options: { signal?: AbortSignal; timeoutMs?: number; runningOnly?: boolean } = {}
  ): Promise<DrillProfiles> {
    return listProfiles(this.session, options);
  }

  /** One query profile (`/profiles/{id}.json`). */
  profile(queryId: string, options: { signal?: AbortSignal } = {}): Promise<DrillProfile> {
    return getProfile(this.session, queryId, options);
  }

  /** Storage plugins and their configs (`/storage.json`). */
  storagePlugins(options: { signal?: AbortSignal } = {}): Promise<DrillStoragePlugin[]> {
    return storagePlugins(this.session, options);
  }

  /** Schemas (`INFORMATION_SCHEMA.SCHEMATA`). */
  schemas(options: { signal?: AbortSignal } = {}): Promise<DrillSchema[]> {
    return schemas(this.run, options);
  }

  /** Tables and views of a schema; for file workspaces also the files and directories in it. */
  tables(schema: string, options: { signal?: AbortSignal } = {}): Promise<DrillTable[]> {
    return tables(this.run, schema, options);
  }

  /** Columns of a table with their types (declared, or probed for files without a schema). */
  columns(
    schema: string,
    table: string,
    options: { signal?: AbortSignal } = {}
  ): Promise<DrillColumns> {
    return columns(this.run, schema, table, options);
  }

  private readonly run = (sql: string, options: DrillQueryOptions): Promise<DrillResult> =>
    this.query(sql, options);
}
