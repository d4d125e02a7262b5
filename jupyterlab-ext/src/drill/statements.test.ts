import { describe, expect, it } from 'vitest';
import {
  errorSpan,
  offsetOf,
  referencedTables,
  runSpan,
  splitStatements,
  typedName
} from './statements.js';

describe('splitStatements', () => {
  it('splits on ; outside strings, quoted names and comments', () => {
    const text = "SELECT ';' FROM `a;b`; -- x;\nSELECT 2 /* ; */ ;\n\n  ";
    const spans = splitStatements(text).map(s => text.slice(s.from, s.to));
    expect(spans).toEqual(["SELECT ';' FROM `a;b`", '-- x;\nSELECT 2 /* ; */']);
  });
  it('drops comment-only and empty statements', () => {
    expect(splitStatements('  ;\n-- only\n;')).toEqual([]);
  });
});

describe('runSpan', () => {
  const text = 'SELECT 1;\nSELECT 2;\n';
  it('runs the selection, trimmed', () => {
    expect(runSpan(text, { from: 9, to: 19 })).toEqual({ from: 10, to: 19 });
  });
  it('runs the statement under the cursor, or the one just before', () => {
    expect(
      text.slice(...(Object.values(runSpan(text, { from: 12, to: 12 })!) as [number, number]))
    ).toBe('SELECT 2');
    expect(runSpan(text, { from: 9, to: 9 })).toEqual({ from: 0, to: 8 });
    expect(runSpan(text, { from: text.length, to: text.length })).toEqual({ from: 10, to: 18 });
  });
  it('gives nothing for an empty file', () => {
    expect(runSpan('  \n', { from: 0, to: 0 })).toBeUndefined();
  });
});

describe('positions', () => {
  const sql = 'SELECT a\nFRM dfs.x';
  it('maps line/column to offsets, clamped to the line', () => {
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
  });
});

describe('typedName', () => {
  it('reads the dotted name before the cursor', () => {
    expect(typedName('SELECT * FROM dfs.radlab.stu', 28)).toEqual({
      from: 25,
      qualifier: ['dfs', 'radlab'],
      partial: 'stu'
    });
    expect(typedName('FROM `dfs`.`radlab`.`stud', 25)).toEqual({
      from: 20,
      qualifier: ['dfs', 'radlab'],
      partial: 'stud'
    });
    expect(typedName('FROM dfs.', 9)).toEqual({ from: 9, qualifier: ['dfs'], partial: '' });
    expect(typedName('SELECT mod', 10)).toEqual({ from: 7, qualifier: [], partial: 'mod' });
  });
  it('a closing back-tick starts no name', () => {
    expect(typedName('FROM dfs.`x`', 12)).toEqual({ from: 12, qualifier: [], partial: '' });
  });
});

describe('referencedTables', () => {
  it('finds FROM and JOIN targets', () => {
    expect(
      referencedTables('SELECT * FROM dfs.radlab.`studies.csv` s JOIN cp.`employee.json` e ON 1=1')
    ).toEqual([
      ['dfs', 'radlab', 'studies.csv'],
      ['cp', 'employee.json']
    ]);
  });
});
