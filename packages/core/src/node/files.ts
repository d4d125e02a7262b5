// A files client for node hosts (CLI, VS Code): the connection's auth on each request, bodies
// streamed (stream.Readable), DataNode redirects followed by the client within "dataNodes".

import { Readable } from 'node:stream';
import type { ConnectionConfig } from '../connection.js';
import { WebHdfsClient, type WebHdfsClientOptions } from '../services/files/webhdfs.js';
import { createNodeTransport, type NodeTransportOptions } from './transport.js';

export async function createNodeFilesClient(
  conn: ConnectionConfig,
  options: NodeTransportOptions & { client?: WebHdfsClientOptions } = {}
): Promise<WebHdfsClient> {
  return new WebHdfsClient(await createNodeTransport(conn, options), {
    protocol: conn.protocol === 'httpfs' ? 'httpfs' : 'webhdfs',
    dataNodes: conn.dataNodes,
    redirects: 'client',
    streamBody: data => Readable.from(data, { objectMode: false }),
    ...options.client
  });
}
