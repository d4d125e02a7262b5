// WebHdfsClient: the WebHDFS REST API (HDFS NameNodes, MapR's and Hadoop's HttpFS) on a Transport.
//
// Data: HttpFS streams data itself (data=true on CREATE/APPEND). A NameNode redirects OPEN, CREATE,
// APPEND and GETFILECHECKSUM to a DataNode: a node host asks for the target (noredirect=true) and
// follows it only to the DataNodes the connection allows; behind the Jupyter proxy ('proxy') the
// proxy follows it under the same rule. Writes go to a temporary name beside the target and are
// renamed into place, so a failed upload never leaves a partial file under the real name.

import { RadlabError } from '../../errors.js';
import { isBrowser, type RequestOptions, type Transport } from '../../transport/transport.js';
import { webhdfsError } from './errors.js';
import { webhdfsPath } from './health.js';
import { baseName, childPath, encodePath, normalizePath } from './paths.js';
import { allPages, checkWriteTarget, tempBeside } from './writeTarget.js';
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
} from './types.js';

export interface WebHdfsClientOptions {
  protocol?: 'webhdfs' | 'httpfs';
  /** Origins (http(s)://host:port) a NameNode may send data requests to. */
  dataNodes?: readonly string[];
  /**
   * Who follows a NameNode's DataNode redirect: this client ('client', node hosts) or the Jupyter
   * proxy in front of it ('proxy'). Default: 'proxy' in a browser, else 'client'.
   */
  redirects?: 'client' | 'proxy';
  /** Bytes per request when data is sent or read in pieces (browsers). Default 8 MiB. */
  chunkBytes?: number;
  /**
   * Turns chunks into a body the transport can stream (node: stream.Readable.from). Without it,
   * data that is not one buffer is sent as a CREATE and APPENDs of `chunkBytes` each.
   */
  streamBody?: (data: AsyncIterable<Uint8Array>) => unknown;
}

type Params = NonNullable<RequestOptions['params']>;

const DEFAULT_CHUNK = 8 * 1024 * 1024;

function isBytes(data: WriteData): data is Uint8Array {
  return data instanceof Uint8Array;
}

function origin(url: string): string | undefined {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return `${u.protocol}//${u.hostname.toLowerCase()}:${port}`;
  } catch {
    return undefined;
  }
}

function toStatus(dir: string, raw: Record<string, unknown>): FileStatus {
  const suffix = typeof raw['pathSuffix'] === 'string' ? raw['pathSuffix'] : '';
  const path = suffix === '' ? normalizePath(dir) : childPath(dir, suffix);
  const type =
    raw['type'] === 'DIRECTORY' ? 'directory' : raw['type'] === 'SYMLINK' ? 'symlink' : 'file';
  const num = (k: string): number | undefined =>
    typeof raw[k] === 'number' ? (raw[k] as number) : undefined;
  return {
    name: suffix === '' ? baseName(path) : suffix,
    path,
    type,
    size: num('length') ?? 0,
    modified: num('modificationTime') ?? 0,
    accessed: num('accessTime'),
    owner: String(raw['owner'] ?? ''),
    group: String(raw['group'] ?? ''),
    permission: String(raw['permission'] ?? ''),
    replication: num('replication'),
    blockSize: num('blockSize'),
    children: type === 'directory' ? num('childrenNum') : undefined
  };
}

async function* chunksOf(data: WriteData, size: number): AsyncIterable<Uint8Array> {
  if (isBytes(data)) {
    for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
    if (data.length === 0) yield data;
    return;
  }
  // Re-cut what arrives into pieces of `size` (a stream's chunks are 64 KiB or so).
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of data) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= size) {
      const out = new Uint8Array(size);
      let filled = 0;
      while (filled < size) {
        const head = pending[0] as Uint8Array;
        const take = Math.min(head.length, size - filled);
        out.set(head.subarray(0, take), filled);
        filled += take;
        if (take === head.length) pending.shift();
        else pending[0] = head.subarray(take);
      }
      pendingBytes -= size;
      yield out;
    }
  }
  const rest = new Uint8Array(pendingBytes);
  let at = 0;
  for (const c of pending) {
    rest.set(c, at);
    at += c.length;
  }
  pending = [];
  yield rest;
}

export class WebHdfsClient implements FilesClient {
  readonly protocol: 'webhdfs' | 'httpfs';
  private readonly dataNodes: Set<string>;
  private readonly redirects: 'client' | 'proxy';
  private readonly chunkBytes: number;

  constructor(
    private readonly transport: Transport,
    private readonly options: WebHdfsClientOptions = {}
  ) {
    this.protocol = options.protocol ?? 'webhdfs';
    this.dataNodes = new Set(
      (options.dataNodes ?? []).map(origin).filter((o): o is string => o !== undefined)
    );
    this.redirects = options.redirects ?? (isBrowser() ? 'proxy' : 'client');
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK;
  }

  // ---- requests --------------------------------------------------------------------------------

  private async call<T>(
    method: string,
    path: string,
    op: string,
    params: Params = {},
    extra: Partial<RequestOptions> = {}
  ): Promise<{ status: number; data: T; headers: Record<string, string> }> {
    const request: RequestOptions = {
      method,
      path: webhdfsPath(this.transport.baseURL, encodePath(path)),
      params: { op, ...params },
      returnErrors: true,
      ...extra
    };
    const answer = await this.transport.request<T>(request);
    if (answer.status >= 400) {
      throw webhdfsError(answer.status, answer.data, {
        op,
        path,
        connection: this.transport.connection,
        request: { method, url: `${request.path}?op=${op}` }
      });
    }
    return answer;
  }

  /** Where a NameNode sends a data operation (noredirect=true), checked against the allowed DataNodes. */
  private async dataNodeTarget(
    method: string,
    path: string,
    op: string,
    params: Params
  ): Promise<string> {
    const answer = await this.call<{ Location?: unknown }>(method, path, op, {
      ...params,
      noredirect: true
    });
    const location = answer.data?.Location;
    if (typeof location !== 'string') {
      throw new RadlabError({
        code: 'badResponse',
        service: 'files',
        connection: this.transport.connection,
        message: `${op} ${path}: the NameNode gave no DataNode location`,
        hint: 'Is this a WebHDFS NameNode? For HttpFS set "protocol": "httpfs".'
      });
    }
    const target = origin(location);
    if (!target || !this.dataNodes.has(target)) {
      throw new RadlabError({
        code: 'config',
        service: 'files',
        connection: this.transport.connection,
        message: `${op} ${path}: the NameNode redirects to ${target ?? 'an invalid URL'}, which is not an allowed DataNode of this connection`,
        hint: `Add "${target ?? '…'}" to "dataNodes" of this connection if it is one of the cluster's DataNodes.`
      });
    }
    return location;
  }

  /** A data request (OPEN, CREATE, APPEND): to HttpFS or the proxy directly, else via the DataNode. */
  private async data<T>(
    method: string,
    path: string,
    op: string,
    params: Params,
    extra: Partial<RequestOptions>
  ): Promise<{ status: number; data: T; headers: Record<string, string> }> {
    const send = method !== 'GET';
    if (this.protocol === 'httpfs') {
      return this.call<T>(method, path, op, send ? { ...params, data: true } : params, {
        ...extra,
        headers: send ? { 'Content-Type': 'application/octet-stream' } : undefined
      });
    }
    if (this.redirects === 'proxy') {
      return this.call<T>(method, path, op, params, {
        ...extra,
        headers: send ? { 'Content-Type': 'application/octet-stream' } : undefined
      });
    }
    const location = await this.dataNodeTarget(method, path, op, params);
    const answer = await this.transport.request<T>({
      method,
      path: '',
      url: location,
      returnErrors: true,
      followRedirects: false,
      headers: send ? { 'Content-Type': 'application/octet-stream' } : undefined,
      ...extra
    });
    if (answer.status >= 400) {
      throw webhdfsError(answer.status, answer.data, {
        op,
        path,
        connection: this.transport.connection,
        request: { method, url: `DataNode ${origin(location) ?? ''}?op=${op}` }
      });
    }
    return answer;
  }

  private timeoutFree(signal?: AbortSignal): Partial<RequestOptions> {
    // Transfers of large files run as long as data flows; the caller's signal ends them.
    return { signal, timeoutMs: 0x7fffffff };
  }

  // ---- metadata ---------------------------------------------------------------------------------

  async home(options: CallOptions = {}): Promise<string> {
    const answer = await this.call<{ Path?: string }>('GET', '/', 'GETHOMEDIRECTORY', {}, options);
    return normalizePath(answer.data?.Path ?? '/');
  }

  async stat(path: string, options: CallOptions = {}): Promise<FileStatus> {
    const answer = await this.call<{ FileStatus?: Record<string, unknown> }>(
      'GET',
      path,
      'GETFILESTATUS',
      {},
      options
    );
    const status = toStatus(path, answer.data?.FileStatus ?? {});
    return { ...status, path: normalizePath(path), name: baseName(path) };
  }

  /** The status, or undefined when nothing is at `path`. */
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
    const answer = await this.call<{
      DirectoryListing?: {
        partialListing?: { FileStatuses?: { FileStatus?: Record<string, unknown>[] } };
        remainingEntries?: number;
      };
    }>(
      'GET',
      dir,
      'LISTSTATUS_BATCH',
      options.startAfter !== undefined ? { startAfter: options.startAfter } : {},
      { signal: options.signal, timeoutMs: Math.max(this.transport.timeoutMs, 60_000) }
    );
    const listing = answer.data?.DirectoryListing;
    const raw = listing?.partialListing?.FileStatuses?.FileStatus ?? [];
    const entries = raw.map(r => toStatus(dir, r));
    const remaining = listing?.remainingEntries ?? 0;
    const last = entries[entries.length - 1];
    return { entries, remaining, next: remaining > 0 && last ? last.name : undefined };
  }

  pages(path: string, options: CallOptions = {}): AsyncIterable<ListPage> {
    return allPages((p, o) => this.list(p, o), path, options);
  }

  async summary(path: string, options: CallOptions = {}): Promise<ContentSummary> {
    const answer = await this.call<{ ContentSummary?: Record<string, unknown> }>(
      'GET',
      path,
      'GETCONTENTSUMMARY',
      {},
      options
    );
    const c = answer.data?.ContentSummary ?? {};
    const n = (k: string, d: number): number => (typeof c[k] === 'number' ? (c[k] as number) : d);
    return {
      directoryCount: n('directoryCount', 0),
      fileCount: n('fileCount', 0),
      length: n('length', 0),
      quota: n('quota', -1),
      spaceConsumed: n('spaceConsumed', 0),
      spaceQuota: n('spaceQuota', -1)
    };
  }

  async checksum(path: string, options: CallOptions = {}): Promise<FileChecksum> {
    const answer = await this.data<{ FileChecksum?: FileChecksum }>(
      'GET',
      path,
      'GETFILECHECKSUM',
      {},
      { signal: options.signal, timeoutMs: Math.max(this.transport.timeoutMs, 120_000) }
    );
    const c = answer.data?.FileChecksum;
    if (!c) {
      throw new RadlabError({
        code: 'badResponse',
        service: 'files',
        connection: this.transport.connection,
        message: `GETFILECHECKSUM ${path}: no FileChecksum in the answer`
      });
    }
    return { algorithm: c.algorithm, bytes: c.bytes, length: c.length };
  }

  // ---- changes ----------------------------------------------------------------------------------

  async mkdir(path: string, options: CallOptions & { permission?: string } = {}): Promise<void> {
    const answer = await this.call<{ boolean?: boolean }>(
      'PUT',
      path,
      'MKDIRS',
      options.permission ? { permission: options.permission } : {},
      { signal: options.signal, idempotent: true }
    );
    if (answer.data?.boolean === false) {
      throw new RadlabError({
        code: 'conflict',
        service: 'files',
        connection: this.transport.connection,
        message: `MKDIRS ${path}: the folder could not be made`,
        hint: 'A file of that name may be in the way.'
      });
    }
  }

  async rename(from: string, to: string, options: RenameOptions = {}): Promise<void> {
    const target = normalizePath(to);
    if (options.overwrite) {
      if (this.protocol === 'webhdfs') {
        // one atomic step on a NameNode
        await this.call(
          'PUT',
          from,
          'RENAME',
          { destination: target, renameoptions: 'OVERWRITE' },
          { signal: options.signal }
        );
        return;
      }
      // HttpFS ignores renameoptions: the old file goes first (a short window with no file)
      const [src, dst] = await Promise.all([
        this.exists(from, options),
        this.exists(target, options)
      ]);
      if (src && dst && dst.type !== 'directory') await this.delete(target, options);
    }
    const answer = await this.call<{ boolean?: boolean }>(
      'PUT',
      from,
      'RENAME',
      { destination: target },
      options
    );
    if (answer.data?.boolean === false) {
      const [src, dst] = await Promise.all([
        this.exists(from, options),
        this.exists(target, options)
      ]);
      throw new RadlabError({
        code: !src ? 'notFound' : dst ? 'conflict' : 'badRequest',
        service: 'files',
        connection: this.transport.connection,
        message: `RENAME ${from} → ${target}: ${!src ? 'the source does not exist' : dst ? 'the target exists' : 'refused by the server'}`,
        hint: dst ? 'Choose another name, or delete the target first.' : undefined
      });
    }
  }

  async delete(path: string, options: DeleteOptions = {}): Promise<void> {
    const answer = await this.call<{ boolean?: boolean }>(
      'DELETE',
      path,
      'DELETE',
      { recursive: options.recursive ?? false },
      { signal: options.signal }
    );
    if (answer.data?.boolean === false) {
      throw new RadlabError({
        code: 'notFound',
        service: 'files',
        connection: this.transport.connection,
        message: `DELETE ${path}: nothing there`
      });
    }
  }

  async chmod(path: string, permission: string, options: CallOptions = {}): Promise<void> {
    if (!/^[0-7]{3,4}$/.test(permission)) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'files',
        message: `chmod ${path}: "${permission}" is not an octal permission`,
        hint: 'Use three or four octal digits, e.g. 644 or 1777.'
      });
    }
    await this.call('PUT', path, 'SETPERMISSION', { permission }, { ...options, idempotent: true });
  }

  // ---- data -------------------------------------------------------------------------------------

  async readBytes(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const params: Params = {};
    if (options.offset) params['offset'] = options.offset;
    if (options.length !== undefined) params['length'] = options.length;
    const answer = await this.data<ArrayBuffer | string>('GET', path, 'OPEN', params, {
      responseType: 'arraybuffer',
      signal: options.signal,
      timeoutMs: Math.max(this.transport.timeoutMs, 120_000)
    });
    return typeof answer.data === 'string'
      ? new TextEncoder().encode(answer.data)
      : new Uint8Array(answer.data);
  }

  async *read(
    path: string,
    options: ReadOptions & { onProgress?: (p: TransferProgress) => void } = {}
  ): AsyncIterable<Uint8Array> {
    let bytes = 0;
    if (isBrowser()) {
      // No streamed responses through XHR: ranges of chunkBytes, one after the other.
      let offset = options.offset ?? 0;
      let left = options.length ?? Number.POSITIVE_INFINITY;
      while (left > 0) {
        const want = Math.min(this.chunkBytes, left);
        const chunk = await this.readBytes(path, { offset, length: want, signal: options.signal });
        if (chunk.length === 0) return;
        bytes += chunk.length;
        options.onProgress?.({ bytes });
        yield chunk;
        if (chunk.length < want) return;
        offset += chunk.length;
        left -= chunk.length;
      }
      return;
    }
    const params: Params = {};
    if (options.offset) params['offset'] = options.offset;
    if (options.length !== undefined) params['length'] = options.length;
    const answer = await this.data<AsyncIterable<Uint8Array> & { destroy?: () => void }>(
      'GET',
      path,
      'OPEN',
      params,
      { responseType: 'stream', signal: options.signal }
    );
    try {
      for await (const chunk of answer.data) {
        bytes += chunk.length;
        options.onProgress?.({ bytes });
        yield chunk;
      }
    } finally {
      answer.data.destroy?.();
    }
  }

  /** Sends `data` as the body of one CREATE or APPEND, or as a CREATE and APPENDs of chunkBytes. */
  private async send(
    path: string,
    data: WriteData,
    create: Params | undefined,
    options: CallOptions & { onProgress?: (p: TransferProgress) => void }
  ): Promise<void> {
    const extra = this.timeoutFree(options.signal);
    let bytes = 0;
    const counted = async function* (source: AsyncIterable<Uint8Array>) {
      for await (const chunk of source) {
        bytes += chunk.length;
        options.onProgress?.({ bytes });
        yield chunk;
      }
    };
    if (!isBytes(data) && this.options.streamBody) {
      const body = this.options.streamBody(counted(data));
      if (create) await this.data('PUT', path, 'CREATE', create, { ...extra, data: body });
      else await this.data('POST', path, 'APPEND', {}, { ...extra, data: body });
      return;
    }
    if (isBytes(data) && data.length <= this.chunkBytes) {
      if (create) await this.data('PUT', path, 'CREATE', create, { ...extra, data });
      else await this.data('POST', path, 'APPEND', {}, { ...extra, data });
      bytes = data.length;
      options.onProgress?.({ bytes });
      return;
    }
    let first = create !== undefined;
    for await (const chunk of chunksOf(data, this.chunkBytes)) {
      if (first)
        await this.data('PUT', path, 'CREATE', create as Params, { ...extra, data: chunk });
      else if (chunk.length > 0)
        await this.data('POST', path, 'APPEND', {}, { ...extra, data: chunk });
      first = false;
      bytes += chunk.length;
      options.onProgress?.({ bytes });
    }
  }

  async append(
    path: string,
    data: WriteData,
    options: CallOptions & { onProgress?: (p: TransferProgress) => void } = {}
  ): Promise<void> {
    await this.send(normalizePath(path), data, undefined, options);
  }

  async write(
    path: string,
    data: WriteData,
    options: WriteOptions & { onProgress?: (p: TransferProgress) => void } = {}
  ): Promise<FileStatus> {
    const target = normalizePath(path);
    const existing = await this.exists(target, options);
    checkWriteTarget(target, existing, options, this.transport.connection);
    const create: Params = { overwrite: options.inPlace === true && existing !== undefined };
    if (options.permission) create['permission'] = options.permission;
    if (options.inPlace) {
      await this.send(target, data, create, options);
      return this.stat(target, options);
    }
    const temp = tempBeside(target);
    try {
      await this.send(temp, data, create, options);
      await this.rename(temp, target, {
        signal: options.signal,
        overwrite: existing !== undefined
      });
    } catch (e) {
      await this.discardTemp(temp);
      throw e;
    }
    return this.stat(target, options);
  }

  /**
   * Removes the temp file of a failed write. The DataNode (or HttpFS) opens the file on the NameNode as
   * the body starts, so a body that failed at once can still create it after our DELETE: look again.
   */
  private async discardTemp(temp: string): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      await this.delete(temp, {}).catch(() => undefined);
      await new Promise(resolve => setTimeout(resolve, 200 * attempt));
      const left = await this.exists(temp, {}).catch(() => undefined);
      if (left === undefined) return;
    }
  }
}
