// Test support: the local stack's real Livy (scripts/services/livy start, idempotent). When Livy can't
// be had (its source release absent on a fresh clone), `unavailable` says why and the tests skip.

import { join } from 'node:path';
import { REPO_ROOT as root, startService } from './service.js';

export const LIVY_URL = `http://127.0.0.1:${process.env['RADLAB_LIVY_PORT'] ?? '8998'}`;
/** The directory Livy's livy.file.local-dir-whitelist allows batches to read from. */
export const LIVY_FILES_DIR =
  process.env['RADLAB_LIVY_FILES'] ??
  join(process.env['RADLAB_STATE'] ?? join(root, '.radlab'), 'livy', 'files');

/** Why Livy is not available, or undefined when it answers on LIVY_URL. */
export const livyUnavailable: string | undefined = startService('livy', 1_200_000);
if (livyUnavailable) console.warn(`Livy tests skipped: ${livyUnavailable}`);
