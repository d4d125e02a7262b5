// The catalog on a real DrillClient against the real Apache Drill of the local stack (what it loads),
// and on a counting source wrapped around that client (what it keeps, shares and forgets).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { Transport } from '../transport/transport.js';
import { DrillCatalog, catalogKey, type DrillIntrospection } from './catalog.js';
import { DrillClient } from './client.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
let drill: DrillClient;

beforeAll(() => {
  execFileSync(`${root}scripts/services/drill`, ['start'], { stdio: 'ignore', timeout: 240_000 });
  drill = new DrillClient(new Transport({ service: 'drill', baseURL: DRILL }));
}, 250_000);

/** The real client, counting the calls that reach it; `fail` makes the next schemas() call fail. */
function counting() {
  const calls: string[] = [];
  let fail = false;
  const source: DrillIntrospection = {
    schemas: () => {
      calls.push('schemas');
      if (fail) {
        fail = false;
        return Promise.reject(new Error('Drill is restarting'));
      }
      return drill.schemas();
    },
    tables: schema => (calls.push(`tables ${schema}`), drill.tables(schema)),
    columns: (schema, table) => (calls.push(`columns ${table}`), drill.columns(schema, table)),
    query: (sql, o) => (calls.push('query'), drill.query(sql, o))
  };
  return { source, calls, failNext: () => (fail = true) };
}

describe('DrillCatalog against Drill 1.22', { timeout: 60_000 }, () => {
  it('loads schemas, tables and columns once each and tells what it knows', async () => {
    const { source, calls } = counting();
    const catalog = new DrillCatalog(source);
    expect(catalog.known()).toEqual({ tables: new Map(), columns: new Map() });
    const [a, b] = await Promise.all([catalog.schemas(), catalog.schemas()]);
    expect(a).toBe(b);
    expect(a.map(s => s.name)).toContain('dfs.radlab');
    const tables = await catalog.tables('dfs.radlab');
    expect(tables.map(t => t.name)).toContain('studies_parquet');
    const columns = await catalog.tableColumns('dfs.radlab', 'studies_parquet');
    expect(columns.columns.map(c => c.name)).toContain('modality');
    expect(await catalog.columns('dfs.radlab', 'studies_parquet')).toEqual(columns.columns);
    expect(calls).toEqual(['schemas', 'tables dfs.radlab', 'columns studies_parquet']);

    const known = catalog.known();
    expect(known.schemas).toContain('cp.default');
    expect(known.tables.get('dfs.radlab')).toBe(tables);
    expect(known.columns.get(catalogKey('dfs.radlab', 'studies_parquet'))).toBe(columns.columns);
    expect(catalog.peekColumns('dfs.radlab', 'studies_parquet')).toBe(columns.columns);
    expect(catalog.peekTables('cp.default')).toBeUndefined();

    catalog.clear();
    expect(catalog.peekSchemas()).toBeUndefined();
    await catalog.schemas();
    expect(calls.filter(c => c === 'schemas')).toHaveLength(2);
  });

  it('keeps no failed load: the next ask tries again', async () => {
    const { source, calls, failNext } = counting();
    const catalog = new DrillCatalog(source);
    failNext();
    await expect(catalog.schemas()).rejects.toThrow('Drill is restarting');
    expect((await catalog.schemas()).length).toBeGreaterThan(0);
    expect(calls).toEqual(['schemas', 'schemas']);
  });

  it("a caller's signal ends its own wait, not the load the others share", async () => {
    const { source, calls } = counting();
    const catalog = new DrillCatalog(source);
    const controller = new AbortController();
    const cancelled = catalog.tables('cp.default', { signal: controller.signal });
    const other = catalog.tables('cp.default');
    controller.abort();
    const error = await cancelled.catch((e: unknown) => e);
    expect(RadlabError.isRadlabError(error) && error.code).toBe('cancelled');
    expect(Array.isArray(await other)).toBe(true);
    expect(catalog.peekTables('cp.default')).toBe(await other);
    expect(calls).toEqual(['tables cp.default']);
    // an aborted signal before asking: no wait at all
    await expect(catalog.schemas({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'cancelled'
    });
  });

  it('lists the folders of a file workspace (SHOW FILES), and says when the source cannot', async () => {
    const { source } = counting();
    const catalog = new DrillCatalog(source);
    const entries = await catalog.folder('dfs.radlab', 'studies_parquet');
    expect(entries.map(e => e.label)).toContain('0_0_0.parquet');
    const noQuery = new DrillCatalog({ ...source, query: undefined });
    await expect(noQuery.folder('dfs.radlab', 'studies_parquet')).rejects.toThrow(
      'this connection cannot list folders'
    );
  });
});
