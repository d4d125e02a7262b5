// Kubernetes credentials for node hosts: a kubeconfig (server, CA, client certificate, token) or the
// pod's service account (in-cluster). exec and auth-provider users are not supported yet.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { RadlabError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { expandHome, homeDir, type Env } from './paths.js';

export interface KubeTarget {
  /** API server URL. */
  server: string;
  /** The kubeconfig context used (undefined in-cluster). */
  context?: string;
  namespace?: string;
  /** PEM contents. */
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipVerify: boolean;
  /** Where it came from, for messages: the kubeconfig path or "in-cluster". */
  source: string;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface ResolveOptions {
  env?: Env;
  /** Connection name for errors. */
  connection?: string;
}

function kubeError(message: string, hint: string, connection?: string): RadlabError {
  return new RadlabError({ code: 'config', service: 'kubernetes', connection, message, hint });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function named(list: unknown, name: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find(e => isRecord(e) && e['name'] === name) as
    Record<string, unknown> | undefined;
  return entry;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The kubeconfig path: the argument, else the first existing $KUBECONFIG entry, else ~/.kube/config. */
export function defaultKubeconfigPath(env: Env = process.env): string {
  const list = (env['KUBECONFIG'] ?? '').split(':').filter(Boolean);
  const existing = list.find(p => existsSync(expandHome(p, env)));
  return expandHome(existing ?? list[0] ?? join(homeDir(env), '.kube', 'config'), env);
}

export async function resolveKubeconfig(
  path?: string,
  context?: string,
  options: ResolveOptions = {}
): Promise<KubeTarget> {
  const env = options.env ?? process.env;
  const connection = options.connection;
  const file = path ? resolve(expandHome(path, env)) : defaultKubeconfigPath(env);
  const base = dirname(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    throw kubeError(
      `cannot read kubeconfig ${file} (${code})`,
      'Set "kubeconfig" of this connection to an existing file, or "url" + auth, or "inCluster": true in a pod.',
      connection
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw kubeError(
      `kubeconfig ${file} is not valid YAML${line ? ` at line ${line.line}, column ${line.col}` : ''}`,
      'Fix the file (kubectl config view checks it).',
      connection
    );
  }
  if (!isRecord(doc))
    throw kubeError(
      `kubeconfig ${file} is empty or not a mapping`,
      'Fix the file (kubectl config view checks it).',
      connection
    );

  const contextName = context ?? str(doc['current-context']);
  if (!contextName) {
    throw kubeError(
      `kubeconfig ${file} has no current-context`,
      'Set "context" of this connection, or run kubectl config use-context.',
      connection
    );
  }
  const ctx = named(doc['contexts'], contextName);
  const ctxBody = ctx && isRecord(ctx['context']) ? ctx['context'] : undefined;
  if (!ctxBody) {
    throw kubeError(
      `kubeconfig ${file} has no context "${contextName}"`,
      'Check "context" of this connection (kubectl config get-contexts lists them).',
      connection
    );
  }
  const clusterName = str(ctxBody['cluster']);
  const cluster = clusterName ? named(doc['clusters'], clusterName) : undefined;
  const clusterBody = cluster && isRecord(cluster['cluster']) ? cluster['cluster'] : undefined;
  const server = clusterBody ? str(clusterBody['server']) : undefined;
  if (!clusterBody || !server) {
    throw kubeError(
      `kubeconfig ${file}: context "${contextName}" names cluster "${clusterName ?? ''}" which has no server`,
      'Fix the clusters section of the kubeconfig.',
      connection
    );
  }
  const userName = str(ctxBody['user']);
  const user = userName ? named(doc['users'], userName) : undefined;
  const userBody = user && isRecord(user['user']) ? user['user'] : {};

  if (userBody['exec'] !== undefined || userBody['auth-provider'] !== undefined) {
    const what = userBody['exec'] !== undefined ? 'exec' : 'auth-provider';
    throw kubeError(
      `kubeconfig ${file}: user "${userName}" uses ${what} credentials, which are not supported yet, use a token`,
      'Give the connection a bearer token (auth.tokenEnv or auth.tokenFile, e.g. from kubectl create token), or a kubeconfig user with token or client certificate.',
      connection
    );
  }

  const pathOf = (p: string): string => {
    const expanded = expandHome(p, env);
    return isAbsolute(expanded) ? expanded : join(base, expanded);
  };
  const fromFileOrData = async (fileKey: string, dataKey: string): Promise<string | undefined> => {
    const data = str((clusterBody[dataKey] ?? userBody[dataKey]) as unknown);
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const ref = str((clusterBody[fileKey] ?? userBody[fileKey]) as unknown);
    if (!ref) return undefined;
    try {
      return await readFile(pathOf(ref), 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      throw kubeError(
        `kubeconfig ${file}: cannot read ${fileKey} ${pathOf(ref)} (${code})`,
        'Fix the path in the kubeconfig (relative paths are relative to the kubeconfig).',
        connection
      );
    }
  };

  const target: KubeTarget = {
    server,
    context: contextName,
    namespace: str(ctxBody['namespace']),
    ca: await fromFileOrData('certificate-authority', 'certificate-authority-data'),
    cert: await fromFileOrData('client-certificate', 'client-certificate-data'),
    key: await fromFileOrData('client-key', 'client-key-data'),
    insecureSkipVerify: clusterBody['insecure-skip-tls-verify'] === true,
    source: file
  };
  const token = str(userBody['token']);
  const tokenFile = str(userBody['tokenFile']);
  if (token) target.token = token;
  else if (tokenFile) {
    try {
      target.token = (await readFile(pathOf(tokenFile), 'utf8')).trim();
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'error';
      throw kubeError(
        `kubeconfig ${file}: cannot read tokenFile ${pathOf(tokenFile)} (${code})`,
        'Fix the tokenFile path in the kubeconfig.',
        connection
      );
    }
  }
  const username = str(userBody['username']);
  const password = str(userBody['password']);
  if (username && password) {
    target.username = username;
    target.password = password;
  }
  registerSecret(target.token);
  registerSecret(target.password);
  registerSecret(target.key);
  return target;
}

/** The pod's own API server and service account (KUBERNETES_SERVICE_HOST/PORT + mounted token). */
export async function resolveInCluster(
  options: ResolveOptions & { serviceAccountDir?: string } = {}
): Promise<KubeTarget> {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '443';
  if (!host) {
    throw kubeError(
      'inCluster is set but KUBERNETES_SERVICE_HOST is not: not running in a Kubernetes pod',
      'Use "kubeconfig" or "url" + auth outside a cluster.',
      options.connection
    );
  }
  let token: string;
  try {
    token = (await readFile(join(dir, 'token'), 'utf8')).trim();
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    throw kubeError(
      `cannot read the service account token ${join(dir, 'token')} (${code})`,
      'Mount a service account token into the pod (automountServiceAccountToken).',
      options.connection
    );
  }
  registerSecret(token);
  let ca: string | undefined;
  try {
    ca = await readFile(join(dir, 'ca.crt'), 'utf8');
  } catch {
    ca = undefined;
  }
  let namespace: string | undefined;
  try {
    namespace = (await readFile(join(dir, 'namespace'), 'utf8')).trim();
  } catch {
    namespace = undefined;
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${port}`,
    namespace,
    ca,
    token,
    insecureSkipVerify: false,
    source: 'in-cluster'
  };
}
