// The lab's files drive against the real local HDFS (WebHDFS NameNode + DataNode, the node client in
// place of the proxy): notebooks open and save in place, a save refuses a version it did not see,
// the lab's chunked upload becomes one streamed write (a cancelled one leaves the target as it was),
// names that would escape their folder are refused, and HDFS's refusals read clearly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contents, ServerConnection } from '@jupyterlab/services';
import type { WebHdfsClient } from '@radlab/core';
import { createNodeFilesClient } from '@radlab/core/node';
import {
  DATANODE_URL,
  HDFS_HOME,
  HDFS_USER,
  hdfsUnavailable,
  WEBHDFS_URL
} from '@radlab/core/testing/hdfs';
import { DRIVE_LIST_LIMIT, FilesDrive, drivePath } from './drive.js';

const run = `${HDFS_HOME}/tests/drive-${process.pid}-${Date.now().toString(36)}`;
const local = run.slice(1);

let client: WebHdfsClient;
let drive: FilesDrive;
const truncated: Array<{ path: string; shown: number; total: number }> = [];
const ended: string[] = [];

async function text(path: string): Promise<string> {
  return new TextDecoder().decode(await client.readBytes(path));
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error & { code?: string };
}

/** Sets a file's modification time on the NameNode (another user's save at a known moment). */
async function setModified(path: string, ms: number): Promise<void> {
  const url = `${WEBHDFS_URL}/webhdfs/v1${path}?op=SETTIMES&modificationtime=${ms}&user.name=${HDFS_USER}`;
  expect((await fetch(url, { method: 'PUT' })).ok).toBe(true);
}

function chunk(s: string): string {
  return Buffer.from(s).toString('base64');
}

describe.skipIf(hdfsUnavailable !== undefined)('FilesDrive on the real HDFS', () => {
  beforeAll(async () => {
    client = await createNodeFilesClient({
      name: 'drive-test',
      kind: 'files',
      protocol: 'webhdfs',
      url: WEBHDFS_URL,
      auth: { type: 'hdfsUser', user: HDFS_USER },
      dataNodes: [DATANODE_URL],
      timeoutMs: 60_000
    });
    await client.mkdir(run);
    drive = new FilesDrive({
      name: 'hdfs',
      client: () => client,
      serverSettings: {} as ServerConnection.ISettings,
      downloadUrl: path => `proxy${path}`,
      user: HDFS_USER,
      onTruncated: (path, shown, total) => truncated.push({ path, shown, total }),
      notices: {
        started: () => 'n',
        progress: () => undefined,
        ended: (_id, label, outcome) =>
          ended.push(
            `${label} ${'bytes' in outcome ? 'ok' : 'cancelled' in outcome ? 'cancelled' : 'failed'}`
          )
      }
    });
  });

  afterAll(async () => {
    drive?.dispose();
    await client?.delete(run, { recursive: true }).catch(() => undefined);
    await client
      ?.delete(`${HDFS_HOME}/.Trash/Current${run}`, { recursive: true })
      .catch(() => undefined);
  });

  it('makes a notebook, opens it, saves an edit in place', async () => {
    const created = await drive.newUntitled({ path: local, type: 'notebook' });
    expect(created.path).toBe(`${local}/untitled.ipynb`);
    const opened = await drive.get(created.path, { type: 'notebook', content: true });
    expect(opened.type).toBe('notebook');
    const nb = opened.content as { cells: unknown[] };
    expect(nb.cells).toEqual([]);
    nb.cells.push({ cell_type: 'markdown', metadata: {}, source: 'saved on HDFS' });
    const saved = await drive.save(created.path, { type: 'notebook', format: 'json', content: nb });
    expect(saved.last_modified >= opened.last_modified).toBe(true);
    expect(JSON.parse(await text(`${run}/untitled.ipynb`)).cells[0].source).toBe('saved on HDFS');
    // no temporary file left beside it
    const page = await client.list(run);
    expect(page.entries.map(e => e.name)).toEqual(['untitled.ipynb']);
  });

  it('refuses to replace a version it did not see, and saves once the lab asked', async () => {
    const path = `${local}/shared.txt`;
    await drive.save(path, { type: 'file', format: 'text', content: 'mine v1' });
    const opened = await drive.get(path, { type: 'file', format: 'text', content: true });
    // someone else saves, a second later (past the lab's 500 ms margin)
    await client.write(drivePath(path), new TextEncoder().encode('theirs'), { overwrite: true });
    await setModified(drivePath(path), Date.parse(opened.last_modified) + 1000);
    const e = await rejection(
      drive.save(path, { type: 'file', format: 'text', content: 'mine v2' })
    );
    expect(e.message).toContain('changed on the server since it was opened');
    expect(e.code).toBe('conflict');
    expect(await text(drivePath(path))).toBe('theirs');
    // the lab's own check (content: false) sees it and asks; its "Overwrite" then goes through
    await drive.get(path, { content: false });
    await drive.save(path, { type: 'file', format: 'text', content: 'mine v2' });
    expect(await text(drivePath(path))).toBe('mine v2');
  });

  it('makes the lab ask about a change inside its 500 ms margin; refuses one after its check', async () => {
    const path = `${local}/race.txt`;
    await drive.save(path, { type: 'file', format: 'text', content: 'mine' });
    const opened = await drive.get(path, { type: 'file', format: 'text', content: true });
    await client.write(drivePath(path), new TextEncoder().encode('theirs, just now'), {
      overwrite: true
    });
    // their save 100 ms after ours (set on the NameNode: this machine's writes take longer)
    await setModified(drivePath(path), Date.parse(opened.last_modified) + 100);
    const checked = await drive.get(path, { content: false });
    expect(Date.parse(checked.last_modified) - Date.parse(opened.last_modified)).toBeGreaterThan(
      500
    );

    // after the lab's check (no change then), someone saves before our write: refused
    const mine = await drive.save(path, { type: 'file', format: 'text', content: 'mine 2' });
    await drive.get(path, { content: false });
    await client.write(drivePath(path), new TextEncoder().encode('theirs again'), {
      overwrite: true
    });
    await setModified(drivePath(path), Date.parse(mine.last_modified) + 50);
    const e = await rejection(
      drive.save(path, { type: 'file', format: 'text', content: 'mine 3' })
    );
    expect(e.code).toBe('conflict');
    expect(await text(drivePath(path))).toBe('theirs again');
  });

  it("turns the lab's chunked upload into one write; a cancelled one leaves the target as it was", async () => {
    const path = `${local}/upload.bin`;
    await drive.save(path, {
      type: 'file',
      format: 'base64',
      chunk: 1,
      content: chunk('aaa')
    } as never);
    await drive.save(path, {
      type: 'file',
      format: 'base64',
      chunk: 2,
      content: chunk('bbb')
    } as never);
    const model = await drive.save(path, {
      type: 'file',
      format: 'base64',
      chunk: -1,
      content: chunk('cc')
    } as never);
    expect(model.size).toBe(8);
    expect(await text(drivePath(path))).toBe('aaabbbcc');
    expect(ended).toContain(`hdfs:${drivePath(path)} ok`);

    // a second upload over it, cancelled half-way (the drive is disposed: its uploads abort)
    const other = new FilesDrive({
      name: 'hdfs2',
      client: () => client,
      serverSettings: {} as ServerConnection.ISettings,
      downloadUrl: p => p
    });
    await other.save(path, {
      type: 'file',
      format: 'base64',
      chunk: 1,
      content: chunk('x'.repeat(1000))
    } as never);
    other.dispose();
    const e = await rejection(
      other.save(path, { type: 'file', format: 'base64', chunk: -1, content: chunk('y') } as never)
    );
    expect(e.message).toMatch(/without a first piece|cancelled/);
    await new Promise(r => setTimeout(r, 500));
    expect(await text(drivePath(path))).toBe('aaabbbcc');
    const names = (await client.list(run)).entries.map(x => x.name);
    expect(names.filter(n => n.endsWith('.part'))).toEqual([]);
  });

  it('renames, copies and deletes; a name that escapes its folder is refused', async () => {
    const from = `${local}/a.txt`;
    await drive.save(from, { type: 'file', format: 'text', content: 'A' });
    const renamed = await drive.rename(from, `${local}/b.txt`);
    expect(renamed.path).toBe(`${local}/b.txt`);
    const copy = await drive.copy(`${local}/b.txt`, local);
    expect(copy.name).toBe('b-Copy.txt');
    expect(await text(`${run}/b-Copy.txt`)).toBe('A');
    const escape = await rejection(drive.rename(`${local}/b.txt`, `${local}/../../b.txt`));
    expect(escape.message).toContain('dot segments');
    const exists = await rejection(drive.rename(`${local}/b.txt`, `${local}/b-Copy.txt`));
    expect(exists.message).toContain('the target exists');
    await drive.delete(`${local}/b-Copy.txt`);
    // moved to the trash (the lab says "Move to Trash"), its path kept
    expect(await text(`${HDFS_HOME}/.Trash/Current${run}/b-Copy.txt`)).toBe('A');
    const gone = await rejection(drive.get(`${local}/b-Copy.txt`));
    expect(gone.code).toBe('notFound');
    expect((gone as Error & { response?: { status: number } }).response?.status).toBe(404);
  });

  it('says permission denied and quota exceeded plainly', async () => {
    const denied = await rejection(drive.get('restricted'));
    expect(denied.code).toBe('forbidden');
    expect(denied.message).toContain('Permission denied');
    const quota = await rejection(
      drive.save(`${HDFS_HOME.slice(1)}/quota/drive-${process.pid}.txt`, {
        type: 'file',
        format: 'text',
        content: 'over quota'
      })
    );
    expect(quota.message).toMatch(/quota/i);
  });

  it('gives the lab browser the first entries of a huge folder and says how many there are', async () => {
    const model = await drive.get(`${HDFS_HOME.slice(1)}/many`, { content: true });
    expect((model.content as Contents.IModel[]).length).toBe(DRIVE_LIST_LIMIT);
    expect(truncated).toEqual([
      { path: `${HDFS_HOME}/many`, shown: DRIVE_LIST_LIMIT, total: 100_000 }
    ]);
  });
});
