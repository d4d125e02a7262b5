// CSV export of the grid: the file's name, from the query (as DataGrip and SQL tools name exports by
// their table), and the download for hosts without an export handler. The CSV text is model.ts's.

import { el } from '../element.js';

/** The unquoted last part of the first table after FROM: `cp.\`employee.json\`` -> `employee`. */
function tableOf(sql: string): string | undefined {
  const part = '(?:`(?:[^`]|``)*`|"(?:[^"]|"")*"|[A-Za-z_][\\w$]*)';
  const m = new RegExp(`\\bFROM\\s+(${part}(?:\\s*\\.\\s*${part})*)`, 'i').exec(sql);
  if (!m) return undefined;
  const parts = m[1]!.match(new RegExp(part, 'g')) ?? [];
  const last = parts[parts.length - 1];
  if (!last) return undefined;
  const name = /^[`"]/.test(last) ? last.slice(1, -1) : last;
  // a file (`studies.csv`, `a/b/series.json`): its base name without the extension
  return (
    name
      .split('/')
      .filter(Boolean)
      .pop()
      ?.replace(/\.[A-Za-z0-9]+$/, '') || undefined
  );
}

/** The file name of an export: the query's table (`employee.csv`), else the query id, else `drill-result.csv`. */
export function csvFilename(info: { sql?: string; queryId?: string }): string {
  const sql = (info.sql ?? '').replace(/\/\*[\s\S]*?\*\/|--[^\n]*/g, ' ');
  const base = tableOf(sql) ?? info.queryId ?? '';
  const safe = base
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '')
    .slice(0, 80);
  return `${safe || 'drill-result'}.csv`;
}

/** Offers text as a file download (a Blob URL clicked from inside `parent`). */
export function downloadText(parent: HTMLElement, text: string, filename: string): void {
  const win = parent.ownerDocument.defaultView;
  if (!win) return;
  downloadBlob(parent, new win.Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
}

/** Offers a Blob (a CSV, a PNG) as a file download. */
export function downloadBlob(parent: HTMLElement, blob: Blob, filename: string): void {
  const doc = parent.ownerDocument;
  const win = doc.defaultView;
  if (!win?.URL?.createObjectURL) return;
  const url = win.URL.createObjectURL(blob);
  const a = el(doc, 'a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  parent.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => win.URL.revokeObjectURL(url), 10_000);
}
