// Test support: the local stack's real Kubernetes control plane (scripts/services/kubernetes; kwok's
// fake GPU nodes). It is started when built; building it takes many minutes, so when it is not built
// (or does not start) `kubernetesUnavailable` says why and the tests skip.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ConnectionConfig } from '../connection.js';
import { createNodeTransport } from '../node/transport.js';
import { KubernetesClient } from '../services/kubernetes/client.js';
import { REPO_ROOT as root, startService } from './service.js';

/** The kubeconfig the service writes: contexts radlab-local (researcher) and radlab-local-viewer. */
export const KUBECONFIG = join(
  process.env['RADLAB_STATE'] ?? join(root, '.radlab'),
  'kubernetes',
  'kubeconfig'
);

function start(): string | undefined {
  if (spawnSync(join(root, 'scripts/services/kubernetes'), ['installed']).status !== 0) {
    return 'the control plane is not built (scripts/services/kubernetes install)';
  }
  return startService('kubernetes', 300_000);
}

/** Why the API server is not available, or undefined when it is running. */
export const kubernetesUnavailable: string | undefined = start();
if (kubernetesUnavailable) console.warn(`Kubernetes tests skipped: ${kubernetesUnavailable}`);

export function kubeConnection(context = 'radlab-local'): ConnectionConfig {
  return { name: `local-k8s-${context}`, kind: 'kubernetes', kubeconfig: KUBECONFIG, context };
}

export async function kubeClient(context = 'radlab-local'): Promise<KubernetesClient> {
  return new KubernetesClient(await createNodeTransport(kubeConnection(context)));
}
