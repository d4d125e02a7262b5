// One DrillClient and one DrillCatalog (cached introspection) per Drill connection, over the transports
// IRadlabConnections gives (the Jupyter proxy). Shared by the schema browser, the SQL editors and completion.
import { ConnectionClientCache, DrillClient } from '@radlab/core';
import { DrillCatalog } from '@radlab/ui';
import type { IRadlabConnections, PublicConnection } from '../tokens.js';

export interface DrillHandle {
  client: DrillClient;
  catalog: DrillCatalog;
}

export class DrillClients {
  private readonly handles = new ConnectionClientCache<DrillHandle | undefined>();

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
    const conn: PublicConnection | undefined = this.connections.connections.find(
      c => c.name === name && c.kind === 'drill'
    );
    if (!conn) return undefined;
    // a changed config (url, timeout, auth) gets a new client and an empty cache; the secret stays on
    // the server
    return this.handles.get(name, { connection: [conn.url, conn.timeoutMs, conn.auth] }, () => {
      const transport = this.connections.transport(name);
      if (!transport) return undefined;
      const client = new DrillClient(transport);
      return { client, catalog: new DrillCatalog(client) };
    });
  }
}
