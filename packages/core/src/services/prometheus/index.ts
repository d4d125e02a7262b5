// Prometheus GPU metrics; health only so far.

import type { ServiceDefinition } from '../definition.js';
import { checkPrometheus } from './health.js';

export const prometheus: ServiceDefinition = {
  kind: 'prometheus',
  title: 'Prometheus',
  probe: checkPrometheus,
  hints: {}
};
