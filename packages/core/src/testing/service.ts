// Test support: starts a service of the local stack (scripts/services/NAME start, idempotent) and
// says why when it can't be had, so its tests skip with that reason.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** undefined when the service runs; else the script's last `error:` line (or its exit status). */
export function startService(name: string, timeoutMs: number): string | undefined {
  const run = spawnSync(join(REPO_ROOT, 'scripts/services', name), ['start'], {
    encoding: 'utf8',
    timeout: timeoutMs
  });
  if (run.status === 0) return undefined;
  const said = `${run.stderr ?? ''}`
    .split('\n')
    .filter(l => l.includes('error:'))
    .pop();
  return (
    said?.replace(/^\[radlab\] error: /, '') ??
    `scripts/services/${name} start exited ${run.status}`
  );
}
