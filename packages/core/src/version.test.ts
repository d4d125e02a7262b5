import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RADLAB_VERSION } from './version.js';

describe('RADLAB_VERSION', () => {
  it('matches packages/core/package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(RADLAB_VERSION).toBe(pkg.version);
  });

  it('the generated schema module is up to date with shared/', async () => {
    const { execFileSync } = await import('node:child_process');
    const script = new URL('../scripts/gen-schema.mjs', import.meta.url).pathname;
    expect(() =>
      execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })
    ).not.toThrow();
  });
});
