// PosixFilesClient on a temporary folder standing in for a /mapr mount: the same contract as the
// WebHDFS client (paged list, ranges, atomic writes, conflicts, errors as RadlabError codes).

import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RadlabError } from '../errors.js';
import { failure } from '../testing/errors.js';
import { createNodeFilesClient } from './files.js';
import { PosixFilesClient } from './posixFiles.js';

const root = mkdtempSync(join(tmpdir(), 'radlab-posix-'));
let fs: PosixFilesClient;

async function expectError(p: Promise<unknown>, code: string): Promise<RadlabError> {
  const e = await failure(p);
  expect(e.code).toBe(code);
  return e;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += Buffer.from(c).toString('latin1');
  return out;
}

const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  fs = (await createNodeFilesClient({
    name: 'mapr',
    kind: 'files',
    protocol: 'posix',
    root
  })) as PosixFilesClient;
  mkdirSync(join(root, 'many'));
  for (let i = 0; i < 2500; i++)
    writeFileSync(join(root, 'many', `f${String(i).padStart(5, '0')}`), '');
  writeFileSync(join(root, 'odd name %#?é.txt'), 'odd');
  writeFileSync(join(root, 'abc.txt'), 'abcdefghij');
  symlinkSync('abc.txt', join(root, 'link.txt'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('PosixFilesClient (temporary folder as the mount)', () => {
  it('stats files, folders and symlinks under the root', async () => {
    expect(await fs.home()).toBe('/');
    const file = await fs.stat('/abc.txt');
    expect(file).toMatchObject({ name: 'abc.txt', path: '/abc.txt', type: 'file', size: 10 });
    expect(file.permission).toMatch(/^[0-7]{3,4}$/);
    expect((await fs.stat('/')).type).toBe('directory');
    expect(await fs.stat('/link.txt')).toMatchObject({ type: 'symlink', size: 10 });
    expect(await fs.exists('/nothing')).toBeUndefined();
    await expectError(fs.stat('/nothing'), 'notFound');
  });

  it('lists a big folder in pages of 1000, in name order, following startAfter', async () => {
    const first = await fs.list('/many');
    expect(first.entries).toHaveLength(1000);
    expect(first.entries[0]?.name).toBe('f00000');
    expect(first.remaining).toBe(1500);
    expect(first.next).toBe('f00999');
    const names: string[] = [];
    for await (const page of fs.pages('/many')) names.push(...page.entries.map(e => e.name));
    expect(names).toHaveLength(2500);
    expect(new Set(names).size).toBe(2500);
    expect(names[2499]).toBe('f02499');
  });

  it('reads byte ranges as a stream and in one buffer', async () => {
    expect(await collect(fs.read('/abc.txt'))).toBe('abcdefghij');
    expect(await collect(fs.read('/abc.txt', { offset: 3, length: 4 }))).toBe('defg');
    expect(Buffer.from(await fs.readBytes('/abc.txt', { offset: 8 })).toString()).toBe('ij');
    expect(Buffer.from(await fs.readBytes('/odd name %#?é.txt')).toString()).toBe('odd');
    await expectError(collect(fs.read('/nothing')), 'notFound');
  });

  it('writes through a temporary name, refuses to overwrite unless asked, appends', async () => {
    async function* chunks() {
      yield new TextEncoder().encode('hello ');
      yield new TextEncoder().encode('world');
    }
    const seen: number[] = [];
    const written = await fs.write('/new.txt', chunks(), { onProgress: p => seen.push(p.bytes) });
    expect(written.size).toBe(11);
    expect(seen.at(-1)).toBe(11);
    await expectError(fs.write('/new.txt', new Uint8Array([1])), 'conflict');
    await fs.write('/new.txt', new TextEncoder().encode('v2'), { overwrite: true });
    await fs.append('/new.txt', new TextEncoder().encode('+more'));
    expect(Buffer.from(await fs.readBytes('/new.txt')).toString()).toBe('v2+more');
    expect(readdirSync(root).filter(n => n.includes('.part'))).toEqual([]);
  });

  it('refuses a save over a version newer than the one opened', async () => {
    const opened = await fs.write('/doc.txt', new TextEncoder().encode('mine'));
    await new Promise(r => setTimeout(r, 20));
    await fs.write('/doc.txt', new TextEncoder().encode('theirs'), { overwrite: true });
    const e = await expectError(
      fs.write('/doc.txt', new TextEncoder().encode('mine v2'), {
        expectModified: opened.modified
      }),
      'conflict'
    );
    expect(e.details).toMatchObject({ reason: 'changed' });
    expect(Buffer.from(await fs.readBytes('/doc.txt')).toString()).toBe('theirs');
  });

  it('leaves no partial file when the data fails midway', async () => {
    async function* failing() {
      yield new Uint8Array(1000);
      throw new Error('the network went away');
    }
    await expect(fs.write('/partial.bin', failing())).rejects.toThrow();
    expect(await fs.exists('/partial.bin')).toBeUndefined();
    expect(readdirSync(root).filter(n => n.includes('partial'))).toEqual([]);
  });

  it('makes folders, renames without clobbering, deletes (recursively when asked)', async () => {
    await fs.mkdir('/a/b/c');
    expect((await fs.stat('/a/b/c')).type).toBe('directory');
    await fs.write('/a/b/c/x.txt', new TextEncoder().encode('x'));
    await fs.write('/a/y.txt', new TextEncoder().encode('y'));
    await expectError(fs.rename('/a/y.txt', '/a/b/c/x.txt'), 'conflict');
    await fs.rename('/a/y.txt', '/a/b/c/x.txt', { overwrite: true });
    expect(Buffer.from(await fs.readBytes('/a/b/c/x.txt')).toString()).toBe('y');
    await expectError(fs.delete('/a'), 'conflict');
    await fs.delete('/a', { recursive: true });
    expect(await fs.exists('/a')).toBeUndefined();
    await expectError(fs.delete('/'), 'badRequest');
    await expectError(fs.mkdir('/abc.txt'), 'conflict');
  });

  it('sums a folder, checksums a file, sets permissions', async () => {
    const sum = await fs.summary('/many');
    expect(sum).toMatchObject({ directoryCount: 1, fileCount: 2500, length: 0, quota: -1 });
    const c = await fs.checksum('/abc.txt');
    expect(c.algorithm).toBe('SHA-256');
    expect(c.bytes).toBe('72399361da6a7754fec986dca5b7cbaf1c810a28ded4abaf56b2106d06cb78b0');
    await fs.chmod('/abc.txt', '600');
    expect((await fs.stat('/abc.txt')).permission).toBe('600');
    await expectError(fs.chmod('/abc.txt', 'rwx'), 'badRequest');
  });

  it('refuses names that would escape the root', async () => {
    await expectError(fs.stat('/../etc/passwd'), 'badRequest');
    await expectError(fs.stat('relative'), 'badRequest');
    expect(fs.local('/x/y')).toBe(`${root}/x/y`);
  });

  it.skipIf(isRoot)('says forbidden for a folder this user may not read', async () => {
    mkdirSync(join(root, 'secret'));
    await chmod(join(root, 'secret'), 0o000);
    try {
      const e = await expectError(fs.list('/secret'), 'forbidden');
      expect(e.message).toContain('EACCES');
      expect(e.message).not.toContain(root);
    } finally {
      await chmod(join(root, 'secret'), 0o755);
    }
  });
});
