// Against the real Apache Drill of the local stack (scripts/services/drill; sample data in dfs.radlab).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { closedPort } from '../testing/http.js';
import { Transport } from '../transport/transport.js';
import { DrillClient } from './client.js';
import { quoteTable } from './sql.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
const SLOW =
  'SELECT count(*) FROM cp.`employee.json` a, cp.`employee.json` b, cp.`employee.json` c WHERE a.salary + b.salary + c.salary < 0';
const CROSS_JOIN = { 'planner.enable_nljoin_for_scalar_only': false };

let drill: DrillClient;

async function failure(promise: Promise<unknown>): Promise<RadlabError> {
  try {
    await promise;
  } catch (e) {
    expect(RadlabError.isRadlabError(e)).toBe(true);
    return e as RadlabError;
  }
  throw new Error('expected a failure');
}

/** A query's state from its own profile: the full /profiles.json fails for good once Drill has left
 * an unreadable profile in its store (an empty file, when a cancel interrupts the profile write). */
async function stateOf(queryId: string): Promise<string | undefined> {
  return drill.profile(queryId).then(
    p => p.state,
    () => undefined
  );
}

/**
 * Drill has stopped the query: its profile says CANCELED or, when a cancel interrupted Drill's
 * profile write (its log: "Failure while storing Query Profile", an empty file), the query is no
 * longer among the running ones.
 */
async function stoppedOnDrill(queryId: string): Promise<boolean> {
  const state = await stateOf(queryId);
  if (state !== undefined) return state === 'CANCELED';
  const { running } = await drill.profiles({ runningOnly: true });
  return !running.some(p => p.queryId === queryId);
}

beforeAll(() => {
  execFileSync(`${root}scripts/services/drill`, ['start'], { stdio: 'ignore', timeout: 240_000 });
  drill = new DrillClient(
    new Transport({ service: 'drill', connection: 'local-drill', baseURL: DRILL })
  );
}, 250_000);

describe('DrillClient against Drill 1.22', { timeout: 60_000 }, () => {
  it('types CSV rows (all VARCHAR, header extracted)', async () => {
    const r = await drill.query(
      'SELECT * FROM dfs.radlab.`studies.csv` ORDER BY study_id LIMIT 2;'
    );
    expect(r.queryState).toBe('COMPLETED');
    expect(r.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.columns.map(c => c.name)).toEqual([
      'study_id',
      'patient_id',
      'modality',
      'body_part',
      'study_date',
      'num_images'
    ]);
    expect(r.columns.every(c => c.type === 'VARCHAR')).toBe(true);
    expect(r.rows[0]).toEqual([
      '1.2.826.0.1.3680043.10.1093.1001',
      'PAT00038',
      'NM',
      'KNEE',
      '2024-02-02',
      '54'
    ]);
    expect(r.rowCount).toBe(2);
    expect(r.truncated).toBe(false);
    expect(r.elapsedMs).toBeGreaterThan(0);
  });

  it('types JSON rows (BIGINT, FLOAT8) and Parquet rows (DATE, INT)', async () => {
    const json = await drill.query(
      "SELECT series_number, num_instances, slice_thickness_mm, modality FROM dfs.radlab.`series.json` WHERE series_uid = '1.2.826.0.1.3680043.10.1093.1001.2'"
    );
    expect(json.columns.map(c => c.type)).toEqual(['BIGINT', 'BIGINT', 'FLOAT8', 'VARCHAR']);
    expect(json.rows).toEqual([[2, 29, 2, 'NM']]);
    const parquet = await drill.query(
      'SELECT study_date, num_images FROM dfs.radlab.`studies_parquet` ORDER BY study_id LIMIT 1'
    );
    expect(parquet.columns).toEqual([
      { name: 'study_date', type: 'DATE' },
      { name: 'num_images', type: 'INT' }
    ]);
    expect(parquet.rows).toEqual([['2024-02-02', 54]]);
  });

  it('types the other scalars: BIT, TIMESTAMP, TIME, decimals, BIGINT beyond 2^53 as a string', async () => {
    const r = await drill.query(
      "SELECT true AS b, TIMESTAMP '2024-01-02 03:04:05.678' AS ts, TIME '10:11:12' AS t, CAST(1.25 AS DECIMAL(10,2)) AS d, 9007199254740993 AS big, CAST(NULL AS INT) AS n FROM (VALUES(1))"
    );
    expect(r.columns.map(c => c.type)).toEqual([
      'BIT',
      'TIMESTAMP',
      'TIME',
      'VARDECIMAL(10, 2)',
      'BIGINT',
      'INT'
    ]);
    expect(r.rows).toEqual([
      [true, '2024-01-02T03:04:05.678Z', '10:11:12', 1.25, '9007199254740993', null]
    ]);
  });

  it('flags autoLimit truncation exactly', async () => {
    const cut = await drill.query('SELECT * FROM dfs.radlab.`series.json`', { autoLimit: 5 });
    expect(cut.rowCount).toBe(5);
    expect(cut.rows).toHaveLength(5);
    expect(cut.truncated).toBe(true);
    const all = await drill.query('SELECT * FROM dfs.radlab.`studies.csv` LIMIT 5', {
      autoLimit: 5
    });
    expect(all.truncated).toBe(false);
    expect(all.rowCount).toBe(5);
  });

  it('keeps rows by column (queryColumnar, columnar()) with the same values and limit', async () => {
    const sql =
      "SELECT true AS b, TIMESTAMP '2024-01-02 03:04:05.678' AS ts, TIME '10:11:12' AS t, CAST(1.25 AS DECIMAL(10,2)) AS d, 9007199254740993 AS big, CAST(NULL AS INT) AS n FROM (VALUES(1))";
    const [rows, columnar] = [await drill.query(sql), await drill.queryColumnar(sql)];
    expect(columnar.columns).toEqual(rows.columns);
    expect(columnar.rows.rows()).toEqual(rows.rows);
    const cut = await drill.queryColumnar('SELECT * FROM dfs.radlab.`series.json`', {
      autoLimit: 5
    });
    expect([cut.rowCount, cut.rows.length, cut.truncated]).toEqual([5, 5, true]);
    const q = drill.queryStream('SELECT * FROM dfs.radlab.`studies_parquet`');
    let batches = 0;
    for await (const store of q.columnar()) {
      expect(store).toBe(q.rows);
      batches++;
    }
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(q.rows?.length).toBe(q.summary?.rowCount);
    expect(
      q.rows?.value(
        0,
        q.columns!.findIndex(c => c.name === 'study_date')
      )
    ).toMatch(/^\d{4}-\d\d-\d\d$/);
    const empty = await drill.queryColumnar(
      'SELECT * FROM dfs.radlab.`studies_parquet` WHERE 1 = 0'
    );
    expect(empty.rows.length).toBe(0);
    expect(empty.rows.columns.length).toBe(empty.columns.length);
  });

  it('streams batches, uses defaultSchema and session options', async () => {
    const q = drill.queryStream('SELECT * FROM `series.json`', { defaultSchema: 'dfs.radlab' });
    let rows = 0;
    let batches = 0;
    for await (const batch of q) {
      expect(q.columns?.length).toBe(7);
      rows += batch.length;
      batches++;
    }
    expect(rows).toBe(400);
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(q.summary?.rowCount).toBe(400);
    const opt = await drill.query(
      "SELECT val FROM sys.options WHERE name = 'planner.width.max_per_node'",
      {
        options: { 'planner.width.max_per_node': 3 }
      }
    );
    expect(opt.rows).toEqual([['3']]);
  });

  it('a SQL error: badRequest with Drill message, position and hint', async () => {
    const e = await failure(drill.query('SELECT *\nFROM dfs.radlab.`studies.csv`\nWHER x'));
    expect(e.code).toBe('badRequest');
    expect(e.service).toBe('drill');
    expect(e.message).toBe('PARSE ERROR: Encountered "x" at line 3, column 6.');
    expect(e.details?.['position']).toEqual({ line: 3, column: 6 });
    expect(e.hint).toBe('Fix the SQL where it is marked.');
    const missing = await failure(drill.query('SELECT * FROM dfs.radlab.`nothere.csv`'));
    expect(missing.code).toBe('badRequest');
    expect(missing.message).toMatch(
      /^VALIDATION ERROR: From line 1, column 15 to line 1, column 38: Object 'nothere.csv' not found/
    );
    const data = await failure(
      drill.query('SELECT CAST(study_id AS INT) FROM dfs.radlab.`studies.csv`')
    );
    expect(data.message).toMatch(/NumberFormatException/);
  });

  it('cancels a query on Drill when aborted (before Drill sent anything)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    const started = Date.now();
    const e = await failure(drill.query(SLOW, { signal: controller.signal, options: CROSS_JOIN }));
    expect(e.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(8000);
    const id = e.details?.['queryId'] as string;
    expect(e.details?.['cancelledOnDrill']).toBe(true);
    await expect.poll(() => stoppedOnDrill(id), { timeout: 10_000 }).toBe(true);
  });

  it('cancels on Drill past the query timeout', async () => {
    const e = await failure(drill.query(SLOW, { timeoutMs: 1000, options: CROSS_JOIN }));
    expect(e.code).toBe('timeout');
    const id = e.details?.['queryId'] as string;
    await expect.poll(() => stoppedOnDrill(id), { timeout: 10_000 }).toBe(true);
  });

  it('profiles, one profile, storage plugins', async () => {
    const r = await drill.query('SELECT 1 AS one FROM (VALUES(1))');
    // Drill writes the profile just after answering
    await expect
      .poll(
        () =>
          drill.profile(r.queryId).then(
            p => p.state,
            () => undefined
          ),
        { timeout: 10_000 }
      )
      .toBe('COMPLETED');
    expect((await drill.profile(r.queryId)).query).toContain('SELECT 1 AS one');
    // no longer among the running queries (the profile says COMPLETED a moment before that)
    await expect
      .poll(
        async () =>
          (await drill.profiles({ runningOnly: true })).running.some(p => p.queryId === r.queryId),
        { timeout: 10_000 }
      )
      .toBe(false);
    const plugins = await drill.storagePlugins();
    expect(plugins.find(x => x.name === 'dfs')).toMatchObject({ type: 'file', enabled: true });
    // Drill's foreman may outlive the query's listing a moment (cancel then still says "Cancelled")
    await expect.poll(() => drill.cancel(r.queryId), { timeout: 10_000 }).toBe(false);
  });

  it('introspects schemas, tables and columns', async () => {
    const schemas = await drill.schemas();
    expect(schemas).toContainEqual({ name: 'dfs.radlab', type: 'file', mutable: true });
    const tables = await drill.tables('dfs.radlab');
    expect(tables.map(t => [t.name, t.type])).toEqual(
      expect.arrayContaining([
        ['series.json', 'FILE'],
        ['studies.csv', 'FILE'],
        ['studies_parquet', 'DIRECTORY']
      ])
    );
    const probe = await drill.columns('dfs.radlab', 'studies_parquet');
    expect(probe.source).toBe('probe');
    expect(probe.columns.map(c => `${c.name}:${c.type}`)).toEqual([
      'study_id:VARCHAR',
      'patient_id:VARCHAR',
      'modality:VARCHAR',
      'body_part:VARCHAR',
      'study_date:DATE',
      'num_images:INT'
    ]);
    const declared = await drill.columns('sys', 'version');
    expect(declared.source).toBe('information_schema');
    expect(declared.columns[0]).toMatchObject({ name: 'version', position: 1 });
    // names are literals, not SQL
    expect(await drill.tables("dfs.radlab' OR '1'='1")).toEqual([]);
  });

  it('handles a table name with a quote and a back-tick in it', async () => {
    const name = `it's \`odd\` ${Date.now()}`;
    const table = quoteTable('dfs.tmp', name);
    await drill.query(
      `CREATE TABLE ${table} AS SELECT study_id, num_images FROM dfs.radlab.\`studies_parquet\` LIMIT 3`
    );
    try {
      expect((await drill.tables('dfs.tmp')).map(t => t.name)).toContain(name);
      const cols = await drill.columns('dfs.tmp', name);
      expect(cols.columns.map(c => c.name)).toEqual(['study_id', 'num_images']);
      const r = await drill.query(`SELECT count(*) AS n FROM ${table}`);
      expect(r.rows).toEqual([[3]]);
    } finally {
      await drill.query(`DROP TABLE ${table}`);
    }
  });

  it('Drill down (closed port) -> unreachable, quickly', async () => {
    const port = await closedPort();
    const down = new DrillClient(
      new Transport({
        service: 'drill',
        connection: 'gone',
        baseURL: `http://127.0.0.1:${port}`,
        retryBaseDelayMs: 10
      })
    );
    const started = Date.now();
    const e = await failure(down.query('SELECT 1 FROM (VALUES(1))'));
    expect(e.code).toBe('unreachable');
    expect(e.connection).toBe('gone');
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await failure(down.schemas())).code).toBe('unreachable');
  });
});
