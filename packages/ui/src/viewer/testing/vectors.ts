// Test-only (left out of the package): the real-file vectors made by
// shared/test-vectors/imaging/make.sh, generated on first use as @radlab/imaging's tests do.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageFile } from '../source.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
export const vectorsDir = join(root, '.radlab/test-vectors/imaging');

export function ensureVectors(): string {
  const sentinel = join(vectorsDir, 'nifti/int16_nifti2.nii');
  if (!existsSync(sentinel)) {
    const script = join(root, 'shared/test-vectors/imaging/make.sh');
    execFileSync(
      'flock',
      [
        '/tmp/radlab-imaging-vectors.lock',
        'bash',
        '-c',
        'test -f "$1" || bash "$2"',
        '_',
        sentinel,
        script
      ],
      { stdio: 'inherit' }
    );
  }
  return vectorsDir;
}

export function vector(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ensureVectors(), path)));
}

/** A vector as the hosts hand files to the viewer. */
export function vectorFile(path: string, name = basename(path)): ImageFile {
  const full = join(ensureVectors(), path);
  return { name, size: statSync(full).size, read: async () => new Uint8Array(readFileSync(full)) };
}
