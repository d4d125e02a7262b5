// Kubernetes GPU jobs: submit from a template, list and watch with plain pending reasons, logs,
// delete. The client is in ./client.ts; ./api.ts is what @radlab/core exports of it.

import type { ServiceDefinition } from '../definition.js';
import { KubernetesClient } from './client.js';
import { checkKubernetes } from './health.js';

export const kubernetes: ServiceDefinition<KubernetesClient> = {
  kind: 'kubernetes',
  title: 'Kubernetes',
  probe: checkKubernetes,
  createClient: transport => new KubernetesClient(transport),
  hints: {
    unreachable:
      'Check that the API server is running (the local stack: scripts/services/kubernetes start) and that the kubeconfig context is right.',
    auth: 'The token is wrong or expired. Rancher tokens expire: download a new kubeconfig from Rancher (Cluster → Download KubeConfig).'
  }
};
