import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalRange } from './localRange.js';

const dir = mkdtempSync(join(tmpdir(), 'radlab-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLocalRange', () => {
  it('reads [start, end), to the end without end, nothing past the end', async () => {
    const path = join(dir, 'IM1.dcm');
    writeFileSync(path, new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(Array.from(await readLocalRange(path, 2, 5))).toEqual([2, 3, 4]);
    expect(Array.from(await readLocalRange(path, 7, undefined))).toEqual([7, 8, 9]);
    expect(Array.from(await readLocalRange(path, 8, 100))).toEqual([8, 9]);
    expect(Array.from(await readLocalRange(path, 12, undefined))).toEqual([]);
  });

  it('fails for a missing file', async () => {
    await expect(readLocalRange(join(dir, 'nope'), 0, 10)).rejects.toMatchObject({
      code: 'ENOENT'
    });
  });
});
