// The data side of the result grid: the payload type, column kinds, cell text, width estimates, sort keys
// and comparators, CSV/TSV. No DOM here (the sort and filter drivers are in ops.ts).

// Drill's type rules and the columnar row store live in core; these subpaths carry no transport, so
// the notebook renderers stay small.
import { baseType, isNumericType } from '@radlab/core/drill/types';
import { CELL_NULL, CELL_VALUE, ColumnarRows } from '@radlab/core/drill/columnar';
import type { DrillResultColumn } from '@radlab/core/drill/result';
import type { RowStore } from './rows.js';

export { baseType, ColumnarRows };
export type {
  DrillResultColumn,
  DrillResultInfo,
  DrillResultPayload
} from '@radlab/core/drill/result';

/** Rows as arrays (a payload) or in a store (what the grid keeps, see rows.ts). */
export type GridRows = readonly (readonly unknown[])[] | RowStore;

/** The value of a cell, whichever way the rows are kept. */
function cellGetter(rows: GridRows, column: number): (row: number) => unknown {
  if (Array.isArray(rows)) return i => (rows as readonly (readonly unknown[])[])[i]![column];
  return i => (rows as RowStore).value(i, column);
}

/** How a column sorts, aligns and is sized. */
export type ColumnKind = 'number' | 'boolean' | 'temporal' | 'text' | 'json';

const TEMPORAL_TYPES = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ']);
const JSON_TYPES = new Set(['MAP', 'DICT', 'LIST', 'ARRAY', 'STRUCT', 'REPEATED_MAP']);

export function columnKind(type: string): ColumnKind {
  const base = baseType(type);
  if (isNumericType(base)) return 'number';
  if (base === 'BIT' || base === 'BOOLEAN') return 'boolean';
  if (TEMPORAL_TYPES.has(base)) return 'temporal';
  if (JSON_TYPES.has(base)) return 'json';
  return 'text';
}

/** Cells longer than this are cut in the grid (never in copies or exports). */
export const MAX_CELL_CHARS = 500;

/** The text of a value, as copied and exported: `''` for null. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The text shown in a cell: like cellText, cut at MAX_CELL_CHARS. Null is shown by the view. */
export function displayText(value: unknown): string {
  const text = cellText(value);
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS)}…` : text;
}

// ---- widths -------------------------------------------------------------------------------------

export const MIN_COLUMN_WIDTH = 48;
export const MAX_COLUMN_WIDTH = 360;
const CHAR_WIDTH = 7.2; // ~13px UI font; digits are a little narrower, headers a little wider
const CELL_PADDING = 20;
const SAMPLE_SIZE = 200;

/** Row indices to sample: the first 100 and up to 100 spread over the rest. */
export function sampleIndices(rowCount: number, size = SAMPLE_SIZE): number[] {
  const head = Math.min(rowCount, size / 2);
  const out: number[] = [];
  for (let i = 0; i < head; i++) out.push(i);
  const rest = rowCount - head;
  const spread = Math.min(rest, size - head);
  for (let k = 0; k < spread; k++) out.push(head + Math.floor(((k + 0.5) * rest) / spread));
  return out;
}

/** A width in px for a column from its name, its type and (the 95th percentile of) sampled values. */
export function estimateWidth(column: DrillResultColumn, sample: readonly unknown[]): number {
  const kind = columnKind(column.type);
  const lengths = sample.map(v => (v === null || v === undefined ? 4 : displayText(v).length));
  lengths.sort((a, b) => a - b);
  const p95 = lengths.length
    ? lengths[Math.min(lengths.length - 1, Math.floor(lengths.length * 0.95))]!
    : 0;
  const typical = Math.max(p95, kind === 'temporal' ? 10 : kind === 'number' ? 4 : 6);
  const header = Math.max(column.name.length * 1.1 + 2, column.type.length * 0.9);
  const chars = Math.max(typical, header);
  const px = Math.round(chars * CHAR_WIDTH + CELL_PADDING);
  return Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, px));
}

// ---- sorting ------------------------------------------------------------------------------------

export type SortDirection = 'asc' | 'desc';

/** Exact order of two decimal strings (`-12.50`, `9007199254740993`); NaN if either is not one. */
export function compareDecimalStrings(a: string, b: string): number {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  if (!pa || !pb) return NaN;
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1;
  let cmp: number;
  if (pa.int.length !== pb.int.length) cmp = pa.int.length < pb.int.length ? -1 : 1;
  else if (pa.int !== pb.int) cmp = pa.int < pb.int ? -1 : 1;
  else {
    const len = Math.max(pa.frac.length, pb.frac.length);
    const fa = pa.frac.padEnd(len, '0');
    const fb = pb.frac.padEnd(len, '0');
    cmp = fa === fb ? 0 : fa < fb ? -1 : 1;
  }
  return pa.negative && cmp ? -cmp : cmp;
}

function parseDecimal(s: string): { negative: boolean; int: string; frac: string } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (!m[2] && !m[3])) return undefined;
  const int = m[2]!.replace(/^0+/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zero = !int && !frac;
  return { negative: m[1] === '-' && !zero, int, frac };
}

/**
 * Sort keys of one column, extracted once so that comparisons are cheap:
 * numbers/booleans -> a Float64Array (NaN for null); decimal strings keep their text for exact ties;
 * temporal -> epoch ms when the rows are columnar, else the ISO text (ISO dates, times and UTC
 * timestamps sort as text); text/json -> the text.
 */
export interface SortKeys {
  numeric?: Float64Array;
  /** For numeric columns: the exact decimal strings (beyond 2^53), by row; undefined elsewhere. */
  exact?: Map<number, string>;
  text?: Array<string | null>;
  nulls: Uint8Array;
}

/** Sort keys of a column, filled range by range (so that big columns can be done in slices). */
export function sortKeyBuilder(
  rows: GridRows,
  column: number,
  kind: ColumnKind
): { keys: SortKeys; fill: (from: number, to: number) => void } {
  const n = rows.length;
  const nulls = new Uint8Array(n);
  const value = cellGetter(rows, column);
  const store = Array.isArray(rows) ? undefined : (rows as RowStore);
  const columnar =
    store?.sortsByNumber?.(column) && store.state && store.number
      ? (store as Required<RowStore>)
      : undefined;
  if (columnar && kind !== 'text' && kind !== 'json') {
    // numbers, booleans, dates and times kept as numbers: no value is built
    const keys: SortKeys = { numeric: new Float64Array(n), nulls };
    const numeric = keys.numeric!;
    const fill = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const state = columnar.state(i, column);
        if (state === CELL_VALUE) numeric[i] = columnar.number(i, column);
        else if (state === CELL_NULL) {
          nulls[i] = 1;
          numeric[i] = NaN;
        } else {
          // decimal text beyond 2^53, or text that is no number
          const v = columnar.value(i, column);
          const x = Number(v);
          numeric[i] = x;
          if (typeof v === 'string') (keys.exact ??= new Map()).set(i, v);
          if (Number.isNaN(x)) nulls[i] = 2;
        }
      }
    };
    return { keys, fill };
  }
  if (kind === 'number' || kind === 'boolean') {
    const keys: SortKeys = { numeric: new Float64Array(n), nulls };
    const numeric = keys.numeric!;
    const fill = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const v = value(i);
        if (v === null || v === undefined) {
          nulls[i] = 1;
          numeric[i] = NaN;
        } else if (typeof v === 'number') numeric[i] = v;
        else if (typeof v === 'boolean') numeric[i] = v ? 1 : 0;
        else {
          const x = Number(v);
          numeric[i] = x;
          if (typeof v === 'string') (keys.exact ??= new Map()).set(i, v);
          if (Number.isNaN(x)) nulls[i] = 2; // not a number: after the numbers, before the nulls
        }
      }
    };
    return { keys, fill };
  }
  const text = new Array<string | null>(n);
  const fill = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const v = value(i);
      if (v === null || v === undefined) {
        nulls[i] = 1;
        text[i] = null;
      } else text[i] = kind === 'text' ? cellText(v).toLowerCase() : cellText(v);
    }
  };
  return { keys: { text, nulls }, fill };
}

export function sortKeys(rows: GridRows, column: number, kind: ColumnKind): SortKeys {
  const { keys, fill } = sortKeyBuilder(rows, column, kind);
  fill(0, rows.length);
  return keys;
}

/**
 * A comparator of row indices by `keys`: nulls last in both directions, ties by row index (so the
 * sort is stable whatever the algorithm).
 */
export function rowComparator(
  keys: SortKeys,
  direction: SortDirection
): (a: number, b: number) => number {
  const sign = direction === 'asc' ? 1 : -1;
  const { numeric, exact, text, nulls } = keys;
  const valueCompare = numeric
    ? (a: number, b: number): number => {
        const x = numeric[a]!;
        const y = numeric[b]!;
        if (x < y) return -1;
        if (x > y) return 1;
        if (exact && (exact.has(a) || exact.has(b))) {
          const c = compareDecimalStrings(exact.get(a) ?? String(x), exact.get(b) ?? String(y));
          return Number.isNaN(c) ? 0 : c;
        }
        return 0;
      }
    : (a: number, b: number): number => {
        const x = text![a]!;
        const y = text![b]!;
        return x < y ? -1 : x > y ? 1 : 0;
      };
  return (a, b) => {
    const na = nulls[a]!;
    const nb = nulls[b]!;
    if (na || nb) {
      // 0 (a value) < 2 (not a number) < 1 (null)
      const ra = na === 1 ? 2 : na === 2 ? 1 : 0;
      const rb = nb === 1 ? 2 : nb === 2 ? 1 : 0;
      if (ra !== rb) return ra - rb;
      if (ra === 2) return a - b;
    }
    return sign * valueCompare(a, b) || a - b;
  };
}

// ---- filtering ----------------------------------------------------------------------------------

/** Whether a row matches a (lower-cased) needle: in any cell, or in `column` only. */
export function rowMatches(
  row: readonly unknown[],
  needle: string,
  column: number | undefined
): boolean {
  if (column !== undefined) return matchesCell(row[column], needle);
  for (let c = 0; c < row.length; c++) if (matchesCell(row[c], needle)) return true;
  return false;
}

/** Whether a cell's text holds a (lower-cased) needle; null matches "null". */
export function matchesCell(value: unknown, needle: string): boolean {
  if (value === null || value === undefined) return needle === 'null';
  return cellText(value).toLowerCase().includes(needle);
}

// ---- CSV / TSV ----------------------------------------------------------------------------------

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF, quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Whether row `index` of a store matches a (lower-cased) needle, as rowMatches. */
export function storedRowMatches(
  rows: RowStore,
  index: number,
  columns: number,
  needle: string,
  column: number | undefined
): boolean {
  if (column !== undefined) return matchesCell(rows.value(index, column), needle);
  for (let c = 0; c < columns; c++) if (matchesCell(rows.value(index, c), needle)) return true;
  return false;
}

/** CSV with a header line, CRLF line ends (RFC 4180). Null is an empty field. */
export function toCsv(
  columns: readonly DrillResultColumn[],
  rows: Iterable<readonly unknown[]>,
  columnIndices: readonly number[] = columns.map((_, i) => i)
): string {
  const lines = [columnIndices.map(c => csvField(columns[c]!.name)).join(',')];
  for (const row of rows) lines.push(columnIndices.map(c => csvField(cellText(row[c]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** One TSV field: tabs and line breaks (which would break the table) become spaces. */
export function tsvField(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** TSV as spreadsheets paste it: optional header, LF line ends, no quoting. */
export function toTsv(
  rows: Iterable<readonly unknown[]>,
  columnIndices: readonly number[],
  header?: readonly string[]
): string {
  const lines: string[] = [];
  if (header) lines.push(header.map(tsvField).join('\t'));
  for (const row of rows) lines.push(columnIndices.map(c => tsvField(cellText(row[c]))).join('\t'));
  return lines.join('\n');
}
