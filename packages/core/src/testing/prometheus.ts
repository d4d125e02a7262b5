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

/**
 * The stack's GPU metrics: starts the DCGM-format exporter and Prometheus (idempotent) and waits until
 * Prometheus has scraped the exporter; a clear error if it never does (an older Prometheus of the
 * stack started without the exporter's scrape config: `scripts/services/prometheus start` reloads it).
 */
export async function startGpuMetrics(): Promise<string> {
  const exporter = fileURLToPath(
    new URL('../../../../scripts/services/dcgm-exporter', import.meta.url)
  );
  execFileSync(exporter, ['start'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  startPrometheus();
  const url = `${PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent('count(DCGM_FI_DEV_GPU_UTIL)')}`;
  for (let i = 0; i < 120; i++) {
    const body = (await (await fetch(url)).json()) as { data?: { result?: unknown[] } };
    if (body.data?.result?.length) return PROMETHEUS_URL;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `Prometheus at ${PROMETHEUS_URL} has no DCGM_FI_DEV_GPU_UTIL after 60 s: is it scraping the dcgm-exporter (.radlab/prometheus.d/dcgm.yml)? Run scripts/services/prometheus start to reload its configuration.`
  );
}
