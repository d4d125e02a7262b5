// The Query with Drill text of a files connection's paths.
import { describe, expect, it } from 'vitest';
import { drillQueryable, drillQueryFor } from './drill.js';

describe('drillQueryFor', () => {
  it('names the file in the plugin, back-ticks doubled', () => {
    expect(drillQueryFor('/user/ann/sample/studies.csv', {})).toBe(
      'SELECT *\nFROM `hdfs`.`/user/ann/sample/studies.csv`\nLIMIT 100'
    );
    expect(drillQueryFor('/d/we`ird.json', { drillPlugin: 'dfs' }, 10)).toBe(
      'SELECT *\nFROM `dfs`.`/d/we``ird.json`\nLIMIT 10'
    );
  });

  it('refuses a path with dot segments', () => {
    expect(() => drillQueryFor('/a/../b.csv', {})).toThrow(/dot segments/);
  });

  it('offers files Drill reads and folders', () => {
    expect(drillQueryable('a.csv', false)).toBe(true);
    expect(drillQueryable('part-0.PARQUET', false)).toBe(true);
    expect(drillQueryable('notes.txt', false)).toBe(false);
    expect(drillQueryable('studies_parquet', true)).toBe(true);
  });
});
