import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { clearRegisteredSecrets, redact } from '../redact.js';
import { closedPort, everyRendering, startServer, type TestServer } from '../testing/http.js';
import { Transport, type TransportOptions } from './transport.js';

const SECRET = 'tOkEn-s3cr3t-0123456789';
const PASSWORD = 'pa55-w0rd-xyz';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
beforeEach(() => clearRegisteredSecrets());

function transport(options: Partial<TransportOptions> = {}): Transport {
  return new Transport({
    service: 'prometheus',
    connection: 'test',
    baseURL: server!.url,
    retryBaseDelayMs: 10,
    ...options
  });
}

async function failure(promise: Promise<unknown>): Promise<RadlabError> {
  try {
    await promise;
  } catch (e) {
    expect(RadlabError.isRadlabError(e)).toBe(true);
    return e as RadlabError;
  }
  throw new Error('expected a failure');
}

function expectClean(error: RadlabError, ...secrets: string[]): void {
  const text = everyRendering(error);
  for (const secret of [SECRET, PASSWORD, ...secrets]) expect(text).not.toContain(secret);
  // no axios internals (config.headers) anywhere
  expect(text).not.toMatch(/AxiosError|Authorization: Bearer [^*]/);
  expect(error.cause === undefined || !('config' in (error.cause as object))).toBe(true);
}

describe('Transport: success', () => {
  it('parses JSON, sends auth and User-Agent, reports latency and lower-case headers', async () => {
    server = await startServer((_req, res) => {
      res.setHeader('X-Thing', 'yes');
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
    const t = transport({ auth: { type: 'bearer', token: SECRET } });
    const r = await t.request<{ ok: boolean }>({ path: '/api', params: { a: 1, b: undefined } });
    expect(r.status).toBe(200);
    expect(r.data).toEqual({ ok: true });
    expect(r.headers['x-thing']).toBe('yes');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    const seen = server.requests[0]!;
    expect(seen.url).toBe('/api?a=1');
    expect(seen.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(seen.headers['user-agent']).toMatch(/^radlab\/\d+\.\d+\.\d+/);
    expect(redact(`leak ${SECRET}`)).toBe('leak ***');
  });

  it('sends basic auth and the WebHDFS user.name parameter', async () => {
    server = await startServer((_req, res) => res.end('{}'));
    await transport({ auth: { type: 'basic', username: 'alice', password: PASSWORD } }).request({
      path: '/x'
    });
    expect(server.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`
    );
    await transport({ auth: { type: 'hdfsUser', user: 'bob' } }).request({
      path: '/webhdfs/v1/',
      params: { op: 'GETHOMEDIRECTORY' }
    });
    expect(server.requests[1]!.url).toBe('/webhdfs/v1/?op=GETHOMEDIRECTORY&user.name=bob');
  });

  it('joins base URLs with a path prefix', async () => {
    server = await startServer((_req, res) => res.end('{}'));
    const t = new Transport({ service: 'livy', baseURL: `${server.url}/gateway/livy/` });
    await t.request({ path: '/sessions' });
    expect(server.requests[0]!.url).toBe('/gateway/livy/sessions');
  });

  it('returns text, arraybuffer and stream bodies; empty JSON bodies are undefined', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/empty') {
        res.statusCode = 204;
        res.end();
      } else res.end('Running!');
    });
    const t = transport();
    expect((await t.request<string>({ path: '/', responseType: 'text' })).data).toBe('Running!');
    const buf = (await t.request<ArrayBuffer>({ path: '/', responseType: 'arraybuffer' })).data;
    expect(buf).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(buf).toString()).toBe('Running!');
    const stream = (await t.request<Readable>({ path: '/', responseType: 'stream' })).data;
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('Running!');
    expect((await t.request({ path: '/empty' })).data).toBeUndefined();
  });

  it('a streamed body stays cancellable by the signal after the headers arrive', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write('first chunk');
    });
    const controller = new AbortController();
    const r = await transport().request<Readable>({
      path: '/stream',
      responseType: 'stream',
      signal: controller.signal,
      timeoutMs: 100
    });
    // the per-request timeout covers the headers only; the body is the caller's to cancel
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(r.data.destroyed).toBe(false);
    const closed = new Promise(resolve => r.data.once('close', resolve));
    r.data.resume();
    controller.abort();
    await closed;
    expect(r.data.destroyed).toBe(true);
  });

  it('does not set User-Agent in a browser (or when told not to)', async () => {
    server = await startServer((_req, res) => res.end('{}'));
    const g = globalThis as { window?: unknown; document?: unknown };
    g.window = {};
    g.document = {};
    try {
      await transport().request({ path: '/' });
    } finally {
      delete g.window;
      delete g.document;
    }
    await transport({ userAgent: false }).request({ path: '/' });
    await transport({ userAgent: 'vscode-radlab/1.2.3' }).request({ path: '/' });
    const agents = server.requests.map(r => r.headers['user-agent'] ?? '');
    expect(agents[0]).not.toMatch(/^radlab\//);
    expect(agents[1]).not.toMatch(/^radlab\//);
    expect(agents[2]).toBe('vscode-radlab/1.2.3');
  });

  it('sends JSON bodies', async () => {
    let body = '';
    server = await startServer(async (req, res) => {
      for await (const c of req) body += String(c);
      res.end('{"id":1}');
    });
    const r = await transport().request({
      method: 'POST',
      path: '/sessions',
      data: { kind: 'pyspark' }
    });
    expect(r.data).toEqual({ id: 1 });
    expect(JSON.parse(body)).toEqual({ kind: 'pyspark' });
    expect(server.requests[0]!.headers['content-type']).toMatch(/application\/json/);
  });
});

describe('Transport: error mapping against real servers', () => {
  it('HTML where JSON is expected → badResponse with a short redacted excerpt', async () => {
    server = await startServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<html><head><title>Login</title><style>p{}</style></head><body><p>Sign in ${SECRET}</p>${'x'.repeat(5000)}</body></html>`
      );
    });
    const e = await failure(
      transport({ auth: { type: 'bearer', token: SECRET } }).request({ path: '/api/v1/query' })
    );
    expect(e.code).toBe('badResponse');
    expect(e.status).toBe(200);
    expect(e.message).toContain('expected JSON from GET /api/v1/query but got text/html');
    expect(e.message).toContain('Login');
    expect(e.message.length).toBeLessThan(250);
    expect(e.request).toEqual({ method: 'GET', url: `${server.url}/api/v1/query` });
    expectClean(e);
  });

  it('401 → auth, "authentication failed", never echoes the secret', async () => {
    server = await startServer((req, res) => {
      res.statusCode = 401;
      // a hostile service reflecting what it was sent
      res.end(`bad credentials: ${req.headers.authorization}`);
    });
    const t = transport({ auth: { type: 'basic', username: 'alice', password: PASSWORD } });
    const e = await failure(t.request({ path: '/secure' }));
    expect(e.code).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.message).toContain('authentication failed');
    expect(e.hint).toContain('"test"');
    expectClean(e, Buffer.from(`alice:${PASSWORD}`).toString('base64'));
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [403, 'forbidden'],
    [404, 'notFound'],
    [400, 'badRequest'],
    [409, 'conflict'],
    [500, 'server']
  ] as const)('HTTP %i → %s, not retried', async (status, code) => {
    server = await startServer((_req, res) => {
      res.statusCode = status;
      res.end(`problem with token=${SECRET}`);
    });
    const e = await failure(
      transport({ auth: { type: 'bearer', token: SECRET } }).request({ path: '/p' })
    );
    expect(e.code).toBe(code);
    expect(e.status).toBe(status);
    expect(e.service).toBe('prometheus');
    expect(e.connection).toBe('test');
    expectClean(e);
    expect(server.requests).toHaveLength(1);
  });

  it('503 then 200: a GET is retried and succeeds', async () => {
    server = await startServer((_req, res, i) => {
      res.statusCode = i === 0 ? 503 : 200;
      res.end(i === 0 ? 'starting' : '{"ok":1}');
    });
    const r = await transport().request({ path: '/-/ready' });
    expect(r.data).toEqual({ ok: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('503 then 200: a POST is not retried', async () => {
    server = await startServer((_req, res, i) => {
      res.statusCode = i === 0 ? 503 : 200;
      res.end('{}');
    });
    const e = await failure(transport().request({ method: 'POST', path: '/sessions', data: {} }));
    expect(e.code).toBe('server');
    expect(e.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it('a POST marked idempotent is retried', async () => {
    server = await startServer((_req, res, i) => {
      res.statusCode = i < 2 ? 502 : 200;
      res.end('{}');
    });
    await transport().request({ method: 'POST', path: '/q', data: {}, idempotent: true });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after `retries` retries', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 504;
      res.end('gateway timeout');
    });
    const e = await failure(transport({ retries: 1 }).request({ path: '/x' }));
    expect(e.code).toBe('timeout');
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After on 429, and does not wait for one that is too long', async () => {
    server = await startServer((_req, res, i) => {
      res.statusCode = i === 0 ? 429 : 200;
      res.setHeader('Retry-After', '1');
      res.end('{}');
    });
    const started = Date.now();
    await transport().request({ path: '/x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.requests).toHaveLength(2);

    await server.close();
    server = await startServer((_req, res) => {
      res.statusCode = 429;
      res.setHeader('Retry-After', '3600');
      res.end('slow down');
    });
    const e = await failure(transport().request({ path: '/x' }));
    expect(e.code).toBe('badRequest');
    expect(e.status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it('slow server → timeout, hint names the timeout', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => res.end('{}'), 2000);
    });
    const started = Date.now();
    const e = await failure(transport({ timeoutMs: 200 }).request({ path: '/slow' }));
    expect(e.code).toBe('timeout');
    expect(e.hint).toContain('200 ms');
    expect(e.message).toContain(`127.0.0.1:${server.port}`);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
  });

  it('a body that trickles past the timeout → timeout', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write('1,'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const e = await failure(transport({ timeoutMs: 300 }).request({ path: '/trickle' }));
    expect(e.code).toBe('timeout');
  });

  it('abort via signal → cancelled (in flight, and before sending)', async () => {
    server = await startServer((_req, res) => {
      setTimeout(() => res.end('{}'), 2000);
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const e = await failure(transport().request({ path: '/slow', signal: controller.signal }));
    expect(e.code).toBe('cancelled');
    const e2 = await failure(transport().request({ path: '/slow', signal: controller.signal }));
    expect(e2.code).toBe('cancelled');
    expect(server.requests).toHaveLength(1);
  });

  it('abort during a retry backoff → cancelled', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const controller = new AbortController();
    const pending = transport({ retryBaseDelayMs: 5000 }).request({
      path: '/x',
      signal: controller.signal
    });
    setTimeout(() => controller.abort(), 200);
    const e = await failure(pending);
    expect(e.code).toBe('cancelled');
  });

  it('closed port → unreachable, hint names host:port', async () => {
    const port = await closedPort();
    const t = new Transport({
      service: 'drill',
      connection: 'gone',
      baseURL: `http://127.0.0.1:${port}`,
      auth: { type: 'bearer', token: SECRET },
      retryBaseDelayMs: 10
    });
    const e = await failure(
      t.request({ path: '/status', params: { token: 'abcdef-query-secret' } })
    );
    expect(e.code).toBe('unreachable');
    expect(e.message).toBe(`connection refused to 127.0.0.1:${port}`);
    expect(e.hint).toContain(`127.0.0.1:${port}`);
    expect(e.request!.url).toBe(`http://127.0.0.1:${port}/status?token=***`);
    expect((e.cause as Error).name).toBe('TransportError');
    expectClean(e, 'abcdef-query-secret');
  });

  it('unknown host → unreachable with a DNS hint', async () => {
    const t = new Transport({ service: 'drill', baseURL: 'http://nonexistent-host.invalid:8047' });
    const e = await failure(t.request({ path: '/status' }));
    expect(e.code).toBe('unreachable');
    expect(e.message).toBe('host not found: nonexistent-host.invalid:8047');
    expect(e.hint).toContain('DNS');
  });

  it('oversized bodies → badResponse (with and without Content-Length, all response types)', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        for (let i = 0; i < 20; i++) res.write('x'.repeat(500));
        res.end();
      } else {
        res.end(JSON.stringify({ data: 'x'.repeat(5000) }));
      }
    });
    const t = transport({ maxResponseBytes: 1000 });
    for (const responseType of ['json', 'text', 'arraybuffer'] as const) {
      for (const path of ['/big', '/chunked']) {
        const e = await failure(t.request({ path, responseType }));
        expect(e.code, `${path} ${responseType}`).toBe('badResponse');
        expect(e.message).toContain('larger than 1000 bytes');
      }
    }
  });

  it('a streamed body is not cut at maxResponseBytes: its reader bounds what it keeps', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 0; i < 20; i++) res.write('x'.repeat(500));
      res.end();
    });
    const t = transport({ maxResponseBytes: 1000 });
    const r = await t.request<AsyncIterable<Buffer>>({ path: '/', responseType: 'stream' });
    let bytes = 0;
    for await (const chunk of r.data) bytes += chunk.length;
    expect(bytes).toBe(10_000);
  });

  it('X-Radlab-Error JSON from the Jupyter proxy maps to its code, message and hint', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 502;
      res.setHeader('X-Radlab-Error', '1');
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          code: 'unreachable',
          service: 'drill',
          message: 'connection refused to drill:8047',
          hint: 'Start Drill.',
          connection: 'drill'
        })
      );
    });
    const e = await failure(transport({ retries: 0 }).request({ path: '/status' }));
    expect(e.code).toBe('unreachable');
    expect(e.service).toBe('drill');
    expect(e.message).toBe('connection refused to drill:8047');
    expect(e.hint).toBe('Start Drill.');
    expect(e.status).toBe(502);
  });

  it('a malformed X-Radlab-Error body falls back to the status mapping', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 500;
      res.setHeader('X-Radlab-Error', '1');
      res.end('not json');
    });
    const e = await failure(transport().request({ path: '/x' }));
    expect(e.code).toBe('server');
  });

  it('error bodies of streamed requests are read for the message', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 403;
      res.end('no access to /data');
    });
    const e = await failure(transport().request({ path: '/x', responseType: 'stream' }));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain('no access to /data');
  });
});
