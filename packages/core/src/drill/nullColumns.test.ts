import { describe, expect, it } from 'vitest';
import { allNullColumns, allNullWarning } from './nullColumns.js';

const cols = (...names: string[]) => names.map(name => ({ name, type: 'VARCHAR' }));
const rowsOf = (rows: unknown[][]) => (r: number, c: number) => rows[r]![c] === null;

describe('allNullColumns', () => {
  it('finds a named column that no row has (a typo over JSON)', () => {
    const rows = [
      ['Sheri', null],
      ['Derrick', null]
    ];
    const sql = 'SELECT full_name, salry FROM cp.`employee.json`';
    expect(allNullColumns(sql, cols('full_name', 'salry'), 2, rowsOf(rows))).toEqual(['salry']);
    expect(allNullWarning(['salry'])).toMatch(/^column "salry" is null in every row: .*spelling/);
    expect(allNullWarning(['salry'], true)).toContain('every row fetched');
  });

  it('says nothing for empty results, aliases, expressions, SELECT * or a column with a value', () => {
    const nulls = () => true;
    expect(allNullColumns('SELECT salry FROM t', cols('salry'), 0, nulls)).toEqual([]);
    expect(allNullColumns('SELECT CAST(NULL AS INT) AS z FROM t', cols('z'), 1, nulls)).toEqual([]);
    expect(allNullColumns('SELECT NULL FROM t', cols('EXPR$0'), 1, nulls)).toEqual([]);
    expect(allNullColumns('SELECT * FROM t', cols('a'), 1, nulls)).toEqual([]);
    const rows = [[null], [3]];
    expect(allNullColumns('SELECT `a` FROM t', cols('a'), 2, rowsOf(rows))).toEqual([]);
    expect(allNullColumns('SELECT `a` FROM t', cols('a'), 1, rowsOf(rows))).toEqual(['a']);
    expect(allNullWarning([])).toBeUndefined();
  });
});
