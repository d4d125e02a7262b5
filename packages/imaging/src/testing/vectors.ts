// Test-only: locate (and on first use generate) the real-file vectors made by
// shared/test-vectors/imaging/make.sh with dcmtk, gdcm, pydicom and nibabel.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const vectorsDir = join(root, '.radlab/test-vectors/imaging');

export function ensureVectors(): string {
  if (!existsSync(join(vectorsDir, 'nifti/int16_nifti2.nii'))) {
    const script = join(root, 'shared/test-vectors/imaging/make.sh');
    const sentinel = join(vectorsDir, 'nifti/int16_nifti2.nii');
    execFileSync(
      'flock',
      [
        '/tmp/radlab-imaging-vectors.lock',
        'bash',
        '-c',
        `test -f "$1" || bash "$2"`,
        '_',
        sentinel,
        script
      ],
      {
        stdio: 'inherit'
      }
    );
  }
  return vectorsDir;
}

export function vector(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(ensureVectors(), path)));
}

/** g[y, x] = y * 64 + x, the 64×64 grey gradient. */
export function grey(): number[] {
  return Array.from({ length: 64 * 64 }, (_, i) => i);
}

/** (x * 8, y * 8, (x + y) * 4) on 32×32, interleaved. */
export function rgb(): number[] {
  const out: number[] = [];
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out.push(x * 8, y * 8, (x + y) * 4);
  return out;
}
