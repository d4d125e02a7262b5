// Test-only: the NIfTI geometry vectors (make_vectors.py nifti_geometry_vectors, dcm2niix series),
// regenerated when an older vector folder lacks them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureVectors, vectorsDir } from './vectors.js';

export function geometryVectors(): string {
  const dir = join(ensureVectors(), 'nifti/geom');
  const sentinel = join(dir, 'expected.json');
  if (!existsSync(sentinel)) {
    const script = resolve(vectorsDir, '../../../shared/test-vectors/imaging/make.sh');
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
  return dir;
}
