// The folders the Files view has opened, each loaded a page at a time: the first page when the
// folder is expanded, the next only when "Load more" is clicked, so a 100,000-entry folder costs
// one request (WebHDFS pages by 1000) and the tree never holds more rows than were asked for.
// A server that answers a whole folder at once (HttpFS) is shown PAGE entries at a time too.
// No `vscode` import.
import type { FileStatus, FilesClient } from '@radlab/core';

export const PAGE = 1000;

export interface FolderPage {
  /** The entries shown so far. */
  entries: readonly FileStatus[];
  /** Entries after those shown (loaded or still on the server); 0 when all are shown. */
  remaining: number;
}

interface Folder {
  loaded: FileStatus[];
  shown: number;
  /** The server's cursor for the next page; undefined when the server has no more. */
  next?: string;
  serverRemaining: number;
  pending?: Promise<void>;
}

export class FolderPages {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly client: (connection: string) => Promise<FilesClient>) {}

  private key(connection: string, path: string): string {
    return `${connection}\u0000${path}`;
  }

  private view(folder: Folder): FolderPage {
    return {
      entries: folder.loaded.slice(0, folder.shown),
      remaining: folder.loaded.length - folder.shown + folder.serverRemaining
    };
  }

  private async fetch(connection: string, path: string, folder: Folder): Promise<void> {
    const page = await (await this.client(connection)).list(path, { startAfter: folder.next });
    folder.loaded.push(...page.entries);
    folder.next = page.next;
    folder.serverRemaining = page.next === undefined ? 0 : page.remaining;
  }

  /** The folder as shown: its first page on the first call. */
  async open(connection: string, path: string): Promise<FolderPage> {
    const key = this.key(connection, path);
    let folder = this.folders.get(key);
    if (!folder) {
      const fresh: Folder = { loaded: [], shown: 0, serverRemaining: 0 };
      this.folders.set(key, fresh);
      fresh.pending = this.fetch(connection, path, fresh).then(
        () => {
          fresh.shown = Math.min(PAGE, fresh.loaded.length);
          fresh.pending = undefined;
        },
        (e: unknown) => {
          this.folders.delete(key);
          throw e;
        }
      );
      folder = fresh;
    }
    await folder.pending;
    return this.view(folder);
  }

  /** Shows PAGE more entries (from memory, else the server's next page). */
  async more(connection: string, path: string): Promise<FolderPage> {
    const folder = this.folders.get(this.key(connection, path));
    if (!folder) return this.open(connection, path);
    await folder.pending;
    while (folder.loaded.length - folder.shown < PAGE && folder.next !== undefined) {
      folder.pending = this.fetch(connection, path, folder).finally(() => {
        folder.pending = undefined;
      });
      await folder.pending;
    }
    folder.shown = Math.min(folder.loaded.length, folder.shown + PAGE);
    return this.view(folder);
  }

  /** Forgets a folder (and those below it), or everything: the next open asks the server. */
  forget(connection?: string, path?: string): void {
    if (connection === undefined) {
      this.folders.clear();
      return;
    }
    const prefix = this.key(connection, path ?? '');
    for (const key of [...this.folders.keys()]) {
      const all = path === undefined || path === '/';
      if (
        all ? key.startsWith(`${connection}\u0000`) : key === prefix || key.startsWith(`${prefix}/`)
      )
        this.folders.delete(key);
    }
  }
}
