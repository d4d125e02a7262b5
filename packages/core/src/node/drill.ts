// A DrillClient for node hosts (CLI, VS Code): the connection's auth decides between BASIC on each
// request and Drill's FORM login session (`drillAuth: "form"`).

import { DrillClient, type DrillClientOptions } from '../drill/index.js';
import type { ConnectionConfig } from '../connection.js';
import { resolveAuth } from './auth.js';
import { createNodeTransport, type NodeTransportOptions } from './transport.js';

export async function createNodeDrillClient(
  conn: ConnectionConfig,
  options: NodeTransportOptions & { client?: DrillClientOptions } = {}
): Promise<DrillClient> {
  if (conn.drillAuth === 'form') {
    const auth = await resolveAuth(conn, options.secrets, options.env ?? process.env);
    if (auth.type === 'basic') {
      // The session cookie replaces the Authorization header: the transport itself sends none.
      const transport = await createNodeTransport({ ...conn, auth: { type: 'none' } }, options);
      return new DrillClient(transport, {
        ...options.client,
        formLogin: { username: auth.username, password: auth.password }
      });
    }
  }
  return new DrillClient(await createNodeTransport(conn, options), options.client);
}
