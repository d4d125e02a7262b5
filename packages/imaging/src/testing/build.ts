// Test-only: build the package (incremental) so worker_threads tests run the current
// lib/worker/entry.js. Serialised with other builds of it by a lock file. A type error elsewhere
// in the package does not stop tsc from emitting, so only a missing entry fails here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(fileURLToPath(import.meta.url), '../../..');

export function buildImagingLib(): void {
  const tsc = join(pkg, '../../node_modules/.bin/tsc');
  const run = spawnSync('flock', ['/tmp/radlab-imaging-build.lock', tsc, '-b', pkg], {
    encoding: 'utf8'
  });
  if (!existsSync(join(pkg, 'lib/worker/entry.js'))) {
    throw new Error(`tsc -b ${pkg} did not emit lib/worker/entry.js:\n${run.stdout}${run.stderr}`);
  }
}
