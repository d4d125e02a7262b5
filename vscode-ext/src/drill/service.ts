// The Drill connections of the extension: one DrillClient per connection (core's client cache: rebuilt
// when the configuration or the secret changes) and the introspection cache shared by the Drill view and
// the SQL completion. No `vscode` import: connections and secrets come in through the two callbacks.
import { clientSource, ConnectionClientCache, folderEntries } from '@radlab/core';
import type {
  ConnectionConfig,
  DrillClient,
  DrillColumns,
  DrillFileEntry,
  DrillSchema,
  DrillTable
} from '@radlab/core';
import type { SecretValues } from '@radlab/core/node';
import { connectionOfKind } from '../connections/ofKind.js';
import { createDrillClient } from '../core.js';
import { emptyCache, tableKey, type SchemaCache } from './completion.js';

export interface DrillServiceDeps {
  /** Every configured connection (the service keeps those of kind `drill`). */
  list(): Promise<ConnectionConfig[]>;
  resolve(name: string): Promise<{ config: ConnectionConfig; secrets: SecretValues } | undefined>;
  /** Builds a client (tests inject a fake). */
  createClient?(config: ConnectionConfig, secrets: SecretValues): Promise<DrillClient>;
}

interface Entry {
  cache: SchemaCache;
  schemaObjects?: DrillSchema[];
  columnObjects: Map<string, DrillColumns>;
}

export class DrillService {
  private readonly entries = new Map<string, Entry>();
  private readonly clients = new ConnectionClientCache<Promise<DrillClient>>();

  constructor(private readonly deps: DrillServiceDeps) {}

  async connections(): Promise<ConnectionConfig[]> {
    return (await this.deps.list()).filter(c => c.kind === 'drill');
  }

  private entry(name: string): Entry {
    let entry = this.entries.get(name);
    if (!entry) {
      entry = { cache: emptyCache(), columnObjects: new Map() };
      this.entries.set(name, entry);
    }
    return entry;
  }

  /** The client of a connection. Throws RadlabError (`config`, or notFound for an unknown name). */
  async client(name: string): Promise<DrillClient> {
    const { config, secrets } = await connectionOfKind(this.deps.resolve, name, 'drill', 'Drill');
    return this.clients.get(name, await clientSource(config, { ...secrets }), () =>
      (this.deps.createClient ?? createDrillClient)(config, secrets)
    );
  }

  /** Forgets clients and everything learnt (configuration/secret change, Refresh). */
  reset(name?: string): void {
    this.clients.reset(name);
    if (name === undefined) this.entries.clear();
    else this.entries.delete(name);
  }

  cache(name: string): SchemaCache {
    return this.entry(name).cache;
  }

  async schemas(name: string, signal?: AbortSignal): Promise<DrillSchema[]> {
    const entry = this.entry(name);
    if (!entry.schemaObjects) {
      const client = await this.client(name);
      entry.schemaObjects = await client.schemas({ signal });
      entry.cache.schemas = entry.schemaObjects.map(s => s.name);
    }
    return entry.schemaObjects;
  }

  async tables(name: string, schema: string, signal?: AbortSignal): Promise<DrillTable[]> {
    const entry = this.entry(name);
    let tables = entry.cache.tables.get(schema);
    if (!tables) {
      const client = await this.client(name);
      tables = await client.tables(schema, { signal });
      entry.cache.tables.set(schema, tables);
    }
    return tables;
  }

  /** The folders and files of a folder of a file workspace (the tree keeps them until Refresh). */
  async folder(
    name: string,
    schema: string,
    path: string,
    signal?: AbortSignal
  ): Promise<DrillFileEntry[]> {
    return folderEntries(await this.client(name), schema, path, { signal });
  }

  async columns(
    name: string,
    schema: string,
    table: string,
    signal?: AbortSignal
  ): Promise<DrillColumns> {
    const entry = this.entry(name);
    const key = tableKey(schema, table);
    let columns = entry.columnObjects.get(key);
    if (!columns) {
      const client = await this.client(name);
      columns = await client.columns(schema, table, { signal });
      entry.columnObjects.set(key, columns);
      entry.cache.columns.set(key, columns.columns);
    }
    return columns;
  }
}
