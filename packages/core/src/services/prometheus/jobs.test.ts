import { describe, expect, it } from 'vitest';
import type { Job, Pod } from '../kubernetes/types.js';
import { gpuExpr } from './gpu.js';
import { kubernetesJobGpuView } from './jobs.js';
import { renderPromQL } from './promql.js';

const job = (status: Job['status'] = {}): Job => ({
  metadata: { name: 'train-1a2b3c4d', namespace: 'ct', creationTimestamp: '2026-12-03T06:00:00Z' },
  spec: { template: { spec: { containers: [] } } },
  status
});

const pod = (name: string, start: string, finishedAt?: string): Pod => ({
  metadata: { name, namespace: 'ct', creationTimestamp: start },
  spec: { containers: [], nodeName: 'gpu-a100-0' },
  status: {
    phase: finishedAt ? 'Failed' : 'Running',
    startTime: start,
    containerStatuses: [
      {
        name: 'main',
        state: finishedAt ? { terminated: { exitCode: 1, finishedAt } } : { running: {} }
      }
    ]
  }
});

const at = (iso: string): number => Date.parse(iso) / 1000;

describe('kubernetesJobGpuView', () => {
  it('joins every pod of a running job, from its first pod to now', () => {
    const now = Date.parse('2026-12-03T06:20:00Z');
    const view = kubernetesJobGpuView(
      job({ startTime: '2026-12-03T06:01:00Z', active: 1, failed: 1 }),
      [
        pod('train-1a2b3c4d-zz9k2', '2026-12-03T06:09:00Z'),
        pod('train-1a2b3c4d-ab3x7', '2026-12-03T06:00:30Z', '2026-12-03T06:08:00Z')
      ],
      now
    );
    expect(view.title).toBe('Job ct/train-1a2b3c4d');
    expect(view.pods).toEqual(['train-1a2b3c4d-ab3x7', 'train-1a2b3c4d-zz9k2']);
    expect(view.lifetime).toEqual({ start: at('2026-12-03T06:00:00Z') });
    expect(view.rangeSeconds).toBe(21 * 60); // 20 min of life and a minute before
    expect(renderPromQL(gpuExpr('util', view.filter))).toBe(
      'DCGM_FI_DEV_GPU_UTIL{namespace="ct",pod=~"train-1a2b3c4d-ab3x7|train-1a2b3c4d-zz9k2"}'
    );
  });

  it('ends a finished job at its completion, and a window of at least 5 minutes', () => {
    const now = Date.parse('2026-12-03T06:03:00Z');
    const view = kubernetesJobGpuView(
      job({
        startTime: '2026-12-03T06:00:00Z',
        completionTime: '2026-12-03T06:02:00Z',
        succeeded: 1,
        conditions: [{ type: 'Complete', status: 'True' }]
      }),
      [pod('train-1a2b3c4d-q1w2e', '2026-12-03T06:00:05Z', '2026-12-03T06:01:59Z')],
      now
    );
    expect(view.lifetime).toEqual({
      start: at('2026-12-03T06:00:00Z'),
      end: at('2026-12-03T06:02:00Z')
    });
    expect(view.rangeSeconds).toBe(300);
  });

  it('has no filter while the job has no pod (waiting for quota)', () => {
    const view = kubernetesJobGpuView(job(), [], Date.parse('2026-12-03T06:01:00Z'));
    expect(view.filter).toBeUndefined();
    expect(view.pods).toEqual([]);
  });
});
