// Spawns the built CLI (bin/radlab.js) against the real Livy of the local stack: one session for the
// file (start, run, sql, log, kill) and one batch followed to its end.

import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIVY_FILES_DIR, LIVY_URL, livyUnavailable } from '@radlab/core/testing/livy';
import { buildCli, type CliRun, runCli } from './testing/cli.js';

let home = '';
let config = '';

function radlab(args: string[]): Promise<CliRun> {
  return runCli(['-c', config, ...args], { home, timeout: 560_000 });
}

beforeAll(() => {
  buildCli();
  home = mkdtempSync(join(tmpdir(), 'radlab-cli-livy-'));
  config = join(home, 'connections.json');
  writeFileSync(
    config,
    JSON.stringify({
      connections: [
        { name: 'local-livy', kind: 'livy', url: LIVY_URL },
        { name: 'dead-livy', kind: 'livy', url: 'http://127.0.0.1:1' },
        { name: 'prom', kind: 'prometheus', url: 'http://127.0.0.1:9090' }
      ]
    })
  );
  chmodSync(config, 0o600);
}, 120_000);

describe('radlab livy: usage errors', () => {
  it('a connection of another kind, or Livy down, is a clear error', async () => {
    const wrong = await radlab(['livy', 'sessions', '-c', 'prom']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('connection "prom" is a prometheus connection, not livy');
    const down = await radlab(['livy', 'sessions', '-c', 'dead-livy']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/radlab: unreachable:/);
    const conf = await radlab(['livy', 'start', '--conf', '{nope']);
    expect(conf.code).toBe(2);
    expect(conf.stderr).toContain('--conf is not JSON');
  });
});

describe.skipIf(livyUnavailable !== undefined)(
  'radlab livy against Livy 0.9',
  { timeout: 600_000 },
  () => {
    it('starts a session, runs code and SQL in it, shows its log and kills it', async () => {
      const started = await radlab([
        'livy',
        'start',
        '-n',
        `radlab-cli-${process.pid}`,
        '--timeout',
        '540000'
      ]);
      expect(started.code, started.stderr).toBe(0);
      const id = started.stdout.trim();
      expect(id).toMatch(/^\d+$/);
      try {
        const listed = await radlab(['livy', 'sessions']);
        expect(listed.stdout).toContain(`radlab-cli-${process.pid}`);
        const run = await radlab([
          'livy',
          'run',
          '-s',
          `radlab-cli-${process.pid}`,
          'spark.range(10).count()'
        ]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout.trim()).toBe('10');
        const sql = await radlab(['livy', 'sql', '-s', id, 'SELECT 6 * 7 AS answer']);
        expect(sql.code, sql.stderr).toBe(0);
        expect(sql.stdout).toMatch(/answer\s*\n.*42/s);
        expect(sql.stdout).toContain('1 row');
        const failed = await radlab(['livy', 'run', '-s', id, '1/0']);
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain('ZeroDivisionError');
        const log = await radlab(['livy', 'log', id, '-n', '3']);
        expect(log.code).toBe(0);
        expect(log.stdout.trim().split('\n').length).toBeLessThanOrEqual(3);
      } finally {
        const killed = await radlab(['livy', 'kill', id]);
        expect(killed.stdout).toContain(`session ${id} deleted`);
      }
    });

    it('submits a batch and follows its log to success', async () => {
      mkdirSync(LIVY_FILES_DIR, { recursive: true });
      const file = join(LIVY_FILES_DIR, `radlab-cli-batch-${process.pid}.py`);
      writeFileSync(file, 'import sys\nprint("radlab cli batch", sys.argv[1:], flush=True)\n');
      const r = await radlab(['livy', 'batch', file, 'a', 'b', '--follow']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("radlab cli batch ['a', 'b']");
      expect(r.stderr).toMatch(/batch \d+ success/);
    });
  }
);
