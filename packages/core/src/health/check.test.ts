import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionConfig } from '../connection.js';
import { nodePosixProbe } from '../node/posix.js';
import { closedPort, startServer, type TestServer } from '../testing/http.js';
import { startPrometheus } from '../testing/prometheus.js';
import { Transport } from '../transport/transport.js';
import { checkHealth } from './check.js';
import { describeHealth } from './describe.js';
import type { HealthResult } from './types.js';

let prometheusUrl = '';
beforeAll(() => {
  prometheusUrl = startPrometheus();
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function transportFor(conn: ConnectionConfig): Transport {
  return new Transport({
    service: conn.kind,
    connection: conn.name,
    baseURL: conn.url ?? '',
    timeoutMs: conn.timeoutMs,
    retryBaseDelayMs: 10,
    auth: conn.auth?.type === 'hdfsUser' ? conn.auth : undefined
  });
}

async function check(conn: ConnectionConfig, signal?: AbortSignal): Promise<HealthResult> {
  return checkHealth(conn, { transport: transportFor(conn), signal, posixProbe: nodePosixProbe });
}

function json(body: unknown): string {
  return JSON.stringify(body);
}

describe('checkHealth: the real Prometheus of the local stack', () => {
  it('is healthy with a version', async () => {
    const result = await check({
      name: 'local-prometheus',
      kind: 'prometheus',
      url: prometheusUrl
    });
    expect(result.state, JSON.stringify(result.error)).toBe('healthy');
    expect(result.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.connection).toBe('local-prometheus');
    expect(result.kind).toBe('prometheus');
    expect(Date.parse(result.checkedAt)).not.toBeNaN();
    expect(describeHealth(result)).toMatch(/^healthy · \d+ ms · v\d+\.\d+\.\d+/);
  });

  it('a Drill connection pointed at Prometheus is down (wrong service)', async () => {
    const result = await check({ name: 'wrong', kind: 'drill', url: prometheusUrl });
    expect(result.state).toBe('down');
    expect(result.error?.code).toBe('notFound');
  });

  it('a Livy connection pointed at Prometheus is down (wrong service)', async () => {
    const result = await check({ name: 'wrong', kind: 'livy', url: prometheusUrl });
    expect(result.state).toBe('down');
    expect(['notFound', 'badResponse']).toContain(result.error?.code);
  });

  it('a closed port is down · unreachable', async () => {
    const port = await closedPort();
    const result = await check({
      name: 'gone',
      kind: 'prometheus',
      url: `http://127.0.0.1:${port}`
    });
    expect(result.state).toBe('down');
    expect(result.error?.code).toBe('unreachable');
    expect(describeHealth(result)).toBe(
      `down · unreachable: connection refused to 127.0.0.1:${port}`
    );
  });
});

describe('checkHealth: per kind, against local servers speaking each API', () => {
  it('drill: /status "Running!" + /cluster.json version', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/status') {
        res.setHeader('Content-Type', 'text/html');
        res.end('<html><body><p>Running!</p></body></html>');
      } else if (req.url === '/cluster.json') {
        res.end(json({ drillbits: [{ address: 'a', version: '1.21.2' }, { address: 'b' }] }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    const result = await check({ name: 'drill', kind: 'drill', url: server.url });
    expect(result).toMatchObject({
      state: 'healthy',
      version: '1.21.2',
      details: { drillbits: '2' }
    });
    expect(describeHealth(result)).toMatch(/^healthy · \d+ ms · v1\.21\.2$/);
  });

  it('drill: a status page without "Running" is badResponse; no cluster.json is fine', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/status') res.end(req.headers.host ? '<html>Starting</html>' : '');
      else {
        res.statusCode = 404;
        res.end();
      }
    });
    const down = await check({ name: 'drill', kind: 'drill', url: server.url });
    expect(down.state).toBe('down');
    expect(down.error?.code).toBe('badResponse');
  });

  it('livy: session count and version; /version missing is still healthy', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/sessions') res.end(json({ from: 0, total: 3, sessions: [{}, {}, {}] }));
      else if (req.url === '/version') res.end(json({ version: '0.8.0-incubating' }));
    });
    const result = await check({ name: 'livy', kind: 'livy', url: server.url });
    expect(result).toMatchObject({
      state: 'healthy',
      version: '0.8.0-incubating',
      details: { sessions: '3' }
    });
    await server.close();
    server = await startServer((req, res) => {
      if (req.url === '/sessions') res.end(json({ sessions: [] }));
      else {
        res.statusCode = 404;
        res.end('no');
      }
    });
    const noVersion = await check({ name: 'livy', kind: 'livy', url: server.url });
    expect(noVersion).toMatchObject({ state: 'healthy', details: { sessions: '0' } });
    expect(noVersion.version).toBeUndefined();
  });

  it('livy: wrong shape or HTML is badResponse; a failing /version is degraded', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/sessions') res.end(json({ items: [] }));
    });
    expect((await check({ name: 'l', kind: 'livy', url: server.url })).error?.code).toBe(
      'badResponse'
    );
    await server.close();
    server = await startServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end('<html>Knox login</html>');
    });
    const html = await check({ name: 'l', kind: 'livy', url: server.url });
    expect(html.error?.code).toBe('badResponse');
    expect(html.error?.message).toContain('Knox login');
    await server.close();
    server = await startServer((req, res) => {
      if (req.url === '/sessions') res.end(json({ sessions: [] }));
      else {
        res.statusCode = 500;
        res.end('boom');
      }
    });
    const degraded = await check({ name: 'l', kind: 'livy', url: server.url });
    expect(degraded.state).toBe('degraded');
    expect(describeHealth(degraded)).toMatch(/^degraded · \d+ ms · server: HTTP 500/);
  });

  it('files/webhdfs: GETHOMEDIRECTORY with user.name, with or without /webhdfs/v1 in the URL', async () => {
    server = await startServer((_req, res) => res.end(json({ Path: '/user/alice' })));
    const conn: ConnectionConfig = {
      name: 'hdfs',
      kind: 'files',
      protocol: 'webhdfs',
      url: server.url,
      auth: { type: 'hdfsUser', user: 'alice' }
    };
    expect(await check(conn)).toMatchObject({ state: 'healthy', details: { home: '/user/alice' } });
    expect(server.requests[0]!.url).toBe('/webhdfs/v1/?op=GETHOMEDIRECTORY&user.name=alice');
    await check({ ...conn, url: `${server.url}/webhdfs/v1` });
    expect(server.requests[1]!.url).toBe('/webhdfs/v1/?op=GETHOMEDIRECTORY&user.name=alice');
  });

  it('files/httpfs: a body without Path is badResponse', async () => {
    server = await startServer((_req, res) => res.end(json({ RemoteException: {} })));
    const result = await check({ name: 'h', kind: 'files', protocol: 'httpfs', url: server.url });
    expect(result.error?.code).toBe('badResponse');
  });

  it('files/posix: stat of root via the probe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radlab-posix-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(await check({ name: 'p', kind: 'files', protocol: 'posix', root: dir })).toMatchObject({
      state: 'healthy',
      details: { root: dir }
    });
    const missing = await check({
      name: 'p',
      kind: 'files',
      protocol: 'posix',
      root: join(dir, 'nope')
    });
    expect(missing.error?.code).toBe('notFound');
    const notDir = await check({
      name: 'p',
      kind: 'files',
      protocol: 'posix',
      root: join(dir, 'file')
    });
    expect(notDir.error?.code).toBe('notFound');
    const noProbe = await checkHealth(
      { name: 'p', kind: 'files', protocol: 'posix', root: dir },
      { transport: new Transport({ service: 'files', baseURL: '' }) }
    );
    expect(noProbe.error?.code).toBe('config');
  });

  it('kubernetes: /version gitVersion', async () => {
    server = await startServer((_req, res) =>
      res.end(json({ major: '1', minor: '29', gitVersion: 'v1.29.2', platform: 'linux/amd64' }))
    );
    const result = await check({ name: 'k', kind: 'kubernetes', url: server.url });
    expect(result).toMatchObject({ state: 'healthy', version: 'v1.29.2' });
    expect(describeHealth(result)).toMatch(/^healthy · \d+ ms · v1\.29\.2$/);
    await server.close();
    server = await startServer((_req, res) => res.end(json({ kind: 'Status' })));
    expect((await check({ name: 'k', kind: 'kubernetes', url: server.url })).error?.code).toBe(
      'badResponse'
    );
  });

  it('prometheus: not ready (503) is down; bad buildinfo is degraded', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/-/ready') {
        res.statusCode = 503;
        res.end('Service Unavailable');
      }
    });
    const down = await check({ name: 'p', kind: 'prometheus', url: server.url });
    expect(down.state).toBe('down');
    expect(down.error?.code).toBe('server');
    await server.close();
    server = await startServer((req, res) => {
      if (req.url === '/-/ready') res.end('Prometheus Server is Ready.\n');
      else res.end(json({ status: 'success', data: {} }));
    });
    const degraded = await check({ name: 'p', kind: 'prometheus', url: server.url });
    expect(degraded.state).toBe('degraded');
    expect(degraded.error?.code).toBe('badResponse');
  });

  it('never throws: cancelled, unknown kind', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => res.end('{}'), 1000);
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const cancelled = await check(
      { name: 'k', kind: 'kubernetes', url: server.url },
      controller.signal
    );
    expect(cancelled).toMatchObject({ state: 'down', error: { code: 'cancelled' } });
    const bogus = await check({ name: 'x', kind: 'bogus' as never, url: server.url });
    expect(bogus).toMatchObject({ state: 'down', error: { code: 'config' } });
  });
});
