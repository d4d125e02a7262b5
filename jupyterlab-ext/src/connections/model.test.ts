// The lab's connections model against a stand-in Jupyter server (a real HTTP server speaking the Radlab
// server extension's API: the list, the proxy, the posix stat), so requests, headers and error bodies
// are the real ones.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServerConnection } from '@jupyterlab/services';
import { DrillClient } from '@radlab/core';
import type { HealthResult } from '@radlab/core';
import { errorFromResponse, requestAPI } from '../api.js';
import type { ConnectionsReply, PublicConnection } from '../tokens.js';
import { ConnectionsModel, proxyBaseURL, summarize, toConnectionConfig } from './model.js';

const CONNECTIONS: PublicConnection[] = [
  {
    name: 'prom',
    kind: 'prometheus',
    description: 'Prometheus',
    url: 'http://127.0.0.1:9090',
    timeoutMs: 2000,
    auth: { type: 'none', hasSecret: false },
    source: 'file'
  },
  {
    name: 'broken drill',
    kind: 'drill',
    url: 'http://127.0.0.1:1',
    timeoutMs: 2000,
    auth: { type: 'basic', username: 'analyst', hasSecret: true },
    source: 'file'
  },
  {
    name: 'mapr',
    kind: 'files',
    protocol: 'posix',
    root: '/mapr/cluster',
    auth: { type: 'none', hasSecret: false },
    source: 'jupyter'
  }
];

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let reply: () => { status: number; body: unknown } = () => ({
  status: 200,
  body: { connections: CONNECTIONS, errors: [] } satisfies ConnectionsReply
});

function radlabError(res: import('node:http').ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Radlab-Error': '1' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    // ServerConnection adds a cache-busting query to API requests: match on the path
    const parsed = new URL(req.url ?? '/', 'http://x');
    const url = parsed.pathname;
    if (url === '/radlab/api/connections') {
      const { status, body } = reply();
      if (status !== 200) return radlabError(res, status, body as object);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(body));
    }
    if (url === '/radlab/proxy/prom/-/ready') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return res.end('Prometheus Server is Ready.\n');
    }
    if (url === '/radlab/proxy/prom/api/v1/status/buildinfo') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(
        JSON.stringify({ status: 'success', data: { version: '2.42.0', goVersion: 'go1.19' } })
      );
    }
    if (url.startsWith('/radlab/proxy/broken%20drill/')) {
      return radlabError(res, 502, {
        code: 'unreachable',
        service: 'drill',
        message: 'drill at http://127.0.0.1:1 is unreachable: connection refused',
        hint: 'Check that the service is running and that the URL and port are right.',
        status: 502,
        connection: 'broken drill'
      });
    }
    if (url === '/radlab/api/connections/mapr/stat' && parsed.searchParams.get('path') === '/') {
      return radlabError(res, 404, {
        code: 'notFound',
        service: 'files',
        message: 'root /mapr/cluster does not exist or is not a directory',
        hint: 'Is the file system mounted on the Jupyter server?',
        status: 404,
        connection: 'mapr'
      });
    }
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<html>404</html>');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()));
});

afterEach(() => {
  seen = [];
  reply = () => ({ status: 200, body: { connections: CONNECTIONS, errors: [] } });
});

function settings(token = 'tok'): ServerConnection.ISettings {
  return ServerConnection.makeSettings({ baseUrl: base, wsUrl: base.replace('http', 'ws'), token });
}

function result(model: ConnectionsModel, name: string): HealthResult {
  const entry = model.health.get(name);
  if (!entry || entry === 'checking') throw new Error(`${name}: no result (${String(entry)})`);
  return entry;
}

describe('ConnectionsModel', () => {
  it('loads the list and checks every connection through the proxy', async () => {
    const model = new ConnectionsModel({ serverSettings: settings() });
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.start();

    expect(model.connections.map(c => c.name)).toEqual(['prom', 'broken drill', 'mapr']);
    expect(model.errors).toEqual([]);
    expect(model.loading).toBe(false);
    expect(changes).toBeGreaterThanOrEqual(4);

    const prom = result(model, 'prom');
    expect(prom.state).toBe('healthy');
    expect(prom.version).toBe('2.42.0');
    expect(prom.latencyMs).toBeGreaterThanOrEqual(0);

    const drill = result(model, 'broken drill');
    expect(drill.state).toBe('down');
    expect(drill.error).toMatchObject({
      code: 'unreachable',
      message: 'drill at http://127.0.0.1:1 is unreachable: connection refused',
      hint: 'Check that the service is running and that the URL and port are right.'
    });

    // posix: the server stats the root; its error comes back as is
    const mapr = result(model, 'mapr');
    expect(mapr.state).toBe('down');
    expect(mapr.error).toMatchObject({
      code: 'notFound',
      hint: 'Is the file system mounted on the Jupyter server?'
    });

    // Proxy requests: Jupyter's token, never a connection credential; names are encoded.
    const proxied = seen.filter(s => s.url.startsWith('/radlab/proxy/'));
    expect(proxied.map(s => s.url)).toEqual(
      expect.arrayContaining(['/radlab/proxy/prom/-/ready', '/radlab/proxy/broken%20drill/status'])
    );
    for (const s of proxied) {
      expect(s.headers.authorization).toBe('token tok');
      expect(s.method).toBe('GET');
    }
    // the 502 was retried once, not more
    expect(
      proxied.filter(s => s.url.startsWith('/radlab/proxy/broken%20drill/status'))
    ).toHaveLength(2);
    model.dispose();
  });

  it('shows rows as checking during a refresh, then the new results', async () => {
    const model = new ConnectionsModel({ serverSettings: settings() });
    await model.start();
    const states: string[] = [];
    model.changed.connect(() => {
      const prom = model.health.get('prom');
      states.push(prom === 'checking' ? 'checking' : (prom?.state ?? 'none'));
    });
    await model.refresh();
    expect(states[0]).toBe('checking');
    expect(states.at(-1)).toBe('healthy');

    states.length = 0;
    const checked = await model.check('prom');
    expect(checked?.state).toBe('healthy');
    expect(states).toEqual(['checking', 'healthy']);
    expect(await model.check('nope')).toBeUndefined();
    model.dispose();
  });

  it('reports a failed list load as an error and leaves no row spinning', async () => {
    const model = new ConnectionsModel({ serverSettings: settings() });
    await model.start();
    reply = () => ({
      status: 500,
      body: {
        code: 'config',
        service: 'radlab',
        message: 'bad file',
        hint: 'fix /connections/0/url'
      }
    });
    await model.refresh();
    expect(model.errors).toEqual([
      expect.objectContaining({
        code: 'config',
        message: 'bad file',
        hint: 'fix /connections/0/url'
      })
    ]);
    expect([...model.health.values()].includes('checking')).toBe(false);
    expect(model.loading).toBe(false);
    model.dispose();
  });

  it('drops connections that disappeared and shows config errors from the server', async () => {
    const model = new ConnectionsModel({ serverSettings: settings() });
    await model.start();
    reply = () => ({
      status: 200,
      body: {
        connections: [CONNECTIONS[0]],
        errors: [
          { code: 'config', service: 'radlab', message: '/connections/1/kind: bad', hint: 'fix it' }
        ]
      }
    });
    await model.refresh();
    expect(model.connections.map(c => c.name)).toEqual(['prom']);
    expect([...model.health.keys()]).toEqual(['prom']);
    expect(model.errors[0]).toMatchObject({ message: '/connections/1/kind: bad' });
    model.dispose();
  });

  it('re-checks on its interval and stops when disposed', async () => {
    const model = new ConnectionsModel({ serverSettings: settings(), interval: 100 });
    await model.start();
    // the list itself, not a posix connection's radlab/api/connections/<name>/stat
    const lists = (): number =>
      seen.filter(s => /^\/radlab\/api\/connections(\?|$)/.test(s.url)).length;
    // the next tick comes `interval` after the previous re-check finished
    await vi.waitFor(() => expect(lists()).toBeGreaterThanOrEqual(3), {
      timeout: 5000,
      interval: 20
    });
    // a periodic re-check keeps the last result visible (no `checking` flicker)
    expect(model.health.get('prom')).not.toBe('checking');
    model.dispose();
    expect(model.isDisposed).toBe(true);
    const atDispose = lists();
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(lists()).toBe(atDispose);
  });

  it('gives one client per connection of the kind asked for, none for another kind', async () => {
    const model = new ConnectionsModel({ serverSettings: settings() });
    await model.start();
    const drill = model.client('drill', 'broken drill');
    expect(drill).toBeInstanceOf(DrillClient);
    expect(model.client('drill', 'broken drill')).toBe(drill);
    expect(model.client('drill', 'prom')).toBeUndefined(); // prom is not a Drill connection
    expect(model.client('drill', 'nope')).toBeUndefined();
    // the client goes through the proxy, as the health check does
    await expect(drill!.schemas()).rejects.toMatchObject({ code: 'unreachable' });
    model.dispose();
  });

  it('builds proxy transports without any credential', () => {
    const model = new ConnectionsModel({ serverSettings: settings('') });
    expect(model.transport('prom')).toBeUndefined(); // not loaded yet
    model.dispose();
    expect(proxyBaseURL(settings(), 'a/b c')).toBe(`${base}radlab/proxy/a%2Fb%20c/`);
    const config = toConnectionConfig(CONNECTIONS[1]);
    expect(config).toEqual({
      name: 'broken drill',
      kind: 'drill',
      url: 'http://127.0.0.1:1',
      timeoutMs: 2000
    });
    expect('auth' in config).toBe(false);
    expect(summarize({ ...CONNECTIONS[0], url: 'http://me:pw@host:9090/' }).url).toBe(
      'http://***@host:9090/'
    );
  });
});

describe('requestAPI', () => {
  it('turns the server error JSON into a RadlabError', async () => {
    reply = () => ({
      status: 403,
      body: { code: 'forbidden', service: 'radlab', message: 'no', hint: 'ask' }
    });
    await expect(requestAPI('api/connections', {}, settings())).rejects.toMatchObject({
      name: 'RadlabError',
      code: 'forbidden',
      message: 'no',
      hint: 'ask',
      status: 403
    });
  });

  it('maps a non-Radlab error page by status', async () => {
    await expect(requestAPI('api/nothing', {}, settings())).rejects.toMatchObject({
      code: 'notFound',
      service: 'radlab',
      hint: expect.stringContaining('server extension')
    });
    expect(errorFromResponse(500, 'Internal Server Error', 'oops', 'radlab/x')).toMatchObject({
      code: 'server',
      message: 'radlab/x: HTTP 500 Internal Server Error'
    });
  });

  it('reports an unreachable Jupyter server', async () => {
    const dead = ServerConnection.makeSettings({
      baseUrl: 'http://127.0.0.1:1/',
      wsUrl: 'ws://127.0.0.1:1/'
    });
    await expect(requestAPI('api/connections', {}, dead)).rejects.toMatchObject({
      code: 'unreachable'
    });
  });
});
