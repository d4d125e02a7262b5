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

describe('harvest text', () => {
  it('says progress and the summary in words', async () => {
    const { harvestProgressText, harvestSummaryText } = await import('./summary.js');
    expect(harvestProgressText('exports', { files: 0, total: 0 })).toBe(
      'Harvesting exports: listing files…'
    );
    expect(harvestProgressText('exports', { files: 1200, total: 10000 })).toBe(
      'Harvesting exports: 1,200 of 10,000 files'
    );
    expect(
      harvestSummaryText('exports', {
        files: 12,
        read: 12,
        studies: 1,
        series: 2,
        instances: 10,
        quality: { notDicom: 2 }
      })
    ).toBe(
      'exports: 1 study, 2 series, 10 instances (12 of 12 files read); quality: 2 notDicom (see dfs.catalog.quality)'
    );
  });
});
