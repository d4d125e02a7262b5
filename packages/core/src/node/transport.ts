// Builds a Transport for a connection in a node host: resolves credentials, reads CA files, builds
// the https.Agent (custom CA, client certificate, skip-verify) and, for Kubernetes, the kubeconfig
// or in-cluster service account.

import { readFile } from 'node:fs/promises';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { ConnectionConfig } from '../connection.js';
import { RadlabError, type ErrorService } from '../errors.js';
import { Transport, type ResolvedAuth, type TransportOptions } from '../transport/transport.js';
import { resolveAuth, type SecretValues } from './auth.js';
import { resolveInCluster, resolveKubeconfig, type KubeTarget } from './kubeconfig.js';
import { expandHome, type Env } from './paths.js';

export interface NodeTransportOptions {
  secrets?: SecretValues;
  /** Reserved for cancelling slow credential lookups; passed to nothing yet. */
  signal?: AbortSignal;
  env?: Env;
  /** Overrides of Transport options (retries, maxResponseBytes, timeoutMs, userAgent...). */
  transport?: Partial<Omit<TransportOptions, 'service' | 'connection' | 'baseURL' | 'auth'>>;
  /** In-cluster service account directory (tests). */
  serviceAccountDir?: string;
}

async function readCa(conn: ConnectionConfig, path: string, env: Env): Promise<string> {
  const file = expandHome(path, env);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    throw new RadlabError({
      code: 'config',
      service: 'radlab',
      connection: conn.name,
      message: `connection "${conn.name}": cannot read tls.ca ${file} (${code})`,
      hint: 'Set tls.ca to an existing PEM file readable by the user running Radlab.'
    });
  }
}

/** Whether a kubernetes connection takes its server from a kubeconfig or the pod, not `url` alone. */
function usesKubeCredentials(conn: ConnectionConfig): boolean {
  return (
    conn.kind === 'kubernetes' &&
    (conn.inCluster === true ||
      conn.kubeconfig !== undefined ||
      conn.context !== undefined ||
      !conn.url)
  );
}

export async function createNodeTransport(
  conn: ConnectionConfig,
  options: NodeTransportOptions = {}
): Promise<Transport> {
  const env = options.env ?? process.env;
  let baseURL = conn.url ?? '';
  let auth: ResolvedAuth = await resolveAuth(conn, options.secrets, env);
  const agent: AgentOptions = { keepAlive: true };
  let customAgent = false;

  if (usesKubeCredentials(conn)) {
    const target: KubeTarget = conn.inCluster
      ? await resolveInCluster({
          env,
          connection: conn.name,
          serviceAccountDir: options.serviceAccountDir
        })
      : await resolveKubeconfig(conn.kubeconfig, conn.context, { env, connection: conn.name });
    baseURL = conn.url ?? target.server;
    if (auth.type === 'none') {
      if (target.token) auth = { type: 'bearer', token: target.token };
      else if (target.username && target.password) {
        auth = { type: 'basic', username: target.username, password: target.password };
      }
    }
    if (target.ca) {
      agent.ca = [...rootCertificates, target.ca];
      customAgent = true;
    }
    if (target.cert && target.key) {
      agent.cert = target.cert;
      agent.key = target.key;
      customAgent = true;
    }
    if (target.insecureSkipVerify) {
      agent.rejectUnauthorized = false;
      customAgent = true;
    }
  }

  if (conn.tls?.ca) {
    agent.ca = [...rootCertificates, await readCa(conn, conn.tls.ca, env)];
    customAgent = true;
  }
  if (conn.tls?.insecureSkipVerify) {
    agent.rejectUnauthorized = false;
    customAgent = true;
  }

  const service: ErrorService = conn.kind;
  return new Transport({
    service,
    connection: conn.name,
    baseURL,
    timeoutMs: conn.timeoutMs,
    auth,
    httpsAgent: customAgent && baseURL.startsWith('https:') ? new HttpsAgent(agent) : undefined,
    ...options.transport
  });
}
