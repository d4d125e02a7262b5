// `radlab drill query|schemas|tables|columns`: SQL on a Drill connection from the terminal.
// Exit codes: 0 ok, 1 the query (or Drill) failed, 2 configuration or usage error, 130 interrupted.

import { readFile } from 'node:fs/promises';
import {
  allNullColumns,
  allNullWarning,
  DrillClient,
  lineColumn,
  profileUrl,
  queryStatus,
  RadlabError,
  relocateError,
  splitStatements,
  type ConnectionConfig,
  type DrillColumn,
  type DrillQuery,
  type SqlPosition
} from '@radlab/core';
import { createNodeDrillClient } from '@radlab/core/node';
import { EXIT_OK, pickConnection, type Io, type LoadFlags } from './connections.js';
import { configError, onSigint, printError as printFailure, type OnInterrupt } from './failure.js';
import { StatusLine } from './statusLine.js';
import { renderTable, stylerFor, type Cell, type Styler } from './table.js';

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

interface Opened {
  client: DrillClient;
  connection: ConnectionConfig;
}

async function openClient(flags: DrillFlags, io: Io): Promise<Opened> {
  const conn = await pickConnection('drill', flags, io);
  const client = await createNodeDrillClient(conn, {
    env: io.env,
    transport: flags.timeout !== undefined ? { timeoutMs: flags.timeout } : undefined,
    client: flags.timeout !== undefined ? { queryTimeoutMs: flags.timeout } : {}
  });
  return { client, connection: conn };
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

/** A Drill error with a caret under its position in `sql`, when it has one. */
function printError(error: unknown, io: Io, sql?: string): number {
  return printFailure(error, io, e => {
    const position = e.details?.['position'] as SqlPosition | undefined;
    if (!sql || !position || typeof position.line !== 'number') return [];
    return caret(sql, position).map(line => `  ${line}`);
  });
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

/**
 * The SQL of `radlab drill query`: the argument, standard input (`-`) or `--file`; exactly one. A
 * number is the exit code of a usage error, already printed.
 */
export async function readSql(
  sql: string | undefined,
  file: string | undefined,
  io: Io
): Promise<string | number> {
  if ((sql === undefined) === (file === undefined)) {
    return printError(
      configError(
        sql === undefined ? 'no SQL given' : 'give the SQL or --file, not both',
        'radlab drill query "SELECT ...", radlab drill query - < q.sql, or radlab drill query --file q.sql.'
      ),
      io
    );
  }
  if (file !== undefined) {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      return printError(
        configError(
          `cannot read the SQL file ${file} (${code})`,
          code === 'ENOENT' ? 'Check the path.' : 'Check that the file is readable.'
        ),
        io
      );
    }
  }
  if (sql !== '-') return sql!;
  if (!io.stdin) {
    return printError(configError('no standard input to read', 'Pass the SQL as an argument.'), io);
  }
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** A live status line on stderr while the query runs, when stderr is a terminal. */
function statusLine(query: DrillQuery, opened: Opened, io: Io): StatusLine | undefined {
  if (!io.stderr.isTTY) return undefined;
  const url = opened.connection.url ?? '';
  return new StatusLine({
    out: io.stderr,
    poll: signal => queryStatus(opened.client, query, { signal, timeoutMs: 2000 }),
    profile: id => profileUrl(url, id)
  });
}

function warnAllNull(names: string[], truncated: boolean, io: Io): void {
  const warning = allNullWarning(names, truncated);
  if (!warning) return;
  const styler = stylerFor(io.stderr.isTTY, io.env);
  io.stderr.write(`${styler.yellow('radlab: warning:')} ${warning}\n`);
}

async function runOne(
  sql: string,
  opened: Opened,
  flags: DrillFlags,
  io: Io,
  signal: AbortSignal
): Promise<void> {
  const limit = flags.limit ?? DEFAULT_LIMIT;
  const query = opened.client.queryStream(sql, {
    autoLimit: limit,
    signal,
    options: flags.option
  });
  const status = statusLine(query, opened, io);
  try {
    if (flags.csv) {
      let headed = false;
      let count = 0;
      const seen: boolean[] = [];
      for await (const batch of query) {
        // rows go out as they come: the status line must not sit between them
        status?.stop();
        if (!headed) {
          io.stdout.write(csvLine((query.columns ?? []).map(c => c.name)));
          headed = true;
        }
        for (const row of batch) row.forEach((v, c) => (seen[c] ||= v !== null));
        count += batch.length;
        io.stdout.write(batch.map(csvLine).join(''));
      }
      if (!headed && query.columns?.length)
        io.stdout.write(csvLine(query.columns.map(c => c.name)));
      const s = query.summary!;
      warnAllNull(
        allNullColumns(sql, s.columns, count, (_r, c) => !seen[c]),
        s.truncated,
        io
      );
      if (s.truncated) io.stderr.write(`radlab: ${footer(s.rowCount, s.elapsedMs, true, limit)}\n`);
      return;
    }
    const rows: unknown[][] = [];
    for await (const batch of query) {
      for (const row of batch) rows.push(row);
      status?.rows(rows.length);
    }
    status?.stop();
    const s = query.summary!;
    warnAllNull(
      allNullColumns(sql, s.columns, rows.length, (r, c) => rows[r]![c] === null),
      s.truncated,
      io
    );
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ...s, rows })}\n`);
      return;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    io.stdout.write(table(s.columns, rows, styler));
    const note = footer(s.rowCount, s.elapsedMs, s.truncated, limit);
    io.stdout.write(`${s.truncated ? styler.yellow(note) : styler.dim(note)}\n`);
  } finally {
    status?.stop();
  }
}

/**
 * Runs each statement of `text` in turn (as psql -f does), stopping at the first that fails. Error
 * positions are counted in the whole text, so they name the line of the file or argument.
 */
export async function drillQuery(
  text: string,
  flags: DrillFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  const statements = splitStatements(text);
  if (statements.length === 0) {
    return printError(
      configError(
        'no SQL to run',
        'Give a statement, `-` to read it from standard input, or --file F.'
      ),
      io
    );
  }
  if (flags.csv && statements.length > 1) {
    return printError(
      configError(
        `--csv writes one result, and the SQL holds ${statements.length} statements`,
        'Run one statement at a time with --csv, or use --json (one line per statement).'
      ),
      io
    );
  }
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort());
  try {
    const opened = await openClient(flags, io);
    for (const [i, span] of statements.entries()) {
      if (i > 0 && !flags.json) io.stdout.write('\n');
      try {
        await runOne(text.slice(span.from, span.to), opened, flags, io, controller.signal);
      } catch (e) {
        throw relocateError(e, lineColumn(text, span.from));
      }
    }
    return EXIT_OK;
  } catch (e) {
    return printError(e, io, text);
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
    const { client } = await openClient(flags, io);
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

/** Drill lists no tables for a schema it does not have: say that it does not exist. */
async function knownSchema(client: DrillClient, schema: string): Promise<void> {
  const names = (await client.schemas()).map(s => s.name);
  if (names.some(n => n.toLowerCase() === schema.toLowerCase())) return;
  const near = names.filter(n => n.toLowerCase().startsWith(schema.split('.')[0]!.toLowerCase()));
  throw new RadlabError({
    code: 'notFound',
    service: 'drill',
    message: `Drill has no schema "${schema}"`,
    hint: `${near.length ? `Schemas like it: ${near.slice(0, 8).join(', ')}. ` : ''}radlab drill schemas lists them all.`
  });
}

export function drillTables(schema: string, flags: DrillFlags, io: Io): Promise<number> {
  return listing(
    flags,
    io,
    ['TABLE', 'TYPE'],
    async c => {
      const tables = await c.tables(schema);
      if (tables.length === 0) await knownSchema(c, schema);
      return tables.map(t => ({ ...t }));
    },
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
