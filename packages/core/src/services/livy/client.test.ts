// Against the real Apache Livy 0.9 + Spark 3.5 of the local stack (scripts/services/livy). Sessions take
// 15-30 s to start: one pyspark session serves the file; the dead-session test starts its own.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../../errors.js';
import { failure } from '../../testing/errors.js';
import { closedPort } from '../../testing/http.js';
import { LIVY_FILES_DIR, LIVY_URL, livyUnavailable } from '../../testing/livy.js';
import { Transport } from '../../transport/transport.js';
import { LivyClient } from './client.js';
import { livyFailure } from './errors.js';
import { pullNotice, pullRows, sqlDataFrame } from './pull.js';
import type { LivySession, LivyStatement } from './types.js';

const client = (url = LIVY_URL): LivyClient =>
  new LivyClient(new Transport({ service: 'livy', connection: 'local-livy', baseURL: url }));

// a Spark job that runs until cancelled (sleeps in a task, so cancelJobGroup ends it)
const SLOW_JOB = 'spark.range(1).rdd.map(lambda x: __import__("time").sleep(40) or x).count()';

describe.skipIf(livyUnavailable !== undefined)(
  'LivyClient against Livy 0.9',
  { timeout: 300_000 },
  () => {
    const livy = client();
    let session: LivySession;

    beforeAll(async () => {
      session = await livy.startSession(
        {
          kind: 'pyspark',
          name: `radlab-client-test-${process.pid}`,
          heartbeatTimeoutInSecond: 600
        },
        { timeoutMs: 480_000 }
      );
    }, 500_000);
    afterAll(async () => {
      if (session) await livy.deleteSession(session.id);
    });

    it('starts a session that is idle and listed', async () => {
      expect(session.state).toBe('idle');
      expect(session.kind).toBe('pyspark');
      const listed = await livy.sessions();
      expect(listed.map(s => s.id)).toContain(session.id);
      expect((await livy.session(session.id)).name).toBe(`radlab-client-test-${process.pid}`);
    });

    it('runs pyspark code, with progress seen while it polls', async () => {
      const seen: LivyStatement[] = [];
      const r = await livy.run(session.id, 'spark.range(1000).selectExpr("sum(id)").first()[0]', {
        onProgress: s => seen.push(s)
      });
      expect(r.text).toBe('499500');
      expect(r.statement.state).toBe('available');
      expect(r.statement.progress).toBe(1);
      expect(seen.length).toBeGreaterThan(0);
    });

    it('runs SQL and Scala statements in the same session (kind per statement)', async () => {
      const sql = await livy.run(session.id, 'SELECT 1 AS one, "a" AS letter', { kind: 'sql' });
      expect(sql.data['application/json']).toEqual({
        schema: {
          type: 'struct',
          fields: [
            { name: 'one', type: 'integer', nullable: false, metadata: {} },
            { name: 'letter', type: 'string', nullable: false, metadata: {} }
          ]
        },
        data: [[1, 'a']]
      });
      const scala = await livy.run(session.id, 'val n = 20 + 22', { kind: 'spark' });
      expect(scala.text).toContain('n: Int = 42');
    });

    it('a Spark exception is a statementFailed error with its traceback', async () => {
      const e = await failure(livy.run(session.id, 'spark.sql("SELECT * FROM no_such_table")'));
      expect(livyFailure(e)).toBe('statementFailed');
      expect(e.code).toBe('badRequest');
      expect(e.message).toMatch(/AnalysisException/);
      expect(e.message).toMatch(/no_such_table/);
      expect((e.details?.['traceback'] as string[]).some(l => l.includes('Traceback'))).toBe(true);
      expect((e.details?.['traceback'] as string[]).some(l => /^\s*at org\./.test(l))).toBe(false);
    });

    it('a statement past its time limit is a timeout, and is cancelled in Livy', async () => {
      const before = Date.now();
      const e = await failure(livy.run(session.id, SLOW_JOB, { timeoutMs: 2000 }));
      expect(e.code).toBe('timeout');
      const statements = await livy.transport.request<{ statements: LivyStatement[] }>({
        path: `/sessions/${session.id}/statements`
      });
      const last = statements.data.statements[statements.data.statements.length - 1]!;
      expect(last.code).toBe(SLOW_JOB);
      // the cancel was sent; Livy ends it (cancelling -> cancelled) long before the 40 s job would
      const ended = await livy.waitForStatement(session.id, last.id, { timeoutMs: 30_000 });
      expect(ended.state).toBe('cancelled');
      expect(Date.now() - before).toBeLessThan(40_000);
    });

    it('aborting a running statement cancels it in Livy', async () => {
      const controller = new AbortController();
      const pending = livy.run(session.id, SLOW_JOB, {
        signal: controller.signal,
        onProgress: s => {
          if (s.state === 'running') controller.abort();
        }
      });
      expect((await failure(pending)).code).toBe('cancelled');
      const statements = await livy.transport.request<{ statements: LivyStatement[] }>({
        path: `/sessions/${session.id}/statements`
      });
      const last = statements.data.statements[statements.data.statements.length - 1]!;
      const ended = await livy.waitForStatement(session.id, last.id, { timeoutMs: 30_000 });
      expect(ended.state).toBe('cancelled');
    });

    it('pages the session log, and keeps the session alive with a time until expiry', async () => {
      const log = await livy.sessionLog(session.id, { size: 5 });
      expect(log.lines.length).toBeLessThanOrEqual(5);
      expect(log.total).toBeGreaterThan(5);
      expect(log.from).toBe(log.total - log.lines.length);
      const first = await livy.sessionLog(session.id, { from: 0, size: 3 });
      expect(first.from).toBe(0);
      expect(first.lines.length).toBe(3);

      const touched = await livy.touch(session.id);
      expect(touched.state).toBe('idle');
      const left = livy.expiresInMs(session.id)!;
      expect(left).toBeGreaterThan(3_500_000);
      expect(left).toBeLessThanOrEqual(3_600_000);

      // a keep-alive ticks (POST /connect) until stopped
      const fresh = client();
      const alive = fresh.keepAlive(session.id, { intervalMs: 100 });
      await new Promise<void>(resolve => {
        const check = setInterval(() => {
          if (fresh.expiresInMs(session.id) !== undefined) {
            clearInterval(check);
            resolve();
          }
        }, 50);
      });
      alive.stop();
      expect(alive.expiresInMs()).toBeGreaterThan(3_500_000);
    });

    it('pulls a typed DataFrame in pages, every row by default, a cut said', async () => {
      await livy.run(
        session.id,
        [
          'from pyspark.sql import functions as F',
          'pull_df = spark.range(100000).select(',
          '    F.col("id"), (F.col("id") * 1.5).alias("x"),',
          '    F.when(F.col("id") % 10 == 0, None).otherwise(F.concat(F.lit("r"), F.col("id"))).alias("s"),',
          '    F.expr("date_add(DATE\'2024-01-01\', CAST(id % 30 AS INT))").alias("d"),',
          '    F.expr("CAST(id AS DECIMAL(12,2))").alias("m"),',
          '    F.expr("id + 9007199254740993").alias("big"),',
          '    F.array(F.col("id"), F.lit(1)).alias("a"))'
        ].join('\n')
      );
      const pages: number[] = [];
      const pulled = await pullRows(livy, session.id, 'pull_df', {
        onPage: s => pages.push(s.rows)
      });
      expect(pulled.rowCount).toBe(100_000);
      expect(pulled.cut).toBe(false);
      expect(pulled.columns.map(c => `${c.name}: ${c.type}`)).toEqual([
        'id: BIGINT',
        'x: DOUBLE',
        's: STRING',
        'd: DATE',
        'm: DECIMAL(12,2)',
        'big: BIGINT',
        'a: ARRAY<BIGINT>'
      ]);
      expect(pulled.rows[0]).toEqual([
        0,
        0,
        null,
        '2024-01-01',
        '0.00',
        '9007199254740993',
        [0, 1]
      ]);
      expect(pulled.rows[99_999]!.slice(0, 3)).toEqual([99_999, 149_998.5, 'r99999']);
      // pages, not one giant answer; sized up after the first
      expect(pages.length).toBeGreaterThan(2);
      expect(pulled.stats.bytes / pulled.stats.pages).toBeLessThan(4 * 1024 * 1024);

      const cut = await pullRows(livy, session.id, 'pull_df', { limit: 2_500 });
      expect(cut).toMatchObject({ rowCount: 2_500, cut: true });
      expect(pullNotice('pull_df', cut)).toContain('cut at -n 2,500');
      const sql = await pullRows(livy, session.id, sqlDataFrame('SELECT 1 AS one, "a\'b" AS t'));
      expect(sql.rows).toEqual([[1, "a'b"]]);
      expect(sql.columns.map(c => c.type)).toEqual(['INT', 'STRING']);
    });

    it('asks for completions (Livy 0.9 interpreters answer none yet)', async () => {
      const candidates = await livy.completion(session.id, 'spark.ran', 9);
      expect(Array.isArray(candidates)).toBe(true);
    });

    it('a session that no longer exists is sessionGone, not a 404 puzzle', async () => {
      const e = await failure(livy.session(987654));
      expect(livyFailure(e)).toBe('sessionGone');
      expect(e.message).toBe('Livy session 987654 no longer exists');
      const run = await failure(livy.run(987654, '1'));
      expect(livyFailure(run)).toBe('sessionGone');
    });

    it('a sparkr statement without R on the Livy host says R is missing (or runs, where R is there)', async () => {
      try {
        expect((await livy.run(session.id, '1 + 1', { kind: 'sparkr' })).text).toContain('2');
      } catch (e) {
        expect(livyFailure(e)).toBe('rMissing');
        expect((e as RadlabError).hint).toContain('r-base-core');
      }
    });

    // last: it kills the file's session
    it('a driver that dies under a statement is a dead session with its last log lines', async () => {
      const e = await failure(
        livy.run(session.id, 'System.exit(3)', { kind: 'spark', timeoutMs: 300_000 })
      );
      expect(['sessionDead', 'statementFailed']).toContain(livyFailure(e));
      const state = await livy.session(session.id).then(
        x => x.state,
        () => 'gone'
      );
      expect(['dead', 'error', 'killed', 'gone']).toContain(state);
      if (livyFailure(e) === 'sessionDead') {
        expect((e.details?.['logTail'] as string[]).length).toBeGreaterThan(0);
        expect(e.hint).toContain('start a new session');
      }
      // and the next statement says so at once
      const next = await failure(livy.run(session.id, '1'));
      expect(next.message).toMatch(/Livy session \d+ (is (dead|error|killed)|no longer exists)/);
      expect(['sessionDead', 'sessionGone']).toContain(livyFailure(next));
    });
  }
);

describe.skipIf(livyUnavailable !== undefined)('Livy faults', { timeout: 300_000 }, () => {
  const livy = client();

  it('submits a batch and follows its log to success', async () => {
    mkdirSync(LIVY_FILES_DIR, { recursive: true });
    const file = join(LIVY_FILES_DIR, `radlab-batch-${process.pid}.py`);
    writeFileSync(
      file,
      'from pyspark.sql import SparkSession\n' +
        'spark = SparkSession.builder.getOrCreate()\n' +
        'print("radlab batch rows", spark.range(7).count(), flush=True)\n' +
        'spark.stop()\n'
    );
    const batch = await livy.submitBatch({ file, name: `radlab-batch-${process.pid}` });
    const lines: string[] = [];
    const follow = livy.followBatch(batch.id, { intervalMs: 500 });
    let step = await follow.next();
    while (!step.done) {
      lines.push(...step.value.map(l => l.line));
      step = await follow.next();
    }
    expect(step.value.state).toBe('success');
    expect(lines).toContain('radlab batch rows 7');
    await livy.deleteBatch(batch.id);
    expect(livyFailure(await failure(livy.batch(batch.id)))).toBe('batchGone');
  });

  it('Livy down is a clear unreachable error', async () => {
    const e = await failure(client(`http://127.0.0.1:${await closedPort()}`).sessions());
    expect(e.code).toBe('unreachable');
  });
});
