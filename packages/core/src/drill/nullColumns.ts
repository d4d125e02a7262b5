// Over files without a schema (JSON, CSV), Drill answers a column no record has, such as the typo
// `salry`, with nulls instead of an error. A column the SQL names that is null in every row returned is
// most likely that: the hosts and the CLI warn about it.

import type { DrillColumn } from './types.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The SQL names `name` as a column (bare or back-ticked), not only as an alias (`AS name`). */
function namesColumn(sql: string, name: string): boolean {
  const word = escapeRegExp(name);
  const mention = new RegExp(`(^|[^\\w$\`])(\`${word}\`|${word})(?![\\w$])`, 'gi');
  const alias = new RegExp(`\\bAS\\s+$`, 'i');
  for (const m of sql.matchAll(mention)) {
    const before = sql.slice(0, m.index + m[1]!.length);
    if (!alias.test(before)) return true;
  }
  return false;
}

/**
 * Columns the SQL names that are null in all `rowCount` rows (`isNull(row, column)`); none for an
 * empty result. Scans a column only until its first value, so a normal result costs a row or two.
 */
export function allNullColumns(
  sql: string,
  columns: readonly DrillColumn[],
  rowCount: number,
  isNull: (row: number, column: number) => boolean
): string[] {
  if (rowCount === 0) return [];
  const out: string[] = [];
  columns.forEach((column, c) => {
    if (/^EXPR\$\d+$/.test(column.name) || !namesColumn(sql, column.name)) return;
    for (let r = 0; r < rowCount; r++) if (!isNull(r, c)) return;
    out.push(column.name);
  });
  return out;
}

/** The warning for `allNullColumns`' answer; undefined when there is nothing to say. */
export function allNullWarning(names: readonly string[], truncated = false): string | undefined {
  if (names.length === 0) return undefined;
  const list = names.map(n => `"${n}"`).join(', ');
  const rows = truncated ? 'every row fetched' : 'every row';
  return `${names.length === 1 ? 'column' : 'columns'} ${list} ${names.length === 1 ? 'is' : 'are'} null in ${rows}: over JSON or CSV files Drill answers a column no record has with nulls. Check the spelling.`;
}
