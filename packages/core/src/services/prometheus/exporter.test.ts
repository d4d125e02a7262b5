// The stack's DCGM-format exporter (scripts/lib/dcgm-exporter.mjs) following the local Kubernetes
// (RADLAB_DCGM_KUBERNETES=1): a GPU pod on a kwok node gets GPU series with its pod, namespace and
// container, Hostname = its node, and loses them when it ends. Against the real API server: an exporter
// of the test's own on a free port (the shared one on :9400 is left alone), a job of its own in spect.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../testing/service.js';
import { kubeClient, kubernetesUnavailable } from '../../testing/kubernetes.js';
import type { Job } from '../kubernetes/types.js';

const STATE = process.env['RADLAB_STATE'] ?? join(REPO_ROOT, '.radlab');
const NAME = `dcgm-t${process.pid}`;
const NAMESPACE = 'spect';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let exporter: ChildProcess | undefined;
let url = '';

async function metrics(): Promise<string[]> {
  const r = await fetch(`${url}/metrics`);
  return (await r.text()).split('\n').filter(l => l.startsWith('DCGM_FI_DEV_GPU_UTIL{'));
}

async function until<T>(what: string, get: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 300));
  }
}

const label = (line: string, name: string): string | undefined =>
  line.match(new RegExp(`[{,]${name}="([^"]*)"`))?.[1];

describe.skipIf(kubernetesUnavailable !== undefined)(
  'the DCGM exporter following the local Kubernetes',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      url = `http://127.0.0.1:${await freePort()}`;
      exporter = spawn(
        process.execPath,
        [join(REPO_ROOT, 'scripts/lib/dcgm-exporter.mjs'), 'serve', url.split(':').pop() as string],
        {
          env: {
            ...process.env,
            RADLAB_DCGM_KUBERNETES: '1',
            RADLAB_DCGM_KUBECONFIG: join(STATE, 'kubernetes', 'admin.kubeconfig'),
            RADLAB_DCGM_KUBE_POLL_MS: '300',
            RADLAB_DCGM_PODS: ''
          },
          stdio: ['ignore', 'ignore', 'pipe']
        }
      );
      await until('the exporter', async () =>
        (await fetch(`${url}/health`)).ok ? true : undefined
      );
    }, 60_000);

    afterAll(async () => {
      exporter?.kill('SIGTERM');
      const client = await kubeClient();
      await client.deleteJob(NAMESPACE, NAME).catch(() => undefined);
    });

    it('serves the kwok GPU nodes beside the built-in ones', async () => {
      const lines = await until('the cluster nodes', async () => {
        const l = await metrics();
        return l.some(x => label(x, 'Hostname') === 'gpu-t4-0') ? l : undefined;
      });
      const count = (node: string): number =>
        lines.filter(l => label(l, 'Hostname') === node).length;
      expect([count('gpu-a100-0'), count('gpu-a100-1'), count('gpu-t4-0')]).toEqual([4, 4, 1]);
      expect(count('gpu-node-1')).toBe(8); // the built-in workloads stay
      const t4 = lines.find(l => label(l, 'Hostname') === 'gpu-t4-0') as string;
      expect(label(t4, 'modelName')).toBe('Tesla T4');
    });

    it('labels a running GPU pod’s GPUs with its pod, namespace and container, until it ends', async () => {
      const client = await kubeClient();
      // not labelled managed-by=radlab: other tests clear those jobs; it runs 60 s unless deleted
      const job: Job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: NAME, namespace: NAMESPACE, labels: { 'radlab.io/test': 'dcgm' } },
        spec: {
          backoffLimit: 0,
          template: {
            metadata: {
              annotations: {
                'pod-complete.stage.kwok.x-k8s.io/delay': '60s',
                'pod-complete.stage.kwok.x-k8s.io/jitter-delay': '60s',
                'radlab.io/dcgm-profile': 'idle'
              }
            },
            spec: {
              restartPolicy: 'Never',
              nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
              tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
              containers: [
                {
                  name: 'trainer',
                  image: 'nvcr.io/nvidia/pytorch:24.05-py3',
                  resources: {
                    requests: { 'nvidia.com/gpu': '1' },
                    limits: { 'nvidia.com/gpu': '1' }
                  }
                }
              ]
            }
          }
        }
      };
      await client.transport.request({
        method: 'POST',
        path: `/apis/batch/v1/namespaces/${NAMESPACE}/jobs`,
        data: job,
        headers: { 'Content-Type': 'application/json' }
      });
      const pods = await until('the job’s pod running', async () => {
        const p = await client.jobPods(NAMESPACE, NAME);
        return p.some(x => x.status?.phase === 'Running') ? p : undefined;
      });
      const pod = pods.find(x => x.status?.phase === 'Running');
      const mine = await until('its GPU series', async () => {
        const l = (await metrics()).filter(x => label(x, 'pod') === pod?.metadata.name);
        return l.length > 0 ? l : undefined;
      });
      expect(mine).toHaveLength(1);
      const line = mine[0] as string;
      expect(label(line, 'namespace')).toBe(NAMESPACE);
      expect(label(line, 'container')).toBe('trainer');
      expect(label(line, 'Hostname')).toBe(pod?.spec.nodeName);
      expect(label(line, 'modelName')).toBe('NVIDIA A100-SXM4-80GB');
      expect(Number(line.split(' ').pop())).toBeLessThanOrEqual(2); // its profile: idle

      await client.deleteJob(NAMESPACE, NAME);
      await until('its series to lose the pod', async () => {
        const l = await metrics();
        return l.some(x => label(x, 'pod') === pod?.metadata.name) ? undefined : true;
      });
    });
  }
);
