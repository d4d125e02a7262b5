// Spawns the built CLI (bin/radlab.js) against the real Drill of the local stack.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { caret, csvLine } from './drill.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'packages/cli/bin/radlab.js');
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
let home = '';
let config = '';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function radlab(args: string[]): Promise<Run> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [bin, '-c', config, ...args],
      { env: { PATH: process.env['PATH'] ?? '', HOME: home }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      }
    );
  });
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/core', 'packages/cli'],
    { cwd: root, stdio: 'pipe' }
  );
  execFileSync(join(root, 'scripts/services/drill'), ['start'], {
    stdio: 'ignore',
    timeout: 240_000
  });
  home = mkdtempSync(join(tmpdir(), 'radlab-cli-drill-'));
  config = join(home, 'connections.json');
  writeFileSync(
    config,
    JSON.stringify({
      connections: [
        { name: 'prom', kind: 'prometheus', url: 'http://127.0.0.1:9090' },
        { name: 'local-drill', kind: 'drill', url: DRILL },
        { name: 'dead-drill', kind: 'drill', url: 'http://127.0.0.1:1' }
      ]
    })
  );
  chmodSync(config, 0o600);
}, 250_000);

describe('csv and caret helpers', () => {
  it('quotes CSV fields', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3, true, { k: 1 }, ' pad'])).toBe(
      'a,"b,c","say ""hi""","two\nlines",,3,true,"{""k"":1}"," pad"\r\n'
    );
  });
  it('puts a caret under the position', () => {
    expect(caret('SELECT *\nFROM x WHER y', { line: 2, column: 13 })).toEqual([
      'FROM x WHER y',
      '            ^'
    ]);
    expect(caret('SELECT a FROM t', { line: 1, column: 15, endLine: 1, endColumn: 15 })).toEqual([
      'SELECT a FROM t',
      '              ^'
    ]);
  });
});

describe('radlab drill (built CLI, real Drill)', { timeout: 60_000 }, () => {
  it('query: a table with row count, elapsed time and the truncation note', async () => {
    const r = await radlab([
      'drill',
      'query',
      'SELECT study_id, modality, num_images FROM dfs.radlab.`studies_parquet` ORDER BY study_id',
      '--limit',
      '3'
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^study_id\s+modality\s+num_images$/);
    expect(lines[1]).toMatch(/^1\.2\.826\.0\.1\.3680043\.10\.1093\.1001\s+NM\s+54$/);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^3 rows in \d+ ms; truncated at 3 rows — use --limit$/);
  });

  it('query --csv (quoted) and --json (one object), -c picks the connection', async () => {
    const csv = await radlab([
      'drill',
      'query',
      "SELECT 'a,b' AS x, 'say \"hi\"' AS y, CAST(NULL AS INT) AS z FROM (VALUES(1))",
      '--csv',
      '-c',
      'local-drill'
    ]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('x,y,z\r\n"a,b","say ""hi""",\r\n');
    const json = await radlab([
      'drill',
      'query',
      'SELECT * FROM dfs.radlab.`series.json`',
      '--json',
      '--limit',
      '2'
    ]);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ rowCount: 2, truncated: true, queryState: 'COMPLETED' });
    expect((body['rows'] as unknown[][])[0]).toEqual([
      '1.2.826.0.1.3680043.10.1093.1001.1',
      '1.2.826.0.1.3680043.10.1093.1001',
      1,
      'NM',
      'series 1 of study 1001',
      28,
      1.5
    ]);
    expect((body['columns'] as Array<{ type: string }>).map(c => c.type)).toContain('FLOAT8');
  });

  it('a SQL error: message, caret under the SQL line and hint on stderr, exit 1', async () => {
    const r = await radlab(['drill', 'query', 'SELECT *\nFROM dfs.radlab.`studies.csv`\nWHER x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'radlab: badRequest: PARSE ERROR: Encountered "x" at line 3, column 6.'
    );
    expect(r.stderr).toContain('  WHER x\n       ^\n');
    expect(r.stderr).toContain('hint: Check the SQL near line 3, column 6.');
  });

  it('schemas, tables, columns', async () => {
    const schemas = await radlab(['drill', 'schemas']);
    expect(schemas.code).toBe(0);
    expect(schemas.stdout).toMatch(/^dfs\.radlab\s+file\s+yes$/m);
    const tables = await radlab(['drill', 'tables', 'dfs.radlab', '--json']);
    expect(JSON.parse(tables.stdout)).toContainEqual({
      schema: 'dfs.radlab',
      name: 'studies.csv',
      type: 'FILE'
    });
    const columns = await radlab(['drill', 'columns', 'dfs.radlab', 'studies_parquet']);
    expect(columns.code).toBe(0);
    expect(columns.stdout).toMatch(/^5\s+study_date\s+DATE\s+-$/m);
  });

  it('Drill down, unknown or non-drill connection', async () => {
    const down = await radlab(['drill', 'schemas', '-c', 'dead-drill']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('radlab: unreachable: connection refused to 127.0.0.1:1');
    expect(down.stderr).toContain('hint:');
    const wrong = await radlab(['drill', 'schemas', '-c', 'prom']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('is a prometheus connection, not drill');
    const missing = await radlab(['drill', 'query', 'SELECT 1', '-c', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Drill connections: local-drill, dead-drill');
  });

  it('Ctrl-C cancels the query on Drill', async () => {
    const sql = `SELECT count(*) FROM cp.\`employee.json\` a, cp.\`employee.json\` b, cp.\`employee.json\` c WHERE a.salary + b.salary + c.salary < ${Date.now()}`;
    const args = ['drill', 'query', sql, '-o', 'planner.enable_nljoin_for_scalar_only=false'];
    const child = spawn(process.execPath, [bin, '-c', config, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    await new Promise(resolve => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await exit;
    expect(stderr).toContain('radlab: cancelled: query cancelled (query ');
    expect(code).toBe(130);
    const id = /query ([0-9a-f-]{36}) cancelled on Drill/.exec(stderr)?.[1];
    expect(id).toBeDefined();
    // Stopped on Drill: the query's own profile says CANCELED (3) or, when the cancel interrupted
    // Drill's profile write (an empty file, "Failure while storing Query Profile" in its log), the
    // query is no longer running. (The full /profiles.json fails for good once such a file exists.)
    const stopped = async (): Promise<boolean> => {
      const res = await fetch(`${DRILL}/profiles/${id}.json`);
      if (res.ok) return ((await res.json()) as { state?: number }).state === 3;
      const running = await fetch(`${DRILL}/profiles.json?max=0`);
      const body = (await running.json()) as { runningQueries?: { queryId: string }[] };
      return !(body.runningQueries ?? []).some(q => q.queryId === id);
    };
    await expect.poll(stopped, { timeout: 15_000 }).toBe(true);
  });
});
