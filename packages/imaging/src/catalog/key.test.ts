import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogDir, catalogKey } from './key.js';

describe('catalog key and folder', () => {
  it('follows the stack for the folder (the same cases as test_catalog.py)', () => {
    expect(catalogDir({ RADLAB_CATALOG_DIR: '/c' })).toBe('/c');
    expect(catalogDir({ RADLAB_DRILL_CATALOG: '/d' })).toBe('/d');
    expect(catalogDir({ RADLAB_STATE: '/s' })).toBe('/s/data/drill/catalog');
    expect(catalogDir({ HOME: '/h' })).toBe('/h/.radlab/catalog');
  });

  it('makes the key once, private, and reads it after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radlab-key-'));
    const env = { RADLAB_CATALOG_KEY_FILE: join(dir, 'sub', 'catalog.key') };
    const first = await catalogKey(env);
    expect(first.length).toBe(32);
    expect(statSync(env.RADLAB_CATALOG_KEY_FILE).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await catalogKey(env)).equals(Buffer.from(first))).toBe(true);
  });
});
