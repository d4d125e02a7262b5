// The jobs (pods) that held GPUs, as Prometheus's labels tell them (dcgm-exporter's pod/namespace), and
// one job's lifetime: when its GPUs first and last reported. For the per-job view's picker, its time
// range, and the status bar's "current job".

import type { Job, Pod } from '../kubernetes/types.js';
import type { PrometheusClient, QueryOptions } from './client.js';
import { gpuExpr, gpuOf, type GpuFilter } from './gpu.js';
import { promql } from './promql.js';

export interface GpuJob {
  namespace: string;
  pod: string;
  /** GPUs it holds (or held), as "node/gpu". */
  gpus: string[];
  /** Reporting in the last minutes. */
  running: boolean;
}

/** "namespace/pod" → {namespace, pod}; a bare pod name has no namespace. */
export function parseGpuJob(text: string): { namespace?: string; pod: string } | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const slash = t.indexOf('/');
  if (slash < 0) return { pod: t };
  const namespace = t.slice(0, slash);
  const pod = t.slice(slash + 1);
  return pod ? { ...(namespace ? { namespace } : {}), pod } : undefined;
}

export const gpuJobName = (job: { namespace?: string; pod: string }): string =>
  job.namespace ? `${job.namespace}/${job.pod}` : job.pod;

/** The pods whose GPUs reported in the last `sinceSeconds` (default 6 h), running ones first. */
export async function listGpuJobs(
  client: PrometheusClient,
  options: QueryOptions & { sinceSeconds?: number } = {}
): Promise<GpuJob[]> {
  const end = Date.now() / 1000;
  const util = promql.selector('DCGM_FI_DEV_GPU_UTIL', [{ label: 'pod', op: '!=', value: '' }]);
  const [all, now] = await Promise.all([
    client.series([util], {
      start: end - (options.sinceSeconds ?? 6 * 3600),
      end,
      signal: options.signal
    }),
    client.series([util], { start: end - 120, end, signal: options.signal })
  ]);
  const live = new Set(now.map(l => `${l['namespace'] ?? ''}/${l['pod'] ?? ''}`));
  const jobs = new Map<string, GpuJob>();
  for (const labels of all) {
    const gpu = gpuOf(labels);
    if (!gpu?.pod) continue;
    const key = `${gpu.namespace ?? ''}/${gpu.pod}`;
    const job = jobs.get(key) ?? {
      namespace: gpu.namespace ?? '',
      pod: gpu.pod,
      gpus: [],
      running: live.has(key)
    };
    const name = `${gpu.node}/${gpu.gpu}`;
    if (!job.gpus.includes(name)) job.gpus.push(name);
    jobs.set(key, job);
  }
  return [...jobs.values()].sort(
    (a, b) =>
      Number(b.running) - Number(a.running) ||
      gpuJobName(a).localeCompare(gpuJobName(b), undefined, { numeric: true })
  );
}

export interface GpuJobLifetime {
  /** Seconds since the epoch of its first and last report in the lookback. */
  start: number;
  end: number;
}

/**
 * When a job's GPUs first and last reported within `lookbackSeconds` (default 24 h), from one coarse
 * range query (a point per minute); undefined when they did not.
 */
export async function gpuJobLifetime(
  client: PrometheusClient,
  job: GpuFilter,
  options: QueryOptions & { lookbackSeconds?: number } = {}
): Promise<GpuJobLifetime | undefined> {
  const end = Math.floor(Date.now() / 1000);
  const lookback = options.lookbackSeconds ?? 24 * 3600;
  const step = Math.max(60, Math.ceil(lookback / 1440));
  const expr = promql.aggregate('count', gpuExpr('util', job));
  const result = await client.queryRange(
    expr,
    { start: end - lookback, end, step },
    { signal: options.signal }
  );
  let first = Infinity;
  let last = -Infinity;
  for (const s of result.series) {
    if (s.times.length === 0) continue;
    first = Math.min(first, s.times[0] as number);
    last = Math.max(last, s.times[s.times.length - 1] as number);
  }
  return Number.isFinite(first) ? { start: first, end: last } : undefined;
}

export interface GpuJobNow {
  /** Mean utilization of its GPUs now (%); undefined when none reports. */
  utilization?: number;
  gpus: Array<{ gpu: string; utilization: number }>;
}

/** A job's GPUs' utilization now (for a status bar). */
export async function gpuJobNow(
  client: PrometheusClient,
  job: GpuFilter,
  options: QueryOptions = {}
): Promise<GpuJobNow> {
  const samples = await client.query(gpuExpr('util', job), options);
  const gpus = samples
    .map(s => {
      const ref = gpuOf(s.labels);
      return ref ? { gpu: `${ref.node}/${ref.gpu}`, utilization: s.value } : undefined;
    })
    .filter((g): g is { gpu: string; utilization: number } => !!g && Number.isFinite(g.utilization))
    .sort((a, b) => a.gpu.localeCompare(b.gpu, undefined, { numeric: true }));
  const utilization =
    gpus.length > 0 ? gpus.reduce((sum, g) => sum + g.utilization, 0) / gpus.length : undefined;
  return { utilization, gpus };
}

/** The view's range for a lifetime: from its start (a little before) to now, at least 5 minutes. */
export function lifetimeRangeSeconds(
  lifetime: GpuJobLifetime | undefined,
  now = Date.now() / 1000
): number {
  if (!lifetime) return 900;
  const span = Math.ceil(now - lifetime.start + 60);
  // whole minutes, so the picker can name it
  return Math.max(300, Math.ceil(span / 60) * 60);
}

/** A Kubernetes job's GPU view: all its pods' GPUs, over the job's lifetime. */
export interface KubernetesJobGpuView {
  /** "Job ct/train-unet-1a2b3c4d". */
  title: string;
  /** Its pods in its namespace (dcgm-exporter's pod/namespace labels); undefined while it has no pod. */
  filter?: GpuFilter;
  /** The pods it is joined on. */
  pods: string[];
  /** Seconds since the epoch: when it started (its first pod, else the job), and ended if it has. */
  lifetime: { start: number; end?: number };
  /** The view's window, ending now, from a minute before its start (at least 5 minutes). */
  rangeSeconds: number;
}

const seconds = (iso: string | undefined): number | undefined => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t / 1000 : undefined;
};

/** When a pod's containers last finished (undefined while one still runs or none has ended). */
function podEnd(pod: Pod): number | undefined {
  let end: number | undefined;
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (!cs.state?.terminated) return undefined;
    const t = seconds(cs.state.terminated.finishedAt);
    if (t !== undefined) end = Math.max(end ?? t, t);
  }
  return end;
}

/**
 * The per-job GPU view of a Kubernetes job and its pods (every pod it made: retries and parallel ones
 * too), joined with dcgm-exporter's series by namespace and pod, over the job's lifetime.
 */
export function kubernetesJobGpuView(
  job: Job,
  pods: readonly Pod[],
  now = Date.now()
): KubernetesJobGpuView {
  const namespace = job.metadata.namespace ?? pods[0]?.metadata.namespace ?? '';
  const names = [...new Set(pods.map(p => p.metadata.name))].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true })
  );
  const starts = [
    seconds(job.status?.startTime),
    seconds(job.metadata.creationTimestamp),
    ...pods.map(p => seconds(p.status?.startTime ?? p.metadata.creationTimestamp))
  ].filter((t): t is number => t !== undefined);
  const start = starts.length > 0 ? Math.min(...starts) : now / 1000;
  const finished =
    job.status?.conditions?.find(
      c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True'
    ) !== undefined;
  let end: number | undefined;
  if (finished) {
    const ends = [
      seconds(job.status?.completionTime),
      ...(job.status?.conditions ?? [])
        .filter(c => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
        .map(c => seconds(c.lastTransitionTime)),
      ...pods.map(podEnd)
    ].filter((t): t is number => t !== undefined);
    end = ends.length > 0 ? Math.max(...ends) : undefined;
  }
  const lifetime = end !== undefined ? { start, end } : { start };
  return {
    title: `Job ${namespace}/${job.metadata.name}`,
    ...(names.length > 0 ? { filter: { namespace, pod: names } } : {}),
    pods: names,
    lifetime,
    rangeSeconds: lifetimeRangeSeconds({ start, end: end ?? now / 1000 }, now / 1000)
  };
}
