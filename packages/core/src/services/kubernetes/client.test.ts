// Against the local stack's real kube-apiserver, controller-manager and scheduler, with kwok's fake GPU
// nodes (2 × 4 A100, 1 × 1 T4; namespaces mri/ct/pet/spect with GPU quotas 8/4/2/1), token users as
// Rancher issues them and RBAC on.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../../errors.js';
import { failure } from '../../testing/errors.js';
import { kubeClient, kubernetesUnavailable } from '../../testing/kubernetes.js';
import type { JobSummary } from './state.js';
import { parseJobFile } from './manifest.js';
import { newRequestId, type GpuJobTemplate } from './template.js';

const run = `t${process.pid}`;
// kwok's pod stages: the pod runs for 3 s, then completes (kwok 0.8 takes the jitter delay when it is not
// longer than the delay, so a jitter of 0 s would end the pod at once)
const quick = {
  'pod-complete.stage.kwok.x-k8s.io/delay': '3s',
  'pod-complete.stage.kwok.x-k8s.io/jitter-delay': '3s'
};
const template = (over: Partial<GpuJobTemplate> = {}): GpuJobTemplate => ({
  name: `${run}-train`,
  namespace: 'mri',
  image: 'nvcr.io/nvidia/pytorch:24.05-py3',
  command: ['python', 'train.py'],
  gpus: 2,
  gpuProduct: 'NVIDIA-A100-SXM4-80GB',
  owner: 'u-radlab',
  source: 'notebooks/train.ipynb',
  annotations: quick,
  ...over
});

const root = fileURLToPath(new URL('../../../../../', import.meta.url));

/** Stops the API server (its process group) and starts it again with the service script. */
function restartApiServer(): void {
  const state = process.env['RADLAB_STATE'] ?? join(root, '.radlab');
  const pid = Number(readFileSync(join(state, 'run', 'kubernetes-apiserver.pid'), 'utf8'));
  process.kill(-pid, 'SIGKILL'); // a crash: no graceful end of the watches
  spawnSync('sh', ['-c', `while kill -0 ${pid} 2>/dev/null; do sleep 0.2; done`], {
    timeout: 60_000
  });
  const started = spawnSync(join(root, 'scripts/services/kubernetes'), ['start'], {
    encoding: 'utf8',
    timeout: 300_000
  });
  if (started.status !== 0) throw new Error(`restarting the API server failed: ${started.stderr}`);
}

/** Watches `namespace` until `until` holds for the job list; returns every list seen. */
async function watchUntil(
  namespace: string,
  until: (jobs: JobSummary[]) => boolean
): Promise<JobSummary[][]> {
  const client = await kubeClient();
  const seen: JobSummary[][] = [];
  const controller = new AbortController();
  const done = client.watchJobs(namespace, {
    signal: controller.signal,
    labelSelector: `radlab.io/owner=u-radlab`,
    onChange: jobs => {
      seen.push(jobs);
      if (until(jobs)) controller.abort();
    }
  });
  await done;
  return seen;
}

describe.skipIf(kubernetesUnavailable !== undefined)(
  'KubernetesClient against a real API server',
  { timeout: 120_000 },
  () => {
    const made: Array<[string, string]> = [];
    // jobs an earlier, interrupted run left hold GPU quota (a pending pod counts): delete them first
    beforeAll(async () => {
      const client = await kubeClient();
      for (const ns of ['mri', 'ct', 'pet', 'spect']) {
        for (const job of await client.listJobs(ns, {
          labelSelector: 'app.kubernetes.io/managed-by=radlab'
        })) {
          await client.deleteJob(ns, job.metadata.name);
        }
        for (let i = 0; i < 120; i++) {
          const pods = await client.transport.request<{ items: unknown[] }>({
            path: `/api/v1/namespaces/${ns}/pods`,
            params: { labelSelector: 'app.kubernetes.io/managed-by=radlab' }
          });
          if (pods.data.items.length === 0) break;
          await new Promise(r => setTimeout(r, 500));
        }
      }
    }, 90_000);
    afterAll(async () => {
      const client = await kubeClient();
      for (const [ns, name] of made) await client.deleteJob(ns, name);
    });

    it('submits a 2-GPU job once, even when the submit is retried', async () => {
      const client = await kubeClient();
      const requestId = newRequestId();
      const first = await client.submit(template(), { requestId });
      made.push(['mri', first.job.metadata.name]);
      expect(first.created).toBe(true);
      const retry = await client.submit(template(), { requestId });
      expect(retry.created).toBe(false);
      expect(retry.job.metadata.uid).toBe(first.job.metadata.uid);
      const listed = await client.listJobs('mri', {
        labelSelector: `radlab.io/request-id=${requestId}`
      });
      expect(listed).toHaveLength(1);
    });

    it('watches a job go pending → running → succeeded', async () => {
      const client = await kubeClient();
      const { job } = await client.submit(template({ name: `${run}-watch` }));
      made.push(['mri', job.metadata.name]);
      const name = job.metadata.name;
      const seen = await watchUntil('mri', jobs =>
        jobs.some(j => j.name === name && j.phase === 'succeeded')
      );
      const phases = [
        ...new Set(seen.map(jobs => jobs.find(j => j.name === name)?.phase).filter(Boolean))
      ];
      expect(phases).toEqual(['pending', 'running', 'succeeded']);
      const last = seen.at(-1)?.find(j => j.name === name);
      expect(last).toMatchObject({
        gpus: 2,
        gpuProduct: 'NVIDIA-A100-SXM4-80GB',
        owner: 'u-radlab',
        succeeded: 1
      });
      expect(last?.nodes[0]).toMatch(/^gpu-a100-/);
    });

    it('says plainly why a job waits: no node has that many GPUs', async () => {
      const client = await kubeClient();
      const { job } = await client.submit(template({ name: `${run}-big`, gpus: 5 }));
      made.push(['mri', job.metadata.name]);
      const seen = await watchUntil('mri', jobs =>
        jobs.some(j => j.name === job.metadata.name && j.reason?.includes('no node'))
      );
      expect(seen.at(-1)?.find(j => j.name === job.metadata.name)?.reason).toBe(
        'waiting: no node has 5 free nvidia.com/gpu'
      );
    });

    it('says plainly when the namespace GPU quota refuses the pod', async () => {
      const client = await kubeClient();
      expect(await client.gpuQuota('spect')).toMatchObject({ namespace: 'spect', allowed: 1 });
      const { job } = await client.submit(
        template({ name: `${run}-quota`, namespace: 'spect', gpus: 2, gpuProduct: undefined })
      );
      made.push(['spect', job.metadata.name]);
      let reason: string | undefined;
      for (let i = 0; i < 60 && !reason?.includes('quota'); i++) {
        reason = (await client.describe('spect', job.metadata.name)).summary.reason;
        if (!reason?.includes('quota')) await new Promise(r => setTimeout(r, 500));
      }
      expect(reason).toMatch(/^waiting: the namespace's quota "gpu" is used up/);
    });

    it('names verb, resource and namespace when RBAC forbids', async () => {
      const viewer = await kubeClient('radlab-local-viewer');
      expect(await viewer.listJobs('mri')).toBeInstanceOf(Array);
      const e = await failure(viewer.submit(template({ name: `${run}-denied` })));
      expect(e).toBeInstanceOf(RadlabError);
      expect(e.code).toBe('forbidden');
      expect(e.message).toContain(
        'RBAC does not allow user "u-viewer" to create jobs.batch in namespace "mri"'
      );
      expect(e.message).not.toMatch(/kubeconfig-u-/);
    });

    it('deletes a job with its pods; deleting it again is no error', async () => {
      const client = await kubeClient();
      const { job } = await client.submit(template({ name: `${run}-del`, annotations: {} }));
      await client.deleteJob('mri', job.metadata.name);
      await client.deleteJob('mri', job.metadata.name);
      expect((await failure(client.getJob('mri', job.metadata.name))).code).toBe('notFound');
    });

    it('keeps watching across an API server restart, missing and repeating nothing', async () => {
      const client = await kubeClient();
      const controller = new AbortController();
      const seen: JobSummary[][] = [];
      let waiter: { until: (jobs: JobSummary[]) => boolean; resolve: () => void } | undefined;
      const until = (f: (jobs: JobSummary[]) => boolean): Promise<void> =>
        new Promise(resolve => {
          waiter = { until: f, resolve };
          if (seen.length && f(seen.at(-1)!)) resolve();
        });
      const watching = client.watchJobs('pet', {
        signal: controller.signal,
        labelSelector: `radlab.io/owner=restart-${run}`,
        onChange: jobs => {
          seen.push(jobs);
          if (waiter?.until(jobs)) waiter.resolve();
        }
      });
      const a = await client.submit(
        template({ name: `${run}-before`, namespace: 'pet', gpus: 1, owner: `restart-${run}` })
      );
      made.push(['pet', a.job.metadata.name]);
      await until(jobs => jobs.some(j => j.name === a.job.metadata.name));
      restartApiServer();
      const b = await (
        await kubeClient()
      ).submit(
        template({ name: `${run}-after`, namespace: 'pet', gpus: 1, owner: `restart-${run}` })
      );
      made.push(['pet', b.job.metadata.name]);
      await until(jobs => jobs.some(j => j.name === b.job.metadata.name));
      controller.abort();
      await watching;
      const names = seen
        .at(-1)!
        .map(j => j.name)
        .sort();
      expect(names).toEqual([a.job.metadata.name, b.job.metadata.name].sort());
    });

    it('rejects a bad template before anything is sent, naming the field', async () => {
      const client = await kubeClient();
      const e = await failure(client.submit(template({ memory: '16 GB' })));
      expect(e.code).toBe('badRequest');
      expect(e.details?.['field']).toBe('memory');
    });

    it('submits a Job manifest from a YAML file once, named and labelled by its request id', async () => {
      const client = await kubeClient();
      const spec = parseJobFile(
        [
          'apiVersion: batch/v1',
          'kind: Job',
          `metadata: {name: ${run}-yaml, namespace: ct}`,
          'spec:',
          '  backoffLimit: 0',
          '  template:',
          '    metadata: {annotations: {pod-complete.stage.kwok.x-k8s.io/delay: 1s}}',
          '    spec:',
          '      restartPolicy: Never',
          '      containers: [{name: main, image: busybox, command: [sh, -c, "echo hi"]}]',
          ''
        ].join('\n'),
        'job.yaml'
      );
      if (!('job' in spec)) throw new Error('not read as a manifest');
      const requestId = newRequestId();
      const first = await client.submitManifest(spec.job, { requestId, owner: 'u-radlab' });
      made.push(['ct', first.job.metadata.name]);
      expect(first.job.metadata.name).toBe(`${run}-yaml-${requestId.slice(0, 8)}`);
      expect(first.job.metadata.labels?.['radlab.io/request-id']).toBe(requestId);
      const again = await client.submitManifest(spec.job, { requestId, owner: 'u-radlab' });
      expect(again.created).toBe(false);
    });

    it('lists the GPU Deployment with its pods, scales it and restarts it', async () => {
      const client = await kubeClient();
      const gpu = await client.deployments.list('mri', { gpuOnly: true });
      const served = gpu.find(d => d.name === 'mri-classifier');
      expect(served).toMatchObject({ gpus: 1, gpuProduct: 'NVIDIA-A100-SXM4-80GB' });
      try {
        await client.deployments.scale('mri', 'mri-classifier', 2);
        let pods = await client.deployments.pods('mri', 'mri-classifier');
        for (
          let i = 0;
          i < 120 && pods.filter(p => p.status?.phase === 'Running').length < 2;
          i++
        ) {
          await new Promise(r => setTimeout(r, 500));
          pods = await client.deployments.pods('mri', 'mri-classifier');
        }
        expect(pods.filter(p => p.status?.phase === 'Running')).toHaveLength(2);
        const at = new Date('2026-12-02T12:00:00Z');
        await client.deployments.restart('mri', 'mri-classifier', at);
        const d = await client.deployments.get('mri', 'mri-classifier');
        expect(d.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(
          at.toISOString()
        );
      } finally {
        await client.deployments.scale('mri', 'mri-classifier', 1);
      }
      const e = await failure(client.deployments.scale('mri', 'mri-classifier', -1));
      expect(e.details?.['field']).toBe('replicas');
    });
  }
);
