import { describe, expect, it } from 'vitest';
import { catalogColumnDescription } from './columns.js';
import { TABLE_COLUMNS } from './tables.js';

describe('catalog column descriptions', () => {
  it('describes every column of every catalog table, and the partition folders', () => {
    for (const [table, columns] of Object.entries(TABLE_COLUMNS))
      for (const [column] of columns)
        expect(
          catalogColumnDescription('dfs.catalog', table, column),
          `${table}.${column}`
        ).toBeTruthy();
    expect(catalogColumnDescription('dfs.catalog', 'series/MR/2020', 'dir0')).toMatch(/modality/);
    expect(catalogColumnDescription('DFS.CATALOG', 'studies', 'dir0')).toMatch(/year/);
  });

  it('says nothing of other schemas, tables and columns', () => {
    expect(catalogColumnDescription('dfs.root', 'series', 'Modality')).toBeUndefined();
    expect(catalogColumnDescription('dfs.catalog', 'catalog.json', 'source')).toBeUndefined();
    expect(catalogColumnDescription('dfs.catalog', 'series', 'nope')).toBeUndefined();
  });
});
