// The local Kubernetes of the stack (scripts/services/kubernetes: real API server, controller-manager
// and scheduler, kwok's GPU nodes), for the jobs specs of both hosts. The test side talks to it with
// kubectl and the users' kubeconfig (u-radlab, Rancher-style token), never through the host.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KUBECONFIG = join(
  process.env.RADLAB_STATE ?? join(ROOT, '.radlab'),
  'kubernetes',
  'kubeconfig'
);

/** Why the jobs specs cannot run here, or undefined when the API server answers. */
export function kubernetesMissing(): string | undefined {
  const script = join(ROOT, 'scripts/services/kubernetes');
  if (spawnSync(script, ['installed']).status !== 0)
    return 'the Kubernetes control plane is not built (scripts/services/kubernetes install: a Go build of many minutes)';
  if (!existsSync(KUBECONFIG) || spawnSync(script, ['status']).status !== 0)
    return 'the local Kubernetes is not running (scripts/services/kubernetes start, before the hosts start)';
  return undefined;
}

export function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000
  });
}

/** Deletes the namespace's Radlab jobs and waits until their pods are gone (they hold GPU quota). */
export function clearJobs(namespace: string): void {
  kubectl([
    'delete',
    'jobs',
    '-n',
    namespace,
    '-l',
    'app.kubernetes.io/managed-by=radlab',
    '--cascade=foreground',
    '--wait=true',
    '--ignore-not-found'
  ]);
  for (let i = 0; i < 120; i++) {
    const pods = kubectl([
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      'app.kubernetes.io/managed-by=radlab',
      '-o',
      'name'
    ]).trim();
    if (!pods) return;
    spawnSync('sleep', ['0.5']);
  }
}

/** A Radlab job made outside the host (as a colleague would), running for `seconds` on kwok. */
export function createJob(namespace: string, name: string, gpus: number, seconds: number): void {
  const labels = {
    'app.kubernetes.io/managed-by': 'radlab',
    'radlab.io/owner': 'u-colleague',
    'radlab.io/request-id': `${name}-made-by-kubectl`
  };
  // kwok 0.8 takes the jitter delay whenever it is not longer than the delay: both say `seconds`
  const annotations = {
    'pod-complete.stage.kwok.x-k8s.io/delay': `${seconds}s`,
    'pod-complete.stage.kwok.x-k8s.io/jitter-delay': `${seconds}s`
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, labels },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels, annotations },
        spec: {
          restartPolicy: 'Never',
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'main',
              image: 'nvcr.io/nvidia/pytorch:24.05-py3',
              command: ['python', 'train.py'],
              resources: {
                requests: { 'nvidia.com/gpu': String(gpus) },
                limits: { 'nvidia.com/gpu': String(gpus) }
              }
            }
          ]
        }
      }
    }
  };
  kubectl(['create', '-f', '-'], JSON.stringify(job));
}

export function jobNames(namespace: string): string[] {
  const out = kubectl([
    'get',
    'jobs',
    '-n',
    namespace,
    '-l',
    'app.kubernetes.io/managed-by=radlab',
    '-o',
    'jsonpath={.items[*].metadata.name}'
  ]).trim();
  return out ? out.split(/\s+/) : [];
}
