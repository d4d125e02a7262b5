// KubernetesClient: GPU jobs on a Kubernetes API server, on a Transport (node: the kubeconfig's
// credentials; JupyterLab: the Radlab proxy, which holds them server-side). Submit is idempotent: the
// job's name comes from the request id, so a retried POST meets 409 AlreadyExists and gets the job the
// first attempt made (checked by its request-id label) instead of a second job.

import { RadlabError } from '../../errors.js';
import { destroyBody, textLines } from '../../transport/body.js';
import type { Transport } from '../../transport/transport.js';
import { summarize, type JobSummary } from './state.js';
import {
  GPU_RESOURCE,
  jobManifest,
  LABEL_MANAGED,
  LABEL_REQUEST,
  newRequestId,
  type GpuJobTemplate
} from './template.js';
import { DeploymentsClient } from './deployments.js';
import { kubeFailure } from './failure.js';
import { manifestWithRequest } from './manifest.js';
import type { Job, KubeEvent, KubeList, Pod, ResourceQuota } from './types.js';
import { ResourceWatch } from './watch.js';

export interface SubmitResult {
  job: Job;
  requestId: string;
  /** false: a job of this request id existed already (a retry), nothing new was started. */
  created: boolean;
}

export interface GpuQuota {
  namespace: string;
  /** nvidia.com/gpu requested by the namespace's pods now, and allowed by its quotas (undefined: no quota). */
  used: number;
  allowed?: number;
}

export interface LogOptions {
  container?: string;
  follow?: boolean;
  /** The logs of the container's previous run (after a restart). */
  previous?: boolean;
  tailLines?: number;
  signal?: AbortSignal;
}

export interface JobDetails {
  job: Job;
  pods: Pod[];
  events: KubeEvent[];
  summary: JobSummary;
}

const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

function jobsPath(namespace: string): string {
  return `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`;
}

function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

export class KubernetesClient {
  /** GPU Deployments: list with replicas, pods, scale, restart. */
  readonly deployments: DeploymentsClient;

  constructor(readonly transport: Transport) {
    this.deployments = new DeploymentsClient(transport);
  }

  private async get<T>(
    path: string,
    params: Record<string, string | number | boolean | undefined>,
    what: string,
    signal?: AbortSignal
  ): Promise<T> {
    try {
      return (await this.transport.request<T>({ path, params, signal })).data;
    } catch (e) {
      throw kubeFailure(e, what);
    }
  }

  async listJobs(
    namespace: string,
    options: { labelSelector?: string; signal?: AbortSignal } = {}
  ): Promise<Job[]> {
    const list = await this.get<KubeList<Job>>(
      jobsPath(namespace),
      { labelSelector: options.labelSelector },
      `list jobs in ${namespace}`,
      options.signal
    );
    return list.items;
  }

  async getJob(namespace: string, name: string, signal?: AbortSignal): Promise<Job> {
    return this.get<Job>(
      `${jobsPath(namespace)}/${encodeURIComponent(name)}`,
      {},
      `get job ${namespace}/${name}`,
      signal
    );
  }

  async jobPods(namespace: string, name: string, signal?: AbortSignal): Promise<Pod[]> {
    const list = await this.get<KubeList<Pod>>(
      podsPath(namespace),
      { labelSelector: `${JOB_NAME_LABEL}=${name}` },
      `list pods of job ${namespace}/${name}`,
      signal
    );
    return list.items;
  }

  /** Events about the job and its pods, oldest first. */
  async jobEvents(
    namespace: string,
    name: string,
    pods: Pod[] = [],
    signal?: AbortSignal
  ): Promise<KubeEvent[]> {
    const list = await this.get<KubeList<KubeEvent>>(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
      {},
      `list events in ${namespace}`,
      signal
    );
    const names = new Set([name, ...pods.map(p => p.metadata.name)]);
    return list.items.filter(
      e =>
        names.has(e.involvedObject.name) &&
        (e.involvedObject.kind === 'Job' || e.involvedObject.kind === 'Pod')
    );
  }

  async describe(namespace: string, name: string, signal?: AbortSignal): Promise<JobDetails> {
    const job = await this.getJob(namespace, name, signal);
    const pods = await this.jobPods(namespace, name, signal);
    const events = await this.jobEvents(namespace, name, pods, signal);
    return { job, pods, events, summary: summarize(job, pods, events) };
  }

  /** Creates the job of a template; a retry with the same request id returns the first job. */
  async submit(
    template: GpuJobTemplate,
    options: { requestId?: string; signal?: AbortSignal } = {}
  ): Promise<SubmitResult> {
    const requestId = options.requestId ?? newRequestId();
    return this.create(jobManifest(template, requestId), requestId, options.signal);
  }

  /**
   * Creates a user's own Job manifest (a YAML file), named and labelled from the request id
   * (manifestWithRequest), so a retry returns the first job as submit does.
   */
  async submitManifest(
    job: Job,
    options: {
      requestId?: string;
      namespace?: string;
      owner?: string;
      source?: string;
      signal?: AbortSignal;
    } = {}
  ): Promise<SubmitResult> {
    const requestId = options.requestId ?? newRequestId();
    return this.create(manifestWithRequest(job, requestId, options), requestId, options.signal);
  }

  private async create(
    manifest: Job,
    requestId: string,
    signal: AbortSignal | undefined
  ): Promise<SubmitResult> {
    const namespace = manifest.metadata.namespace ?? 'default';
    const what = `create job ${namespace}/${manifest.metadata.name}`;
    try {
      const answer = await this.transport.request<Job>({
        method: 'POST',
        path: jobsPath(namespace),
        data: manifest,
        headers: { 'Content-Type': 'application/json' },
        // safe to repeat: the name is fixed, so a repeat meets AlreadyExists
        idempotent: true,
        signal
      });
      return { job: answer.data, requestId, created: true };
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'conflict') {
        const existing = await this.getJob(namespace, manifest.metadata.name, signal);
        if (existing.metadata.labels?.[LABEL_REQUEST] === requestId)
          return { job: existing, requestId, created: false };
        throw new RadlabError({
          code: 'conflict',
          service: 'kubernetes',
          connection: e.connection,
          message: `${what}: a job of that name exists and was not made by this request`,
          hint: 'Submit again (a new request gets a new name), or delete the other job.'
        });
      }
      throw kubeFailure(e, what);
    }
  }

  /** Who the API server takes the user for (SelfSubjectReview); undefined when it will not say. */
  async whoAmI(signal?: AbortSignal): Promise<string | undefined> {
    try {
      const answer = await this.transport.request<{
        status?: { userInfo?: { username?: string } };
      }>({
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        data: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
        headers: { 'Content-Type': 'application/json' },
        idempotent: true,
        signal
      });
      return answer.data.status?.userInfo?.username;
    } catch (e) {
      if (RadlabError.isRadlabError(e) && (e.code === 'forbidden' || e.code === 'notFound'))
        return undefined;
      throw kubeFailure(e, 'ask the API server who the user is');
    }
  }

  /**
   * The namespaces the user may list, without Kubernetes' own (kube-*); [] when RBAC does not let
   * the user list namespaces (the host then offers the kubeconfig context's namespace).
   */
  async listNamespaces(signal?: AbortSignal): Promise<string[]> {
    try {
      const list = await this.get<KubeList<{ metadata: { name: string } }>>(
        '/api/v1/namespaces',
        {},
        'list namespaces',
        signal
      );
      return list.items.map(n => n.metadata.name).filter(n => !n.startsWith('kube-'));
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'forbidden') return [];
      throw e;
    }
  }

  /** Deletes the job and (propagation Background) its pods. */
  async deleteJob(namespace: string, name: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.transport.request({
        method: 'DELETE',
        path: `${jobsPath(namespace)}/${encodeURIComponent(name)}`,
        data: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
        headers: { 'Content-Type': 'application/json' },
        idempotent: true,
        signal
      });
    } catch (e) {
      // already gone: what the caller wanted
      if (RadlabError.isRadlabError(e) && e.code === 'notFound') return;
      throw kubeFailure(e, `delete job ${namespace}/${name}`);
    }
  }

  /** The namespace's nvidia.com/gpu quota, used and allowed (the tightest quota when there are several). */
  async gpuQuota(namespace: string, signal?: AbortSignal): Promise<GpuQuota> {
    const list = await this.get<KubeList<ResourceQuota>>(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/resourcequotas`,
      {},
      `read the quotas of ${namespace}`,
      signal
    );
    let used = 0;
    let allowed: number | undefined;
    for (const q of list.items) {
      for (const key of [`requests.${GPU_RESOURCE}`, `limits.${GPU_RESOURCE}`]) {
        const hard = q.status?.hard?.[key];
        if (hard === undefined) continue;
        const h = Number(hard);
        if (allowed === undefined || h < allowed) {
          allowed = h;
          used = Number(q.status?.used?.[key] ?? 0);
        }
      }
    }
    return { namespace, used, allowed };
  }

  /** Lines of a pod's log; with follow, until the container ends or the signal aborts. */
  async *podLogs(namespace: string, pod: string, options: LogOptions = {}): AsyncGenerator<string> {
    let response;
    try {
      response = await this.transport.request<unknown>({
        path: `${podsPath(namespace)}/${encodeURIComponent(pod)}/log`,
        params: {
          container: options.container,
          follow: options.follow || undefined,
          previous: options.previous || undefined,
          tailLines: options.tailLines
        },
        responseType: 'stream',
        signal: options.signal
      });
    } catch (e) {
      throw kubeFailure(e, `read the log of pod ${namespace}/${pod}`);
    }
    const body = response.data;
    const onAbort = (): void => destroyBody(body);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      yield* textLines(body);
    } catch (e) {
      if (options.signal?.aborted) return;
      throw kubeFailure(e, `read the log of pod ${namespace}/${pod}`);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      destroyBody(body);
    }
  }

  /** The log of the job's newest pod. */
  async *jobLogs(
    namespace: string,
    name: string,
    options: LogOptions = {}
  ): AsyncGenerator<string> {
    const pods = await this.jobPods(namespace, name, options.signal);
    const newest = pods.sort((a, b) =>
      (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? 1 : -1
    )[0];
    if (!newest) {
      throw new RadlabError({
        code: 'notFound',
        service: 'kubernetes',
        connection: this.transport.connection,
        message: `job ${namespace}/${name} has no pod yet, so no log`,
        hint: 'Wait until it leaves pending (radlab jobs get shows why it waits).'
      });
    }
    yield* this.podLogs(namespace, newest.metadata.name, options);
  }

  /**
   * Watches the namespace's Radlab jobs and their pods; `onChange` gets every job's summary after each
   * change. Resolves when the signal aborts.
   */
  async watchJobs(
    namespace: string,
    options: {
      signal: AbortSignal;
      labelSelector?: string;
      onChange: (jobs: JobSummary[]) => void;
      onTrouble?: (error: RadlabError | undefined) => void;
    }
  ): Promise<{ jobs: ResourceWatch<Job>; pods: ResourceWatch<Pod> }> {
    const selector = options.labelSelector ?? `${LABEL_MANAGED}=radlab`;
    const emit = (): void => {
      const byJob = new Map<string, Pod[]>();
      for (const pod of pods.snapshot) {
        const owner = pod.metadata.labels?.[JOB_NAME_LABEL];
        if (owner) byJob.set(owner, [...(byJob.get(owner) ?? []), pod]);
      }
      options.onChange(
        jobs.snapshot.map(job => summarize(job, byJob.get(job.metadata.name) ?? []))
      );
    };
    const jobs: ResourceWatch<Job> = new ResourceWatch<Job>(this.transport, jobsPath(namespace), {
      labelSelector: selector,
      signal: options.signal,
      onChange: emit,
      onTrouble: options.onTrouble
    });
    const pods: ResourceWatch<Pod> = new ResourceWatch<Pod>(this.transport, podsPath(namespace), {
      labelSelector: selector,
      signal: options.signal,
      onChange: emit,
      onTrouble: options.onTrouble
    });
    await Promise.all([jobs.run(), pods.run()]);
    return { jobs, pods };
  }
}
