// A list-then-watch of one resource collection, as client-go's reflector does it: list (the snapshot and
// its resourceVersion), watch from there with bookmarks, reconnect from the last version seen when the
// stream ends or drops, relist when the server says that version is gone (410 Gone / ERROR 410). So an
// API server restart or a dropped watch loses no change and repeats none (the store is keyed by uid).

import { RadlabError } from '../../errors.js';
import { wait } from '../../deadline.js';
import { destroyBody, textLines } from '../../transport/body.js';
import type { Transport } from '../../transport/transport.js';
import type { KubeList, KubeStatus, ObjectMeta, WatchEvent } from './types.js';

export interface WatchOptions {
  labelSelector?: string;
  signal?: AbortSignal;
  /** Server-side length of one watch request (default 300 s). */
  watchSeconds?: number;
  /** Called after every change with the whole collection (and on the first list). */
  onChange: (items: readonly unknown[]) => void;
  /** Called when a watch or list fails and is retried (for a status line); cleared by the next success. */
  onTrouble?: (error: RadlabError | undefined) => void;
}

export interface WatchStats {
  lists: number;
  watches: number;
  relists: number;
  events: number;
}

const MAX_BACKOFF = 10_000;

export class ResourceWatch<T extends { metadata: ObjectMeta }> {
  readonly stats: WatchStats = { lists: 0, watches: 0, relists: 0, events: 0 };
  private readonly items = new Map<string, T>();
  private resourceVersion = '';

  constructor(
    private readonly transport: Transport,
    /** The collection's path, e.g. /apis/batch/v1/namespaces/mri/jobs. */
    private readonly path: string,
    private readonly options: WatchOptions
  ) {}

  get snapshot(): T[] {
    return [...this.items.values()];
  }

  /** Runs until the signal aborts (resolves then); never throws for a failure it can retry. */
  async run(): Promise<void> {
    const { signal } = this.options;
    let backoff = 250;
    let needList = true;
    while (!signal?.aborted) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        await this.watchOnce();
        backoff = 250;
        this.options.onTrouble?.(undefined);
      } catch (e) {
        if (signal?.aborted) return;
        if (e instanceof Gone || (RadlabError.isRadlabError(e) && e.status === 410)) {
          this.stats.relists++;
          needList = true;
          continue;
        }
        const error = RadlabError.isRadlabError(e)
          ? e
          : new RadlabError({
              code: 'unreachable',
              service: 'kubernetes',
              connection: this.transport.connection,
              message: `watch of ${this.path} dropped (${e instanceof Error ? e.message : String(e)})`,
              hint: 'Radlab reconnects by itself; check the API server if this stays.'
            });
        // Forbidden and auth failures won't heal by retrying quickly; still retry, slowly.
        this.options.onTrouble?.(error);
        if (!(await wait(backoff, signal))) return;
        backoff = Math.min(MAX_BACKOFF, backoff * 2);
      }
    }
  }

  private async list(): Promise<void> {
    this.stats.lists++;
    const answer = await this.transport.request<KubeList<T>>({
      path: this.path,
      params: { labelSelector: this.options.labelSelector },
      signal: this.options.signal
    });
    this.items.clear();
    for (const item of answer.data.items ?? []) this.items.set(key(item), item);
    this.resourceVersion = answer.data.metadata?.resourceVersion ?? '';
    this.options.onChange(this.snapshot);
  }

  private async watchOnce(): Promise<void> {
    this.stats.watches++;
    const seconds = this.options.watchSeconds ?? 300;
    const response = await this.transport.request<unknown>({
      path: this.path,
      params: {
        watch: 1,
        allowWatchBookmarks: true,
        resourceVersion: this.resourceVersion,
        timeoutSeconds: seconds,
        labelSelector: this.options.labelSelector
      },
      // streamed in browsers too (the transport's fetch adapter): each event as the server sends it
      responseType: 'stream',
      signal: this.options.signal
    });
    const body = response.data;
    const onAbort = (): void => destroyBody(body);
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const line of textLines(body)) {
        if (line.trim()) this.apply(JSON.parse(line) as WatchEvent<T>);
      }
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private apply(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      const status = event.object as unknown as KubeStatus;
      if (status.code === 410) throw new Gone();
      throw new RadlabError({
        code: 'server',
        service: 'kubernetes',
        connection: this.transport.connection,
        message: `watch of ${this.path} failed: ${status.message ?? 'ERROR event'}`,
        hint: 'Radlab reconnects by itself.'
      });
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    this.stats.events++;
    if (event.type === 'DELETED') this.items.delete(key(event.object));
    else this.items.set(key(event.object), event.object);
    this.options.onChange(this.snapshot);
  }
}

/** The watch's resourceVersion is too old (compacted): list again. */
class Gone extends Error {}

function key(item: { metadata: ObjectMeta }): string {
  return item.metadata.uid ?? `${item.metadata.namespace ?? ''}/${item.metadata.name}`;
}
