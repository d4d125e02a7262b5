// A LivyClient for node hosts (CLI, VS Code): the connection's auth on each request.

import type { ConnectionConfig } from '../connection.js';
import { LivyClient, type LivyClientOptions } from '../services/livy/client.js';
import { createNodeTransport, type NodeTransportOptions } from './transport.js';

export async function createNodeLivyClient(
  conn: ConnectionConfig,
  options: NodeTransportOptions & { client?: LivyClientOptions } = {}
): Promise<LivyClient> {
  return new LivyClient(await createNodeTransport(conn, options), options.client);
}
