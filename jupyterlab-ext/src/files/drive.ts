// A files connection as a drive of JupyterLab's own file browser (Contents.IDrive, as jupyter-fs and
// the S3 browsers do): notebooks and text files open and save in place with the lab's editors.
//
// The drive runs in the browser on core's WebHdfsClient through the Radlab proxy, which adds the
// connection's credentials on the server and streams bodies both ways. Saves go through core's
// write (a temporary name beside the file, then a rename: a failed save leaves no partial file) and
// carry the modification time the lab last saw, so a save never replaces a newer version it did not
// see (the lab's own "File Changed" check runs first; this closes the window after it). The lab's
// chunked upload (1 MiB pieces) feeds one streamed core write, 8 MiB per request, with progress and
// a Cancel in a notification; a failed or cancelled upload leaves the target as it was.
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents, ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import {
  baseName,
  childPath,
  parentPath,
  encodePath,
  normalizePath,
  RadlabError,
  toErrorJSON,
  type FileStatus,
  type WebHdfsClient
} from '@radlab/core';

/** Entries of one folder the lab's browser is given (it renders every row; huge folders freeze it). */
export const DRIVE_LIST_LIMIT = 5_000;
/** JupyterLab's lastModifiedCheckMargin: a file newer by more than this gets its "File Changed" dialog. */
const LAB_CHECK_MARGIN_MS = 500;
/** Files larger than this do not open in an editor (the lab holds the whole content in memory). */
export const DRIVE_OPEN_LIMIT = 64 * 1024 * 1024;

/** How an upload is shown (the plugin uses the lab's notifications); `label` is connection:path. */
export interface UploadNotices {
  started(label: string, cancel: () => void): string;
  progress(id: string, label: string, bytes: number, cancel: () => void): void;
  ended(
    id: string,
    label: string,
    outcome: { bytes: number } | { cancelled: true } | { error: Error }
  ): void;
}

export interface FilesDriveOptions {
  /** The connection's name: the drive's name (paths are `name:user/x/a.ipynb`). */
  name: string;
  client: () => WebHdfsClient | undefined;
  serverSettings: ServerConnection.ISettings;
  /** The URL of a file's bytes through the proxy (a plain GET the browser streams to disk). */
  downloadUrl: (path: string) => string;
  /** The user the connection acts as, for the `writable` flag (the server decides in the end). */
  user?: string;
  notices?: UploadNotices;
  /** A folder was cut at DRIVE_LIST_LIMIT entries: offer the paged browser. */
  onTruncated?: (path: string, shown: number, total: number) => void;
}

/** `a/b` (a contents path inside the drive) → `/a/b`; '..' and control characters are refused. */
export function drivePath(localPath: string): string {
  return normalizePath(`/${localPath}`);
}

function localOf(path: string): string {
  return path.replace(/^\/+/, '');
}

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(out);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** A lab-facing Error whose message is the RadlabError's text and hint (the lab shows `message`). */
function labError(e: unknown, connection: string): Error {
  if (e instanceof Error && e.name === 'ModalCancelError') return e;
  const json = toErrorJSON(e, { service: 'files', connection });
  const error = new Error(json.hint ? `${json.message}\n${json.hint}` : json.message);
  (error as Error & { code?: string }).code = json.code;
  // the lab treats a 404/403 answer specially (a save to a new file, a read-only folder)
  const status = json.code === 'notFound' ? 404 : json.code === 'forbidden' ? 403 : undefined;
  if (status) (error as Error & { response?: { status: number } }).response = { status };
  return error;
}

function writableFor(status: FileStatus, user: string | undefined): boolean {
  const bits = status.permission.padStart(3, '0').slice(-3);
  const digit = (i: number): number => Number(bits[i] ?? '0');
  if (user && status.owner === user) return (digit(0) & 2) !== 0;
  // group membership is the server's to know: writable when group or others may write
  return (digit(1) & 2) !== 0 || (digit(2) & 2) !== 0;
}

/** Chunks pushed by successive save() calls, pulled by one streamed write (one chunk in flight). */
class ChunkFeed implements AsyncIterable<Uint8Array> {
  private queue: Uint8Array[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private drained: (() => void) | undefined;

  /** Resolves once the writer took the chunk (memory stays at one chunk plus the writer's piece). */
  push(chunk: Uint8Array, last: boolean): Promise<void> {
    this.queue.push(chunk);
    if (last) this.ended = true;
    this.wake?.();
    return new Promise(resolve => {
      this.drained = resolve;
      if (this.queue.length === 0) resolve();
    });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        if (this.queue.length === 0) this.drained?.();
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>(resolve => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

interface Upload {
  feed: ChunkFeed;
  done: Promise<FileStatus>;
  failed: unknown;
  abort: AbortController;
  bytes: number;
  notice: string;
}

export class FilesDrive implements Contents.IDrive {
  readonly name: string;
  readonly serverSettings: ServerConnection.ISettings;
  private readonly changed = new Signal<this, Contents.IChangedArgs>(this);
  /** Modification time of each file as the lab last read or saved it (the save's conflict check). */
  private readonly seen = new Map<string, number>();
  private readonly uploads = new Map<string, Upload>();
  private disposed = false;

  constructor(private readonly options: FilesDriveOptions) {
    this.name = options.name;
    this.serverSettings = options.serverSettings;
  }

  get fileChanged(): Signal<this, Contents.IChangedArgs> {
    return this.changed;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const upload of this.uploads.values()) upload.abort.abort();
    this.uploads.clear();
    Signal.clearData(this);
  }

  /** The connection's client (the viewer reads the drive's images through it, by byte range). */
  filesClient(): WebHdfsClient {
    return this.client();
  }

  private client(): WebHdfsClient {
    const client = this.disposed ? undefined : this.options.client();
    if (!client) {
      throw new RadlabError({
        code: 'config',
        service: 'files',
        connection: this.name,
        message: `the files connection ${this.name} is not available`,
        hint: 'Check it in the Radlab connections panel.'
      });
    }
    return client;
  }

  private model(status: FileStatus, type?: Contents.ContentType): Contents.IModel {
    const path = localOf(status.path);
    const kind: Contents.ContentType =
      status.type === 'directory'
        ? 'directory'
        : (type ?? (status.name.endsWith('.ipynb') ? 'notebook' : 'file'));
    const when = new Date(status.modified || 0).toISOString();
    return {
      name: status.name,
      path,
      type: kind,
      created: when,
      last_modified: when,
      writable: writableFor(status, this.options.user),
      mimetype: kind === 'notebook' ? 'application/x-ipynb+json' : '',
      content: null,
      format: null,
      size: status.type === 'directory' ? undefined : status.size
    };
  }

  async get(localPath: string, options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    try {
      return await this.fetch(drivePath(localPath), options);
    } catch (e) {
      throw labError(e, this.name);
    }
  }

  private async fetch(path: string, options: Contents.IFetchOptions): Promise<Contents.IModel> {
    const client = this.client();
    const status = await client.stat(path);
    if (status.type === 'directory') {
      const model = this.model(status);
      if (options.content === false) return model;
      const entries: Contents.IModel[] = [];
      let total = 0;
      for await (const page of client.pages(path)) {
        total = entries.length + page.entries.length + page.remaining;
        for (const entry of page.entries) {
          if (entries.length < DRIVE_LIST_LIMIT) entries.push(this.model(entry));
        }
        if (entries.length >= DRIVE_LIST_LIMIT) break;
      }
      if (total > entries.length) this.options.onTruncated?.(path, entries.length, total);
      return { ...model, content: entries, format: 'json' };
    }
    const type = options.type === 'directory' ? undefined : options.type;
    const model = this.model(status, type);
    if (options.content === false) {
      // The lab's own check before a save: it asks (Cancel / Revert / Overwrite) only when the file
      // is newer than its copy by more than 500 ms. A file changed since the lab read or saved it is
      // reported at least a second newer, so the lab always asks; it saves only on Overwrite, so that
      // version may then be replaced. A change after this check is refused by the save itself.
      const seen = this.seen.get(path);
      if (seen !== undefined && status.modified !== seen) {
        this.seen.set(path, status.modified);
        const shown = Math.max(status.modified, seen + 2 * LAB_CHECK_MARGIN_MS);
        return { ...model, last_modified: new Date(shown).toISOString() };
      }
      return model;
    }
    if (status.size > DRIVE_OPEN_LIMIT) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'files',
        connection: this.name,
        message: `${path} is too large to open in an editor (${Math.round(status.size / 2 ** 20)} MiB; the limit is ${DRIVE_OPEN_LIMIT / 2 ** 20} MiB)`,
        hint: 'Download it, or preview its first bytes in Radlab Files.'
      });
    }
    const bytes = await client.readBytes(path);
    this.seen.set(path, status.modified);
    if (model.type === 'notebook') {
      return { ...model, format: 'json', content: JSON.parse(new TextDecoder().decode(bytes)) };
    }
    const format = options.format ?? 'text';
    if (format === 'base64') {
      return {
        ...model,
        format: 'base64',
        content: toBase64(bytes),
        mimetype: 'application/octet-stream'
      };
    }
    return {
      ...model,
      format: 'text',
      content: new TextDecoder('utf-8', { fatal: false }).decode(bytes),
      mimetype: 'text/plain'
    };
  }

  async getDownloadUrl(localPath: string): Promise<string> {
    return this.options.downloadUrl(drivePath(localPath));
  }

  async newUntitled(options: Contents.ICreateOptions = {}): Promise<Contents.IModel> {
    try {
      const client = this.client();
      const dir = drivePath(options.path ?? '');
      const type = options.type ?? 'file';
      const ext =
        type === 'notebook' ? '.ipynb' : type === 'directory' ? '' : (options.ext ?? '.txt');
      const stem = type === 'directory' ? 'Untitled Folder' : 'untitled';
      let path = '';
      for (let n = 0; ; n++) {
        path = childPath(dir, `${stem}${n === 0 ? '' : n}${ext}`);
        if (!(await client.exists(path))) break;
      }
      if (type === 'directory') await client.mkdir(path);
      else {
        const body = type === 'notebook' ? JSON.stringify(EMPTY_NOTEBOOK, null, 1) : '';
        await client.write(path, new TextEncoder().encode(body));
      }
      const model = this.model(await client.stat(path), type);
      this.seen.set(path, Date.parse(model.last_modified));
      this.changed.emit({ type: 'new', oldValue: null, newValue: model });
      return model;
    } catch (e) {
      throw labError(e, this.name);
    }
  }

  async delete(localPath: string): Promise<void> {
    try {
      const path = drivePath(localPath);
      await this.moveToTrash(path);
      this.seen.delete(path);
      this.changed.emit({ type: 'delete', oldValue: { path: localPath }, newValue: null });
    } catch (e) {
      throw labError(e, this.name);
    }
  }

  /**
   * The lab's browser says "Move to Trash" (Jupyter's delete_to_trash): as `hdfs dfs -rm` does, the
   * entry moves under the user's `.Trash/Current/` with its path kept (a later one with the same
   * name gets a time suffix); what is in the trash already is deleted for good.
   */
  private async moveToTrash(path: string): Promise<void> {
    const client = this.client();
    const trash = `${await client.home()}/.Trash`;
    if (path === trash || path.startsWith(`${trash}/`)) {
      await client.delete(path, { recursive: true });
      return;
    }
    const folder = normalizePath(`${trash}/Current${parentPath(path)}`);
    await client.mkdir(folder, { permission: '700' });
    let target = childPath(folder, baseName(path));
    if (await client.exists(target)) target = childPath(folder, `${baseName(path)}.${Date.now()}`);
    await client.rename(path, target);
  }

  async rename(oldLocalPath: string, newLocalPath: string): Promise<Contents.IModel> {
    try {
      const from = drivePath(oldLocalPath);
      const to = drivePath(newLocalPath);
      const client = this.client();
      await client.rename(from, to);
      const model = this.model(await client.stat(to));
      const seen = this.seen.get(from);
      this.seen.delete(from);
      if (seen !== undefined) this.seen.set(to, Date.parse(model.last_modified));
      this.changed.emit({ type: 'rename', oldValue: { path: oldLocalPath }, newValue: model });
      return model;
    } catch (e) {
      throw labError(e, this.name);
    }
  }

  async save(
    localPath: string,
    options: Partial<Contents.IModel> & Contents.IContentProvisionOptions = {}
  ): Promise<Contents.IModel> {
    const path = drivePath(localPath);
    try {
      const chunk = (options as { chunk?: number }).chunk;
      if (chunk !== undefined) return await this.saveChunk(path, chunk, options);
      const client = this.client();
      const bytes = encodeContent(options);
      const expect = this.seen.get(path);
      const status = await client.write(path, bytes, {
        ...(expect !== undefined ? { expectModified: expect } : { overwrite: true })
      });
      this.seen.set(path, status.modified);
      const model = this.model(status, options.type);
      this.changed.emit({ type: 'save', oldValue: null, newValue: model });
      return model;
    } catch (e) {
      throw labError(e, this.name);
    }
  }

  /** One piece of the lab's chunked upload: chunk 1 starts the write, -1 is the last piece. */
  private async saveChunk(
    path: string,
    chunk: number,
    options: Partial<Contents.IModel>
  ): Promise<Contents.IModel> {
    const bytes = encodeContent(options);
    // the lab sends pieces 1, 2, … and -1 for the last (only files over one piece are chunked)
    let upload = this.uploads.get(path);
    if (chunk === 1) {
      upload?.abort.abort();
      upload = this.startUpload(path);
    }
    if (!upload) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'files',
        connection: this.name,
        message: `upload of ${path}: piece ${chunk} without a first piece`,
        hint: 'Upload the file again.'
      });
    }
    const last = chunk === -1;
    await Promise.race([upload.feed.push(bytes, last), upload.done.then(() => undefined)]);
    if (upload.failed !== undefined) throw upload.failed;
    if (!last) {
      // the lab expects a model for every piece
      const name = PathExt.basename(path);
      return {
        name,
        path: localOf(path),
        type: 'file',
        created: '',
        last_modified: new Date().toISOString(),
        writable: true,
        mimetype: '',
        content: null,
        format: null
      };
    }
    const status = await upload.done;
    const model = this.model(status, 'file');
    this.changed.emit({ type: 'save', oldValue: null, newValue: model });
    return model;
  }

  private startUpload(path: string): Upload {
    const abort = new AbortController();
    const feed = new ChunkFeed();
    const label = `${this.name}:${path}`;
    const notices = this.options.notices;
    const cancel = (): void => abort.abort();
    const notice = notices?.started(label, cancel) ?? '';
    const upload: Upload = {
      feed,
      abort,
      bytes: 0,
      failed: undefined,
      notice,
      done: Promise.resolve(undefined as unknown as FileStatus)
    };
    upload.done = this.client()
      .write(path, feed, {
        // the lab asked "overwrite?" before it sent the first piece
        overwrite: true,
        signal: abort.signal,
        onProgress: p => {
          upload.bytes = p.bytes;
          notices?.progress(notice, label, p.bytes, cancel);
        }
      })
      .then(
        status => {
          notices?.ended(notice, label, { bytes: status.size });
          this.uploads.delete(path);
          return status;
        },
        (e: unknown) => {
          const cancelled = abort.signal.aborted;
          const error = cancelled
            ? new RadlabError({
                code: 'cancelled',
                service: 'files',
                connection: this.name,
                message: `upload of ${path} cancelled; ${path} is as it was`
              })
            : e;
          upload.failed = labError(error, this.name);
          notices?.ended(
            notice,
            label,
            cancelled ? { cancelled: true } : { error: upload.failed as Error }
          );
          this.uploads.delete(path);
          return undefined as unknown as FileStatus;
        }
      );
    this.uploads.set(path, upload);
    return upload;
  }

  async copy(localPath: string, toLocalDir: string): Promise<Contents.IModel> {
    try {
      const client = this.client();
      const from = drivePath(localPath);
      const dir = drivePath(toLocalDir);
      const ext = PathExt.extname(from);
      const stem = PathExt.basename(from, ext);
      let to = '';
      for (let n = 0; ; n++) {
        to = childPath(dir, `${stem}-Copy${n === 0 ? '' : n}${ext}`);
        if (!(await client.exists(to))) break;
      }
      const status = await client.write(to, client.read(from));
      const model = this.model(status);
      this.changed.emit({ type: 'new', oldValue: null, newValue: model });
      return model;
    } catch (e) {
      throw labError(e, this.name);
    }
  }

  // HDFS keeps no checkpoints; the lab's "Revert to Checkpoint" reloads the file as it is on the server.
  async createCheckpoint(localPath: string): Promise<Contents.ICheckpointModel> {
    void localPath;
    return { id: 'server', last_modified: new Date().toISOString() };
  }

  async listCheckpoints(localPath: string): Promise<Contents.ICheckpointModel[]> {
    void localPath;
    return [];
  }

  async restoreCheckpoint(localPath: string, checkpointID: string): Promise<void> {
    void localPath;
    void checkpointID;
  }

  async deleteCheckpoint(localPath: string, checkpointID: string): Promise<void> {
    void localPath;
    void checkpointID;
  }
}

const EMPTY_NOTEBOOK = {
  cells: [],
  metadata: {},
  nbformat: 4,
  nbformat_minor: 5
};

/** The bytes of a save: a notebook as JSON, text as UTF-8, base64 decoded. */
function encodeContent(options: Partial<Contents.IModel>): Uint8Array {
  const content: unknown = options.content;
  if (options.type === 'notebook' || options.format === 'json') {
    return new TextEncoder().encode(`${JSON.stringify(content, null, 1)}\n`);
  }
  if (options.format === 'base64') return fromBase64(String(content ?? ''));
  return new TextEncoder().encode(String(content ?? ''));
}

/** The URL of `path`'s bytes through the Radlab proxy (`proxyBase` ends in `/`). */
export function proxyDownloadUrl(proxyBase: string, path: string): string {
  return `${proxyBase}webhdfs/v1${encodePath(path)}?op=OPEN`;
}

/** The files drives of this lab by connection name (the image viewer reads their files by range). */
export const filesDrives = new Map<string, FilesDrive>();
