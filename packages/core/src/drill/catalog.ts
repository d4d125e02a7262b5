// The names a Drill connection knows (schemas → tables and files → columns), loaded lazily and kept:
// one per connection client in every host, shared by the schema browser (JupyterLab and @radlab/ui),
// the Drill view (VS Code) and SQL completion in both. It needs only DrillClient's introspection
// methods. A load is shared by whoever asks meanwhile and runs to its end: a caller's signal stops that
// caller's wait, not the load. A failed load is not kept (the next ask tries again); `clear()` forgets
// everything (Refresh).

import { RadlabError } from '../errors.js';
import { folderEntries, type DrillFileEntry } from './files.js';
import type { DrillColumnInfo, DrillColumns, DrillSchema, DrillTable } from './introspection.js';
import type { DrillResult } from './query.js';

/** The part of DrillClient the catalog uses. */
export interface DrillIntrospection {
  schemas(options?: { signal?: AbortSignal }): Promise<DrillSchema[]>;
  tables(schema: string, options?: { signal?: AbortSignal }): Promise<DrillTable[]>;
  columns(schema: string, table: string, options?: { signal?: AbortSignal }): Promise<DrillColumns>;
  /** Runs SQL: folders of file workspaces are listed with SHOW FILES. */
  query?(sql: string, options?: { signal?: AbortSignal }): Promise<DrillResult>;
}

/** What a catalog has loaded so far, for synchronous lookups (completion). */
export interface DrillKnownNames {
  schemas?: string[];
  tables: ReadonlyMap<string, DrillTable[]>;
  /** key: catalogKey(schema, table) */
  columns: ReadonlyMap<string, DrillColumnInfo[]>;
}

/** The key of a table in `DrillKnownNames.columns`: schema and table, split by U+0000. */
export function catalogKey(schema: string, table: string): string {
  return `${schema}\u0000${table}`;
}

interface Entry<T> {
  promise: Promise<T>;
  value?: T;
}

type Signal = { signal?: AbortSignal };

/** The caller's wait for a shared load: rejects as `cancelled` when its signal aborts. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const cancelled = () =>
    new RadlabError({ code: 'cancelled', service: 'drill', message: 'cancelled' });
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (reason: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      }
    );
  });
}

export class DrillCatalog {
  private schemaEntry: Entry<DrillSchema[]> | undefined;
  private readonly tableEntries = new Map<string, Entry<DrillTable[]>>();
  private readonly columnEntries = new Map<string, Entry<DrillColumns>>();
  private readonly folderEntries = new Map<string, Entry<DrillFileEntry[]>>();
  private generation = 0;

  constructor(readonly source: DrillIntrospection) {}

  private load<T>(
    map: { get(): Entry<T> | undefined; set(e: Entry<T> | undefined): void },
    loader: () => Promise<T>,
    signal: AbortSignal | undefined
  ): Promise<T> {
    const cached = map.get();
    if (cached) return waitFor(cached.promise, signal);
    const generation = this.generation;
    const entry: Entry<T> = {
      promise: loader().then(
        value => {
          entry.value = value;
          return value;
        },
        (reason: unknown) => {
          if (generation === this.generation && map.get() === entry) map.set(undefined);
          throw reason;
        }
      )
    };
    // nobody may be waiting any more (every caller cancelled): not an unhandled rejection
    entry.promise.catch(() => undefined);
    map.set(entry);
    return waitFor(entry.promise, signal);
  }

  private slot<T>(m: Map<string, Entry<T>>, key: string) {
    return {
      get: () => m.get(key),
      set: (e: Entry<T> | undefined) => (e ? m.set(key, e) : m.delete(key))
    };
  }

  schemas(options: Signal = {}): Promise<DrillSchema[]> {
    return this.load(
      {
        get: () => this.schemaEntry,
        set: e => {
          this.schemaEntry = e;
        }
      },
      () => this.source.schemas(),
      options.signal
    );
  }

  tables(schema: string, options: Signal = {}): Promise<DrillTable[]> {
    return this.load(
      this.slot(this.tableEntries, schema),
      () => this.source.tables(schema),
      options.signal
    );
  }

  /** The columns of a table or file, and where Drill took them from (declared, or read from the data). */
  tableColumns(schema: string, table: string, options: Signal = {}): Promise<DrillColumns> {
    return this.load(
      this.slot(this.columnEntries, catalogKey(schema, table)),
      () => this.source.columns(schema, table),
      options.signal
    );
  }

  columns(schema: string, table: string, options: Signal = {}): Promise<DrillColumnInfo[]> {
    return this.tableColumns(schema, table, options).then(r => r.columns);
  }

  /** The folders and files in folder `path` of a file workspace. */
  folder(schema: string, path: string, options: Signal = {}): Promise<DrillFileEntry[]> {
    return this.load(
      this.slot(this.folderEntries, catalogKey(schema, path)),
      () => {
        const source = this.source;
        if (!source.query) return Promise.reject(new Error('this connection cannot list folders'));
        return folderEntries({ query: (sql, o) => source.query!(sql, o) }, schema, path);
      },
      options.signal
    );
  }

  /** What is already loaded (no request): for synchronous lookups. */
  peekSchemas(): DrillSchema[] | undefined {
    return this.schemaEntry?.value;
  }

  peekTables(schema: string): DrillTable[] | undefined {
    return this.tableEntries.get(schema)?.value;
  }

  peekColumns(schema: string, table: string): DrillColumnInfo[] | undefined {
    return this.columnEntries.get(catalogKey(schema, table))?.value?.columns;
  }

  /** Every name loaded so far (no request). */
  known(): DrillKnownNames {
    const tables = new Map<string, DrillTable[]>();
    for (const [schema, entry] of this.tableEntries)
      if (entry.value) tables.set(schema, entry.value);
    const columns = new Map<string, DrillColumnInfo[]>();
    for (const [key, entry] of this.columnEntries)
      if (entry.value) columns.set(key, entry.value.columns);
    const schemas = this.peekSchemas()?.map(s => s.name);
    return { ...(schemas ? { schemas } : {}), tables, columns };
  }

  /** Forgets everything loaded (the next ask reloads). */
  clear(): void {
    this.generation++;
    this.schemaEntry = undefined;
    this.tableEntries.clear();
    this.columnEntries.clear();
    this.folderEntries.clear();
  }
}
