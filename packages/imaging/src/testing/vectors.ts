// Test-only: locate (and on first use generate) the real-file vectors made by
// shared/test-vectors/imaging/make.sh with dcmtk, gdcm, pydicom and nibabel.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const vectorsDir = join(root, '.radlab/test-vectors/imaging');

/** sha256 of the generators, as make.sh writes it to .stamp: a changed generator regenerates. */
function generatorHash(): string {
  const dir = join(root, 'shared/test-vectors/imaging');
  const hash = createHash('sha256');
  for (const f of ['make.sh', 'make_vectors.py', 'wrap_codestream.py']) {
    hash.update(readFileSync(join(dir, f)));
  }
  return hash.digest('hex');
}

function fresh(): boolean {
  const stamp = join(vectorsDir, '.stamp');
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === generatorHash();
}

export function ensureVectors(): string {
  if (!fresh()) {
    const script = join(root, 'shared/test-vectors/imaging/make.sh');
    // Under the lock, regenerate unless another process just did.
    execFileSync(
      'flock',
      [
        '/tmp/radlab-imaging-vectors.lock',
        'bash',
        '-c',
        `test "$(cat "$1" 2>/dev/null)" = "$3" || bash "$2" >/dev/null`,
        '_',
        join(vectorsDir, '.stamp'),
        script,
        generatorHash()
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] }
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
