// PosixFilesClient: a mounted file system (MapR's /mapr/<cluster> POSIX mount, NFS, a local folder)
// behind the same FilesClient as WebHDFS/HttpFS. Paths are those of the file system ('/' is `root`);
// a path is joined under `root` only after normalizePath refused '.', '..' and control characters,
// so no name escapes the root lexically (symlinks inside the mount are followed as the OS does).
// Writes go to a temporary name beside the target and are renamed into place, as over WebHDFS.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RadlabError, type ErrorCode } from '../errors.js';
import { BY_EXCEPTION } from '../services/files/errors.js';
import { baseName, childPath, normalizePath } from '../services/files/paths.js';
import { allPages, checkWriteTarget, tempBeside } from '../services/files/writeTarget.js';
import type {
  CallOptions,
  ContentSummary,
  DeleteOptions,
  FileChecksum,
  FilesClient,
  FileStatus,
  ListPage,
  ReadOptions,
  RenameOptions,
  TransferProgress,
  WriteData,
  WriteOptions
} from '../services/files/types.js';

export interface PosixFilesClientOptions {
  /** The mounted root, e.g. /mapr/my.cluster.com. */
  root: string;
  /** The connection's name, for errors. */
  connection?: string;
  /** Entries per page of `list` (default 1000, as a NameNode's dfs.ls.limit). */
  pageSize?: number;
}

const ERRNO: Readonly<Record<string, { code: ErrorCode; hint: string } | undefined>> = {
  ENOENT: BY_EXCEPTION['FileNotFoundException'],
  EACCES: BY_EXCEPTION['AccessControlException'],
  EPERM: BY_EXCEPTION['AccessControlException'],
  EROFS: { code: 'forbidden', hint: 'The file system is mounted read-only.' },
  EEXIST: BY_EXCEPTION['FileAlreadyExistsException'],
  ENOTEMPTY: BY_EXCEPTION['PathIsNotEmptyDirectoryException'],
  EISDIR: { code: 'conflict', hint: 'The path is a folder.' },
  ENOTDIR: BY_EXCEPTION['ParentNotDirectoryException'],
  EDQUOT: BY_EXCEPTION['QuotaExceededException'],
  ENOSPC: { code: 'forbidden', hint: 'The file system is full: free space.' },
  ESTALE: {
    code: 'unreachable',
    hint: 'The mount went stale (the file system restarted?): remount it.'
  },
  EIO: { code: 'server', hint: 'The file system reported an I/O error: try again.' },
  ETIMEDOUT: { code: 'timeout', hint: 'The mounted file system did not answer in time.' }
};

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(3, '0');
}

export class PosixFilesClient implements FilesClient {
  readonly protocol = 'posix' as const;
  private readonly root: string;
  private readonly pageSize: number;

  constructor(private readonly options: PosixFilesClientOptions) {
    const root = options.root.replace(/\/+$/, '');
    this.root = root === '' ? '' : normalizePath(root);
    this.pageSize = options.pageSize ?? 1000;
  }

  /** The OS path of a file-system path (under root). */
  local(path: string): string {
    const p = normalizePath(path);
    return p === '/' ? this.root || '/' : `${this.root}${p}`;
  }

  private fail(e: unknown, op: string, path: string): RadlabError {
    if (RadlabError.isRadlabError(e)) return e;
    if ((e as Error | undefined)?.name === 'AbortError') {
      return new RadlabError({
        code: 'cancelled',
        service: 'files',
        connection: this.options.connection,
        message: `${op} ${path}: cancelled`
      });
    }
    const errno = (e as { code?: unknown }).code;
    const known = typeof errno === 'string' ? ERRNO[errno] : undefined;
    return new RadlabError({
      code: known?.code ?? 'server',
      service: 'files',
      connection: this.options.connection,
      message: `${op} ${path}: ${typeof errno === 'string' ? errno : (e as Error).message}`,
      hint: known?.hint,
      details: typeof errno === 'string' ? { errno } : undefined,
      // the OS message names the local path (the mount root), not a secret
      cause: e instanceof Error ? new Error(e.message) : undefined
    });
  }

  private async guard<T>(op: string, path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw this.fail(e, op, path);
    }
  }

  private toStatus(path: string, info: Stats, link?: Stats): FileStatus {
    const shown = link ?? info;
    const type = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : 'file';
    return {
      name: path === '/' ? '' : baseName(path),
      path,
      type,
      size: type === 'directory' ? 0 : shown.size,
      modified: Math.floor(shown.mtimeMs),
      accessed: Math.floor(shown.atimeMs),
      owner: String(shown.uid),
      group: String(shown.gid),
      permission: octal(shown.mode),
      blockSize: shown.blksize
    };
  }

  private async statOf(path: string): Promise<FileStatus> {
    const local = this.local(path);
    const info = await lstat(local);
    if (!info.isSymbolicLink()) return this.toStatus(path, info);
    // a symlink: its target's size and times (a dangling one: the link's own)
    const target = await stat(local).catch(() => undefined);
    const status = this.toStatus(path, info, target);
    return target?.isDirectory() ? { ...status, type: 'directory', size: 0 } : status;
  }

  async home(): Promise<string> {
    return '/';
  }

  async stat(path: string, options: CallOptions = {}): Promise<FileStatus> {
    options.signal?.throwIfAborted();
    const p = normalizePath(path);
    return this.guard('stat', p, () => this.statOf(p));
  }

  async exists(path: string, options: CallOptions = {}): Promise<FileStatus | undefined> {
    try {
      return await this.stat(path, options);
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'notFound') return undefined;
      throw e;
    }
  }

  async list(path: string, options: CallOptions & { startAfter?: string } = {}): Promise<ListPage> {
    const dir = normalizePath(path);
    return this.guard('list', dir, async () => {
      options.signal?.throwIfAborted();
      const info = await stat(this.local(dir));
      if (!info.isDirectory()) {
        // as LISTSTATUS of a file: the file itself
        return { entries: [this.toStatus(dir, info)], remaining: 0 };
      }
      // readdir of 100,000 names is ~50 ms; only the page's entries are stat'ed
      const names = (await readdir(this.local(dir))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      let from = 0;
      if (options.startAfter !== undefined) {
        const after = options.startAfter;
        let lo = 0;
        let hi = names.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((names[mid] as string) <= after) lo = mid + 1;
          else hi = mid;
        }
        from = lo;
      }
      const slice = names.slice(from, from + this.pageSize);
      const entries: FileStatus[] = [];
      const batch = 64;
      for (let i = 0; i < slice.length; i += batch) {
        options.signal?.throwIfAborted();
        const part = await Promise.all(
          slice.slice(i, i + batch).map(name =>
            this.statOf(childPath(dir, name)).catch((e: unknown) => {
              // removed between readdir and stat: left out
              if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
              throw e;
            })
          )
        );
        for (const s of part) if (s) entries.push(s);
      }
      const remaining = Math.max(0, names.length - from - slice.length);
      const last = slice[slice.length - 1];
      return { entries, remaining, next: remaining > 0 ? last : undefined };
    });
  }

  pages(path: string, options: CallOptions = {}): AsyncIterable<ListPage> {
    return allPages((p, o) => this.list(p, o), path, options);
  }

  async summary(path: string, options: CallOptions = {}): Promise<ContentSummary> {
    const top = normalizePath(path);
    return this.guard('summary', top, async () => {
      const sum: ContentSummary = {
        directoryCount: 0,
        fileCount: 0,
        length: 0,
        quota: -1,
        spaceConsumed: 0,
        spaceQuota: -1
      };
      const walk = async (local: string): Promise<void> => {
        options.signal?.throwIfAborted();
        const info = await lstat(local);
        if (info.isDirectory()) {
          sum.directoryCount += 1;
          for (const name of await readdir(local)) await walk(`${local}/${name}`);
        } else {
          sum.fileCount += 1;
          sum.length += info.size;
          sum.spaceConsumed += info.blocks * 512;
        }
      };
      await walk(this.local(top));
      return sum;
    });
  }

  /** SHA-256 of the file's bytes (HDFS's MD5-of-CRC32C is not available on a mount). */
  async checksum(path: string, options: CallOptions = {}): Promise<FileChecksum> {
    const p = normalizePath(path);
    return this.guard('checksum', p, async () => {
      const hash = createHash('sha256');
      await pipeline(createReadStream(this.local(p), { signal: options.signal }), hash);
      return { algorithm: 'SHA-256', bytes: hash.digest('hex'), length: 32 };
    });
  }

  async mkdir(path: string, options: CallOptions & { permission?: string } = {}): Promise<void> {
    const p = normalizePath(path);
    await this.guard('mkdir', p, async () => {
      options.signal?.throwIfAborted();
      await mkdir(this.local(p), {
        recursive: true,
        mode: options.permission ? parseInt(options.permission, 8) : undefined
      });
      const info = await stat(this.local(p));
      if (!info.isDirectory()) {
        throw Object.assign(new Error('a file is in the way'), { code: 'EEXIST' });
      }
    });
  }

  async rename(from: string, to: string, options: RenameOptions = {}): Promise<void> {
    const src = normalizePath(from);
    const dst = normalizePath(to);
    await this.guard('rename', `${src} → ${dst}`, async () => {
      options.signal?.throwIfAborted();
      await lstat(this.local(src));
      if (!options.overwrite && (await this.exists(dst))) {
        throw new RadlabError({
          code: 'conflict',
          service: 'files',
          connection: this.options.connection,
          message: `rename ${src} → ${dst}: the target exists`,
          hint: 'Choose another name, or delete the target first.'
        });
      }
      await rename(this.local(src), this.local(dst));
    });
  }

  async delete(path: string, options: DeleteOptions = {}): Promise<void> {
    const p = normalizePath(path);
    if (p === '/') {
      throw new RadlabError({
        code: 'badRequest',
        service: 'files',
        connection: this.options.connection,
        message: 'refused to delete the root of the mount'
      });
    }
    await this.guard('delete', p, async () => {
      options.signal?.throwIfAborted();
      const info = await lstat(this.local(p));
      if (info.isDirectory() && !options.recursive) await rmdir(this.local(p));
      else await rm(this.local(p), { recursive: options.recursive ?? false });
    });
  }

  async chmod(path: string, permission: string, options: CallOptions = {}): Promise<void> {
    const p = normalizePath(path);
    if (!/^[0-7]{3,4}$/.test(permission)) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'files',
        message: `chmod ${p}: "${permission}" is not an octal permission`,
        hint: 'Use three or four octal digits, e.g. 644 or 1777.'
      });
    }
    await this.guard('chmod', p, async () => {
      options.signal?.throwIfAborted();
      await chmod(this.local(p), parseInt(permission, 8));
    });
  }

  async readBytes(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const p = normalizePath(path);
    return this.guard('read', p, async () => {
      options.signal?.throwIfAborted();
      const handle = await open(this.local(p), 'r');
      try {
        const offset = options.offset ?? 0;
        const size = (await handle.stat()).size;
        const want = Math.max(0, Math.min(options.length ?? size - offset, size - offset));
        const out = new Uint8Array(want);
        let got = 0;
        while (got < want) {
          const { bytesRead } = await handle.read(out, got, want - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === want ? out : out.subarray(0, got);
      } finally {
        await handle.close();
      }
    });
  }

  async *read(
    path: string,
    options: ReadOptions & { onProgress?: (p: TransferProgress) => void } = {}
  ): AsyncIterable<Uint8Array> {
    const p = normalizePath(path);
    const start = options.offset ?? 0;
    if (options.length === 0) return;
    const stream = createReadStream(this.local(p), {
      start,
      end: options.length !== undefined ? start + options.length - 1 : undefined,
      highWaterMark: 1 << 20,
      signal: options.signal
    });
    let bytes = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        options.onProgress?.({ bytes });
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      }
    } catch (e) {
      throw this.fail(e, 'read', p);
    } finally {
      stream.destroy();
    }
  }

  private async pour(
    local: string,
    data: WriteData,
    flags: 'w' | 'wx' | 'a',
    options: CallOptions & { permission?: string; onProgress?: (p: TransferProgress) => void }
  ): Promise<void> {
    let bytes = 0;
    const counted = async function* (source: WriteData) {
      if (source instanceof Uint8Array) {
        bytes += source.length;
        yield source;
      } else {
        for await (const chunk of source) {
          bytes += chunk.length;
          options.onProgress?.({ bytes });
          yield chunk;
        }
      }
    };
    const out = createWriteStream(local, {
      flags,
      mode: options.permission ? parseInt(options.permission, 8) : undefined
    });
    await pipeline(Readable.from(counted(data), { objectMode: false }), out, {
      signal: options.signal
    });
    if (data instanceof Uint8Array) options.onProgress?.({ bytes });
  }

  async append(
    path: string,
    data: WriteData,
    options: CallOptions & { onProgress?: (p: TransferProgress) => void } = {}
  ): Promise<void> {
    const p = normalizePath(path);
    await this.guard('append', p, async () => {
      const info = await stat(this.local(p));
      if (info.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
      await this.pour(this.local(p), data, 'a', options);
    });
  }

  async write(
    path: string,
    data: WriteData,
    options: WriteOptions & { onProgress?: (p: TransferProgress) => void } = {}
  ): Promise<FileStatus> {
    const target = normalizePath(path);
    const existing = await this.exists(target, options);
    checkWriteTarget(target, existing, options, this.options.connection);
    if (options.inPlace) {
      return this.guard('write', target, async () => {
        await this.pour(this.local(target), data, existing ? 'w' : 'wx', options);
        return this.statOf(target);
      });
    }
    const temp = tempBeside(target);
    return this.guard('write', target, async () => {
      try {
        await this.pour(this.local(temp), data, 'wx', {
          ...options,
          permission: options.permission ?? existing?.permission
        });
        // rename(2) replaces the old file in one step
        await rename(this.local(temp), this.local(target));
      } catch (e) {
        await rm(this.local(temp), { force: true }).catch(() => undefined);
        throw e;
      }
      return this.statOf(target);
    });
  }
}
