// The one-line summary of a health result shown by the CLI, the VS Code tree and the lab panel:
// `healthy · 12 ms · v2.42.0`, `down · unreachable: connection refused to 127.0.0.1:1`.

import type { HealthResult } from './types.js';

export const SEPARATOR = ' · ';

/** `v2.42.0` for `2.42.0`; versions that already start with v (Kubernetes) are kept. */
export function formatVersion(version: string): string {
  return /^\d/.test(version) ? `v${version}` : version;
}

export function describeHealth(result: HealthResult): string {
  const parts: string[] = [result.state];
  if (result.state !== 'down' && result.latencyMs !== undefined)
    parts.push(`${result.latencyMs} ms`);
  if (result.version) parts.push(formatVersion(result.version));
  if (result.error) parts.push(`${result.error.code}: ${result.error.message}`);
  return parts.join(SEPARATOR);
}
