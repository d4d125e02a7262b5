// resumableUpload on a FilesClient (the posix one on a temporary folder; the CLI's tests run it
// against the real HDFS): resumes from what an interrupted run left, restarts when that differs.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../../errors.js';
import { PosixFilesClient } from '../../node/posixFiles.js';
import { resumableUpload, uploadTempPath, type UploadSource } from './upload.js';

const root = mkdtempSync(join(tmpdir(), 'radlab-upload-'));
const fs = new PosixFilesClient({ root });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);

function source(bytes: Uint8Array, fingerprint = 'v1'): UploadSource & { opened: number[] } {
  const opened: number[] = [];
  return {
    size: bytes.length,
    fingerprint,
    opened,
    async *open(offset: number) {
      opened.push(offset);
      for (let at = offset; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
    }
  };
}

describe('resumableUpload', () => {
  it('uploads through a temporary name and leaves nothing else behind', async () => {
    const seen: number[] = [];
    const s = await resumableUpload(fs, '/a.bin', source(data), {
      onProgress: p => seen.push(p.bytes)
    });
    expect(s.size).toBe(data.length);
    expect(seen.at(-1)).toBe(data.length);
    expect(readdirSync(root)).toEqual(['a.bin']);
  });

  it('resumes from the bytes an earlier run left', async () => {
    const temp = uploadTempPath('/b.bin', 'v1');
    await fs.write(temp, data.subarray(0, 100_000));
    const src = source(data);
    let resumed = -1;
    await resumableUpload(fs, '/b.bin', src, { onResume: o => (resumed = o) });
    expect(resumed).toBe(100_000);
    expect(src.opened.at(-1)).toBe(100_000);
    expect(await fs.readBytes('/b.bin')).toEqual(data);
    expect(await fs.exists(temp)).toBeUndefined();
  });

  it('starts again when the leftover does not match the source', async () => {
    const temp = uploadTempPath('/c.bin', 'v1');
    await fs.write(temp, new Uint8Array(100_000).fill(1));
    let resumed = -1;
    await resumableUpload(fs, '/c.bin', source(data), { onResume: o => (resumed = o) });
    expect(resumed).toBe(-1);
    expect(await fs.readBytes('/c.bin')).toEqual(data);
  });

  it('refuses an existing target unless asked, and a folder always', async () => {
    const e = await resumableUpload(fs, '/a.bin', source(data)).catch((x: unknown) => x);
    expect(RadlabError.isRadlabError(e) && e.code).toBe('conflict');
    await resumableUpload(fs, '/a.bin', source(data.subarray(0, 10), 'v2'), { overwrite: true });
    expect((await fs.stat('/a.bin')).size).toBe(10);
    await fs.mkdir('/dir');
    const d = await resumableUpload(fs, '/dir', source(data), { overwrite: true }).catch(
      (x: unknown) => x
    );
    expect(RadlabError.isRadlabError(d) && d.code).toBe('conflict');
  });

  it('a failing source leaves the target as it was', async () => {
    await fs.write('/d.bin', new TextEncoder().encode('old'));
    const failing: UploadSource = {
      size: 1000,
      fingerprint: 'f',
      async *open() {
        yield new Uint8Array(500);
        throw new Error('disk gone');
      }
    };
    await expect(resumableUpload(fs, '/d.bin', failing, { overwrite: true })).rejects.toThrow();
    expect(new TextDecoder().decode(await fs.readBytes('/d.bin'))).toBe('old');
    // and the next run completes it (resuming from what reached the disk, if any did)
    let resumed = -1;
    await resumableUpload(
      fs,
      '/d.bin',
      { ...source(new Uint8Array(1000)), fingerprint: 'f' },
      { overwrite: true, onResume: o => (resumed = o) }
    );
    expect([-1, 500]).toContain(resumed);
    expect(await fs.readBytes('/d.bin')).toEqual(new Uint8Array(1000));
  });
});
