import { describe, expect, it } from 'vitest';
import { catalogKey } from '@radlab/core';
import { buildCompletions, completionContext, emptyCache, type SchemaCache } from './completion.js';

function cache(): SchemaCache {
  const c = emptyCache();
  c.schemas = ['cp.default', 'dfs.radlab', 'dfs.tmp', 'sys'];
  c.tables.set('dfs.radlab', [
    { schema: 'dfs.radlab', name: 'studies.csv', type: 'FILE' },
    { schema: 'dfs.radlab', name: 'studies_parquet', type: 'DIRECTORY' }
  ]);
  c.columns.set(catalogKey('dfs.radlab', 'studies_parquet'), [
    { name: 'modality', type: 'VARCHAR', position: 1 },
    { name: 'study_date', type: 'DATE', position: 2 }
  ]);
  return c;
}

describe('completionContext', () => {
  it('reads the dotted path before the cursor', () => {
    expect(completionContext('SELECT * FROM dfs.radlab.stu')).toEqual({
      qualifier: ['dfs', 'radlab'],
      wordStart: 25,
      word: 'stu'
    });
    expect(completionContext('FROM dfs.')).toEqual({ qualifier: ['dfs'], wordStart: 9, word: '' });
    expect(completionContext('FROM dfs.radlab.`studies.c')).toEqual({
      qualifier: ['dfs', 'radlab'],
      wordStart: 16,
      word: 'studies.c'
    });
    expect(completionContext('FROM dfs.radlab.`studies_parquet`.mo').qualifier).toEqual([
      'dfs',
      'radlab',
      'studies_parquet'
    ]);
    expect(completionContext('SELECT mo')).toEqual({ qualifier: [], wordStart: 7, word: 'mo' });
  });
});

describe('buildCompletions', () => {
  it('offers schema parts after a plugin name', () => {
    const items = buildCompletions(completionContext('FROM dfs.'), cache());
    expect(items.map(i => [i.label, i.kind])).toEqual([
      ['radlab', 'schema'],
      ['tmp', 'schema']
    ]);
  });

  it('offers the tables of a schema, back-ticked when needed', () => {
    const items = buildCompletions(completionContext('FROM dfs.radlab.'), cache());
    expect(items.map(i => [i.label, i.insertText])).toEqual([
      ['studies.csv', '`studies.csv`'],
      ['studies_parquet', 'studies_parquet']
    ]);
  });

  it('offers the columns of schema.table', () => {
    const items = buildCompletions(completionContext('dfs.radlab.`studies_parquet`.'), cache());
    expect(items.map(i => [i.label, i.kind, i.detail])).toEqual([
      ['modality', 'column', 'VARCHAR · studies_parquet'],
      ['study_date', 'column', 'DATE · studies_parquet']
    ]);
  });

  it('offers columns, qualified tables, schemas and keywords without a qualifier', () => {
    const items = buildCompletions(completionContext('SELECT '), cache());
    const kinds = new Set(items.map(i => i.kind));
    expect(kinds).toEqual(new Set(['column', 'table', 'schema', 'keyword']));
    expect(items.find(i => i.label === 'studies.csv')!.insertText).toBe('dfs.radlab.`studies.csv`');
    expect(items.find(i => i.label === 'GROUP BY')!.kind).toBe('keyword');
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    expect(sorted[0]!.kind).toBe('column');
    expect(sorted.at(-1)!.kind).toBe('keyword');
    // no cache at all: keywords only
    expect(new Set(buildCompletions(completionContext(''), emptyCache()).map(i => i.kind))).toEqual(
      new Set(['keyword'])
    );
  });
});
