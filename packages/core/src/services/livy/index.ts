// Apache Livy: Spark over its REST API; health only so far.

import type { ServiceDefinition } from '../definition.js';
import { checkLivy } from './health.js';

export const livy: ServiceDefinition = {
  kind: 'livy',
  title: 'Apache Livy',
  probe: checkLivy,
  hints: {}
};
