// Test support: the local stack's real Prometheus (scripts/services/prometheus, http://127.0.0.1:9090).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PROMETHEUS_URL = `http://127.0.0.1:${process.env['RADLAB_PROMETHEUS_PORT'] ?? '9090'}`;

/** Starts Prometheus if it is not running (idempotent; returns once /-/ready answers). */
export function startPrometheus(): string {
  const script = fileURLToPath(new URL('../../../../scripts/services/prometheus', import.meta.url));
  execFileSync(script, ['start'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  return PROMETHEUS_URL;
}
