// Kubernetes GPU jobs; health only so far.

import type { ServiceDefinition } from '../definition.js';
import { checkKubernetes } from './health.js';

export const kubernetes: ServiceDefinition = {
  kind: 'kubernetes',
  title: 'Kubernetes',
  probe: checkKubernetes,
  hints: {}
};
