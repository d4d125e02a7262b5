// Spawns the built CLI (bin/radlab.js) against temp config files, the real Prometheus of the local
// stack, a closed port and a slow local server.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type CliRun, REPO_ROOT, runCli } from './testing/cli.js';

const PROMETHEUS = `http://127.0.0.1:${process.env['RADLAB_PROMETHEUS_PORT'] ?? '9090'}`;
const SECRET = 'cli-inline-secret-7781';

let home = '';
let closedPort = 0;
let slow: Server;
let slowUrl = '';

function radlab(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { home, env });
}

function config(name: string, body: unknown): string {
  const path = join(home, name);
  writeFileSync(path, JSON.stringify(body));
  chmodSync(path, 0o600);
  return path;
}

beforeAll(async () => {
  // the CLI under test is the built one: build it (incremental, fast when up to date)
  buildCli();
  execFileSync(join(REPO_ROOT, 'scripts/services/prometheus'), ['start'], {
    stdio: 'ignore',
    timeout: 180_000
  });
  home = mkdtempSync(join(tmpdir(), 'radlab-cli-'));
  const probe = createServer();
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>(resolve => probe.close(() => resolve()));
  slow = createServer((_req, res) => {
    setTimeout(() => res.end('ok'), 15_000).unref();
  });
  await new Promise<void>(resolve => slow.listen(0, '127.0.0.1', resolve));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
});

afterAll(async () => {
  slow.closeAllConnections();
  await new Promise<void>(resolve => slow.close(() => resolve()));
});

const mixed = () => ({
  connections: [
    { name: 'prom', kind: 'prometheus', url: PROMETHEUS },
    {
      name: 'gone',
      kind: 'drill',
      url: `http://127.0.0.1:${closedPort}`,
      auth: { type: 'basic', username: 'alice', password: SECRET }
    }
  ]
});

describe('radlab connections check', () => {
  it('prints an aligned table without colour when not a TTY; exit 1 when one is down', async () => {
    const file = config('mixed.json', mixed());
    const r = await radlab(['connections', 'check'], { RADLAB_CONFIG: file });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\u001b[');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+KIND\s+STATE\s+LATENCY\s+VERSION\s+DETAIL\/HINT$/);
    const col = (header: string) => lines[0]!.indexOf(header);
    const prom = lines.find(l => l.startsWith('prom '))!;
    const gone = lines.find(l => l.startsWith('gone '))!;
    expect(prom.slice(col('STATE'))).toMatch(/^healthy\s+\d+ ms\s+v\d+\.\d+\.\d+/);
    expect(gone.slice(col('STATE'))).toMatch(
      /^down\s+-\s+-\s+unreachable: connection refused to 127\.0\.0\.1:\d+/
    );
    expect(gone.slice(col('KIND'))).toMatch(/^drill /);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('--json prints {connections: HealthResult[], errors}', async () => {
    const file = config('mixed.json', mixed());
    const r = await radlab(['connections', 'check', '--json'], { RADLAB_CONFIG: file });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      connections: Array<{
        connection: string;
        state: string;
        version?: string;
        error?: { code: string };
      }>;
      errors: unknown[];
    };
    expect(out.errors).toEqual([]);
    expect(out.connections.map(c => [c.connection, c.state])).toEqual([
      ['prom', 'healthy'],
      ['gone', 'down']
    ]);
    expect(out.connections[0]!.version).toMatch(/^\d/);
    expect(out.connections[1]!.error?.code).toBe('unreachable');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('checks only the named connections: exit 0 when they are healthy', async () => {
    const file = config('mixed.json', mixed());
    const r = await radlab(['--config', file, 'connections', 'check', 'prom']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('prom');
    expect(r.stdout).not.toContain('gone');
  });

  it('the shared defaults (local Prometheus) are checked when nothing is configured', async () => {
    const r = await radlab(['connections', 'check', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).connections[0]).toMatchObject({
      connection: 'local-prometheus',
      state: 'healthy'
    });
  });

  it('--timeout bounds a slow service', async () => {
    const file = config('slow.json', [{ name: 'slow', kind: 'kubernetes', url: slowUrl }]);
    // The slow server never answers: an exit with code 'timeout' (not the test's own timeout) is the bound.
    const r = await radlab(['connections', 'check', '--timeout', '300', '--json'], {
      RADLAB_CONFIG: file
    });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).connections[0].error).toMatchObject({ code: 'timeout' });
  });

  it('config errors go to stderr with file and pointer; exit 2; valid ones are still checked', async () => {
    const file = config('broken.json', {
      connections: [
        { name: 'prom', kind: 'prometheus', url: PROMETHEUS },
        { name: 'bad', kind: 'livy', url: 'livy:8998' }
      ]
    });
    const r = await radlab(['connections', 'check'], { RADLAB_CONFIG: file });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: /connections/1/url must match`);
    expect(r.stderr).toContain('hint:');
    expect(r.stdout).toMatch(/prom\s+prometheus\s+healthy/);

    const json = await radlab(['connections', 'check', '--json'], { RADLAB_CONFIG: file });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).errors[0]).toMatchObject({ code: 'config', service: 'radlab' });
  });

  it('an unknown name or a missing $RADLAB_CONFIG is exit 2', async () => {
    const file = config('mixed.json', mixed());
    const unknown = await radlab(['connections', 'check', 'nope'], { RADLAB_CONFIG: file });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no connection named "nope"');
    const missing = await radlab(['connections', 'check'], {
      RADLAB_CONFIG: join(home, 'missing.json')
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing.json');
  });
});

describe('radlab connections list and the rest', () => {
  it('lists connections without secrets', async () => {
    const file = config('mixed.json', mixed());
    const table = await radlab(['connections', 'list'], { RADLAB_CONFIG: file });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+KIND\s+URL\/ROOT\s+AUTH\s+SOURCE\n/);
    expect(table.stdout).toMatch(/gone\s+drill\s+http:\/\/127\.0\.0\.1:\d+\s+basic/);
    const json = await radlab(['connections', 'list', '--json'], { RADLAB_CONFIG: file });
    const out = JSON.parse(json.stdout);
    expect(out.connections[1]).toMatchObject({
      name: 'gone',
      auth: { type: 'basic', username: 'alice', hasSecret: true },
      source: file
    });
    expect(table.stdout + json.stdout).not.toContain(SECRET);
  });

  it('--version, --help, and usage errors', async () => {
    const version = await radlab(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    const help = await radlab(['connections', 'check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--timeout <ms>');
    const bad = await radlab(['connections', 'check', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout');
  });

  it('colour only when forced or on a TTY', async () => {
    const file = config('mixed.json', mixed());
    const r = await radlab(['connections', 'check', 'prom'], {
      RADLAB_CONFIG: file,
      FORCE_COLOR: '1'
    });
    expect(r.stdout).toContain('\u001b[32mhealthy');
  });
});
