// Test support: the local stack's real Livy (scripts/services/livy start, idempotent). When Livy can't
// be had (its source release absent on a fresh clone), `unavailable` says why and the tests skip.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

export const LIVY_URL = `http://127.0.0.1:${process.env['RADLAB_LIVY_PORT'] ?? '8998'}`;
/** The directory Livy's livy.file.local-dir-whitelist allows batches to read from. */
export const LIVY_FILES_DIR =
  process.env['RADLAB_LIVY_FILES'] ??
  join(process.env['RADLAB_STATE'] ?? join(root, '.radlab'), 'livy', 'files');

function start(): string | undefined {
  const run = spawnSync(join(root, 'scripts/services/livy'), ['start'], {
    encoding: 'utf8',
    timeout: 1_200_000
  });
  if (run.status === 0) return undefined;
  const said = `${run.stderr ?? ''}`
    .split('\n')
    .filter(l => l.includes('error:'))
    .pop();
  return (
    said?.replace(/^\[radlab\] error: /, '') ?? `scripts/services/livy start exited ${run.status}`
  );
}

/** Why Livy is not available, or undefined when it answers on LIVY_URL. */
export const livyUnavailable: string | undefined = start();
if (livyUnavailable) console.warn(`Livy tests skipped: ${livyUnavailable}`);
