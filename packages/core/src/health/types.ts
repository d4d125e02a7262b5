import type { RadlabErrorJSON } from '../errors.js';
import type { ServiceKind } from '../connection.js';

export type HealthState = 'healthy' | 'degraded' | 'down';

export interface HealthResult {
  connection: string;
  kind: ServiceKind;
  state: HealthState;
  /** Round trip of the check, in milliseconds. */
  latencyMs?: number;
  version?: string;
  /** ISO timestamp. */
  checkedAt: string;
  /** Service-specific facts worth showing (e.g. Livy session count, Drill drillbits). */
  details?: Record<string, string>;
  error?: RadlabErrorJSON;
}
