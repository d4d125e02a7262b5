// A Livy statement's output as DOM: text (text/plain) in a <pre>, tables (Spark SQL's
// application/json, Livy's %table application/vnd.livy.table.v1+json) as an HTML table, images
// (%matplot's image/png), a Spark error as its exception and traceback lines, and a running
// statement's progress. Everything from Spark is untrusted: text goes in through textContent only.
import { el } from '../element.js';
import { formatProgress } from './format.js';

/** Livy's statement output (core's LivyOutput has this shape). */
export type LivyOutputInfo =
  | { status: 'ok'; data: Record<string, unknown> }
  | { status: 'error'; ename: string; evalue: string; traceback: string[] };

export interface LivyTable {
  columns: Array<{ name: string; type?: string }>;
  rows: unknown[][];
}

export const LIVY_TABLE_MIME = 'application/vnd.livy.table.v1+json';

/** How many table rows the view renders; the rest is said, not dropped silently. */
export const MAX_TABLE_ROWS = 1000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function columnsOf(list: unknown): LivyTable['columns'] | undefined {
  if (!Array.isArray(list)) return undefined;
  const columns = list.map(c =>
    isObject(c)
      ? {
          name: String(c['name'] ?? ''),
          type: typeof c['type'] === 'string' ? c['type'] : undefined
        }
      : { name: String(c) }
  );
  return columns;
}

/** The table in an output bundle, if it has one: Spark SQL's JSON or Livy's table MIME. */
export function livyTable(data: Record<string, unknown>): LivyTable | undefined {
  const table = data[LIVY_TABLE_MIME];
  if (isObject(table) && Array.isArray(table['data'])) {
    const columns = columnsOf(table['headers']);
    if (columns) return { columns, rows: table['data'].map(r => (Array.isArray(r) ? r : [r])) };
  }
  const json = data['application/json'];
  if (isObject(json) && isObject(json['schema']) && Array.isArray(json['data'])) {
    const columns = columnsOf(json['schema']['fields']);
    if (columns) return { columns, rows: json['data'].map(r => (Array.isArray(r) ? r : [r])) };
  }
  return undefined;
}

/** A cell as text: null stays visible, objects (structs, maps, arrays) as JSON. */
export function livyCellText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const BASE64 = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

/** `2 rows`, or `1,500 rows, the first 1,000 shown`: a cut is always said. */
function rowCount(n: number, maxRows: number): string {
  const f = (x: number) => x.toLocaleString('en-US');
  if (n > maxRows) return `${f(n)} rows, the first ${f(maxRows)} shown`;
  return `${f(n)} row${n === 1 ? '' : 's'}`;
}

export function renderLivyTable(
  doc: Document,
  table: LivyTable,
  maxRows = MAX_TABLE_ROWS
): HTMLElement {
  const box = el(doc, 'div', 'rl-LivyOutput-tableBox');
  const t = el(doc, 'table', 'rl-LivyOutput-table');
  const head = el(doc, 'thead');
  const tr = el(doc, 'tr');
  for (const column of table.columns) {
    const th = el(doc, 'th', undefined, column.name);
    if (column.type) th.title = column.type;
    tr.append(th);
  }
  head.append(tr);
  const body = el(doc, 'tbody');
  for (const row of table.rows.slice(0, maxRows)) {
    const r = el(doc, 'tr');
    for (let i = 0; i < table.columns.length; i++) {
      const value = row[i];
      const td = el(doc, 'td', value === null || value === undefined ? 'rl-mod-null' : undefined);
      td.textContent = livyCellText(value);
      r.append(td);
    }
    body.append(r);
  }
  t.append(head, body);
  box.append(t, el(doc, 'div', 'rl-LivyOutput-count', rowCount(table.rows.length, maxRows)));
  return box;
}

/** The output of a finished statement. */
export function renderLivyOutput(doc: Document, output: LivyOutputInfo): HTMLElement {
  const node = el(doc, 'div', `rl-LivyOutput rl-mod-${output.status}`);
  if (output.status === 'error') {
    node.setAttribute('role', 'alert');
    node.append(el(doc, 'div', 'rl-LivyOutput-exception', `${output.ename}: ${output.evalue}`));
    if (output.traceback.length > 0) {
      node.append(el(doc, 'pre', 'rl-LivyOutput-traceback', output.traceback.join('').trimEnd()));
    }
    return node;
  }
  const table = livyTable(output.data);
  const png = output.data['image/png'];
  if (table) {
    node.append(renderLivyTable(doc, table));
  } else if (typeof png === 'string' && BASE64.test(png)) {
    const img = el(doc, 'img', 'rl-LivyOutput-image');
    img.alt = 'plot';
    img.src = `data:image/png;base64,${png.replace(/\s/g, '')}`;
    node.append(img);
  }
  const text = output.data['text/plain'];
  if (!table && typeof text === 'string' && text !== '') {
    node.append(el(doc, 'pre', 'rl-LivyOutput-text', text));
  }
  if (node.childElementCount === 0) {
    node.append(el(doc, 'div', 'rl-LivyOutput-empty', 'The statement returned no output.'));
  }
  return node;
}

/** A running statement: its state and, once Spark reports jobs, a progress bar. */
export function renderLivyProgress(
  doc: Document,
  state: string,
  progress: number | undefined
): HTMLElement {
  const node = el(doc, 'div', 'rl-LivyOutput rl-mod-running');
  node.setAttribute('role', 'status');
  const text = formatProgress(progress);
  node.append(el(doc, 'span', 'rl-LivyOutput-state', state));
  if (text !== undefined) {
    const bar = el(doc, 'progress', 'rl-LivyOutput-progress');
    bar.max = 1;
    bar.value = progress ?? 0;
    bar.setAttribute('aria-label', `progress ${text}`);
    node.append(bar, el(doc, 'span', 'rl-LivyOutput-progressText', text));
  }
  return node;
}

/** A table as aligned plain text (hosts that show text: VS Code notebook outputs, terminals). */
export function livyTableText(table: LivyTable, maxRows = MAX_TABLE_ROWS): string {
  const shown = table.rows
    .slice(0, maxRows)
    .map(row => table.columns.map((_, i) => livyCellText(row[i]).replace(/[\r\n\t]/g, ' ')));
  const header = table.columns.map(c => c.name);
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map(r => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join(' | ')
      .trimEnd();
  return [
    line(header),
    widths.map(w => '-'.repeat(w)).join('-+-'),
    ...shown.map(line),
    rowCount(table.rows.length, maxRows)
  ].join('\n');
}
