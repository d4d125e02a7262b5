// maprfs: in VS Code: maprfs://<connection>/<path> as a FileSystemProvider over core's FilesClient,
// so files of every files connection open and save in the ordinary editors and the explorer.
// Saves never silently replace a newer server version: VS Code compares the mtime of stat with the
// one it opened (and offers Compare / Overwrite), and the write itself passes the mtime last seen
// to the client (expectModified), which refuses when the file changed in between.
// watch() polls stat (a folder's mtime changes when entries come or go).
import * as vscode from 'vscode';
import { RadlabError, type FilesClient, type FileStatus } from '@radlab/core';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { FilesService } from './service.js';

export const FILES_SCHEME = 'maprfs';

/** How often a watched file or folder is stat'ed. */
const POLL_MS = 5000;

export function filesUri(connection: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: FILES_SCHEME, authority: connection, path });
}

/** The path of a maprfs: URI on its connection ('/' for the root). */
export function pathOf(uri: vscode.Uri): string {
  return uri.path === '' ? '/' : uri.path;
}

function toStat(s: FileStatus): vscode.FileStat {
  const type =
    s.type === 'directory'
      ? vscode.FileType.Directory
      : s.type === 'symlink'
        ? vscode.FileType.File | vscode.FileType.SymbolicLink
        : vscode.FileType.File;
  return { type, ctime: s.modified, mtime: s.modified, size: s.size };
}

/** A core error as the FileSystemError VS Code understands (its message is what users read). */
export function toFileSystemError(err: unknown, uri: vscode.Uri): Error {
  if (err instanceof vscode.FileSystemError) return err;
  if (!RadlabError.isRadlabError(err)) return err instanceof Error ? err : new Error(String(err));
  const e = err as RadlabError;
  const text = e.hint ? `${e.message}. ${e.hint}` : e.message;
  switch (e.code) {
    case 'notFound':
      return vscode.FileSystemError.FileNotFound(uri);
    case 'forbidden':
      return vscode.FileSystemError.NoPermissions(text);
    case 'conflict':
      return (e.details as { reason?: string } | undefined)?.reason === 'exists'
        ? vscode.FileSystemError.FileExists(uri)
        : new vscode.FileSystemError(text);
    case 'unreachable':
    case 'timeout':
      return vscode.FileSystemError.Unavailable(text);
    default:
      return new vscode.FileSystemError(text);
  }
}

export class FilesFileSystemProvider extends Disposable implements vscode.FileSystemProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;
  /** The mtime last reported per URI: what VS Code believes the server has. */
  private readonly seen = new Map<string, number>();
  private readonly watched = new Map<string, { uri: vscode.Uri; count: number; mtime?: number }>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly service: FilesService,
    private readonly log: Log
  ) {
    super();
    this._register({ dispose: () => this.stopTimer() });
  }

  private async run<T>(uri: vscode.Uri, work: (client: FilesClient, path: string) => Promise<T>) {
    try {
      return await work(await this.service.client(uri.authority), pathOf(uri));
    } catch (err) {
      const mapped = toFileSystemError(err, uri);
      if (!(RadlabError.isRadlabError(err) && err.code === 'notFound'))
        this.log.warn(`maprfs ${uri.toString(true)}: ${mapped.message}`);
      throw mapped;
    }
  }

  // ---- metadata -------------------------------------------------------------------------------

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.run(uri, async (client, path) => {
      const s = await client.stat(path);
      if (s.type !== 'directory') this.seen.set(uri.toString(), s.modified);
      return toStat(s);
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.run(uri, async (client, path) => {
      const out: [string, vscode.FileType][] = [];
      for await (const page of client.pages(path))
        for (const e of page.entries) out.push([e.name, toStat(e).type]);
      return out;
    });
  }

  // ---- data -----------------------------------------------------------------------------------

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.run(uri, async (client, path) => {
      const s = await client.stat(path);
      if (s.type === 'directory') throw vscode.FileSystemError.FileIsADirectory(uri);
      const out = new Uint8Array(s.size);
      let at = 0;
      const parts: Uint8Array[] = [];
      for await (const chunk of client.read(path)) {
        if (at + chunk.length <= out.length) out.set(chunk, at);
        else parts.push(chunk);
        at += chunk.length;
      }
      this.seen.set(uri.toString(), s.modified);
      if (parts.length === 0 && at === out.length) return out;
      // the file grew while it was read: what arrived, in order
      const all = new Uint8Array(at);
      all.set(out.subarray(0, Math.min(at, out.length)));
      let k = out.length;
      for (const p of parts) {
        all.set(p, k);
        k += p.length;
      }
      return all;
    });
  }

  async writeFile(
    uri: vscode.Uri,
    content: Uint8Array,
    options: { create: boolean; overwrite: boolean }
  ): Promise<void> {
    await this.run(uri, async (client, path) => {
      const existing = await client.exists(path);
      if (existing?.type === 'directory') throw vscode.FileSystemError.FileIsADirectory(uri);
      if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
      if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
      const key = uri.toString();
      const expectModified = existing ? (this.seen.get(key) ?? existing.modified) : undefined;
      const written = await client.write(path, content, {
        overwrite: existing !== undefined,
        expectModified
      });
      this.seen.set(key, written.modified);
      this.changed.fire([
        {
          type: existing ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created,
          uri
        }
      ]);
    });
  }

  // ---- changes --------------------------------------------------------------------------------

  async createDirectory(uri: vscode.Uri): Promise<void> {
    await this.run(uri, async (client, path) => {
      if (await client.exists(path)) throw vscode.FileSystemError.FileExists(uri);
      await client.mkdir(path);
      this.changed.fire([{ type: vscode.FileChangeType.Created, uri }]);
    });
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    await this.run(uri, async (client, path) => {
      await client.delete(path, { recursive: options.recursive });
      this.seen.delete(uri.toString());
      this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    });
  }

  async rename(
    oldUri: vscode.Uri,
    newUri: vscode.Uri,
    options: { overwrite: boolean }
  ): Promise<void> {
    if (oldUri.authority !== newUri.authority) {
      // VS Code copies across providers itself when this says so
      throw vscode.FileSystemError.Unavailable(
        vscode.l10n.t('A rename cannot move between two connections.')
      );
    }
    await this.run(oldUri, async (client, path) => {
      await client.rename(path, pathOf(newUri), { overwrite: options.overwrite });
      this.seen.delete(oldUri.toString());
      this.changed.fire([
        { type: vscode.FileChangeType.Deleted, uri: oldUri },
        { type: vscode.FileChangeType.Created, uri: newUri }
      ]);
    });
  }

  // ---- watch by polling -----------------------------------------------------------------------

  watch(uri: vscode.Uri): vscode.Disposable {
    const key = uri.toString();
    const entry = this.watched.get(key) ?? { uri, count: 0 };
    entry.count += 1;
    this.watched.set(key, entry);
    this.timer ??= setInterval(() => void this.poll(), POLL_MS);
    return new vscode.Disposable(() => {
      entry.count -= 1;
      if (entry.count <= 0) this.watched.delete(key);
      if (this.watched.size === 0) this.stopTimer();
    });
  }

  private polling = false;

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const events: vscode.FileChangeEvent[] = [];
      await Promise.all(
        [...this.watched.values()].map(async entry => {
          try {
            const client = await this.service.client(entry.uri.authority);
            const s = await client.exists(pathOf(entry.uri));
            const mtime = s?.modified ?? -1;
            if (entry.mtime !== undefined && mtime !== entry.mtime) {
              events.push({
                type: s ? vscode.FileChangeType.Changed : vscode.FileChangeType.Deleted,
                uri: entry.uri
              });
            }
            entry.mtime = mtime;
          } catch {
            // unreachable for now: the next poll tries again
          }
        })
      );
      if (events.length > 0) this.changed.fire(events);
    } finally {
      this.polling = false;
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
