// One folder of a files connection, loaded page by page: the first page shows as soon as it arrives
// and later ones are appended, so a 100,000-entry folder is usable after one request (WebHDFS pages
// by 1000). Entries stay in the server's name order; a filter narrows them without a request.

import { toErrorJSON, type FileStatus, type FilesClient, type RadlabErrorJSON } from '@radlab/core';

export interface FolderState {
  path: string;
  /** Entries loaded so far (after the filter). */
  entries: readonly FileStatus[];
  /** Entries loaded so far (before the filter). */
  loaded: number;
  /** loaded + what the server said remains; undefined until the first page. */
  expected?: number;
  loading: boolean;
  error?: RadlabErrorJSON;
}

export class FolderListing {
  private all: FileStatus[] = [];
  private shown: FileStatus[] = [];
  private filterText = '';
  private remaining: number | undefined;
  private loading = false;
  private error: RadlabErrorJSON | undefined;
  private controller: AbortController | undefined;
  private readonly listeners = new Set<(state: FolderState) => void>();
  path: string;

  constructor(
    private readonly client: Pick<FilesClient, 'pages'>,
    path: string
  ) {
    this.path = path;
  }

  onChange(listener: (state: FolderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get state(): FolderState {
    return {
      path: this.path,
      entries: this.shown,
      loaded: this.all.length,
      expected: this.remaining === undefined ? undefined : this.all.length + this.remaining,
      loading: this.loading,
      error: this.error
    };
  }

  /** Loads `path` (default: the current one) from its first page; a load under way is cancelled. */
  async open(path = this.path): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.path = path;
    this.all = [];
    this.shown = [];
    this.remaining = undefined;
    this.error = undefined;
    this.loading = true;
    this.emit();
    try {
      for await (const page of this.client.pages(path, { signal: controller.signal })) {
        if (controller.signal.aborted) return;
        this.all.push(...page.entries);
        this.remaining = page.remaining;
        this.applyFilter(page.entries);
        this.emit();
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      this.error = toErrorJSON(e, { service: 'files' });
    } finally {
      if (this.controller === controller) {
        this.loading = false;
        this.remaining = this.error ? this.remaining : 0;
        this.emit();
      }
    }
  }

  setFilter(text: string): void {
    this.filterText = text.trim().toLowerCase();
    this.shown = [];
    this.applyFilter(this.all);
    this.emit();
  }

  dispose(): void {
    this.controller?.abort();
    this.listeners.clear();
  }

  private applyFilter(added: readonly FileStatus[]): void {
    const f = this.filterText;
    if (!f) {
      this.shown = this.all;
      return;
    }
    for (const e of added) if (e.name.toLowerCase().includes(f)) this.shown.push(e);
  }

  private emit(): void {
    const state = this.state;
    for (const l of this.listeners) l(state);
  }
}
