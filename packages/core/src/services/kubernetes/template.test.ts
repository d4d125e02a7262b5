import { describe, expect, it } from 'vitest';
import { RadlabError } from '../../errors.js';
import { jobPending } from './state.fixtures.js';
import {
  jobManifest,
  jobName,
  labelValue,
  newRequestId,
  validateTemplate,
  type GpuJobTemplate
} from './template.js';
import { jobState, plainReason } from './state.js';

const base: GpuJobTemplate = {
  name: 'train-unet',
  namespace: 'mri',
  image: 'nvcr.io/nvidia/pytorch:24.05-py3',
  gpus: 2
};

function fieldOf(t: GpuJobTemplate): unknown {
  try {
    validateTemplate(t);
  } catch (e) {
    expect(RadlabError.isRadlabError(e)).toBe(true);
    return (e as RadlabError).details?.['field'];
  }
  return undefined;
}

describe('GPU job templates', () => {
  it('names the wrong field', () => {
    expect(fieldOf(base)).toBeUndefined();
    expect(fieldOf({ ...base, name: 'Train_UNet' })).toBe('name');
    expect(fieldOf({ ...base, image: '' })).toBe('image');
    expect(fieldOf({ ...base, gpus: 1.5 })).toBe('gpus');
    expect(fieldOf({ ...base, memory: '16 GB' })).toBe('memory');
    expect(fieldOf({ ...base, env: { '1X': 'a' } })).toBe('env.1X');
    expect(fieldOf({ ...base, volumes: [{ name: 'data', mountPath: '/mapr' }] })).toBe(
      'volumes[0]'
    );
    expect(fieldOf({ ...base, backoffLimit: -1 })).toBe('backoffLimit');
  });

  it('makes a Job requesting GPUs on the chosen GPU type, tolerating the GPU taint', () => {
    const job = jobManifest(
      {
        ...base,
        gpuProduct: 'NVIDIA-A100-SXM4-80GB',
        cpu: '4',
        memory: '16Gi',
        owner: 'ana',
        source: 'notebooks/unet train.ipynb',
        secretEnv: { WANDB_API_KEY: { secret: 'wandb', key: 'key' } },
        volumes: [{ name: 'mapr', mountPath: '/mapr', hostPath: '/mapr' }],
        ttlSecondsAfterFinished: 3600
      },
      'abcdef0123456789'
    );
    expect(job.metadata.name).toBe('train-unet-abcdef01');
    expect(job.metadata.labels).toMatchObject({
      'radlab.io/request-id': 'abcdef0123456789',
      'radlab.io/owner': 'ana',
      'radlab.io/source': 'notebooks_unet_train.ipynb'
    });
    const pod = job.spec.template.spec;
    expect(pod.containers[0]?.resources).toEqual({
      requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '2' },
      limits: { memory: '16Gi', 'nvidia.com/gpu': '2' }
    });
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' });
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }
    ]);
    expect(pod.containers[0]?.env).toEqual([
      { name: 'WANDB_API_KEY', valueFrom: { secretKeyRef: { name: 'wandb', key: 'key' } } }
    ]);
    expect(pod.volumes).toEqual([{ name: 'mapr', hostPath: { path: '/mapr', type: 'Directory' } }]);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(job.spec.backoffLimit).toBe(0);
  });

  it('names a job after its request id, the same for a retry', () => {
    const id = newRequestId();
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(jobName(base, id)).toBe(jobName(base, id));
    expect(jobName(base, newRequestId())).not.toBe(jobName(base, id));
    expect(labelValue('-a/b c-')).toBe('a_b_c');
  });
});

describe('pending reasons in plain words', () => {
  it('says what the scheduler and the quota said', () => {
    expect(
      plainReason(
        '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
        5
      )
    ).toBe('waiting: no node has 5 free nvidia.com/gpu');
    expect(
      plainReason(
        'pods "x" is forbidden: exceeded quota: gpu, requested: requests.nvidia.com/gpu=2, used: requests.nvidia.com/gpu=0, limited: requests.nvidia.com/gpu=1',
        2
      )
    ).toBe(
      'waiting: the namespace\'s quota "gpu" is used up (used requests.nvidia.com/gpu=0, allowed requests.nvidia.com/gpu=1)'
    );
  });

  it('reads an unschedulable pod', () => {
    expect(jobState(jobPending.job, jobPending.pods)).toEqual({
      phase: 'pending',
      reason: 'waiting: no node has 2 free nvidia.com/gpu'
    });
    expect(jobState(jobPending.job, [])).toEqual({
      phase: 'pending',
      reason: 'waiting: the job controller has not made a pod yet'
    });
  });
});
