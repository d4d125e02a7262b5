// The Drill connections of the extension: one DrillClient per connection (core's client cache: rebuilt
// when the configuration or the secret changes) and, per client, core's DrillCatalog (the introspection
// cache the JupyterLab schema browser uses too), shared by the Drill view and the SQL completion. No
// `vscode` import: connections and secrets come in through the two callbacks.
import { clientSource, ConnectionClientCache, DrillCatalog } from '@radlab/core';
import type {
  ConnectionConfig,
  DrillClient,
  DrillColumns,
  DrillFileEntry,
  DrillKnownNames,
  DrillSchema,
  DrillTable
} from '@radlab/core';
import type { SecretValues } from '@radlab/core/node';
import { connectionOfKind } from '../connections/ofKind.js';
import { createDrillClient } from '../core.js';

export interface DrillServiceDeps {
  /** Every configured connection (the service keeps those of kind `drill`). */
  list(): Promise<ConnectionConfig[]>;
  resolve(name: string): Promise<{ config: ConnectionConfig; secrets: SecretValues } | undefined>;
  /** Builds a client (tests inject a fake). */
  createClient?(config: ConnectionConfig, secrets: SecretValues): Promise<DrillClient>;
}

export class DrillService {
  /** The catalog of each connection's current client (a new client starts an empty one). */
  private readonly catalogs = new Map<string, { client: DrillClient; catalog: DrillCatalog }>();
  private readonly clients = new ConnectionClientCache<Promise<DrillClient>>();

  constructor(private readonly deps: DrillServiceDeps) {}

  async connections(): Promise<ConnectionConfig[]> {
    return (await this.deps.list()).filter(c => c.kind === 'drill');
  }

  /** The client of a connection. Throws RadlabError (`config`, or notFound for an unknown name). */
  async client(name: string): Promise<DrillClient> {
    const { config, secrets } = await connectionOfKind(this.deps.resolve, name, 'drill', 'Drill');
    return this.clients.get(name, await clientSource(config, { ...secrets }), () =>
      (this.deps.createClient ?? createDrillClient)(config, secrets)
    );
  }

  /** The introspection cache of a connection's client. */
  async catalog(name: string): Promise<DrillCatalog> {
    const client = await this.client(name);
    let entry = this.catalogs.get(name);
    if (entry?.client !== client) {
      entry = { client, catalog: new DrillCatalog(client) };
      this.catalogs.set(name, entry);
    }
    return entry.catalog;
  }

  /** Forgets clients and everything learnt (configuration/secret change, Refresh). */
  reset(name?: string): void {
    this.clients.reset(name);
    if (name === undefined) this.catalogs.clear();
    else this.catalogs.delete(name);
  }

  /** The names loaded so far for a connection (no request): for completion. */
  known(name: string): DrillKnownNames {
    return this.catalogs.get(name)?.catalog.known() ?? { tables: new Map(), columns: new Map() };
  }

  async schemas(name: string, signal?: AbortSignal): Promise<DrillSchema[]> {
    return (await this.catalog(name)).schemas({ signal });
  }

  async tables(name: string, schema: string, signal?: AbortSignal): Promise<DrillTable[]> {
    return (await this.catalog(name)).tables(schema, { signal });
  }

  /** The folders and files of a folder of a file workspace. */
  async folder(
    name: string,
    schema: string,
    path: string,
    signal?: AbortSignal
  ): Promise<DrillFileEntry[]> {
    return (await this.catalog(name)).folder(schema, path, { signal });
  }

  async columns(
    name: string,
    schema: string,
    table: string,
    signal?: AbortSignal
  ): Promise<DrillColumns> {
    return (await this.catalog(name)).tableColumns(schema, table, { signal });
  }
}
