// A pending job as the API server shows it (kube-scheduler could not place its pod), for state tests.

import { jobManifest } from './template.js';
import type { Job, Pod } from './types.js';

const job: Job = jobManifest(
  { name: 'train', namespace: 'mri', image: 'busybox', gpus: 2 },
  '0123456789abcdef'
);

const pod: Pod = {
  metadata: {
    name: 'train-01234567-x1',
    namespace: 'mri',
    labels: { 'batch.kubernetes.io/job-name': 'train-01234567' }
  },
  spec: job.spec.template.spec,
  status: {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.'
      }
    ]
  }
};

export const jobPending = { job, pods: [pod] };
