// Spawns the built CLI (bin/radlab.js) against the local stack's real HDFS (HttpFS as MapR serves it,
// the NameNode's WebHDFS) and a temporary folder standing in for a /mapr mount.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI_BIN, runCli, type CliRun } from './testing/cli.js';
import { uploadTempPath, type FilesClient } from '@radlab/core';
import { createNodeFilesClient } from '@radlab/core/node';
import {
  DATANODE_URL,
  HDFS_HOME,
  HDFS_USER,
  hdfsUnavailable,
  HTTPFS_URL,
  WEBHDFS_URL
} from '@radlab/core/testing/hdfs';

const work = mkdtempSync(join(tmpdir(), 'radlab-files-cli-'));
const mount = join(work, 'mapr', 'my.cluster.com');
const config = join(work, 'connections.json');
const run = `${HDFS_HOME}/tests/cli-${process.pid}-${Date.now().toString(36)}`;

const httpfs = {
  name: 'hdfs',
  kind: 'files' as const,
  protocol: 'httpfs' as const,
  url: HTTPFS_URL,
  auth: { type: 'hdfsUser' as const, user: HDFS_USER }
};

function radlab(args: string[], timeout = 120_000): Promise<CliRun> {
  return runCli(['-c', config, ...args], { home: work, cwd: work, timeout });
}

function sha(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** SHA-256 of a file on HDFS, streamed. */
async function remoteSha(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.read(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** A local file of `mib` MiB of varied bytes. */
function localFile(name: string, mib: number): string {
  const path = join(work, name);
  const buf = Buffer.alloc(mib << 20);
  for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE((i * 2654435761) >>> 0, i);
  writeFileSync(path, buf);
  return path;
}

let fs: FilesClient;

beforeAll(async () => {
  buildCli();
  mkdirSync(mount, { recursive: true });
  writeFileSync(
    config,
    JSON.stringify({
      connections: [
        httpfs,
        {
          name: 'nn',
          kind: 'files',
          protocol: 'webhdfs',
          url: WEBHDFS_URL,
          auth: { type: 'hdfsUser', user: HDFS_USER },
          dataNodes: [DATANODE_URL]
        },
        { name: 'mount', kind: 'files', protocol: 'posix', root: mount }
      ]
    })
  );
  if (hdfsUnavailable) return;
  fs = await createNodeFilesClient(httpfs);
  await fs.mkdir(run);
}, 900_000);

afterAll(async () => {
  if (!hdfsUnavailable) await fs.delete(run, { recursive: true });
});

describe.skipIf(hdfsUnavailable !== undefined)(
  'radlab files (real HDFS)',
  { timeout: 300_000 },
  () => {
    it('lists the 100,000-file folder page by page over WebHDFS', async () => {
      const r = await radlab(['files', 'ls', `hdfs://nn${HDFS_HOME}/many`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const names = r.stdout.trim().split('\n');
      expect(names).toHaveLength(100_000);
      expect(names[0]).toBe('file-000000.json');
      expect(names[99_999]).toBe('file-099999.json');
    });

    it('lists with details, limits, and paths relative to the home folder', async () => {
      const r = await radlab(['files', 'ls', '-l', 'sample', '--limit', '3']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^MODE\s+OWNER\s+GROUP\s+SIZE\s+MODIFIED\s+NAME$/);
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/^[-d][0-7]{3}\s+radlab\s/);
    });

    it('puts, stats, cats a range of, gets and removes a file (streamed)', async () => {
      const local = localFile('up.bin', 24);
      const target = `maprfs://${run}/up.bin`;
      const put = await radlab(['files', 'put', local, target]);
      expect(put.stderr).toContain(`→ ${run}/up.bin (24.0 MiB)`);
      expect(put.code).toBe(0);

      const stat = await radlab(['files', 'stat', '--json', target]);
      expect(JSON.parse(stat.stdout)).toMatchObject({ type: 'file', size: 24 << 20 });

      const cat = await radlab(['files', 'cat', '--offset', '1000', '--length', '8', target]);
      expect(cat.code).toBe(0);
      expect(Buffer.from(cat.stdout, 'latin1').length).toBeGreaterThan(0);

      const get = await radlab(['files', 'get', target, join(work, 'down.bin')]);
      expect(get.code).toBe(0);
      expect(sha(readFileSync(join(work, 'down.bin')))).toBe(sha(readFileSync(local)));

      const again = await radlab(['files', 'put', local, target]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('radlab: conflict:');
      expect(again.stderr).toContain('--force');

      const rm = await radlab(['files', 'rm', target]);
      expect(rm.code).toBe(0);
      expect(await fs.exists(`${run}/up.bin`)).toBeUndefined();
    });

    it('resumes an upload from the bytes an earlier run left, and ignores a wrong leftover', async () => {
      const local = localFile('resume.bin', 8);
      const bytes = readFileSync(local);
      const target = `${run}/resume.bin`;
      // what an interrupted run leaves: the temp file with the first 3 MiB
      const info = statSync(local);
      const temp = uploadTempPath(target, `${local}:${info.size}:${info.mtimeMs}`);
      await fs.write(temp, bytes.subarray(0, 3 << 20));
      const r = await radlab(['files', 'put', local, `maprfs://${target}`]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('resumed: 3.00 MiB of 8.00 MiB were already there');
      expect(sha(Buffer.from(await fs.readBytes(target)))).toBe(sha(bytes));
      expect(await fs.exists(temp)).toBeUndefined();

      // a leftover whose last bytes differ from the file is not kept
      await fs.write(temp, Buffer.alloc(1 << 20, 7));
      const forced = await radlab(['files', 'put', '--force', local, `maprfs://${target}`]);
      expect(forced.code).toBe(0);
      expect(forced.stderr).not.toContain('resumed');
      expect(sha(Buffer.from(await fs.readBytes(target)))).toBe(sha(bytes));
    });

    it('a put killed midway leaves the target alone; the next put completes it', async () => {
      const local = localFile('killed.bin', 96);
      const target = `${run}/killed.bin`;
      await fs.write(target, Buffer.from('the old version'));
      const child = spawn(
        process.execPath,
        [CLI_BIN, '-c', config, 'files', 'put', '-f', local, `maprfs://${target}`],
        {
          env: { PATH: process.env['PATH'] ?? '', HOME: work },
          stdio: 'ignore'
        }
      );
      // kill it once the temp file has some bytes (or when it is done, on a fast machine)
      const info = statSync(local);
      const temp = uploadTempPath(target, `${local}:${info.size}:${info.mtimeMs}`);
      const exited = new Promise(resolve => child.once('exit', resolve));
      for (let i = 0; i < 600; i++) {
        const t = await fs.exists(temp);
        if ((t && t.size > 0) || child.exitCode !== null) break;
        await new Promise(r => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      await exited;
      // either untouched or complete: never partial
      expect([sha(Buffer.from('the old version')), sha(readFileSync(local))]).toContain(
        await remoteSha(target)
      );
      const r = await radlab(['files', 'put', '-f', local, `maprfs://${target}`]);
      expect(r.stderr + r.stdout).not.toContain('radlab:');
      expect(r.code).toBe(0);
      expect(await remoteSha(target)).toBe(sha(readFileSync(local)));
      expect(await fs.exists(temp)).toBeUndefined();
    });

    it('makes folders, moves into them, sums them', async () => {
      expect((await radlab(['files', 'mkdir', `maprfs://${run}/a/b`])).code).toBe(0);
      await fs.write(`${run}/x.txt`, Buffer.from('twelve bytes'));
      expect(
        (await radlab(['files', 'mv', `maprfs://${run}/x.txt`, `maprfs://${run}/a/b`])).code
      ).toBe(0);
      expect(await fs.exists(`${run}/a/b/x.txt`)).toMatchObject({ size: 12 });
      const du = await radlab(['files', 'du', '--json', `maprfs://${run}/a`]);
      expect(JSON.parse(du.stdout)).toMatchObject({ fileCount: 1, directoryCount: 2, length: 12 });
      const rmDir = await radlab(['files', 'rm', `maprfs://${run}/a`]);
      expect(rmDir.code).toBe(1);
      expect(rmDir.stderr).toContain('radlab: conflict:');
      expect((await radlab(['files', 'rm', '-r', `maprfs://${run}/a`])).code).toBe(0);
    });

    it('reads names with spaces, %, #, ? and unicode as written', async () => {
      const r = await radlab(['files', 'cat', `${HDFS_HOME}/odd names/a b%23#?é.txt`]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('odd name\n');
    });

    it('says what failed: not found, permission, quota, an unknown connection', async () => {
      const missing = await radlab(['files', 'stat', `maprfs://${run}/nothing`]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('radlab: notFound:');
      const denied = await radlab(['files', 'ls', 'maprfs:///restricted']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('radlab: forbidden:');
      const q = localFile('q.bin', 6);
      const quota = await radlab(['files', 'put', q, `maprfs://${HDFS_HOME}/quota/q.bin`]);
      expect(quota.code).toBe(1);
      expect(quota.stderr).toMatch(/radlab: forbidden: .*Quota/);
      expect(await fs.exists(`${HDFS_HOME}/quota/q.bin`)).toBeUndefined();
      // a refusal leaves no temporary file behind (a retry would meet the same quota)
      const info = statSync(q);
      const temp = uploadTempPath(`${HDFS_HOME}/quota/q.bin`, `${q}:${info.size}:${info.mtimeMs}`);
      expect(await fs.exists(temp)).toBeUndefined();
      const unknown = await radlab(['files', 'ls', 'hdfs://elsewhere/x']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('"elsewhere" is not a files connection');
    });
  }
);

describe('radlab files on a /mapr mount (posix)', { timeout: 60_000 }, () => {
  it('puts, lists and gets through the mount path', async () => {
    const local = localFile('m.bin', 2);
    const put = await radlab(['files', 'put', local, `${mount}/data/`]);
    expect(put.stderr).toContain('radlab: notFound:');
    mkdirSync(join(mount, 'data'));
    expect((await radlab(['files', 'put', local, `${mount}/data/`])).code).toBe(0);
    expect(readdirSync(join(mount, 'data'))).toEqual(['m.bin']);
    const ls = await radlab(['files', 'ls', '-c', 'mount', '/data']);
    expect(ls.stdout).toBe('m.bin\n');
    const get = await radlab(['files', 'get', 'maprfs://mount/data/m.bin', join(work, 'm2.bin')]);
    expect(get.code).toBe(0);
    expect(sha(readFileSync(join(work, 'm2.bin')))).toBe(sha(readFileSync(local)));
  });
});
