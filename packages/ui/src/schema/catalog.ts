// The names a Drill connection knows (schemas → tables → columns), loaded lazily and cached, shared by the
// schema browser and SQL completion. Host-neutral: it needs only something with DrillClient's introspection
// methods. A failed load is not cached (the next ask tries again); `clear()` forgets everything (Refresh).
import { folderEntries } from '@radlab/core';
import type {
  DrillColumnInfo,
  DrillColumns,
  DrillFileEntry,
  DrillResult,
  DrillSchema,
  DrillTable
} from '@radlab/core';

/** The part of DrillClient the catalog uses. */
export interface DrillIntrospection {
  schemas(options?: { signal?: AbortSignal }): Promise<DrillSchema[]>;
  tables(schema: string, options?: { signal?: AbortSignal }): Promise<DrillTable[]>;
  columns(schema: string, table: string, options?: { signal?: AbortSignal }): Promise<DrillColumns>;
  /** Runs SQL: folders of file workspaces are listed with SHOW FILES. */
  query?(sql: string, options?: { signal?: AbortSignal }): Promise<DrillResult>;
}

interface Entry<T> {
  promise: Promise<T>;
  value?: T;
}

export class DrillCatalog {
  private schemaEntry: Entry<DrillSchema[]> | undefined;
  private readonly tableEntries = new Map<string, Entry<DrillTable[]>>();
  private readonly columnEntries = new Map<string, Entry<DrillColumnInfo[]>>();
  private readonly folderEntries = new Map<string, Entry<DrillFileEntry[]>>();
  private generation = 0;

  constructor(readonly source: DrillIntrospection) {}

  private load<T>(
    map: { get(): Entry<T> | undefined; set(e: Entry<T> | undefined): void },
    loader: () => Promise<T>
  ): Promise<T> {
    const cached = map.get();
    if (cached) return cached.promise;
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
    map.set(entry);
    return entry.promise;
  }

  private slot<T>(m: Map<string, Entry<T>>, key: string) {
    return {
      get: () => m.get(key),
      set: (e: Entry<T> | undefined) => (e ? m.set(key, e) : m.delete(key))
    };
  }

  schemas(): Promise<DrillSchema[]> {
    return this.load(
      {
        get: () => this.schemaEntry,
        set: e => {
          this.schemaEntry = e;
        }
      },
      () => this.source.schemas()
    );
  }

  tables(schema: string): Promise<DrillTable[]> {
    return this.load(this.slot(this.tableEntries, schema), () => this.source.tables(schema));
  }

  columns(schema: string, table: string): Promise<DrillColumnInfo[]> {
    return this.load(this.slot(this.columnEntries, `${schema}\u0000${table}`), () =>
      this.source.columns(schema, table).then(r => r.columns)
    );
  }

  /** The folders and files in folder `path` of a file workspace. */
  folder(schema: string, path: string): Promise<DrillFileEntry[]> {
    return this.load(this.slot(this.folderEntries, `${schema}\u0000${path}`), () => {
      const source = this.source;
      if (!source.query) return Promise.reject(new Error('this connection cannot list folders'));
      return folderEntries({ query: (sql, o) => source.query!(sql, o) }, schema, path);
    });
  }

  /** What is already loaded (no request): for synchronous lookups. */
  peekSchemas(): DrillSchema[] | undefined {
    return this.schemaEntry?.value;
  }

  peekTables(schema: string): DrillTable[] | undefined {
    return this.tableEntries.get(schema)?.value;
  }

  peekColumns(schema: string, table: string): DrillColumnInfo[] | undefined {
    return this.columnEntries.get(`${schema}\u0000${table}`)?.value;
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
