// `radlab drill query|schemas|tables|columns`: SQL on a Drill connection from the terminal.
// Exit codes: 0 ok, 1 the query (or Drill) failed, 2 configuration or usage error, 130 interrupted.

import {
  DrillClient,
  RadlabError,
  type ConnectionConfig,
  type DrillColumn,
  type SqlPosition
} from '@radlab/core';
import { createNodeDrillClient, loadConnections } from '@radlab/core/node';
import { EXIT_CONFIG, EXIT_DOWN, EXIT_OK, type Io, type LoadFlags } from './connections.js';
import { renderTable, stylerFor, type Cell, type Styler } from './table.js';

export const EXIT_INTERRUPTED = 130;
export const DEFAULT_LIMIT = 1000;

export interface DrillFlags extends LoadFlags {
  /** Connection name (default: the first drill connection). */
  connection?: string;
  json?: boolean;
  csv?: boolean;
  /** Row limit (autoLimit); 0 for none. */
  limit?: number;
  timeout?: number;
  /** Session options (`-o name=value`). */
  option?: Record<string, string>;
}

/** An interrupt source: SIGINT by default; tests and embedders may pass their own. */
export type OnInterrupt = (handler: () => void) => () => void;

const onSigint: OnInterrupt = handler => {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
};

function configError(message: string, hint: string): RadlabError {
  return new RadlabError({ code: 'config', service: 'radlab', message, hint });
}

async function openClient(flags: DrillFlags, io: Io): Promise<DrillClient> {
  const loaded = await loadConnections({ file: flags.config, env: io.env });
  const drills = loaded.connections.filter(c => c.kind === 'drill');
  let conn: ConnectionConfig | undefined;
  if (flags.connection) {
    conn = loaded.connections.find(c => c.name === flags.connection);
    if (!conn) {
      throw configError(
        `no connection named "${flags.connection}"`,
        `Drill connections: ${drills.map(c => c.name).join(', ') || '(none)'}. See radlab connections list.`
      );
    }
    if (conn.kind !== 'drill') {
      throw configError(
        `connection "${conn.name}" is a ${conn.kind} connection, not drill`,
        `Drill connections: ${drills.map(c => c.name).join(', ') || '(none)'}.`
      );
    }
  } else {
    conn = drills[0];
    if (!conn) {
      const problems = loaded.errors.map(e => e.message).join('; ');
      throw configError(
        `no drill connection configured${problems ? ` (${problems})` : ''}`,
        'Add one to ~/.config/radlab/connections.json, e.g. {"name": "drill", "kind": "drill", "url": "http://127.0.0.1:8047"}.'
      );
    }
  }
  return createNodeDrillClient(conn, {
    env: io.env,
    transport: flags.timeout !== undefined ? { timeoutMs: flags.timeout } : undefined,
    client: flags.timeout !== undefined ? { queryTimeoutMs: flags.timeout } : {}
  });
}

/** A cell as text: null as NULL, nested values as JSON. */
function text(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** RFC 4180 field: quoted when it holds a comma, quote, line break or edge space. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The SQL line of a position and a caret under it (`^^^` over a one-line range). */
export function caret(sql: string, position: SqlPosition): string[] {
  const line = sql.split(/\r?\n/)[position.line - 1];
  if (line === undefined) return [];
  const start = Math.max(1, Math.min(position.column, line.length + 1));
  const end =
    position.endLine === position.line && position.endColumn !== undefined
      ? Math.max(start, Math.min(position.endColumn, line.length))
      : start;
  return [line.replace(/\t/g, ' '), `${' '.repeat(start - 1)}${'^'.repeat(end - start + 1)}`];
}

function printError(error: unknown, io: Io, sql?: string): number {
  const styler = stylerFor(io.stderr.isTTY, io.env);
  if (!RadlabError.isRadlabError(error)) {
    io.stderr.write(
      `${styler.red('radlab:')} ${error instanceof Error ? error.message : String(error)}\n`
    );
    return EXIT_DOWN;
  }
  const e = error as RadlabError;
  io.stderr.write(`${styler.red(`radlab: ${e.code}:`)} ${e.message}\n`);
  const position = e.details?.['position'] as SqlPosition | undefined;
  if (sql && position && typeof position.line === 'number') {
    for (const line of caret(sql, position)) io.stderr.write(`  ${line}\n`);
  }
  io.stderr.write(`  ${styler.dim(`hint: ${e.hint}`)}\n`);
  if (e.code === 'config') return EXIT_CONFIG;
  if (e.code === 'cancelled') return EXIT_INTERRUPTED;
  return EXIT_DOWN;
}

function footer(rowCount: number, elapsedMs: number, truncated: boolean, limit: number): string {
  const rows = `${rowCount} row${rowCount === 1 ? '' : 's'} in ${elapsedMs} ms`;
  return truncated ? `${rows}; truncated at ${limit} rows — use --limit` : rows;
}

function table(columns: DrillColumn[], rows: unknown[][], styler: Styler): string {
  if (columns.length === 0) return '';
  const cells: Cell[][] = rows.map(row =>
    row.map(v => ({ text: text(v), style: v === null ? styler.dim : undefined }))
  );
  return renderTable(
    columns.map(c => c.name),
    cells,
    styler
  );
}

export async function drillQuery(
  sql: string,
  flags: DrillFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  const limit = flags.limit ?? DEFAULT_LIMIT;
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort());
  try {
    const client = await openClient(flags, io);
    const query = client.queryStream(sql, {
      autoLimit: limit,
      signal: controller.signal,
      options: flags.option
    });
    if (flags.csv) {
      let headed = false;
      for await (const batch of query) {
        if (!headed) {
          io.stdout.write(csvLine((query.columns ?? []).map(c => c.name)));
          headed = true;
        }
        io.stdout.write(batch.map(csvLine).join(''));
      }
      if (!headed && query.columns?.length)
        io.stdout.write(csvLine(query.columns.map(c => c.name)));
      const s = query.summary!;
      if (s.truncated) io.stderr.write(`radlab: ${footer(s.rowCount, s.elapsedMs, true, limit)}\n`);
      return EXIT_OK;
    }
    const rows: unknown[][] = [];
    for await (const batch of query) for (const row of batch) rows.push(row);
    const s = query.summary!;
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ...s, rows })}\n`);
      return EXIT_OK;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    io.stdout.write(table(s.columns, rows, styler));
    const note = footer(s.rowCount, s.elapsedMs, s.truncated, limit);
    io.stdout.write(`${s.truncated ? styler.yellow(note) : styler.dim(note)}\n`);
    return EXIT_OK;
  } catch (e) {
    return printError(e, io, sql);
  } finally {
    release();
  }
}

async function listing(
  flags: DrillFlags,
  io: Io,
  header: string[],
  fetch: (client: DrillClient) => Promise<Array<Record<string, unknown>>>,
  row: (item: Record<string, unknown>) => unknown[]
): Promise<number> {
  try {
    const client = await openClient(flags, io);
    const items = await fetch(client);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
    } else if (flags.csv) {
      io.stdout.write(csvLine(header) + items.map(i => csvLine(row(i))).join(''));
    } else {
      const styler = stylerFor(io.stdout.isTTY, io.env);
      io.stdout.write(
        renderTable(
          header,
          items.map(i => row(i).map(v => ({ text: text(v) }))),
          styler
        )
      );
    }
    return EXIT_OK;
  } catch (e) {
    return printError(e, io);
  }
}

export function drillSchemas(flags: DrillFlags, io: Io): Promise<number> {
  return listing(
    flags,
    io,
    ['SCHEMA', 'TYPE', 'MUTABLE'],
    async c => (await c.schemas()).map(s => ({ ...s })),
    s => [s['name'], s['type'], s['mutable'] ? 'yes' : 'no']
  );
}

export function drillTables(schema: string, flags: DrillFlags, io: Io): Promise<number> {
  return listing(
    flags,
    io,
    ['TABLE', 'TYPE'],
    async c => (await c.tables(schema)).map(t => ({ ...t })),
    t => [t['name'], t['type']]
  );
}

export function drillColumns(
  schema: string,
  tableName: string,
  flags: DrillFlags,
  io: Io
): Promise<number> {
  return listing(
    flags,
    io,
    ['#', 'COLUMN', 'TYPE', 'NULLABLE'],
    async c => (await c.columns(schema, tableName)).columns.map(col => ({ ...col })),
    col => [
      col['position'],
      col['name'],
      col['type'],
      col['nullable'] === undefined ? '-' : col['nullable'] ? 'yes' : 'no'
    ]
  );
}
