// `radlab files ls|stat|cat|get|put|mkdir|mv|rm|du URI`: MapR/HDFS files over HttpFS/WebHDFS or a
// posix mount, through core's FilesClient. URIs: maprfs:///path (the default files connection, or
// -c), maprfs://NAME/path, hdfs://NAME/path, /mapr/<cluster>/path under a posix root, a plain
// absolute path, or a path relative to the home folder. get/put stream (no whole-file buffers),
// draw a progress bar on a TTY's stderr, and put resumes an interrupted upload of the same file.
// Exit codes: 0 ok, 1 the file system failed, 2 usage or configuration, 130 interrupted.

import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat as localStat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  baseName,
  childPath,
  parseFilesUri,
  resolveFilesPath,
  resumableUpload,
  type ConnectionConfig,
  type FilesClient,
  type FileStatus
} from '@radlab/core';
import { createNodeFilesClient } from '@radlab/core/node';
import { EXIT_OK, loadNamed, pickConnection, type Io, type LoadFlags } from './connections.js';
import { configError, onSigint, printError, type OnInterrupt } from './failure.js';
import { formatBytes, ProgressBar } from './progress.js';
import { renderTable, stylerFor, type Cell } from './table.js';

export interface FilesFlags extends LoadFlags {
  connection?: string;
  json?: boolean;
  long?: boolean;
  recursive?: boolean;
  force?: boolean;
  offset?: number;
  length?: number;
  limit?: number;
  /** Ctrl-C (tests pass their own). */
  onInterrupt?: OnInterrupt;
}

interface Opened {
  client: FilesClient;
  conn: ConnectionConfig;
  path: string;
}

/** The client and absolute path `uri` names. */
async function open(uri: string | undefined, flags: FilesFlags, io: Io): Promise<Opened> {
  const loaded = await loadNamed(flags, io);
  const files = loaded.connections.filter(c => c.kind === 'files');
  const target = parseFilesUri(uri ?? '', files);
  if (target.connection && flags.connection && target.connection !== flags.connection) {
    throw configError(
      `${uri} names connection "${target.connection}" but -c says "${flags.connection}"`,
      'Give one of them.'
    );
  }
  const conn = await pickConnection(
    'files',
    { ...flags, connection: target.connection ?? flags.connection },
    io
  );
  const client = await createNodeFilesClient(conn, { env: io.env });
  const path =
    target.path?.startsWith('/') === true
      ? resolveFilesPath(target.path, '/')
      : resolveFilesPath(target.path, await client.home());
  return { client, conn, path };
}

/** Runs `work` with an AbortSignal that Ctrl-C fires; failures printed, exit code returned. */
async function guarded(
  flags: FilesFlags,
  io: Io,
  work: (signal: AbortSignal) => Promise<number>
): Promise<number> {
  const abort = new AbortController();
  const off = (flags.onInterrupt ?? onSigint)(() => abort.abort());
  try {
    return await work(abort.signal);
  } catch (e) {
    return printError(e, io);
  } finally {
    off();
  }
}

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function typeChar(s: FileStatus): string {
  return s.type === 'directory' ? 'd' : s.type === 'symlink' ? 'l' : '-';
}

/** Writes to stdout, waiting when the pipe is full. */
async function writeOut(io: Io, chunk: Uint8Array | string): Promise<void> {
  const out = io.stdout as { write(c: Uint8Array | string): boolean; once?: Writable['once'] };
  if (out.write(chunk) === false && out.once) {
    await new Promise<void>(resolve => out.once!('drain', () => resolve()));
  }
}

export async function filesLs(uri: string | undefined, flags: FilesFlags, io: Io): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    const styler = stylerFor(io.stdout.isTTY, io.env);
    let shown = 0;
    const limit = flags.limit ?? 0;
    // page by page: the first 1,000 names of a 100,000-file folder print at once
    for await (const page of client.pages(path, { signal })) {
      let entries = page.entries;
      if (limit > 0) entries = entries.slice(0, limit - shown);
      shown += entries.length;
      if (flags.json) {
        for (const e of entries) await writeOut(io, `${JSON.stringify(e)}\n`);
      } else if (flags.long) {
        const rows: Cell[][] = entries.map(e => [
          { text: `${typeChar(e)}${e.permission}` },
          { text: e.owner },
          { text: e.group },
          { text: e.type === 'directory' ? '-' : String(e.size) },
          { text: when(e.modified), style: styler.dim },
          { text: e.type === 'directory' ? `${e.name}/` : e.name }
        ]);
        const table = renderTable(
          ['MODE', 'OWNER', 'GROUP', 'SIZE', 'MODIFIED', 'NAME'],
          rows,
          styler
        );
        // the header once, on the first page
        await writeOut(io, shown === entries.length ? table : table.slice(table.indexOf('\n') + 1));
      } else {
        await writeOut(
          io,
          entries.map(e => (e.type === 'directory' ? `${e.name}/\n` : `${e.name}\n`)).join('')
        );
      }
      if (limit > 0 && shown >= limit) break;
    }
    return EXIT_OK;
  });
}

export async function filesStat(uri: string, flags: FilesFlags, io: Io): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    const s = await client.stat(path, { signal });
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return EXIT_OK;
    }
    const lines: [string, string][] = [
      ['path', s.path],
      ['type', s.type],
      ['size', `${s.size} (${formatBytes(s.size)})`],
      ['modified', new Date(s.modified).toISOString()],
      ['owner', `${s.owner}:${s.group}`],
      ['permission', s.permission]
    ];
    if (s.replication !== undefined) lines.push(['replication', String(s.replication)]);
    if (s.children !== undefined) lines.push(['entries', String(s.children)]);
    io.stdout.write(lines.map(([k, v]) => `${k.padEnd(12)}${v}\n`).join(''));
    return EXIT_OK;
  });
}

export async function filesCat(uri: string, flags: FilesFlags, io: Io): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    for await (const chunk of client.read(path, {
      signal,
      offset: flags.offset,
      length: flags.length
    })) {
      await writeOut(io, chunk);
    }
    return EXIT_OK;
  });
}

export async function filesGet(
  uri: string,
  local: string | undefined,
  flags: FilesFlags,
  io: Io
): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    const remote = await client.stat(path, { signal });
    if (remote.type === 'directory') {
      throw configError(`${path} is a folder`, 'radlab files get copies one file.');
    }
    let dest = local ?? baseName(path);
    const there = await localStat(dest).catch(() => undefined);
    if (there?.isDirectory()) dest = join(dest, baseName(path));
    else if (there && !flags.force) {
      throw configError(`${dest} exists`, 'Pass --force to replace it.');
    }
    // a temporary name beside the destination, renamed when complete: never a partial file
    const temp = join(dest, '..', `.${basename(dest)}.radlab-get-${process.pid}.part`);
    const bar = new ProgressBar(io.stderr, baseName(path), remote.size);
    try {
      await pipeline(
        Readable.from(client.read(path, { signal, onProgress: p => bar.update(p.bytes) })),
        createWriteStream(temp, { flags: 'wx' }),
        { signal }
      );
      const got = (await localStat(temp)).size;
      if (got !== remote.size) {
        throw configError(
          `${path}: got ${got} of ${remote.size} bytes`,
          'The file changed or the connection broke: run the same get again.'
        );
      }
      await rename(temp, dest);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    } finally {
      bar.done();
    }
    if (!bar.active) io.stderr.write(`${path} → ${dest} (${formatBytes(remote.size)})\n`);
    return EXIT_OK;
  });
}

export async function filesPut(
  local: string,
  uri: string,
  flags: FilesFlags,
  io: Io
): Promise<number> {
  return guarded(flags, io, async signal => {
    const info = await localStat(local).catch(() => undefined);
    if (!info?.isFile())
      throw configError(`${local} is not a file`, 'Give a local file to upload.');
    const { client, path: named } = await open(uri, flags, io);
    const at = await client.exists(named, { signal });
    const path =
      at?.type === 'directory' || uri.endsWith('/') ? childPath(named, basename(local)) : named;
    const bar = new ProgressBar(io.stderr, basename(local), info.size);
    let resumed = 0;
    try {
      await resumableUpload(
        client,
        path,
        {
          size: info.size,
          fingerprint: `${local}:${info.size}:${info.mtimeMs}`,
          open: offset => createReadStream(local, { start: offset, highWaterMark: 1 << 20 })
        },
        {
          signal,
          overwrite: flags.force,
          onProgress: p => bar.update(p.bytes),
          onResume: offset => {
            resumed = offset;
          }
        }
      );
    } finally {
      bar.done();
    }
    if (resumed > 0) {
      io.stderr.write(
        `resumed: ${formatBytes(resumed)} of ${formatBytes(info.size)} were already there\n`
      );
    }
    if (!bar.active) io.stderr.write(`${local} → ${path} (${formatBytes(info.size)})\n`);
    return EXIT_OK;
  });
}

export async function filesMkdir(uri: string, flags: FilesFlags, io: Io): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    await client.mkdir(path, { signal });
    return EXIT_OK;
  });
}

export async function filesMv(
  from: string,
  to: string,
  flags: FilesFlags,
  io: Io
): Promise<number> {
  return guarded(flags, io, async signal => {
    const src = await open(from, flags, io);
    const dst = await open(to, flags, io);
    if (src.conn.name !== dst.conn.name) {
      throw configError(
        `${from} and ${to} are on different connections (${src.conn.name}, ${dst.conn.name})`,
        'mv renames within one file system; copy with get and put.'
      );
    }
    const at = await src.client.exists(dst.path, { signal });
    const target = at?.type === 'directory' ? childPath(dst.path, baseName(src.path)) : dst.path;
    await src.client.rename(src.path, target, { signal, overwrite: flags.force });
    return EXIT_OK;
  });
}

export async function filesRm(uri: string, flags: FilesFlags, io: Io): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    if (path === '/') throw configError('refused to remove /', 'Name what to remove.');
    await client.delete(path, { signal, recursive: flags.recursive });
    return EXIT_OK;
  });
}

export async function filesDu(uri: string | undefined, flags: FilesFlags, io: Io): Promise<number> {
  return guarded(flags, io, async signal => {
    const { client, path } = await open(uri, flags, io);
    const s = await client.summary(path, { signal });
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ path, ...s }, null, 2)}\n`);
      return EXIT_OK;
    }
    const quota = (used: number, q: number, fmt: (n: number) => string): string =>
      q < 0 ? 'none' : `${fmt(used)} of ${fmt(q)} (${((used / q) * 100).toFixed(0)} %)`;
    io.stdout.write(
      [
        `path        ${path}`,
        `bytes       ${s.length} (${formatBytes(s.length)}; ${formatBytes(s.spaceConsumed)} with replicas)`,
        `files       ${s.fileCount}`,
        `folders     ${s.directoryCount}`,
        `name quota  ${quota(s.fileCount + s.directoryCount, s.quota, String)}`,
        `space quota ${quota(s.spaceConsumed, s.spaceQuota, formatBytes)}`,
        ''
      ].join('\n')
    );
    return EXIT_OK;
  });
}
