// One call for node hosts: build the transport for a connection and check it. Never throws; a
// credential or kubeconfig problem comes back as a `down` result with a `config` error.

import type { ConnectionConfig } from '../connection.js';
import { RadlabError } from '../errors.js';
import { checkHealth } from '../health/check.js';
import type { HealthResult } from '../health/types.js';
import { expandHome } from './paths.js';
import { nodePosixProbe } from './posix.js';
import { createNodeTransport, type NodeTransportOptions } from './transport.js';

export async function checkConnection(
  conn: ConnectionConfig,
  options: NodeTransportOptions = {}
): Promise<HealthResult> {
  try {
    const transport = await createNodeTransport(conn, options);
    return await checkHealth(conn, {
      transport,
      signal: options.signal,
      posixProbe: root => nodePosixProbe(expandHome(root, options.env))
    });
  } catch (e) {
    const error = RadlabError.isRadlabError(e)
      ? e
      : new RadlabError({
          code: 'config',
          service: 'radlab',
          connection: conn.name,
          message: e instanceof Error ? e.message : String(e)
        });
    return {
      connection: conn.name,
      kind: conn.kind,
      state: 'down',
      checkedAt: new Date().toISOString(),
      error: error.toJSON()
    };
  }
}
