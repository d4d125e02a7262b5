// What @radlab/core exports of the Kubernetes capability.

export { refusedAction, statusMessage } from './failure.js';
export {
  KubernetesClient,
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
  podContainersText,
  summarize,
  type JobPhase,
  type JobState,
  type JobSummary
} from './state.js';
export * from './template.js';
export { JOB_PRESETS, type JobPreset } from './presets.js';
export {
  DeploymentsClient,
  RESTARTED_AT,
  summarizeDeployment,
  type Deployment,
  type DeploymentSummary
} from './deployments.js';
export {
  jobYaml,
  manifestWithRequest,
  parseJobFile,
  toYaml,
  type JobSpecFile
} from './manifest.js';
export type * from './types.js';
export { ResourceWatch, type WatchOptions, type WatchStats } from './watch.js';
