// SQL text as editors and files hold it: statement boundaries (`;` outside strings, quoted names and
// comments), the statement a Run without a selection means (the one under the cursor, as DataGrip and
// SQLTools pick it), and Drill's error positions moved from the statement that ran to the whole text.

import { RadlabError } from '../errors.js';
import type { SqlPosition } from './errors.js';

/** Offsets into a text: `from` inclusive, `to` exclusive. */
export interface Span {
  from: number;
  to: number;
}

function isOnlyComments(sql: string): boolean {
  return (
    sql
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim() === ''
  );
}

/** Statement spans (without the `;`), leading/trailing whitespace trimmed; empty statements dropped. */
export function splitStatements(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    let a = start;
    let b = end;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a && !isOnlyComments(text.slice(a, b))) spans.push({ from: a, to: b });
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === c) {
          if (text[j + 1] === c) j++;
          else break;
        }
      }
      i = j + 1;
    } else if (c === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(text.length);
  return spans;
}

/**
 * What Run runs: the selection if there is one, else the statement under (or just before) the cursor
 * (`selection.from`). Undefined when there is nothing to run.
 */
export function statementAt(text: string, selection: Span): Span | undefined {
  if (selection.to > selection.from) {
    const sel = text.slice(selection.from, selection.to);
    const lead = sel.length - sel.trimStart().length;
    const trail = sel.length - sel.trimEnd().length;
    if (sel.trim()) return { from: selection.from + lead, to: selection.to - trail };
    return undefined;
  }
  const spans = splitStatements(text);
  if (spans.length === 0) return undefined;
  const cursor = selection.from;
  const inside = spans.find(s => cursor >= s.from && cursor <= s.to);
  if (inside) return inside;
  // between statements: the one before the cursor (just after its `;`), else the next
  const before = [...spans].reverse().find(s => s.to <= cursor);
  return before ?? spans[0];
}

/** The 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The position of an error in the SQL that was sent, read from RadlabError details (defensively). */
export function positionOf(details: unknown): SqlPosition | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const position = (details as { position?: unknown }).position;
  if (!position || typeof position !== 'object') return undefined;
  const { line, column, endLine, endColumn } = position as Record<string, unknown>;
  if (typeof line !== 'number' || typeof column !== 'number' || line < 1 || column < 1)
    return undefined;
  return {
    line,
    column,
    ...(typeof endLine === 'number' ? { endLine } : {}),
    ...(typeof endColumn === 'number' ? { endColumn } : {})
  };
}

/** The offset of a 1-based line/column in `text` (clamped to the line's end, or the text's). */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const max = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + Math.max(0, column - 1), max);
}

/** The span of `sql` to mark for Drill's error position (its end column is inclusive); the word there
 * when Drill gives no end. */
export function errorSpan(sql: string, position: SqlPosition): Span {
  const from = offsetOf(sql, position.line, position.column);
  if (position.endLine !== undefined && position.endColumn !== undefined) {
    const to = offsetOf(sql, position.endLine, position.endColumn) + 1;
    if (to > from) return { from, to: Math.min(to, sql.length) };
  }
  const word = /^(`[^`]*`?|[\w$]+|\S)/.exec(sql.slice(from));
  return { from, to: from + (word ? word[0].length : 0) };
}

/** A position in a statement that starts at `origin` (1-based) -> the same place in the whole text. */
export function relocatePosition(position: SqlPosition, origin: { line: number; column: number }) {
  const move = (line: number, column: number) => ({
    line: origin.line + line - 1,
    column: line === 1 ? origin.column + column - 1 : column
  });
  const start = move(position.line, position.column);
  const out: SqlPosition = { line: start.line, column: start.column };
  if (position.endLine !== undefined && position.endColumn !== undefined) {
    const end = move(position.endLine, position.endColumn);
    out.endLine = end.line;
    out.endColumn = end.column;
  }
  return out;
}

/** `line N, column M` in a message, moved like `relocatePosition`. */
function relocateText(text: string, origin: { line: number; column: number }): string {
  return text.replace(/\b(line )(\d+)(, column )(\d+)/gi, (_m, l: string, n, c: string, m) => {
    const moved = relocatePosition({ line: Number(n), column: Number(m) }, origin);
    return `${l}${moved.line}${c}${moved.column}`;
  });
}

/**
 * A Drill error about a statement that starts at `origin` (1-based line and column in the document,
 * cell or file it came from): the same error with the positions in its message, hint and
 * `details.position` counted in that whole text, so the text names the line the editor marks.
 * Other errors come back as they are.
 */
export function relocateError<E>(error: E, origin: { line: number; column: number }): E {
  if (!RadlabError.isRadlabError(error) || (origin.line === 1 && origin.column === 1)) return error;
  const position = error.details?.['position'] as SqlPosition | undefined;
  if (!position || typeof position.line !== 'number') return error;
  return new RadlabError({
    code: error.code,
    service: error.service,
    message: relocateText(error.message, origin),
    hint: relocateText(error.hint, origin),
    status: error.status,
    connection: error.connection,
    request: error.request,
    cause: error.cause,
    details: { ...error.details, position: relocatePosition(position, origin) }
  }) as E;
}
