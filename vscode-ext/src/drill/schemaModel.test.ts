import { previewSql } from '@radlab/core';
import { describe, expect, it } from 'vitest';
import {
  columnNodes,
  connectionNodes,
  errorNodes,
  folderNodes,
  schemaNodes,
  sqlName,
  tableNodes
} from './schemaModel.js';

describe('Drill tree mapping', () => {
  it('a folder opens to its folders and files, named by their path; an empty file schema says how to query', () => {
    const [folder] = tableNodes('local-drill', 'dfs.root', [
      { schema: 'dfs.root', name: 'data', type: 'DIRECTORY' }
    ]);
    expect(folder).toMatchObject({ tableType: 'DIRECTORY', table: 'data', collapsible: true });
    const entries = folderNodes('local-drill', 'dfs.root', 'data', [
      { schema: 'dfs.root', name: 'data/CT 1', label: 'CT 1', type: 'DIRECTORY' },
      { schema: 'dfs.root', name: 'data/labels.json', label: 'labels.json', type: 'FILE' }
    ]);
    expect(entries.map(e => [e.label, e.icon, e.table, e.tableType])).toEqual([
      ['CT 1', 'folder', 'data/CT 1', 'DIRECTORY'],
      ['labels.json', 'file', 'data/labels.json', 'FILE']
    ]);
    expect(sqlName(entries[1]!)).toBe('`dfs`.`root`.`data/labels.json`');
    expect(previewSql('dfs.root', entries[1]!.table!)).toBe(
      'SELECT * FROM `dfs`.`root`.`data/labels.json` LIMIT 100'
    );
    expect(folderNodes('local-drill', 'dfs.root', 'x', [])[0]!.label).toBe('Empty folder');
    expect(tableNodes('local-drill', 'cp.default', [], 'file')[0]!.label).toBe(
      'Drill lists no files here; files are queried by name, e.g. SELECT * FROM cp.`employee.json`'
    );
  });

  it('maps connections, schemas, tables and files, columns', () => {
    const [conn] = connectionNodes([{ name: 'local-drill', url: 'http://127.0.0.1:8047' }]);
    expect(conn).toMatchObject({
      kind: 'connection',
      label: 'local-drill',
      collapsible: true,
      contextValue: 'radlab.drill.connection'
    });
    const [schema] = schemaNodes('local-drill', [
      { name: 'dfs.radlab', type: 'file', mutable: true }
    ]);
    expect(schema).toMatchObject({
      label: 'dfs.radlab',
      description: 'file',
      schema: 'dfs.radlab'
    });
    const tables = tableNodes('local-drill', 'dfs.radlab', [
      { schema: 'dfs.radlab', name: 'studies.csv', type: 'FILE' },
      { schema: 'dfs.radlab', name: 'studies_parquet', type: 'DIRECTORY' },
      { schema: 'dfs.radlab', name: 'v', type: 'VIEW' }
    ]);
    expect(tables.map(t => [t.label, t.description, t.icon])).toEqual([
      ['studies.csv', 'file', 'file'],
      ['studies_parquet', 'directory', 'folder'],
      ['v', 'view', 'eye']
    ]);
    const columns = columnNodes('local-drill', 'dfs.radlab', 'studies.csv', {
      source: 'probe',
      columns: [
        { name: 'modality', type: 'VARCHAR', position: 1 },
        { name: 'n', type: 'BIGINT', nullable: false, position: 2 }
      ]
    });
    expect(columns.map(c => [c.label, c.description, c.collapsible])).toEqual([
      ['modality', 'VARCHAR', false],
      ['n', 'BIGINT NOT NULL', false]
    ]);
    expect(columns[0]!.tooltip).toMatch(/read from the data/);
    expect(
      new Set([conn!.id, schema!.id, ...tables.map(t => t.id), ...columns.map(c => c.id)]).size
    ).toBe(7);
  });

  it('shows empty levels and errors with their hint', () => {
    expect(schemaNodes('c', [])[0]).toMatchObject({ kind: 'empty', label: 'No schemas' });
    expect(tableNodes('c', 's', [])[0]).toMatchObject({ kind: 'empty' });
    const nodes = errorNodes('p', 'c', {
      code: 'unreachable',
      message: 'connection refused',
      hint: 'Check that the service is running.'
    });
    expect(nodes.map(n => [n.kind, n.label, n.icon])).toEqual([
      ['error', 'connection refused', 'error'],
      ['hint', 'Check that the service is running.', 'lightbulb']
    ]);
    expect(errorNodes('p', 'c', { code: 'server', message: 'm', hint: '' })).toHaveLength(1);
  });

  it('quotes names for SQL', () => {
    const [table] = tableNodes('c', 'dfs.radlab', [
      { schema: 'dfs.radlab', name: 'studies.csv', type: 'FILE' }
    ]);
    expect(sqlName(table!)).toBe('`dfs`.`radlab`.`studies.csv`');
    expect(sqlName({ kind: 'schema', schema: 'dfs.radlab', label: 'dfs.radlab' })).toBe(
      '`dfs`.`radlab`'
    );
    expect(sqlName({ kind: 'column', column: 'a`b', label: 'a`b' })).toBe('`a``b`');
  });
});
