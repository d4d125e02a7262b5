// A files client for node hosts (CLI, VS Code): WebHDFS/HttpFS with the connection's auth on each
// request, bodies streamed (stream.Readable) and DataNode redirects followed by the client within
// "dataNodes"; or, for protocol posix, the mount at "root" through node's fs.

import { Readable } from 'node:stream';
import type { ConnectionConfig } from '../connection.js';
import { RadlabError } from '../errors.js';
import type { FilesClient } from '../services/files/types.js';
import { WebHdfsClient, type WebHdfsClientOptions } from '../services/files/webhdfs.js';
import { PosixFilesClient } from './posixFiles.js';
import { createNodeTransport, type NodeTransportOptions } from './transport.js';

export async function createNodeFilesClient(
  conn: ConnectionConfig,
  options: NodeTransportOptions & { client?: WebHdfsClientOptions } = {}
): Promise<FilesClient> {
  if (conn.protocol === 'posix') {
    if (!conn.root) {
      throw new RadlabError({
        code: 'config',
        service: 'files',
        connection: conn.name,
        message: `files connection "${conn.name}" is posix but has no "root"`,
        hint: 'Set "root" to the mounted path, e.g. /mapr/my.cluster.com.'
      });
    }
    return new PosixFilesClient({ root: conn.root, connection: conn.name });
  }
  return new WebHdfsClient(await createNodeTransport(conn, options), {
    protocol: conn.protocol === 'httpfs' ? 'httpfs' : 'webhdfs',
    dataNodes: conn.dataNodes,
    redirects: 'client',
    streamBody: data => Readable.from(data, { objectMode: false }),
    ...options.client
  });
}
