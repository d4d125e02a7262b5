// Spawns the built CLI (bin/radlab.js) against the real Drill of the local stack.

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { caret, csvLine, drillQuery } from './drill.js';
import { buildCli, CLI_BIN, type CliRun, REPO_ROOT, runCli } from './testing/cli.js';

const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
let home = '';
let config = '';

function radlab(args: string[], input?: string, configFile?: string): Promise<CliRun> {
  return runCli(['-c', configFile ?? config, ...args], { home, input });
}

beforeAll(() => {
  buildCli();
  execFileSync(join(REPO_ROOT, 'scripts/services/drill'), ['start'], {
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
    expect(r.stderr).toContain('hint: Fix the SQL where it is marked.');
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

  it('query --file and -: each statement in turn; errors name the line of the file', async () => {
    const sql = [
      'SELECT 1 AS a FROM (VALUES(1));',
      '',
      'SELECT full_name FROM cp.`employee.json` ORDER BY employee_id LIMIT 1;',
      'SELECT *',
      '  FROM x WHER y;'
    ].join('\n');
    const file = join(home, 'two.sql');
    writeFileSync(file, sql);
    const r = await radlab(['drill', 'query', '--file', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^a\n1\n1 row in \d+ ms\n\nfull_name\nSheri Nowmer\n1 row in \d+ ms\n/
    );
    // Drill said line 2 of the third statement: line 5 of the file, under the caret
    expect(r.stderr).toContain('PARSE ERROR: Encountered "y" at line 5, column 15.');
    expect(r.stderr).toContain('    FROM x WHER y;\n                ^\n');
    expect(r.stderr.match(/line \d+, column \d+/g)).toHaveLength(1);
    const piped = await radlab(['drill', 'query', '-', '--json'], 'SELECT 2 AS b FROM (VALUES(1))');
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({ rows: [[2]], columns: [{ name: 'b' }] });
    const none = await radlab(['drill', 'query']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no SQL given');
    const gone = await radlab(['drill', 'query', '--file', join(home, 'nope.sql')]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('cannot read the SQL file');
  });

  it('warns about a column no row has (a typo over JSON)', async () => {
    const r = await radlab([
      'drill',
      'query',
      'SELECT full_name, salry FROM cp.`employee.json` LIMIT 3'
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('radlab: warning: column "salry" is null in every row');
    const ok = await radlab(['drill', 'query', 'SELECT salary FROM cp.`employee.json` LIMIT 3']);
    expect(ok.stderr).toBe('');
  });

  it('a -c file that is missing or invalid is an error, not the defaults', async () => {
    const missing = await radlab(['drill', 'schemas'], undefined, join(home, 'missing.json'));
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('missing.json: cannot read the connections file (ENOENT)');
    const bad = join(home, 'bad.json');
    writeFileSync(bad, '{"connections": [');
    const invalid = await radlab(['connections', 'list'], undefined, bad);
    expect(invalid.code).toBe(2);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toContain('bad.json: is not valid JSON');
  });

  it('tables of a schema Drill does not have: not found, exit 1', async () => {
    const r = await radlab(['drill', 'tables', 'cp.nosuch']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('radlab: notFound: Drill has no schema "cp.nosuch"');
    expect(r.stderr).toContain('cp.default');
  });

  it("on a terminal a live line shows Drill's state, the query id and its profile", async () => {
    const sql = `SELECT count(*) FROM cp.\`employee.json\` a, cp.\`employee.json\` b, cp.\`employee.json\` c, cp.\`employee.json\` d WHERE a.salary + b.salary + c.salary + d.salary < ${Date.now()}`;
    let stderr = '';
    let interrupt = (): void => undefined;
    const io = {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t), isTTY: true, columns: 200 },
      env: { HOME: home, NO_COLOR: '1' }
    };
    const done = drillQuery(
      sql,
      {
        config,
        connection: 'local-drill',
        option: { 'planner.enable_nljoin_for_scalar_only': 'false' }
      },
      io,
      handler => {
        interrupt = handler;
        return () => undefined;
      }
    );
    await expect
      .poll(() => /RUNNING · \d+\.\d s {2}query [0-9a-f-]{36}/.test(stderr), { timeout: 20_000 })
      .toBe(true);
    const id = /query ([0-9a-f-]{36})/.exec(stderr)![1]!;
    expect(stderr).toContain(`${DRILL}/profiles/${id}`);
    interrupt();
    expect(await done).toBe(130);
    // the line is wiped before the error is printed
    expect(stderr).toContain('\r\u001b[2Kradlab: cancelled: query cancelled');
  });

  it('Ctrl-C cancels the query on Drill', async () => {
    const marker = String(Date.now());
    const sql = `SELECT count(*) AS n${marker} FROM cp.\`employee.json\` a, cp.\`employee.json\` b, cp.\`employee.json\` c WHERE a.salary + b.salary + c.salary < ${marker}`;
    const args = ['drill', 'query', sql, '-o', 'planner.enable_nljoin_for_scalar_only=false'];
    const child = spawn(process.execPath, [CLI_BIN, '-c', config, ...args], {
      env: { PATH: process.env['PATH'] ?? '', HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    // Interrupt only once Drill runs the query (found by its marker near the start: /profiles.json
    // cuts query texts): a fixed delay raced the CLI's start-up on a loaded machine.
    const running = async (): Promise<boolean> => {
      const res = await fetch(`${DRILL}/profiles.json?max=0`);
      const body = (await res.json()) as { runningQueries?: { query: string }[] };
      return (body.runningQueries ?? []).some(q => q.query.includes(marker));
    };
    await expect.poll(running, { timeout: 30_000, interval: 200 }).toBe(true);
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
