// Against the real Apache Drill of the local stack: dfs.root reaches this machine's /tmp.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../transport/transport.js';
import { DrillClient } from './client.js';
import { emptySchemaHint, folderEntries } from './files.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
let drill: DrillClient;
let folder = '';

beforeAll(() => {
  execFileSync(`${root}scripts/services/drill`, ['start'], { stdio: 'ignore', timeout: 240_000 });
  drill = new DrillClient(new Transport({ service: 'drill', baseURL: DRILL }));
  // a folder Drill cannot read as a table: DICOM files beside JSON, and a subfolder
  const dir = mkdtempSync('/tmp/radlab-files-');
  mkdirSync(`${dir}/series 1`);
  writeFileSync(`${dir}/series 1/IM0001.dcm`, Buffer.alloc(200));
  writeFileSync(`${dir}/notes.json`, '{"a": 1}\n');
  folder = dir.slice(1);
}, 250_000);

describe('folderEntries against Drill 1.22', { timeout: 60_000 }, () => {
  it('lists folders first, then files, each with its path for SQL', async () => {
    const entries = await folderEntries(drill, 'dfs.root', folder);
    expect(entries.map(e => [e.label, e.type, e.name])).toEqual([
      ['series 1', 'DIRECTORY', `${folder}/series 1`],
      ['notes.json', 'FILE', `${folder}/notes.json`]
    ]);
    const inner = await folderEntries(drill, 'dfs.root', `${folder}/series 1`);
    expect(inner).toMatchObject([{ label: 'IM0001.dcm', type: 'FILE', length: 200 }]);
    // the path of an entry is what a query names
    const rows = await drill.query(`SELECT a FROM dfs.root.\`${entries[1]!.name}\``);
    expect(rows.rows).toEqual([[1]]);
  });

  it('an empty file schema says files are queried by name', () => {
    expect(emptySchemaHint('cp.default', 'file')).toContain('SELECT * FROM cp.`employee.json`');
    expect(emptySchemaHint('sys', 'system-tables')).toBeUndefined();
  });
});
