// What @radlab/core exports of the Kubernetes capability.

export {
  KubernetesClient,
  statusMessage,
  type GpuQuota,
  type JobDetails,
  type LogOptions,
  type SubmitResult
} from './client.js';
export {
  ageText,
  jobGpus,
  jobState,
  plainReason,
  summarize,
  type JobPhase,
  type JobState,
  type JobSummary
} from './state.js';
export * from './template.js';
export type * from './types.js';
export { ResourceWatch, type WatchOptions, type WatchStats } from './watch.js';
