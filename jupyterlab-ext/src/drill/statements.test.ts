import { describe, expect, it } from 'vitest';
import { referencedTables, typedName } from './statements.js';

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
