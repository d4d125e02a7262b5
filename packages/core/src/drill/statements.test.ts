import { describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { drillQueryError } from './errors.js';
import {
  errorSpan,
  lineColumn,
  offsetOf,
  positionOf,
  relocateError,
  splitStatements,
  statementAt
} from './statements.js';

const slice = (text: string, span: { from: number; to: number } | undefined): string =>
  span ? text.slice(span.from, span.to) : '';

describe('splitStatements', () => {
  it('splits on ; outside strings, quoted names and comments', () => {
    const text = "SELECT ';' FROM `a;b`; -- x;\nSELECT 2 /* ; */ ;\n\n  ";
    expect(splitStatements(text).map(s => slice(text, s))).toEqual([
      "SELECT ';' FROM `a;b`",
      '-- x;\nSELECT 2 /* ; */'
    ]);
  });
  it('drops comment-only and empty statements', () => {
    expect(splitStatements('  ;\n-- only\n;')).toEqual([]);
  });
});

describe('statementAt (Run without a selection)', () => {
  const text = 'SELECT 1;\nSELECT 2;\n';
  it('is the selection, trimmed, when there is one', () => {
    expect(statementAt(text, { from: 9, to: 19 })).toEqual({ from: 10, to: 19 });
  });
  it('is the statement under the cursor, else the one just before it', () => {
    expect(slice(text, statementAt(text, { from: 12, to: 12 }))).toBe('SELECT 2');
    expect(slice(text, statementAt(text, { from: 9, to: 9 }))).toBe('SELECT 1');
    expect(slice(text, statementAt(text, { from: text.length, to: text.length }))).toBe('SELECT 2');
  });
  it('is nothing in an empty text', () => {
    expect(statementAt('  \n', { from: 0, to: 0 })).toBeUndefined();
  });
});

describe('relocateError', () => {
  const text = 'SELECT 1;\n\n  SELECT *\n  FROM t\n  WHER x;';
  const span = splitStatements(text)[1]!;
  const origin = lineColumn(text, span.from);

  it('counts lines and columns in the whole text', () => {
    expect(origin).toEqual({ line: 3, column: 3 });
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
  });

  it('moves the message and details to the line the editor marks; the position is said once', () => {
    // Drill's answer about the statement alone: line 3 of "SELECT *\n  FROM t\n  WHER x"
    const e = drillQueryError({
      queryState: 'FAILED',
      errorMessage: 'PARSE ERROR: Encountered "x" at line 3, column 8.'
    });
    const moved = relocateError(e, origin);
    expect(moved).toBeInstanceOf(RadlabError);
    expect(moved.message).toBe('PARSE ERROR: Encountered "x" at line 5, column 8.');
    expect(moved.details?.['position']).toEqual({ line: 5, column: 8 });
    expect(`${moved.message} ${moved.hint}`.match(/line \d+, column \d+/g)).toHaveLength(1);
    // on the statement's first line the column moves too
    const first = relocateError(
      drillQueryError({
        queryState: 'FAILED',
        errorMessage:
          "VALIDATION ERROR: From line 1, column 10 to line 1, column 12: Object 'x' not found"
      }),
      origin
    );
    expect(first.message).toMatch(/^VALIDATION ERROR: From line 3, column 12 to line 3, column 14/);
    expect(first.details?.['position']).toEqual({
      line: 3,
      column: 12,
      endLine: 3,
      endColumn: 14
    });
  });

  it('leaves other errors alone', () => {
    const e = new RadlabError({ code: 'unreachable', service: 'drill', message: 'down' });
    expect(relocateError(e, origin)).toBe(e);
    expect(relocateError('x', origin)).toBe('x');
  });
});

describe('error positions in the SQL that ran', () => {
  const sql = 'SELECT a\nFRM dfs.x';

  it('reads details.position defensively', () => {
    expect(positionOf({ position: { line: 3, column: 7 } })).toEqual({ line: 3, column: 7 });
    expect(positionOf({ position: { line: 1, column: 2, endLine: 1, endColumn: 4 } })).toEqual({
      line: 1,
      column: 2,
      endLine: 1,
      endColumn: 4
    });
    expect(positionOf({ position: { line: 0, column: 7 } })).toBeUndefined();
    expect(positionOf(undefined)).toBeUndefined();
    expect(positionOf({ position: 'x' })).toBeUndefined();
  });

  it('turns 1-based line/column into offsets, clamped', () => {
    expect(offsetOf(sql, 2, 5)).toBe(13);
    expect(offsetOf(sql, 1, 99)).toBe(8);
    expect(offsetOf(sql, 9, 1)).toBe(sql.length);
  });

  it('marks the word at a position, or the range (end inclusive)', () => {
    expect(errorSpan(sql, { line: 2, column: 5 })).toEqual({ from: 13, to: 16 });
    expect(errorSpan(sql, { line: 1, column: 8, endLine: 1, endColumn: 8 })).toEqual({
      from: 7,
      to: 8
    });
    expect(errorSpan('SELECT `a b` FROM t', { line: 1, column: 8 })).toEqual({ from: 7, to: 12 });
  });
});
