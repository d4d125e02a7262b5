// Pure helpers of the SQL runners (editor command, notebook controller): where a Drill error position
// lands in the document the SQL came from, the error text, and the text/plain fallback of a result.
import { errorSpan, lineColumn } from '@radlab/core';
import type { DrillResultPayload, RadlabErrorJSON, SqlPosition } from '@radlab/core';

/** A 0-based range, as vscode.Range takes it. */
export interface Span {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/**
 * Maps Drill's position in the SQL that ran to a range of the document the SQL was taken from:
 * `origin` is where the SQL starts in the document (0-based; the selection start), `lines` the SQL's
 * lines.
 */
export function mapPosition(
  position: SqlPosition,
  origin: { line: number; character: number },
  lines: readonly string[]
): Span {
  const sql = lines.join('\n');
  const span = errorSpan(sql, position);
  const toDoc = (offset: number) => {
    const at = lineColumn(sql, offset);
    return {
      line: origin.line + at.line - 1,
      character: (at.line === 1 ? origin.character : 0) + at.column - 1
    };
  };
  const start = toDoc(span.from);
  const end = toDoc(span.to);
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
