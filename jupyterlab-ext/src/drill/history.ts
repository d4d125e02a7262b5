// Query history per Drill connection: the last 100 queries run, newest first, kept in the lab's IStateDB
// (so it survives reloads, per browser workspace). Works without a state DB (in memory).
import type { IStateDB } from '@jupyterlab/statedb';
import type { ReadonlyPartialJSONValue } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';
import type { ISignal } from '@lumino/signaling';

export const HISTORY_KEY = '@radlab/jupyterlab-ext:drill-history';
export const HISTORY_LIMIT = 100;

export interface HistoryEntry {
  sql: string;
  /** ISO time the query was started. */
  at: string;
  state: 'ok' | 'error' | 'cancelled';
  rows?: number;
  elapsedMs?: number;
}

type Store = Record<string, HistoryEntry[]>;

function isEntry(value: unknown): value is HistoryEntry {
  const v = value as HistoryEntry | null;
  return (
    typeof v === 'object' && v !== null && typeof v.sql === 'string' && typeof v.at === 'string'
  );
}

export class QueryHistory {
  private store: Store = {};
  private readonly ready: Promise<void>;
  private readonly _changed = new Signal<this, string>(this);
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: IStateDB | null) {
    this.ready = state
      ? state
          .fetch(HISTORY_KEY)
          .then(value => {
            const v = value as Record<string, unknown> | undefined;
            if (v && typeof v === 'object') {
              for (const [name, list] of Object.entries(v)) {
                if (Array.isArray(list))
                  this.store[name] = list.filter(isEntry).slice(0, HISTORY_LIMIT);
              }
            }
          })
          .catch(() => undefined)
      : Promise.resolve();
  }

  /** Emits the connection name whose history changed. */
  get changed(): ISignal<this, string> {
    return this._changed;
  }

  async list(connection: string): Promise<HistoryEntry[]> {
    await this.ready;
    return [...(this.store[connection] ?? [])];
  }

  async add(connection: string, entry: HistoryEntry): Promise<void> {
    await this.ready;
    const list = (this.store[connection] ?? []).filter(e => e.sql !== entry.sql);
    list.unshift(entry);
    this.store[connection] = list.slice(0, HISTORY_LIMIT);
    if (this.state) {
      const state = this.state;
      const value = JSON.parse(JSON.stringify(this.store)) as ReadonlyPartialJSONValue;
      this.saving = this.saving.then(() => state.save(HISTORY_KEY, value)).catch(() => undefined);
    }
    this._changed.emit(connection);
  }
}
