// A DicomWebClient for node hosts (CLI, VS Code): the connection's auth on each request.

import type { ConnectionConfig } from '../connection.js';
import { DicomWebClient, type DicomWebClientOptions } from '../services/dicomweb/client.js';
import { createNodeTransport, type NodeTransportOptions } from './transport.js';

export async function createNodeDicomWebClient(
  conn: ConnectionConfig,
  options: NodeTransportOptions & { client?: DicomWebClientOptions } = {}
): Promise<DicomWebClient> {
  return new DicomWebClient(await createNodeTransport(conn, options), options.client);
}
