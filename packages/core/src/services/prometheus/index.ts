// Prometheus: GPU metrics (DCGM and the older nvidia_gpu exporters), alerts and rules. The client is in
// ./client.ts; ./api.ts is what @radlab/core exports of it.

import type { ServiceDefinition } from '../definition.js';
import { PrometheusClient, type PrometheusClientOptions } from './client.js';
import { checkPrometheus } from './health.js';

export const prometheus: ServiceDefinition<PrometheusClient, PrometheusClientOptions> = {
  kind: 'prometheus',
  title: 'Prometheus',
  probe: checkPrometheus,
  createClient: (transport, _connection, options) => new PrometheusClient(transport, options),
  hints: {
    unreachable:
      'Check that Prometheus is running (the local stack: scripts/services/prometheus start) and that the URL and port are right.'
  }
};
