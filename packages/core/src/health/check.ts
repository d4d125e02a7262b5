// checkHealth: one entry point for every kind, used by the CLI, VS Code and JupyterLab alike.
// It never throws; failures are in the result. The probe is the kind's (services/<kind>/health.ts).

import type { ConnectionConfig } from '../connection.js';
import { RadlabError, type ErrorService } from '../errors.js';
import { redact } from '../redact.js';
import type { Transport } from '../transport/transport.js';
import { serviceDefinition } from '../services/registry.js';
import type { HealthResult } from './types.js';

export interface CheckHealthOptions {
  transport: Transport;
  signal?: AbortSignal;
  /** files/posix: stats `root`; supplied by hosts that see the mount (node). */
  posixProbe?: (root: string) => Promise<void>;
}

function asRadlabError(e: unknown, conn: ConnectionConfig): RadlabError {
  if (RadlabError.isRadlabError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new RadlabError({
    code: 'badResponse',
    service: (conn.kind as ErrorService) ?? 'radlab',
    connection: conn.name,
    message: `health check failed: ${redact(message)}`
  });
}

export async function checkHealth(
  conn: ConnectionConfig,
  options: CheckHealthOptions
): Promise<HealthResult> {
  const started = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const elapsed = (): number =>
    Math.round((typeof performance !== 'undefined' ? performance.now() : Date.now()) - started);
  const base = { connection: conn.name, kind: conn.kind };
  try {
    const probe = serviceDefinition(conn.kind)?.probe;
    if (!probe) {
      throw new RadlabError({
        code: 'config',
        service: 'radlab',
        connection: conn.name,
        message: `unknown kind "${String(conn.kind)}"`
      });
    }
    const outcome = await probe({
      connection: conn,
      transport: options.transport,
      signal: options.signal,
      posixProbe: options.posixProbe
    });
    const result: HealthResult = {
      ...base,
      state: outcome.degraded ? 'degraded' : 'healthy',
      latencyMs: elapsed(),
      checkedAt: new Date().toISOString()
    };
    if (outcome.version) result.version = outcome.version;
    if (outcome.details && Object.keys(outcome.details).length > 0)
      result.details = outcome.details;
    if (outcome.degraded) result.error = outcome.degraded.toJSON();
    return result;
  } catch (e) {
    return {
      ...base,
      state: 'down',
      latencyMs: elapsed(),
      checkedAt: new Date().toISOString(),
      error: asRadlabError(e, conn).toJSON()
    };
  }
}
