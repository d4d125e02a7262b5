// MapR/HDFS files over WebHDFS/HttpFS (WebHdfsClient), or a posix mount (node hosts: node/files.ts).

import type { ServiceDefinition } from '../definition.js';
import { checkFiles } from './health.js';
import { FILES_HINTS } from './hints.js';
import { WebHdfsClient, type WebHdfsClientOptions } from './webhdfs.js';

export const files: ServiceDefinition<WebHdfsClient, WebHdfsClientOptions> = {
  kind: 'files',
  title: 'File system (WebHDFS, HttpFS, posix)',
  probe: checkFiles,
  createClient: (transport, connection, options) =>
    new WebHdfsClient(transport, {
      protocol: connection.protocol === 'httpfs' ? 'httpfs' : 'webhdfs',
      dataNodes: connection.dataNodes,
      ...options
    }),
  hints: FILES_HINTS
};
