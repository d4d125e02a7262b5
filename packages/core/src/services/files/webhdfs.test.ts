// WebHdfsClient against the real local HDFS: HttpFS (port 14000, as MapR) and the NameNode's WebHDFS
// with its DataNode redirect, through the node host's client (streamed bodies).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../../errors.js';
import { createNodeFilesClient } from '../../node/files.js';
import {
  bigFileByte,
  DATANODE_URL,
  HDFS_BIG_MIB,
  HDFS_HOME,
  HDFS_USER,
  hdfsUnavailable,
  HTTPFS_URL,
  WEBHDFS_URL
} from '../../testing/hdfs.js';
import type { ConnectionConfig } from '../../connection.js';
import type { WebHdfsClient } from './webhdfs.js';

const run = `${HDFS_HOME}/tests/core-${process.pid}-${Date.now().toString(36)}`;

const connections: Record<'httpfs' | 'webhdfs', ConnectionConfig> = {
  httpfs: {
    name: 'test-httpfs',
    kind: 'files',
    protocol: 'httpfs',
    url: HTTPFS_URL,
    auth: { type: 'hdfsUser', user: HDFS_USER }
  },
  webhdfs: {
    name: 'test-webhdfs',
    kind: 'files',
    protocol: 'webhdfs',
    url: WEBHDFS_URL,
    auth: { type: 'hdfsUser', user: HDFS_USER },
    dataNodes: [DATANODE_URL]
  }
};

async function expectError(p: Promise<unknown>, code: string): Promise<RadlabError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  );
  expect(RadlabError.isRadlabError(e), String(e)).toBe(true);
  expect((e as RadlabError).code).toBe(code);
  return e as RadlabError;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const c of chunks) {
    parts.push(c);
    total += c.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe.skipIf(hdfsUnavailable !== undefined).each(['httpfs', 'webhdfs'] as const)(
  'files client over %s (real HDFS)',
  { timeout: 120_000 },
  protocol => {
    let fs: WebHdfsClient;
    const dir = `${run}/${protocol}`;

    beforeAll(async () => {
      fs = (await createNodeFilesClient(connections[protocol], {
        transport: { timeoutMs: 30_000 }
      })) as WebHdfsClient;
      await fs.mkdir(dir);
    });
    afterAll(async () => {
      await fs?.delete(dir, { recursive: true }).catch(() => undefined);
    });

    it('answers the home directory and the stat of a seeded file', async () => {
      expect(await fs.home()).toBe(HDFS_HOME);
      const csv = await fs.stat(`${HDFS_HOME}/sample/studies.csv`);
      expect(csv).toMatchObject({ name: 'studies.csv', type: 'file', owner: HDFS_USER });
      expect(csv.size).toBeGreaterThan(1000);
      expect((await fs.stat(`${HDFS_HOME}/sample`)).type).toBe('directory');
    });

    it('lists a folder in pages, in name order, without repeats', async () => {
      if (protocol === 'httpfs') {
        // HttpFS 3.4.1 answers LISTSTATUS_BATCH with the whole folder in one page (the 100,000-file
        // folder takes HttpFS ~30 s to write out: bench/files measures it); a small one here.
        const page = await fs.list(`${HDFS_HOME}/sample`);
        expect(page.entries.map(e => e.name)).toEqual([
          'series.json',
          'studies.csv',
          'studies_parquet'
        ]);
        expect(page.remaining).toBe(0);
        expect(page.next).toBeUndefined();
        return;
      }
      // The NameNode pages by dfs.ls.limit (1000).
      const first = await fs.list(`${HDFS_HOME}/many`);
      expect(first.entries.length).toBe(1000);
      expect(first.entries[0]?.name).toBe('file-000000.json');
      expect(first.remaining).toBe(99_000);
      const next = await fs.list(`${HDFS_HOME}/many`, { startAfter: first.next });
      expect(next.entries[0]?.name).toBe('file-001000.json');
      const names: string[] = [];
      for await (const page of fs.pages(`${HDFS_HOME}/many`)) {
        for (const e of page.entries) names.push(e.name);
      }
      expect(names.length).toBe(100_000);
      expect(new Set(names).size).toBe(100_000);
      expect(names.every((n, i) => i === 0 || (names[i - 1] as string) < n)).toBe(true);
      expect(names[99_999]).toBe('file-099999.json');
    });

    it('encodes spaces, %, #, ? and unicode in paths', async () => {
      const seeded = await fs.list(`${HDFS_HOME}/odd names`);
      const names = seeded.entries.map(e => e.name);
      expect(names).toContain('a b%23#?é.txt');
      expect(text(await fs.readBytes(`${HDFS_HOME}/odd names/a b%23#?é.txt`))).toBe('odd name\n');
      const odd = `${dir}/sp ace %41 #h ?q é 名.txt`;
      await fs.write(odd, bytes('odd\n'));
      expect((await fs.list(dir)).entries.map(e => e.name)).toContain('sp ace %41 #h ?q é 名.txt');
      const renamed = `${dir}/re named + 100% ü.txt`;
      await fs.rename(odd, renamed);
      expect(text(await fs.readBytes(renamed))).toBe('odd\n');
    });

    it('reads byte ranges, as a buffer and as a stream, of the multi-GB file', async () => {
      const big = `${HDFS_HOME}/big/big-${HDFS_BIG_MIB}MiB.bin`;
      const status = await fs.stat(big);
      expect(status.size).toBe(HDFS_BIG_MIB * 1024 * 1024);
      const offset = status.size - 5000;
      const tail = await fs.readBytes(big, { offset, length: 4096 });
      expect(tail.length).toBe(4096);
      expect(Array.from(tail.subarray(0, 4))).toEqual(
        [0, 1, 2, 3].map(i => bigFileByte(offset + i))
      );
      const streamed = await collect(fs.read(big, { offset: 3 << 20, length: 3 << 20 }));
      expect(streamed.length).toBe(3 << 20);
      expect(streamed[12345]).toBe(bigFileByte((3 << 20) + 12345));
    });

    it('writes whole or not at all, appends, and refuses to overwrite unless asked', async () => {
      const file = `${dir}/notes.txt`;
      const status = await fs.write(file, bytes('one\n'));
      expect(status.size).toBe(4);
      await fs.append(file, bytes('two\n'));
      expect(text(await fs.readBytes(file))).toBe('one\ntwo\n');
      const exists = await expectError(fs.write(file, bytes('x')), 'conflict');
      expect(exists.message).toContain('exists');
      await fs.write(file, bytes('three\n'), { overwrite: true });
      expect(text(await fs.readBytes(file))).toBe('three\n');
      // No temporary file is left beside it.
      expect((await fs.list(dir)).entries.filter(e => e.name.includes('.radlab-'))).toEqual([]);
    });

    it('streams a write of chunks and reports progress; a failing source leaves no file', async () => {
      const file = `${dir}/chunks.bin`;
      async function* source(fail: boolean): AsyncIterable<Uint8Array> {
        for (let i = 0; i < 8; i++) yield new Uint8Array(256 * 1024).fill(i);
        if (fail) throw new Error('source broke');
      }
      const seen: number[] = [];
      const status = await fs.write(file, source(false), { onProgress: p => seen.push(p.bytes) });
      expect(status.size).toBe(8 * 256 * 1024);
      expect(seen[seen.length - 1]).toBe(8 * 256 * 1024);
      const back = await fs.readBytes(file, { offset: 7 * 256 * 1024, length: 3 });
      expect(Array.from(back)).toEqual([7, 7, 7]);

      const broken = `${dir}/broken.bin`;
      await expect(fs.write(broken, source(true))).rejects.toThrow();
      expect(await fs.exists(broken)).toBeUndefined();
      expect((await fs.list(dir)).entries.filter(e => e.name.includes('.radlab-'))).toEqual([]);
    });

    it('refuses a save over a version changed since it was opened', async () => {
      const file = `${dir}/shared.ipynb`;
      const opened = await fs.write(file, bytes('{"v": 1}'));
      // someone else saves in between
      await new Promise(r => setTimeout(r, 5));
      await fs.write(file, bytes('{"v": 2}'), { overwrite: true });
      const e = await expectError(
        fs.write(file, bytes('{"v": 3}'), { expectModified: opened.modified }),
        'conflict'
      );
      expect(e.message).toContain('changed on the server');
      expect(text(await fs.readBytes(file))).toBe('{"v": 2}');
      const current = await fs.stat(file);
      await fs.write(file, bytes('{"v": 3}'), { expectModified: current.modified });
      expect(text(await fs.readBytes(file))).toBe('{"v": 3}');
    });

    it('makes folders, renames, sets permissions, deletes', async () => {
      await fs.mkdir(`${dir}/a/b`);
      await fs.write(`${dir}/a/b/f.txt`, bytes('f'));
      await fs.chmod(`${dir}/a/b/f.txt`, '600');
      expect((await fs.stat(`${dir}/a/b/f.txt`)).permission).toBe('600');
      await expectError(fs.chmod(`${dir}/a/b/f.txt`, 'rw-'), 'badRequest');
      await fs.write(`${dir}/a/g.txt`, bytes('g'));
      await expectError(fs.rename(`${dir}/a/g.txt`, `${dir}/a/b/f.txt`), 'conflict');
      await expectError(fs.rename(`${dir}/a/missing`, `${dir}/a/x`), 'notFound');
      const notEmpty = await fs.delete(`${dir}/a`).then(
        () => undefined,
        (err: unknown) => err
      );
      expect(RadlabError.isRadlabError(notEmpty)).toBe(true);
      expect(String((notEmpty as RadlabError).message)).toMatch(/not empty|non-empty/i);
      expect(await fs.exists(`${dir}/a/b/f.txt`)).toBeDefined();
      await fs.delete(`${dir}/a`, { recursive: true });
      expect(await fs.exists(`${dir}/a`)).toBeUndefined();
      await expectError(fs.delete(`${dir}/a`), 'notFound');
    });

    it('answers checksums, content summaries and quotas', async () => {
      const c = await fs.checksum(`${HDFS_HOME}/sample/studies.csv`);
      expect(c.algorithm).toMatch(/MD5-of-\d+MD5-of-\d+CRC32C?/);
      expect(c.bytes).toMatch(/^[0-9a-f]+$/);
      const s = await fs.summary(`${HDFS_HOME}/sample`);
      expect(s.fileCount).toBeGreaterThanOrEqual(3);
      expect(s.length).toBeGreaterThan(0);
      const q = await fs.summary(`${HDFS_HOME}/quota`);
      expect(q.quota).toBe(10);
      expect(q.spaceQuota).toBe(4 * 1024 * 1024);
    });

    it('says clearly what went wrong: not found, permission denied, quota exceeded', async () => {
      const missing = await expectError(fs.stat(`${dir}/nope.txt`), 'notFound');
      expect(missing.message).toContain('FileNotFoundException');
      const denied = await expectError(fs.list('/restricted'), 'forbidden');
      expect(denied.message).toContain('Permission denied');
      expect(denied.hint).toContain('permissions');
      // 4 MiB space quota, replication 1: a 1 MiB block allocation counts its whole block size.
      const over = await expectError(
        fs.write(`${HDFS_HOME}/quota/too-big-${protocol}.bin`, new Uint8Array(5 * 1024 * 1024)),
        'forbidden'
      );
      expect(over.message).toMatch(/quota/i);
      expect(await fs.exists(`${HDFS_HOME}/quota/too-big-${protocol}.bin`)).toBeUndefined();
      await expectError(fs.stat('relative/path'), 'badRequest');
      await expectError(fs.stat('/user/../etc'), 'badRequest');
    });

    it('cancels a read when the signal aborts', async () => {
      const controller = new AbortController();
      const chunks = fs.read(`${HDFS_HOME}/big/big-${HDFS_BIG_MIB}MiB.bin`, {
        signal: controller.signal
      });
      let got = 0;
      const e = await (async () => {
        for await (const c of chunks) {
          got += c.length;
          if (got > 1 << 20) controller.abort();
        }
      })().then(
        () => undefined,
        (err: unknown) => err
      );
      expect(e).toBeDefined();
      expect(got).toBeLessThan(HDFS_BIG_MIB * 1024 * 1024);
    });
  }
);

describe.skipIf(hdfsUnavailable !== undefined)('WebHDFS DataNode redirects', () => {
  it('are refused when the DataNode is not one the connection allows', async () => {
    const fs = await createNodeFilesClient({ ...connections.webhdfs, dataNodes: [] });
    const e = await expectError(fs.readBytes(`${HDFS_HOME}/sample/studies.csv`), 'config');
    expect(e.message).toContain('not an allowed DataNode');
    expect(e.hint).toContain('dataNodes');
  });
});
