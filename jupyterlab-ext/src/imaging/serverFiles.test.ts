// The lab's ImageFiles against a stand-in server speaking radlab/api/contents-{bytes,list}: the request
// URLs, the bytes, the .hdr/.img pairing and errors mapped back to RadlabError.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerConnection } from '@jupyterlab/services';
import { RadlabError } from '@radlab/core';
import { apiPath, documentSource, folderSource, pairedImage, serverFile } from './serverFiles.js';

const FILES: Record<string, Uint8Array> = {
  'scans/a b/IM1.dcm': new Uint8Array([1, 2, 3]),
  'scans/a b/IM2.dcm': new Uint8Array([4, 5]),
  'scans/brain.hdr': new Uint8Array([6]),
  'scans/BRAIN.IMG': new Uint8Array([7, 8]),
  'scans/seg.nii.gz': new Uint8Array([9]),
  'scans/SEG.txt': new TextEncoder().encode('1 liver 255 0 0 0\n'),
  'ranged/IM1.dcm': new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
};
const ranges: string[] = [];

let server: Server;
let settings: ServerConnection.ISettings;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${url.pathname}?${url.searchParams.toString()}`);
    const path = url.searchParams.get('path') ?? '';
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (url.pathname === '/radlab/api/contents-bytes' && range && path.startsWith('ranged/')) {
      // as radlab/server/files.py: one range, 206 with Content-Range, 416 past the end
      ranges.push(req.headers.range!);
      const all = FILES[path];
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), all.length - 1) : all.length - 1;
      if (start >= all.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${all.length}` });
        res.end();
        return;
      }
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${all.length}` });
      res.end(Buffer.from(all.subarray(start, end + 1)));
      return;
    }
    if (url.pathname === '/radlab/api/contents-bytes' && FILES[path]) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.from(FILES[path]));
      return;
    }
    if (url.pathname === '/radlab/api/contents-list') {
      const prefix = path ? `${path}/` : '';
      const files = Object.keys(FILES)
        .filter(p => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .map(p => ({ name: p.slice(prefix.length), size: FILES[p].length, mtime: 0 }));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path, files, truncated: false }));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json', 'X-Radlab-Error': '1' });
    res.end(
      JSON.stringify({
        code: 'notFound',
        service: 'radlab',
        message: `${path} does not exist`,
        hint: 'Check the path.',
        status: 404
      })
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  settings = ServerConnection.makeSettings({ baseUrl: base, wsUrl: base.replace('http', 'ws') });
});

afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

describe('server files', () => {
  it('normalizes contents paths', () => {
    expect(apiPath('/scans//a b/')).toBe('scans/a b');
    expect(apiPath('')).toBe('');
  });

  it('reads a folder as a series: every file, bytes from the bytes endpoint', async () => {
    const source = await folderSource('/scans/a b/', settings);
    expect(source.title).toBe('a b');
    expect(source.files.map(f => [f.name, f.size])).toEqual([
      ['IM1.dcm', 3],
      ['IM2.dcm', 2]
    ]);
    expect(Array.from(await source.files[1].read())).toEqual([4, 5]);
    expect(seen).toContain('/radlab/api/contents-bytes?path=scans%2Fa+b%2FIM2.dcm');
  });

  it('pairs an Analyze/NIfTI .hdr with its .img, whatever the case', async () => {
    expect(pairedImage('brain.hdr', [{ name: 'BRAIN.IMG', size: 2, mtime: 0 }])?.name).toBe(
      'BRAIN.IMG'
    );
    const source = await documentSource('scans/brain.hdr', settings);
    expect(source.files.map(f => f.name)).toEqual(['brain.hdr', 'BRAIN.IMG']);
    expect(Array.from(await source.files[1].read())).toEqual([7, 8]);
    const single = await documentSource('scans/a b/IM1.dcm', settings);
    expect(single.files.map(f => f.name)).toEqual(['IM1.dcm']);
  });

  it("turns the server's error answer into a RadlabError", async () => {
    const [file] = (await documentSource('scans/missing.dcm', settings)).files;
    const err = await file.read().catch((e: unknown) => e);
    expect(RadlabError.isRadlabError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'notFound', status: 404 });
    expect((err as Error).message).toContain('missing.dcm does not exist');
  });

  it("finds a label map's colour table beside it with one listing", async () => {
    const seg = serverFile('scans/seg.nii.gz', 1, settings);
    const found = await seg.sidecar!(['seg.label.json', 'seg.json', 'seg.txt']);
    expect(found?.name).toBe('SEG.txt');
    expect(new TextDecoder().decode(await found!.read())).toContain('liver');
    expect(await seg.sidecar!(['seg.lut', '../a b/IM1.dcm'])).toBeUndefined();
  });

  it('reads byte ranges (206), slices a whole answer from a server that ignores Range', async () => {
    const ranged = serverFile('ranged/IM1.dcm', 10, settings);
    expect(Array.from(await ranged.readRange!(2, 5))).toEqual([2, 3, 4]);
    expect(Array.from(await ranged.readRange!(7, undefined))).toEqual([7, 8, 9]);
    expect(Array.from(await ranged.readRange!(10, undefined))).toEqual([]);
    expect(Array.from(await ranged.readRange!(4, 4))).toEqual([]);
    expect(ranges).toEqual(['bytes=2-4', 'bytes=7-', 'bytes=10-']);
    const ignoring = serverFile('scans/a b/IM1.dcm', 3, settings);
    expect(Array.from(await ignoring.readRange!(1, undefined))).toEqual([2, 3]);
  });

  it('cancels a read', async () => {
    const [file] = (await documentSource('scans/a b/IM1.dcm', settings)).files;
    const abort = new AbortController();
    abort.abort();
    await expect(file.read(abort.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
