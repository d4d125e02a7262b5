// A job's state in one word and why, in plain words, from the Job, its pods and their events: the
// scheduler's "0/3 nodes are available: 3 Insufficient nvidia.com/gpu" becomes "waiting: no node has
// 2 free nvidia.com/gpu", a quota refusal names the quota's use.

import { GPU_RESOURCE } from './template.js';
import type { Job, KubeEvent, Pod } from './types.js';

export type JobPhase = 'pending' | 'running' | 'succeeded' | 'failed' | 'suspended' | 'deleting';

export interface JobState {
  phase: JobPhase;
  /** Why it is pending or failed, in plain words; undefined when there is nothing to say. */
  reason?: string;
}

export interface JobSummary extends JobState {
  name: string;
  namespace: string;
  gpus: number;
  gpuProduct?: string;
  owner?: string;
  source?: string;
  requestId?: string;
  created?: string;
  /** Nodes its pods run on. */
  nodes: string[];
  active: number;
  succeeded: number;
  failed: number;
}

function condition(job: Job, type: string): { reason?: string; message?: string } | undefined {
  return job.status?.conditions?.find(c => c.type === type && c.status === 'True');
}

/** GPUs one pod of the job requests. */
export function jobGpus(job: Job): number {
  let n = 0;
  for (const c of job.spec.template.spec.containers ?? []) {
    const v = c.resources?.limits?.[GPU_RESOURCE] ?? c.resources?.requests?.[GPU_RESOURCE];
    if (v) n += Number(v) || 0;
  }
  return n;
}

/** The scheduler's or quota's message in plain words (falls back to the message itself). */
export function plainReason(message: string, gpus: number): string {
  const m = message.trim();
  if (/Insufficient nvidia\.com\/gpu/.test(m)) {
    return `waiting: no node has ${gpus} free ${GPU_RESOURCE}`;
  }
  if (/exceeded quota/.test(m)) {
    const quota = /exceeded quota: ([^,]+)/.exec(m)?.[1];
    const used = /used: ([^,]+)/.exec(m)?.[1];
    const limited = /limited: ([^,"]+)/.exec(m)?.[1];
    return `waiting: the namespace's quota${quota ? ` "${quota}"` : ''} is used up${used ? ` (used ${used}` : ''}${limited ? `${used ? ', ' : ' ('}allowed ${limited})` : used ? ')' : ''}`;
  }
  if (/didn't match Pod's node affinity\/selector|node\(s\) didn't match node selector/.test(m)) {
    return 'waiting: no node has the requested GPU type (node selector)';
  }
  if (/untolerated taint/.test(m))
    return `waiting: the only free nodes have taints the job does not tolerate (${m})`;
  if (/forbidden/.test(m)) return `cannot create pods: ${m}`;
  return `waiting: ${m}`;
}

/** The job's phase and reason; `pods` and `events` (of the job and its pods) sharpen the reason. */
export function jobState(job: Job, pods: Pod[] = [], events: KubeEvent[] = []): JobState {
  if (job.metadata.deletionTimestamp) return { phase: 'deleting' };
  const failed = condition(job, 'Failed');
  if (failed) return { phase: 'failed', reason: failed.message ?? failed.reason };
  if (condition(job, 'Complete')) return { phase: 'succeeded' };
  if (job.spec.suspend) return { phase: 'suspended' };
  const gpus = jobGpus(job);
  const running = pods.some(p => p.status?.phase === 'Running');
  if (running || (job.status?.ready ?? 0) > 0) return { phase: 'running' };
  // Pending: the pod's unschedulable condition, else the latest warning about the job or its pods.
  for (const pod of pods) {
    const scheduled = pod.status?.conditions?.find(c => c.type === 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.message) {
      return { phase: 'pending', reason: plainReason(scheduled.message, gpus) };
    }
    for (const cs of pod.status?.containerStatuses ?? []) {
      const w = cs.state?.waiting;
      if (w?.reason && w.reason !== 'ContainerCreating') {
        return {
          phase: 'pending',
          reason: `waiting: ${w.reason}${w.message ? ` (${w.message})` : ''}`
        };
      }
    }
  }
  const warning = [...events]
    .filter(e => e.type === 'Warning' && e.message)
    .sort((a, b) => (eventTime(b) > eventTime(a) ? 1 : -1))[0];
  if (warning?.message) return { phase: 'pending', reason: plainReason(warning.message, gpus) };
  if (pods.length === 0)
    return { phase: 'pending', reason: 'waiting: the job controller has not made a pod yet' };
  if (pods.some(p => p.spec.nodeName)) return { phase: 'pending', reason: 'starting on its node' };
  return { phase: 'pending', reason: 'waiting for the scheduler' };
}

function eventTime(e: KubeEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';
}

export function summarize(job: Job, pods: Pod[] = [], events: KubeEvent[] = []): JobSummary {
  const labels = job.metadata.labels ?? {};
  return {
    ...jobState(job, pods, events),
    name: job.metadata.name,
    namespace: job.metadata.namespace ?? '',
    gpus: jobGpus(job),
    gpuProduct: job.spec.template.spec.nodeSelector?.['nvidia.com/gpu.product'],
    owner: labels['radlab.io/owner'],
    source: labels['radlab.io/source'],
    requestId: labels['radlab.io/request-id'],
    created: job.metadata.creationTimestamp,
    nodes: [...new Set(pods.map(p => p.spec.nodeName).filter((n): n is string => !!n))],
    active: job.status?.active ?? 0,
    succeeded: job.status?.succeeded ?? 0,
    failed: job.status?.failed ?? 0
  };
}

/** Age as kubectl prints it ("45s", "3m", "2h", "4d") from an ISO time. */
export function ageText(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** One line about a pod's containers: "running", "waiting: ImagePullBackOff", "exit 1 (Error)". */
export function podContainersText(pod: Pod): string {
  const parts = (pod.status?.containerStatuses ?? []).map(cs => {
    const s = cs.state;
    const what = s?.running
      ? 'running'
      : s?.terminated
        ? `exit ${s.terminated.exitCode}${s.terminated.reason ? ` (${s.terminated.reason})` : ''}`
        : s?.waiting
          ? `waiting${s.waiting.reason ? `: ${s.waiting.reason}` : ''}`
          : '';
    return `${cs.name}${what ? ` ${what}` : ''}${cs.restartCount ? `, ${cs.restartCount} restarts` : ''}`;
  });
  if (parts.length) return parts.join('; ');
  const unscheduled = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled' && c.status === 'False'
  );
  return unscheduled?.message ?? '';
}
