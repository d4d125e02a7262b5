// The one place the extension calls @radlab/core's node side: loading the merged connection sources and
// running a health check with a node transport. No `vscode` import.
import { toErrorJSON as coreToErrorJSON, type DrillClient } from '@radlab/core';
import type {
  ConnectionConfig,
  ConnectionSource,
  HealthResult,
  RadlabErrorJSON
} from '@radlab/core';
import {
  checkConnection,
  createNodeDrillClient,
  loadConnections,
  type SecretValues
} from '@radlab/core/node';

export interface LoadedConnection {
  config: ConnectionConfig;
  source: ConnectionSource;
}

export interface Loaded {
  connections: LoadedConnection[];
  errors: RadlabErrorJSON[];
  warnings: RadlabErrorJSON[];
}

/** Any failure as the JSON form the views show (core's toErrorJSON; a non-Radlab one counts as `config`). */
export function toErrorJSON(err: unknown, connection?: string): RadlabErrorJSON {
  return coreToErrorJSON(err, { connection, code: 'config' });
}

/**
 * The user setting's connections (already without secrets) merged over $RADLAB_CONFIG (else
 * ~/.config/radlab/connections.json) and $RADLAB_CONNECTIONS. Never throws.
 */
export async function loadAll(settingsConnections: unknown[]): Promise<Loaded> {
  try {
    const loaded = await loadConnections({
      extra: settingsConnections,
      extraSource: { kind: 'vscode', path: 'radlab.connections' }
    });
    return {
      connections: loaded.connections.map(config => ({
        config,
        source: loaded.origins[config.name]?.kind ?? 'vscode'
      })),
      errors: loaded.errors.map(e => toErrorJSON(e)),
      warnings: loaded.warnings.map(e => toErrorJSON(e))
    };
  } catch (err) {
    return { connections: [], errors: [toErrorJSON(err)], warnings: [] };
  }
}

/** A health check that never throws (a failure to build the transport is a `down` result). */
export async function check(
  config: ConnectionConfig,
  secrets: SecretValues,
  signal: AbortSignal
): Promise<HealthResult> {
  try {
    return await checkConnection(config, { secrets, signal });
  } catch (err) {
    return {
      connection: config.name,
      kind: config.kind,
      state: 'down',
      checkedAt: new Date().toISOString(),
      error: toErrorJSON(err, config.name)
    };
  }
}

/**
 * A DrillClient over a node transport (custom CA, skip-verify, token files). Throws RadlabError
 * `config` when the connection cannot be used (e.g. no password for basic auth).
 */
export async function createDrillClient(
  config: ConnectionConfig,
  secrets: SecretValues
): Promise<DrillClient> {
  return createNodeDrillClient(config, { secrets });
}
