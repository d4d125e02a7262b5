// Loads connections in node hosts, by the precedence in docs/ARCHITECTURE.md (lowest first):
// shared defaults (only when nothing else defines a connection) < the file $RADLAB_CONFIG or
// ~/.config/radlab/connections.json < RADLAB_CONNECTIONS < host config (`extra`).

import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ConnectionConfig, ConnectionSource } from '../connection.js';
import { RadlabError } from '../errors.js';
import { defaultConnections } from '../config/schema.js';
import {
  mergeConnections,
  parseConnections,
  parseConnectionsText,
  type ConfigSourceRef
} from '../config/validate.js';
import { expandHome, homeDir, type Env } from './paths.js';

export interface LoadOptions {
  /** A connections file; like $RADLAB_CONFIG, it must exist. */
  file?: string;
  /** Environment to read RADLAB_CONFIG, RADLAB_CONNECTIONS and HOME from. Default process.env. */
  env?: Env;
  /** Host config (VS Code setting, Jupyter config): `{connections}` or an array, highest precedence. */
  extra?: unknown;
  /** Where `extra` came from. Default `vscode`. */
  extraSource?: ConnectionSource | ConfigSourceRef;
}

export interface LoadedSource extends ConfigSourceRef {
  /** Names of the valid connections it defined. */
  names: string[];
}

export interface LoadResult {
  /** Merged, valid connections. */
  connections: ConnectionConfig[];
  /** `config` errors: invalid files / entries (the rest still loaded). */
  errors: RadlabError[];
  /** Non-fatal `config` errors, e.g. inline secrets in a group/world-readable file. */
  warnings: RadlabError[];
  /** The sources read, lowest precedence first (missing default file omitted). */
  sources: LoadedSource[];
  /** Which source each merged connection came from. */
  origins: Record<string, ConfigSourceRef>;
}

/** ~/.config/radlab/connections.json */
export function defaultConfigPath(env: Env = process.env): string {
  return join(homeDir(env), '.config', 'radlab', 'connections.json');
}

function hasInlineSecret(connections: ConnectionConfig[]): boolean {
  return connections.some(c => {
    const auth = c.auth as { password?: string; token?: string } | undefined;
    return auth?.password !== undefined || auth?.token !== undefined;
  });
}

async function readConfigFile(
  path: string,
  mustExist: boolean,
  via: string
): Promise<{
  result?: ReturnType<typeof parseConnections>;
  error?: RadlabError;
  warning?: RadlabError;
}> {
  const source: ConfigSourceRef = { kind: 'file', path };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' && !mustExist) return {};
    return {
      error: new RadlabError({
        code: 'config',
        service: 'radlab',
        message: `${path}: cannot read the connections file${via ? ` named by ${via}` : ''} (${code ?? 'error'})`,
        hint:
          code === 'ENOENT'
            ? `Create the file, or ${via ? `unset ${via}` : 'point at an existing file'}.`
            : 'Check that the file is readable by the user running Radlab.'
      })
    };
  }
  const result = parseConnectionsText(text, source);
  let warning: RadlabError | undefined;
  if (process.platform !== 'win32' && hasInlineSecret(result.connections)) {
    try {
      const mode = (await stat(path)).mode & 0o777;
      if (mode & 0o077) {
        warning = new RadlabError({
          code: 'config',
          service: 'radlab',
          message: `${path} holds inline secrets but is readable by other users (mode ${mode.toString(8).padStart(3, '0')})`,
          hint: `Run chmod 600 ${path}, or move the secrets to passwordEnv / tokenEnv / tokenFile.`
        });
      }
    } catch {
      // stat right after a successful read failing is not worth a warning
    }
  }
  return { result, warning };
}

export async function loadConnections(options: LoadOptions = {}): Promise<LoadResult> {
  const env = options.env ?? process.env;
  const errors: RadlabError[] = [];
  const warnings: RadlabError[] = [];
  const sources: LoadedSource[] = [];
  const layers: Array<{ source: ConfigSourceRef; connections: ConnectionConfig[] }> = [];

  // 2. the file
  const explicit = options.file ?? env['RADLAB_CONFIG'];
  const via = options.file !== undefined ? '' : explicit ? 'RADLAB_CONFIG' : '';
  const path = explicit ? resolve(expandHome(explicit, env)) : defaultConfigPath(env);
  const file = await readConfigFile(path, Boolean(explicit), via);
  if (file.error) errors.push(file.error);
  if (file.warning) warnings.push(file.warning);
  if (file.result) {
    errors.push(...file.result.errors);
    layers.push({ source: { kind: 'file', path }, connections: file.result.connections });
  }

  // 3. RADLAB_CONNECTIONS
  const fromEnv = env['RADLAB_CONNECTIONS'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const source: ConfigSourceRef = { kind: 'env', path: 'RADLAB_CONNECTIONS' };
    const parsed = parseConnectionsText(fromEnv, source);
    errors.push(...parsed.errors);
    layers.push({ source, connections: parsed.connections });
  }

  // 4. host config
  if (options.extra !== undefined && options.extra !== null) {
    const source: ConfigSourceRef =
      typeof options.extraSource === 'string'
        ? { kind: options.extraSource }
        : (options.extraSource ?? { kind: 'vscode' });
    const parsed =
      typeof options.extra === 'string'
        ? parseConnectionsText(options.extra, source)
        : parseConnections(options.extra, source);
    errors.push(...parsed.errors);
    layers.push({ source, connections: parsed.connections });
  }

  // 1. defaults, only when nothing else defines a connection
  if (layers.every(layer => layer.connections.length === 0)) {
    const source: ConfigSourceRef = { kind: 'defaults' };
    layers.unshift({ source, connections: defaultConnections.map(c => ({ ...c })) });
  }

  const origins: Record<string, ConfigSourceRef> = {};
  for (const layer of layers) {
    sources.push({ ...layer.source, names: layer.connections.map(c => c.name) });
    for (const c of layer.connections) origins[c.name] = layer.source;
  }
  return {
    connections: mergeConnections(...layers.map(l => l.connections)),
    errors,
    warnings,
    sources,
    origins
  };
}
