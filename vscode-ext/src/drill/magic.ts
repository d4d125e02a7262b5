// What the notebook controller runs from a cell: `%%drill [options]` + SQL (options as in the Python
// magic, jupyterlab-ext/radlab/kernel/magics/drill.py) or a plain `sql` cell. Pure: no `vscode` import.
import { DEFAULT_ROW_LIMIT } from '@radlab/core';

export const USAGE =
  'Usage: %%drill [-c CONNECTION] [-l LIMIT] [--timeout S] [--schema SCHEMA] with the SQL in the cell';

export interface CellQuery {
  /** The SQL to send (the cell without the magic line). */
  sql: string;
  /** Lines of the cell before the SQL (1 after a `%%drill` line): Drill's positions are shifted by it. */
  lineOffset: number;
  connection?: string;
  /** 0 = no limit. */
  limit: number;
  schema?: string;
  timeoutMs?: number;
  /** Things the cell asked for that this controller does not do (e.g. `-o`), one sentence each. */
  notes: string[];
}

export class MagicUsageError extends Error {
  override readonly name = 'MagicUsageError';
  readonly usage = USAGE;
}

type Field = 'connection' | 'output' | 'limit' | 'quiet' | 'timeout' | 'schema';
const OPTIONS: Record<string, Field> = {
  '-c': 'connection',
  '--connection': 'connection',
  '-o': 'output',
  '--output': 'output',
  '-l': 'limit',
  '--limit': 'limit',
  '-q': 'quiet',
  '--quiet': 'quiet',
  '--timeout': 'timeout',
  '-s': 'schema',
  '--schema': 'schema'
};

const MAGIC = /^\s*%%drill(?:\s+(.*))?$/;

/** Whether a cell is a `%%drill` cell (its first non-blank line is the magic). */
export function isDrillMagic(text: string): boolean {
  const first = text.split(/\r?\n/).find(line => line.trim() !== '');
  return first !== undefined && MAGIC.test(first);
}

/** The options of a `%%drill` line (without `%%drill`). Throws MagicUsageError. */
export function parseMagicOptions(line: string): Omit<CellQuery, 'sql' | 'lineOffset'> {
  const out: Omit<CellQuery, 'sql' | 'lineOffset'> = { limit: DEFAULT_ROW_LIMIT, notes: [] };
  const tokens = line.trim() === '' ? [] : line.trim().split(/\s+/);
  let quiet = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const eq = token.indexOf('=');
    const name = token.startsWith('--') && eq > 0 ? token.slice(0, eq) : token;
    const field = OPTIONS[name];
    if (!field) {
      throw new MagicUsageError(
        token.startsWith('-')
          ? `%%drill: unknown option '${name}'`
          : `%%drill: unexpected '${token}' after the options: put the SQL in the cell body`
      );
    }
    if (field === 'quiet') {
      quiet = true;
      continue;
    }
    let value: string;
    if (token.startsWith('--') && eq > 0) value = token.slice(eq + 1);
    else {
      const next = tokens[i + 1];
      if (next === undefined) throw new MagicUsageError(`%%drill: ${name} needs a value`);
      value = next;
      i++;
    }
    switch (field) {
      case 'connection':
        out.connection = value;
        break;
      case 'schema':
        out.schema = value;
        break;
      case 'limit': {
        const text = value.replace(/[,_]/g, '');
        if (!/^-?\d+$/.test(text))
          throw new MagicUsageError(
            `%%drill: ${name} needs a whole number of rows, not '${value}'`
          );
        const limit = Number(text);
        if (limit < 0) throw new MagicUsageError(`%%drill: ${name} must be 0 (no limit) or more`);
        out.limit = limit;
        break;
      }
      case 'timeout': {
        const seconds = Number(value);
        if (!Number.isFinite(seconds) || seconds <= 0 || value.trim() === '')
          throw new MagicUsageError('%%drill: --timeout must be a positive number of seconds');
        out.timeoutMs = Math.round(seconds * 1000);
        break;
      }
      case 'output':
        out.notes.push(
          `-o ${value} was ignored: storing the result as a DataFrame needs a Python kernel with %load_ext radlab.`
        );
        break;
    }
  }
  if (quiet) out.notes.push('-q was ignored: the Radlab Drill controller always shows the result.');
  return out;
}

/**
 * The query of a cell: a `%%drill` cell, or any cell in the `sql` language. undefined for other cells
 * (the controller says it runs only those). Throws MagicUsageError for bad options or an empty query.
 */
export function parseCell(text: string, languageId: string): CellQuery | undefined {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex(line => line.trim() !== '');
  const magic = first >= 0 ? MAGIC.exec(lines[first]!) : null;
  let query: CellQuery;
  if (magic) {
    query = {
      ...parseMagicOptions(magic[1] ?? ''),
      sql: lines.slice(first + 1).join('\n'),
      lineOffset: first + 1
    };
  } else if (languageId === 'sql') {
    query = { sql: text, lineOffset: 0, limit: DEFAULT_ROW_LIMIT, notes: [] };
  } else {
    return undefined;
  }
  if (query.sql.trim() === '' || /^[\s;]*$/.test(stripComments(query.sql)))
    throw new MagicUsageError('%%drill: the cell has no SQL');
  return query;
}

/** SQL without `-- line` and block comments (only to tell whether anything is left). */
export function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}
