// `radlab connections list|check`: load the configured connections and show or check them.

import {
  describeSource,
  formatVersion,
  RadlabError,
  type ConnectionConfig,
  type HealthResult,
  type RadlabErrorJSON
} from '@radlab/core';
import { checkConnection, loadConnections, type Env, type LoadResult } from '@radlab/core/node';
import { renderTable, stylerFor, type Cell, type Styler } from './table.js';

export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Standard input (`radlab drill query -`). */
  stdin?: AsyncIterable<string | Uint8Array>;
  env: Env;
}

export const EXIT_OK = 0;
export const EXIT_DOWN = 1;
export const EXIT_CONFIG = 2;

export interface LoadFlags {
  config?: string;
}

/** A connection as shown to users: no inline secrets, only whether one is configured. */
export interface PublicConnection extends Omit<ConnectionConfig, 'auth'> {
  auth: { type: string; username?: string; user?: string; hasSecret: boolean };
  source: string;
}

export function publicConnection(conn: ConnectionConfig, source: string): PublicConnection {
  const auth = (conn.auth ?? { type: 'none' }) as Record<string, unknown> & { type: string };
  const hasSecret = ['password', 'passwordEnv', 'token', 'tokenEnv', 'tokenFile'].some(
    key => auth[key] !== undefined
  );
  const shown: PublicConnection['auth'] = { type: auth.type, hasSecret };
  if (typeof auth['username'] === 'string') shown.username = auth['username'];
  if (typeof auth['user'] === 'string') shown.user = auth['user'];
  return { ...conn, auth: shown, source };
}

function printProblems(loaded: LoadResult, io: Io, styler: Styler): void {
  for (const [label, list] of [
    ['config error', loaded.errors],
    ['warning', loaded.warnings]
  ] as const) {
    for (const error of list) {
      io.stderr.write(`${styler.red(`radlab: ${label}:`)} ${error.message}\n`);
      io.stderr.write(`  ${styler.dim(`hint: ${error.hint}`)}\n`);
    }
  }
}

function where(
  conn: Pick<ConnectionConfig, 'kind' | 'protocol' | 'root' | 'url' | 'inCluster' | 'context'>
): string {
  if (conn.kind === 'files' && conn.protocol === 'posix') return conn.root ?? '';
  if (conn.url) return conn.url;
  if (conn.inCluster) return 'in-cluster';
  return `kubeconfig${conn.context ? ` (${conn.context})` : ''}`;
}

/**
 * The connections, or, when the file named with `-c` is missing or invalid, a `config` error: a file
 * the user named must not be replaced by the shared defaults (or by the rest of a broken file).
 */
export async function loadNamed(flags: LoadFlags, io: Io): Promise<LoadResult> {
  const loaded = await loadConnections({ file: flags.config, env: io.env });
  if (flags.config !== undefined && loaded.errors.length > 0) {
    const [first, ...more] = loaded.errors;
    throw new RadlabError({
      code: 'config',
      service: 'radlab',
      message: `${first!.message}${more.length ? ` (and ${more.length} more: ${more.map(e => e.message).join('; ')})` : ''}`,
      hint: `${first!.hint} The file named with -c is used as it is, or not at all.`
    });
  }
  return loaded;
}

const EXAMPLE_URLS: Partial<Record<ConnectionConfig['kind'], string>> = {
  drill: 'http://127.0.0.1:8047',
  livy: 'http://127.0.0.1:8998'
};

/** The connection named `name` (which must be of `kind`), else the first of `kind`: a config error naming the options. */
export async function pickConnection(
  kind: ConnectionConfig['kind'],
  flags: LoadFlags & { connection?: string },
  io: Io
): Promise<ConnectionConfig> {
  const loaded = await loadNamed(flags, io);
  const ofKind = loaded.connections.filter(c => c.kind === kind);
  const names = ofKind.map(c => c.name).join(', ') || '(none)';
  const title = kind[0]!.toUpperCase() + kind.slice(1);
  const fail = (message: string, hint: string): RadlabError =>
    new RadlabError({ code: 'config', service: 'radlab', message, hint });
  if (flags.connection) {
    const conn = loaded.connections.find(c => c.name === flags.connection);
    if (!conn) {
      throw fail(
        `no connection named "${flags.connection}"`,
        `${title} connections: ${names}. See radlab connections list.`
      );
    }
    if (conn.kind !== kind) {
      throw fail(
        `connection "${conn.name}" is a ${conn.kind} connection, not ${kind}`,
        `${title} connections: ${names}.`
      );
    }
    return conn;
  }
  const conn = ofKind[0];
  if (!conn) {
    const problems = loaded.errors.map(e => e.message).join('; ');
    throw fail(
      `no ${kind} connection configured${problems ? ` (${problems})` : ''}`,
      `Add one to ~/.config/radlab/connections.json, e.g. {"name": "${kind}", "kind": "${kind}", "url": "${EXAMPLE_URLS[kind] ?? 'https://…'}"}.`
    );
  }
  return conn;
}

async function load(flags: LoadFlags, io: Io): Promise<LoadResult | number> {
  try {
    return await loadNamed(flags, io);
  } catch (e) {
    const styler = stylerFor(io.stderr.isTTY, io.env);
    const error = e as RadlabError;
    io.stderr.write(`${styler.red('radlab: config error:')} ${error.message}\n`);
    io.stderr.write(`  ${styler.dim(`hint: ${error.hint}`)}\n`);
    return EXIT_CONFIG;
  }
}

export async function listConnections(
  flags: LoadFlags & { json?: boolean },
  io: Io
): Promise<number> {
  const loaded = await load(flags, io);
  if (typeof loaded === 'number') return loaded;
  const styler = stylerFor(io.stdout.isTTY, io.env);
  const shown = loaded.connections.map(c =>
    publicConnection(c, describeSource(loaded.origins[c.name] ?? { kind: 'defaults' }))
  );
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          connections: shown,
          errors: loaded.errors.map(e => e.toJSON()),
          warnings: loaded.warnings.map(e => e.toJSON())
        },
        null,
        2
      )}\n`
    );
  } else {
    printProblems(loaded, io, stylerFor(io.stderr.isTTY, io.env));
    const rows: Cell[][] = shown.map(c => [
      { text: c.name },
      { text: c.kind },
      { text: where(c) },
      { text: c.auth.type },
      { text: c.source, style: styler.dim }
    ]);
    io.stdout.write(renderTable(['NAME', 'KIND', 'URL/ROOT', 'AUTH', 'SOURCE'], rows, styler));
  }
  return loaded.errors.length > 0 ? EXIT_CONFIG : EXIT_OK;
}

function detailOrHint(result: HealthResult): string {
  const details = Object.entries(result.details ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  if (!result.error) return details;
  const problem = `${result.error.code}: ${result.error.message}`;
  return `${problem} (hint: ${result.error.hint})${details ? ` ${details}` : ''}`;
}

export async function checkConnections(
  names: string[],
  flags: LoadFlags & { json?: boolean; timeout?: number },
  io: Io
): Promise<number> {
  const loaded = await load(flags, io);
  if (typeof loaded === 'number') return loaded;
  const errors: RadlabErrorJSON[] = loaded.errors.map(e => e.toJSON());
  let selected = loaded.connections;
  if (names.length > 0) {
    const known = new Set(selected.map(c => c.name));
    for (const name of names.filter(n => !known.has(n))) {
      const error = new RadlabError({
        code: 'config',
        service: 'radlab',
        connection: name,
        message: `no connection named "${name}"`,
        hint: `Known connections: ${[...known].join(', ') || '(none)'}. See radlab connections list.`
      });
      loaded.errors.push(error);
      errors.push(error.toJSON());
    }
    selected = selected.filter(c => names.includes(c.name));
  }

  const results = await Promise.all(
    selected.map(conn =>
      checkConnection(conn, {
        env: io.env,
        transport: flags.timeout !== undefined ? { timeoutMs: flags.timeout } : undefined
      })
    )
  );

  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify(
        { connections: results, errors, warnings: loaded.warnings.map(e => e.toJSON()) },
        null,
        2
      )}\n`
    );
  } else {
    printProblems(loaded, io, stylerFor(io.stderr.isTTY, io.env));
    const styler = stylerFor(io.stdout.isTTY, io.env);
    const stateStyle = { healthy: styler.green, degraded: styler.yellow, down: styler.red };
    const rows: Cell[][] = results.map(r => [
      { text: r.connection },
      { text: r.kind },
      { text: r.state, style: stateStyle[r.state] },
      { text: r.latencyMs !== undefined && r.state !== 'down' ? `${r.latencyMs} ms` : '-' },
      { text: r.version ? formatVersion(r.version) : '-' },
      { text: detailOrHint(r), style: r.error ? undefined : styler.dim }
    ]);
    io.stdout.write(
      renderTable(['NAME', 'KIND', 'STATE', 'LATENCY', 'VERSION', 'DETAIL/HINT'], rows, styler)
    );
  }
  if (loaded.errors.length > 0) return EXIT_CONFIG;
  return results.some(r => r.state === 'down') ? EXIT_DOWN : EXIT_OK;
}
