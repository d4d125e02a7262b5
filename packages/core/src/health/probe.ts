// What every per-kind health check gets and gives back. The checks throw RadlabError on failure;
// check.ts turns that (and anything else) into a HealthResult.

import type { ConnectionConfig } from '../connection.js';
import { RadlabError, type ErrorService } from '../errors.js';
import type { Transport } from '../transport/transport.js';

export interface ProbeContext {
  connection: ConnectionConfig;
  transport: Transport;
  signal?: AbortSignal;
  posixProbe?: (root: string) => Promise<void>;
}

export interface ProbeOutcome {
  version?: string;
  details?: Record<string, string>;
  /** A secondary endpoint failed: the service answers but not fully. */
  degraded?: RadlabError;
}

export type Probe = (context: ProbeContext) => Promise<ProbeOutcome>;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error for a 2xx answer whose body is not what the service's API returns. */
export function wrongShape(context: ProbeContext, path: string, expected: string): RadlabError {
  return new RadlabError({
    code: 'badResponse',
    service: context.connection.kind as ErrorService,
    connection: context.connection.name,
    message: `GET ${path} did not return ${expected}`,
    hint: `Is ${context.transport.baseURL} a ${context.connection.kind} service? Check the connection URL.`,
    request: { method: 'GET', url: context.transport.url(path) }
  });
}

/**
 * Runs an optional secondary request (e.g. a version endpoint). A 404 means the service simply
 * lacks it; cancellation propagates; anything else marks the result degraded.
 */
export async function optional<T>(
  run: () => Promise<T>
): Promise<{ value?: T; error?: RadlabError }> {
  try {
    return { value: await run() };
  } catch (e) {
    if (RadlabError.isRadlabError(e)) {
      if (e.code === 'cancelled') throw e;
      if (e.code === 'notFound') return {};
      return { error: e };
    }
    throw e;
  }
}
