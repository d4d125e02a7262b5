// Apache Livy: interactive Spark sessions (pyspark, spark, sparkr, sql), statements and batches over
// its REST API. The client is in ./client.ts; ./api.ts is what @radlab/core exports of it.

import type { ServiceDefinition } from '../definition.js';
import { LivyClient, type LivyClientOptions } from './client.js';
import { checkLivy } from './health.js';

export const livy: ServiceDefinition<LivyClient, LivyClientOptions> = {
  kind: 'livy',
  title: 'Apache Livy',
  probe: checkLivy,
  createClient: (transport, _connection, options) => new LivyClient(transport, options),
  hints: {
    unreachable:
      'Check that Livy is running (the local stack: scripts/services/livy start) and that the URL and port are right.'
  }
};
