// A Spark DataFrame pulled from a Livy session in pages, the way the kernel's `%%livy -o` pulls it
// (shared/livy/: the driver-side helpers and the statements, the same text in both languages). The
// driver walks the DataFrame one partition at a time; each page is one statement answering about
// `pageBytes` of JSON columns, so no response is one giant string and a cut by `limit` is known (the
// driver is asked for one row more). Columns carry Spark's type, as Spark SQL names it (BIGINT,
// DECIMAL(10,2), ARRAY<INT>), for a typed table without pandas.

import { RadlabError } from '../../errors.js';
import type { LivyClient, WaitOptions } from './client.js';
import { livyPullJSON as PULL } from './pull.generated.js';

/** A column of a pull: its name, Spark SQL's type name, Spark's own JSON type and nullability. */
export interface LivyPullColumn {
  name: string;
  /** As Spark SQL writes it, upper case: BIGINT, STRING, DECIMAL(10,2), ARRAY<INT>, STRUCT<a: INT>. */
  type: string;
  /** The type as in Spark's schema JSON ('long', {type: 'struct', fields: [...]}, ...). */
  sparkType: unknown;
  nullable: boolean;
}

/** One page from the driver: values by column (plain JSON, see shared/livy/pull.py). */
export interface LivyPullPage {
  columns: unknown[][];
  rows: number;
  done: boolean;
  /** The page's JSON size (what the next page's row count is sized from). */
  bytes: number;
}

export interface LivyPullStats {
  pages: number;
  bytes: number;
  rows: number;
}

export interface LivyPullOptions extends WaitOptions {
  /** At most this many rows (undefined: all of them). */
  limit?: number;
  /** About this much JSON per page (shared/livy/pull.json `pageBytes`). */
  pageBytes?: number;
  firstPageRows?: number;
  /** Hears each page as it arrives (rows so far, for a progress line). */
  onPage?: (stats: Readonly<LivyPullStats>) => void;
}

export interface LivyPull {
  columns: LivyPullColumn[];
  limit?: number;
  pages: AsyncGenerator<LivyPullPage, void, undefined>;
  stats: LivyPullStats;
}

/** A whole pull: rows in column order, how many, and whether `limit` cut the DataFrame. */
export interface LivyPulled {
  columns: LivyPullColumn[];
  rows: unknown[][];
  rowCount: number;
  /** True when the DataFrame had more rows than `limit` (never a silent cut). */
  cut: boolean;
  limit?: number;
  stats: LivyPullStats;
}

/** The driver-side helpers and statements (shared/livy/pull.json, pull.py). */
export const LIVY_PULL = PULL;

const SIMPLE: Record<string, string> = {
  long: 'BIGINT',
  integer: 'INT',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  string: 'STRING',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamp_ntz: 'TIMESTAMP_NTZ',
  binary: 'BINARY',
  null: 'VOID'
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Spark SQL's name of a type from Spark's schema JSON: 'long' → BIGINT, a struct → STRUCT<a: INT>. */
export function sparkTypeName(type: unknown): string {
  if (typeof type === 'string') return SIMPLE[type] ?? type.toUpperCase();
  if (!isObject(type)) return 'UNKNOWN';
  switch (type['type']) {
    case 'array':
      return `ARRAY<${sparkTypeName(type['elementType'])}>`;
    case 'map':
      return `MAP<${sparkTypeName(type['keyType'])}, ${sparkTypeName(type['valueType'])}>`;
    case 'struct': {
      const fields = Array.isArray(type['fields']) ? type['fields'] : [];
      const inner = fields
        .filter(isObject)
        .map(f => `${String(f['name'])}: ${sparkTypeName(f['type'])}`);
      return `STRUCT<${inner.join(', ')}>`;
    }
    case 'udt':
      return type['sqlType'] !== undefined ? sparkTypeName(type['sqlType']) : 'UDT';
    default:
      return typeof type['type'] === 'string' ? sparkTypeName(type['type']) : 'UNKNOWN';
  }
}

/** A Python string literal of `text` (JSON's string syntax is Python's too). */
export function pythonString(text: string): string {
  return JSON.stringify(text);
}

/** The pyspark expression of a Spark SQL query's DataFrame: `spark.sql("...")`. */
export function sqlDataFrame(sql: string): string {
  return `spark.sql(${pythonString(sql.trim())})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True for a name a pull can take as its DataFrame (a Python variable of the driver). */
export function isDataFrameName(name: string): boolean {
  return IDENTIFIER.test(name);
}

function badShape(message: string, sessionId: number): RadlabError {
  return new RadlabError({
    code: 'badResponse',
    service: 'livy',
    message,
    hint: 'The driver answered something else than a pull page: is the session a Livy 0.5+ one?',
    details: { sessionId }
  });
}

// sessions whose driver has the helpers, per client (a session id is never reused by one Livy run)
const defined = new WeakMap<LivyClient, Set<number>>();

function isMissingHelper(error: unknown): boolean {
  if (!RadlabError.isRadlabError(error)) return false;
  const details = (error as RadlabError).details ?? {};
  return details['ename'] === 'NameError' && /_radlab_/.test(String(details['evalue'] ?? ''));
}

async function defineHelpers(client: LivyClient, id: number, options: WaitOptions): Promise<void> {
  let ids = defined.get(client);
  if (!ids) defined.set(client, (ids = new Set()));
  if (ids.has(id)) return;
  await client.run(id, PULL.helpers, { ...options, kind: PULL.kind });
  ids.add(id);
}

function jsonOf(data: Record<string, unknown>): Record<string, unknown> {
  const json = data['application/json'];
  return isObject(json) ? json : {};
}

/**
 * Opens a pull of the DataFrame the pyspark `expression` names in session `id` (a variable, or
 * `spark.sql("...")`, see sqlDataFrame); its pages come as they are iterated. Errors are the client's
 * (a Spark exception is `statementFailed` with its traceback; a dead session says so).
 */
export async function openPull(
  client: LivyClient,
  id: number,
  expression: string,
  options: LivyPullOptions = {}
): Promise<LivyPull> {
  const wait: WaitOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const limit = options.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new RadlabError({
      code: 'config',
      service: 'livy',
      message: `a pull's row limit must be a whole number ≥ 0, not ${limit}`
    });
  }
  // functions, not strings, as replacements: `$&` in a query is text, not a pattern
  const code = PULL.open
    .replace('{limit}', () => (limit === undefined ? 'None' : String(limit)))
    .replace('{expression}', () => expression);
  await defineHelpers(client, id, wait);
  let opened;
  try {
    opened = await client.run(id, code, { ...wait, kind: PULL.kind });
  } catch (e) {
    // the driver lost the helpers (a Livy that restarted and reused the id): define them again
    if (!isMissingHelper(e)) throw e;
    defined.get(client)?.delete(id);
    await defineHelpers(client, id, wait);
    opened = await client.run(id, code, { ...wait, kind: PULL.kind });
  }
  const fields = jsonOf(opened.data)['fields'];
  if (!Array.isArray(fields)) throw badShape('the pull opened without a schema', id);
  const columns: LivyPullColumn[] = fields.filter(isObject).map(f => ({
    name: String(f['name'] ?? ''),
    type: sparkTypeName(f['type']),
    sparkType: f['type'],
    nullable: f['nullable'] !== false
  }));
  const stats: LivyPullStats = { pages: 0, bytes: 0, rows: 0 };
  const pageBytes = options.pageBytes ?? PULL.pageBytes;

  async function* pages(): AsyncGenerator<LivyPullPage, void, undefined> {
    let size = options.firstPageRows ?? PULL.firstPageRows;
    for (;;) {
      const result = await client.run(id, PULL.page.replace('{size}', String(size)), {
        ...wait,
        kind: PULL.kind
      });
      const page = jsonOf(result.data);
      const values = page['columns'];
      if (!Array.isArray(values) || values.some(c => !Array.isArray(c))) {
        throw badShape('a pull page without columns', id);
      }
      const rows = Number(page['rows'] ?? 0);
      const bytes = JSON.stringify(values).length;
      stats.pages += 1;
      stats.bytes += bytes;
      stats.rows += rows;
      options.onPage?.(stats);
      const done = page['done'] !== false;
      yield { columns: values as unknown[][], rows, done, bytes };
      if (done) return;
      const perRow = Math.max(1, bytes / Math.max(1, rows));
      size = Math.floor(Math.min(PULL.maxPageRows, Math.max(PULL.minPageRows, pageBytes / perRow)));
    }
  }

  return { columns, limit, pages: pages(), stats };
}

/** Pulls every page into rows (arrays in column order), keeping at most `limit` and saying if it cut. */
export async function pullRows(
  client: LivyClient,
  id: number,
  expression: string,
  options: LivyPullOptions = {}
): Promise<LivyPulled> {
  const pull = await openPull(client, id, expression, options);
  const width = pull.columns.length;
  const rows: unknown[][] = [];
  for await (const page of pull.pages) {
    for (let r = 0; r < page.rows; r++) {
      const row = new Array<unknown>(width);
      for (let c = 0; c < width; c++) row[c] = page.columns[c]?.[r] ?? null;
      rows.push(row);
    }
    page.columns = [];
  }
  const cut = pull.limit !== undefined && rows.length > pull.limit;
  if (cut) rows.length = pull.limit!;
  return {
    columns: pull.columns,
    rows,
    rowCount: rows.length,
    cut,
    limit: pull.limit,
    stats: pull.stats
  };
}

/**
 * What a pull brought, as the kernel's `%%livy -o` says it: `df: 100,000 rows × 5 columns (id: BIGINT,
 * …); all rows`, or the cut and how to lift it.
 */
export function pullNotice(
  name: string,
  pulled: Pick<LivyPulled, 'columns' | 'rowCount' | 'cut' | 'limit'>
): string {
  const f = (n: number): string => n.toLocaleString('en-US');
  const kinds = pulled.columns.map(c => `${c.name}: ${c.type}`).join(', ');
  const head = `${name}: ${f(pulled.rowCount)} rows × ${pulled.columns.length} columns (${kinds})`;
  if (pulled.cut && pulled.limit !== undefined) {
    return `${head}; cut at -n ${f(pulled.limit)}: the Spark DataFrame has more rows (-n N or --all)`;
  }
  return `${head}; all rows`;
}
