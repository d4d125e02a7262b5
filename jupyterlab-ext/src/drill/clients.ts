// One DrillClient (IRadlabConnections.client) and one DrillCatalog (cached introspection) per Drill
// connection. Shared by the schema browser, the SQL editors and completion.
import { DrillCatalog, type DrillClient } from '@radlab/core';
import type { IRadlabConnections } from '../tokens.js';

export interface DrillHandle {
  client: DrillClient;
  catalog: DrillCatalog;
}

export class DrillClients {
  private readonly catalogs = new WeakMap<DrillClient, DrillCatalog>();

  constructor(readonly connections: IRadlabConnections) {}

  /** The Drill connections, in the server's order. */
  names(): string[] {
    return this.connections.connections.filter(c => c.kind === 'drill').map(c => c.name);
  }

  /** The Drill connection to start with: the first one not known to be down. */
  preferred(): string | undefined {
    const names = this.names();
    return (
      names.find(n => {
        const h = this.connections.health.get(n);
        return h !== undefined && h !== 'checking' && h.state !== 'down';
      }) ?? names[0]
    );
  }

  get(name: string): DrillHandle | undefined {
    // the client comes from IRadlabConnections (one per connection, rebuilt on a config change); a
    // new client gets a new, empty catalog
    const client = this.connections.client('drill', name);
    if (!client) return undefined;
    let catalog = this.catalogs.get(client);
    if (!catalog) {
      catalog = new DrillCatalog(client);
      this.catalogs.set(client, catalog);
    }
    return { client, catalog };
  }
}
