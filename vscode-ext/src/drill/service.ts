// The Drill connections of the extension: one DrillClient per connection (rebuilt when the
// configuration or a secret changes) and the introspection cache shared by the Drill view and the SQL
// completion. No `vscode` import: connections and secrets come in through the two callbacks.
import { RadlabError } from '@radlab/core';
import type {
  ConnectionConfig,
  DrillClient,
  DrillColumns,
  DrillSchema,
  DrillTable
} from '@radlab/core';
import type { SecretValues } from '@radlab/core/node';
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
  client?: Promise<DrillClient>;
  cache: SchemaCache;
  schemaObjects?: DrillSchema[];
  columnObjects: Map<string, DrillColumns>;
}

export class DrillService {
  private readonly entries = new Map<string, Entry>();

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
  client(name: string): Promise<DrillClient> {
    const entry = this.entry(name);
    entry.client ??= (async () => {
      const resolved = await this.deps.resolve(name);
      if (!resolved || resolved.config.kind !== 'drill') {
        throw new RadlabError({
          code: 'config',
          service: 'radlab',
          message: `no Drill connection named "${name}"`,
          hint: 'Add it in the Radlab Connections view or pick another one.',
          connection: name
        });
      }
      return (this.deps.createClient ?? createDrillClient)(resolved.config, resolved.secrets);
    })();
    // a failed build is not cached: the next call tries again (e.g. after Set Secret)
    entry.client.catch(() => {
      if (this.entries.get(name)?.client === entry.client) entry.client = undefined;
    });
    return entry.client;
  }

  /** Forgets clients and everything learnt (configuration/secret change, Refresh). */
  reset(name?: string): void {
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
