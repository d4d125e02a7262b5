// Pure helpers of the SQL runners (editor command, notebook controller): what part of a document runs,
// where a Drill error position lands in it, and the result payload (shared/schema/drill-result.schema.json).
import type { RadlabErrorJSON } from '@radlab/core';

/** shared/mime-types.json `drillResult` (a test keeps them equal). */
export const DRILL_MIME = 'application/vnd.radlab.drill-result+json';

/** Drill's 1-based error position (RadlabError.details.position). */
export interface SqlPosition {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** A 0-based range, as vscode.Range takes it. */
export interface Span {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** The position of an error in the SQL that was sent, read from RadlabError details. */
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

/**
 * Maps Drill's position in the SQL that ran to a range of the document the SQL was taken from:
 * `origin` is where the SQL starts in the document (0-based; the selection start), `lines` the SQL's
 * lines (to clamp, and to mark the word at a position without an end).
 */
export function mapPosition(
  position: SqlPosition,
  origin: { line: number; character: number },
  lines: readonly string[]
): Span {
  const clampLine = (l: number) => Math.min(Math.max(l, 1), Math.max(lines.length, 1));
  const line = clampLine(position.line);
  const text = lines[line - 1] ?? '';
  const col = Math.min(Math.max(position.column, 1), text.length + 1);
  let endLine = line;
  let endCol: number;
  if (position.endLine !== undefined && position.endColumn !== undefined) {
    endLine = clampLine(position.endLine);
    endCol = position.endColumn + 1; // Drill's end column is inclusive
  } else {
    // no end: the token at the position (at least one character)
    const word = /^(`[^`]*`?|[A-Za-z0-9_$.]+|\S)/.exec(text.slice(col - 1));
    endCol = col + Math.max(word?.[0].length ?? 1, 1);
  }
  const toDoc = (l: number, c: number) => ({
    line: origin.line + l - 1,
    character: (l === 1 ? origin.character : 0) + c - 1
  });
  const start = toDoc(line, col);
  const end = toDoc(endLine, endCol);
  return {
    startLine: start.line,
    startCharacter: start.character,
    endLine: end.line,
    endCharacter: end.character
  };
}

/** `message` + `Hint: hint` (when there is one and it says something new). */
export function errorText(error: Pick<RadlabErrorJSON, 'message' | 'hint'>): string {
  const hint = error.hint?.trim();
  return hint && !error.message.includes(hint) ? `${error.message}\nHint: ${hint}` : error.message;
}

export interface ResultLike {
  queryId?: string;
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs?: number;
}

/** The MIME payload (application/vnd.radlab.drill-result+json, version 1). */
export interface DrillResultPayload {
  version: 1;
  connection?: string;
  queryId?: string;
  sql?: string;
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  limit?: number;
  elapsedMs?: number;
}

export function toPayload(
  result: ResultLike,
  extra: { connection?: string; sql?: string; limit?: number }
): DrillResultPayload {
  const payload: DrillResultPayload = {
    version: 1,
    columns: result.columns.map(c => ({ name: c.name, type: c.type })),
    rows: result.rows,
    rowCount: result.rows.length,
    truncated: result.truncated
  };
  if (extra.connection !== undefined) payload.connection = extra.connection;
  if (result.queryId) payload.queryId = result.queryId;
  if (extra.sql !== undefined) payload.sql = extra.sql;
  if (extra.limit !== undefined && extra.limit > 0) payload.limit = extra.limit;
  if (result.elapsedMs !== undefined) payload.elapsedMs = result.elapsedMs;
  return payload;
}

/** A plain-text table of the first rows (the text/plain fallback of the notebook output). */
export function plainText(payload: DrillResultPayload, maxRows = 20): string {
  const cell = (v: unknown): string =>
    v === null || v === undefined ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const head = payload.columns.map(c => c.name);
  const body = payload.rows.slice(0, maxRows).map(r => head.map((_, i) => cell(r[i])));
  const widths = head.map((h, i) =>
    Math.min(40, Math.max(h.length, ...body.map(r => r[i]!.length)))
  );
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) =>
        c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!)
      )
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), widths.map(w => '-'.repeat(w)).join('  '), ...body.map(fmt)];
  const shown = Math.min(maxRows, payload.rows.length);
  const more = payload.truncated
    ? `Showing ${payload.rowCount} rows; the query has more. Use -l N or -l 0.`
    : shown < payload.rowCount
      ? `${payload.rowCount} rows (first ${shown} shown)`
      : `${payload.rowCount} row${payload.rowCount === 1 ? '' : 's'}`;
  return [...lines, more].join('\n');
}
