// FolderPages on a real FilesClient (the posix one on a temporary folder, pages of 100): the first
// page on open, PAGE more per "Load more", a whole-folder answer shown PAGE at a time too.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PosixFilesClient } from '@radlab/core/node';
import { FolderPages, PAGE } from './pages.js';

const root = mkdtempSync(join(tmpdir(), 'radlab-pages-'));
mkdirSync(join(root, 'many'));
const COUNT = 2 * PAGE + 150;
for (let i = 0; i < COUNT; i++)
  closeSync(openSync(join(root, 'many', `f${String(i).padStart(5, '0')}`), 'w'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('FolderPages', () => {
  it('shows the first page, then PAGE more per call, asking the server only when needed', async () => {
    const client = new PosixFilesClient({ root, pageSize: 700 });
    let lists = 0;
    const counted = new Proxy(client, {
      get(target, key, receiver) {
        if (key === 'list') lists += 1;
        return Reflect.get(target, key, receiver) as unknown;
      }
    });
    const pages = new FolderPages(async () => counted);
    const first = await pages.open('c', '/many');
    // the server's page (700) is less than PAGE: what came is shown
    expect(first.entries).toHaveLength(700);
    expect(first.remaining).toBe(COUNT - 700);
    expect(lists).toBe(1);
    const again = await pages.open('c', '/many');
    expect(again.entries).toHaveLength(700);
    expect(lists).toBe(1);
    const second = await pages.more('c', '/many');
    expect(second.entries).toHaveLength(700 + PAGE);
    expect(second.entries[700]?.name).toBe('f00700');
    let last = second;
    while (last.remaining > 0) last = await pages.more('c', '/many');
    expect(last.entries).toHaveLength(COUNT);
    expect(new Set(last.entries.map(e => e.name)).size).toBe(COUNT);
    pages.forget('c', '/');
    expect((await pages.open('c', '/many')).entries).toHaveLength(700);
  });

  it('shows a whole-folder answer PAGE entries at a time', async () => {
    const pages = new FolderPages(async () => new PosixFilesClient({ root, pageSize: 100_000 }));
    const first = await pages.open('c', '/many');
    expect(first.entries).toHaveLength(PAGE);
    expect(first.remaining).toBe(COUNT - PAGE);
    const next = await pages.more('c', '/many');
    expect(next.entries).toHaveLength(2 * PAGE);
  });
});
