import { describe, expect, it } from 'vitest';
import { csvFilename } from './export.js';

describe('csvFilename', () => {
  it('names an export after the table or file of the query', () => {
    expect(csvFilename({ sql: 'SELECT * FROM cp.`employee.json` LIMIT 3', queryId: 'q' })).toBe(
      'employee.csv'
    );
    expect(csvFilename({ sql: 'select a from dfs.radlab.studies_parquet where x' })).toBe(
      'studies_parquet.csv'
    );
    expect(csvFilename({ sql: 'SELECT * FROM dfs.radlab.`2024/ct/series.csv`' })).toBe(
      'series.csv'
    );
    expect(csvFilename({ sql: '/* radlab */ SELECT * FROM "my table"' })).toBe('my_table.csv');
  });

  it('falls back to the query id, then drill-result', () => {
    expect(csvFilename({ sql: "SELECT 1 + 1, 'x' AS y", queryId: '14f0-ab' })).toBe('14f0-ab.csv');
    expect(csvFilename({})).toBe('drill-result.csv');
    expect(csvFilename({ sql: 'SELECT * FROM `../../etc`' })).toBe('etc.csv');
  });
});
