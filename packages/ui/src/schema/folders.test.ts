// The schema browser's model on a real DrillClient against the real Drill of the local stack:
// dfs.root reaches this machine's /tmp, where the test makes a folder Drill cannot read as a table.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DrillCatalog, DrillClient, Transport } from '@radlab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { previewSql } from '@radlab/core';
import { SchemaBrowserModel, sqlName, type SchemaNode } from './model.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
let folder = '';
let catalog: DrillCatalog;

beforeAll(() => {
  execFileSync(`${root}scripts/services/drill`, ['start'], { stdio: 'ignore', timeout: 240_000 });
  catalog = new DrillCatalog(new DrillClient(new Transport({ service: 'drill', baseURL: DRILL })));
  const dir = mkdtempSync('/tmp/radlab-browse-');
  mkdirSync(`${dir}/CT series`);
  writeFileSync(`${dir}/CT series/IM0001.dcm`, Buffer.alloc(128));
  writeFileSync(`${dir}/labels.json`, '{"study": "s1", "label": 2}\n');
  folder = dir.slice(1);
}, 250_000);

describe('folders of a dfs workspace', { timeout: 60_000 }, () => {
  it('open to their folders and files; a file opens to its columns and previews by its path', async () => {
    const model = new SchemaBrowserModel(() => catalog);
    model.setConnections(['local']);
    await expect.poll(() => model.roots?.length ?? 0).toBeGreaterThan(0);
    // the folder as the dfs.root listing would show it
    const node: SchemaNode = {
      id: `t:dfs.root\u0000${folder}`,
      kind: 'table' as const,
      name: folder.split('/').pop()!,
      schema: 'dfs.root',
      table: folder,
      type: 'DIRECTORY',
      expanded: false,
      loading: false
    };
    model.roots![0]!.children = [node];
    model.roots![0]!.expanded = true;
    await model.expand(node);
    expect(node.error).toBeUndefined();
    expect(node.children!.map(c => [c.name, c.type])).toEqual([
      ['CT series', 'DIRECTORY'],
      ['labels.json', 'FILE']
    ]);
    const file = node.children![1]!;
    expect(sqlName(file)).toBe(`\`dfs\`.\`root\`.\`${folder}/labels.json\``);
    await model.expand(file);
    expect(file.children!.map(c => c.name)).toEqual(['study', 'label']);
    const series = node.children![0]!;
    await model.expand(series);
    expect(series.children!.map(c => c.name)).toEqual(['IM0001.dcm']);
    const rows = await new DrillClient(new Transport({ service: 'drill', baseURL: DRILL })).query(
      previewSql(file.schema, file.table!)
    );
    expect(rows.rows).toEqual([['s1', 2]]);
  });
});
