import { describe, expect, it, vi } from 'vitest';
import { DrillCatalog } from '@radlab/core';
import { nameOptions } from './completion.js';

function catalog() {
  const source = {
    schemas: vi.fn(async () => [
      { name: 'cp.default', type: 'file', mutable: false },
      { name: 'dfs.radlab', type: 'file', mutable: true },
      { name: 'dfs.tmp', type: 'file', mutable: true }
    ]),
    tables: vi.fn(async (schema: string) =>
      schema === 'dfs.radlab'
        ? [
            { schema, name: 'studies.csv', type: 'FILE' },
            { schema, name: 'studies_parquet', type: 'DIRECTORY' }
          ]
        : []
    ),
    columns: vi.fn(async () => ({
      source: 'probe' as const,
      columns: [{ name: 'modality', type: 'VARCHAR', position: 1 }]
    }))
  };
  return { source, catalog: new DrillCatalog(source) };
}

describe('completion names', () => {
  it('offers the next schema part, then tables, then columns', async () => {
    const { catalog: c, source } = catalog();
    expect((await nameOptions(c, ['dfs'], '')).map(o => o.label)).toEqual(['radlab', 'tmp']);
    const tables = await nameOptions(c, ['dfs', 'radlab'], '');
    expect(tables.map(o => [o.label, o.apply])).toEqual([
      ['studies.csv', '`studies.csv`'],
      ['studies_parquet', '`studies_parquet`']
    ]);
    const columns = await nameOptions(c, ['dfs', 'radlab', 'studies.csv'], '');
    expect(columns.map(o => [o.label, o.detail])).toEqual([['modality', 'varchar']]);
    // cached: one load per name
    await nameOptions(c, ['dfs', 'radlab'], '');
    expect(source.schemas).toHaveBeenCalledTimes(1);
    expect(source.tables).toHaveBeenCalledTimes(1);
  });
  it('offers schemas, the columns of the tables read, and keywords without a qualifier', async () => {
    const { catalog: c } = catalog();
    const options = await nameOptions(c, [], 'SELECT  FROM dfs.radlab.`studies.csv`');
    const labels = options.map(o => o.label);
    expect(labels).toContain('dfs');
    expect(labels).toContain('modality');
    expect(labels).toContain('SELECT');
    expect(labels).toContain('FLATTEN');
  });
});
