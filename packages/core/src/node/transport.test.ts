import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { ConnectionConfig } from '../connection.js';
import { everyRendering } from '../testing/http.js';
import { checkConnection } from './check.js';
import { resolveKubeconfig } from './kubeconfig.js';
import { createNodeTransport } from './transport.js';

const TOKEN = 'kube-token-abcdef123456';
let dir = '';
let certPem = '';
let keyPem = '';
let server: Server;
let url = '';
const seen: Array<{ path: string; auth?: string; clientCert: boolean }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'radlab-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1'
    ],
    { stdio: 'ignore' }
  );
  certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  // The server trusts its own (self-signed) certificate as a client CA, so a client presenting the
  // same cert/key authenticates by certificate.
  server = createServer(
    { cert: certPem, key: keyPem, ca: [certPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      seen.push({
        path: req.url ?? '',
        auth: req.headers.authorization,
        clientCert: socket.authorized
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '30', gitVersion: 'v1.30.1' }));
    }
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
});

const k8s = (extra: Partial<ConnectionConfig>): ConnectionConfig => ({
  name: 'k8s',
  kind: 'kubernetes',
  ...extra
});

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  const path = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  writeFileSync(
    path,
    toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'dev',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: url,
            'certificate-authority-data': Buffer.from(certPem).toString('base64'),
            ...cluster
          }
        }
      ],
      contexts: [
        { name: 'dev', context: { cluster: 'c', user: 'u', namespace: 'radiology' } },
        { name: 'other', context: { cluster: 'c', user: 'exec-user' } }
      ],
      users: [
        { name: 'u', user },
        { name: 'exec-user', user: { exec: { command: 'aws', args: ['eks', 'get-token'] } } }
      ]
    })
  );
  return path;
}

describe('createNodeTransport: TLS', () => {
  it('a self-signed server is refused without tls.ca, with a TLS hint', async () => {
    const result = await checkConnection(k8s({ url }));
    expect(result.state).toBe('down');
    expect(result.error?.code).toBe('unreachable');
    expect(result.error?.message).toMatch(/TLS certificate of 127\.0\.0\.1:\d+ not accepted/);
    expect(result.error?.hint).toContain('tls.ca');
  });

  it('tls.ca (with ~) trusts it; insecureSkipVerify skips verification', async () => {
    writeFileSync(join(dir, 'ca.pem'), certPem);
    const withCa = await checkConnection(k8s({ url, tls: { ca: '~/ca.pem' } }), {
      env: { HOME: dir }
    });
    expect(withCa).toMatchObject({ state: 'healthy', version: 'v1.30.1' });
    const skip = await checkConnection(k8s({ url, tls: { insecureSkipVerify: true } }));
    expect(skip.state).toBe('healthy');
  });

  it('a missing tls.ca file is a config error naming it', async () => {
    await expect(
      createNodeTransport(k8s({ url, tls: { ca: '/nonexistent/ca.pem' } }))
    ).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('/nonexistent/ca.pem')
    });
  });
});

describe('kubeconfig and in-cluster', () => {
  it('kubeconfig: server, CA data and token; the token is sent and never shown', async () => {
    const path = kubeconfig({ token: TOKEN });
    const target = await resolveKubeconfig(path);
    expect(target).toMatchObject({
      server: url,
      context: 'dev',
      namespace: 'radiology',
      token: TOKEN
    });
    const result = await checkConnection(k8s({ kubeconfig: path }));
    expect(result).toMatchObject({ state: 'healthy', version: 'v1.30.1' });
    expect(seen.at(-1)!.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('kubeconfig: client certificate files (relative to the kubeconfig) authenticate', async () => {
    const path = kubeconfig(
      { 'client-certificate': 'cert.pem', 'client-key': 'key.pem' },
      { 'certificate-authority-data': undefined, 'certificate-authority': join(dir, 'cert.pem') }
    );
    const result = await checkConnection(k8s({ kubeconfig: path, context: 'dev' }));
    expect(result.state, JSON.stringify(result.error)).toBe('healthy');
    expect(seen.at(-1)!.clientCert).toBe(true);
    expect(seen.at(-1)!.auth).toBeUndefined();
  });

  it('kubeconfig: client certificate data and insecure-skip-tls-verify', async () => {
    const path = kubeconfig(
      {
        'client-certificate-data': Buffer.from(certPem).toString('base64'),
        'client-key-data': Buffer.from(keyPem).toString('base64')
      },
      { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true }
    );
    const result = await checkConnection(k8s({ kubeconfig: path }));
    expect(result.state, JSON.stringify(result.error)).toBe('healthy');
    expect(seen.at(-1)!.clientCert).toBe(true);
  });

  it('exec users are a config error: "not supported yet, use a token"', async () => {
    const path = kubeconfig({ token: TOKEN });
    const result = await checkConnection(k8s({ kubeconfig: path, context: 'other' }));
    expect(result.state).toBe('down');
    expect(result.error?.code).toBe('config');
    expect(result.error?.message).toContain('not supported yet, use a token');
  });

  it('unknown context and missing kubeconfig are config errors; $KUBECONFIG is the default', async () => {
    const path = kubeconfig({ token: TOKEN });
    await expect(resolveKubeconfig(path, 'nope')).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('no context "nope"')
    });
    await expect(resolveKubeconfig(join(dir, 'missing'))).rejects.toMatchObject({ code: 'config' });
    const viaEnv = await resolveKubeconfig(undefined, undefined, { env: { KUBECONFIG: path } });
    expect(viaEnv.server).toBe(url);
  });

  it('inCluster: KUBERNETES_SERVICE_HOST/PORT and the service account', async () => {
    const sa = mkdtempSync(join(tmpdir(), 'radlab-sa-'));
    writeFileSync(join(sa, 'token'), `${TOKEN}\n`);
    writeFileSync(join(sa, 'ca.crt'), certPem);
    writeFileSync(join(sa, 'namespace'), 'radiology');
    const port = url.split(':').at(-1)!;
    const result = await checkConnection(k8s({ inCluster: true }), {
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port },
      serviceAccountDir: sa
    });
    expect(result).toMatchObject({ state: 'healthy', version: 'v1.30.1' });
    expect(seen.at(-1)!.auth).toBe(`Bearer ${TOKEN}`);
    const outside = await checkConnection(k8s({ inCluster: true }), {
      env: {},
      serviceAccountDir: sa
    });
    expect(outside.error?.code).toBe('config');
    expect(everyRendering(outside.error)).not.toContain(TOKEN);
  });
});
