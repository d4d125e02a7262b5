// KubernetesClient: GPU jobs on a Kubernetes API server, on a Transport (node: the kubeconfig's
// credentials; JupyterLab: the Radlab proxy, which holds them server-side). Submit is idempotent: the
// job's name comes from the request id, so a retried POST meets 409 AlreadyExists and gets the job the
// first attempt made (checked by its request-id label) instead of a second job.

import { RadlabError } from '../../errors.js';
import { destroyBody, textLines } from '../../transport/body.js';
import { isBrowser, type Transport } from '../../transport/transport.js';
import { summarize, type JobSummary } from './state.js';
import {
  GPU_RESOURCE,
  jobManifest,
  LABEL_MANAGED,
  LABEL_REQUEST,
  newRequestId,
  type GpuJobTemplate
} from './template.js';
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

/** The API server's Status message out of a transport error's text ("…: {"kind":"Status",…}"). */
export function statusMessage(error: RadlabError): string | undefined {
  const i = error.message.indexOf('{');
  if (i < 0) return undefined;
  try {
    const status = JSON.parse(error.message.slice(i)) as { message?: unknown };
    return typeof status.message === 'string' ? status.message : undefined;
  } catch {
    return /"message":"((?:[^"\\]|\\.)*)/.exec(error.message)?.[1]?.replace(/\\"/g, '"');
  }
}

const VERBS: Record<string, string> = {
  POST: 'create',
  DELETE: 'delete',
  PATCH: 'patch',
  PUT: 'update'
};

/** "create jobs.batch in namespace mri" from the refused request's method and path. */
export function refusedAction(
  request: { method: string; url: string } | undefined
): string | undefined {
  if (!request) return undefined;
  const url = new URL(request.url, 'http://x');
  const m =
    /\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
      url.pathname
    );
  if (!m) return undefined;
  const [, group, namespace, resource, name, sub] = m;
  const verb =
    VERBS[request.method.toUpperCase()] ??
    (url.searchParams.get('watch') ? 'watch' : name ? 'get' : 'list');
  const what = `${resource}${sub ? `/${sub}` : ''}${group ? `.${group}` : ''}`;
  return `${verb} ${what}${namespace ? ` in namespace "${decodeURIComponent(namespace)}"` : ''}`;
}

/** Sharper messages for the API server's refusals: RBAC says verb, resource and namespace itself. */
function kubeFailure(e: unknown, what: string): unknown {
  if (!RadlabError.isRadlabError(e)) return e;
  const said = statusMessage(e);
  if (e.code === 'forbidden') {
    const user = /User \\?"([^"\\]+)\\?"/.exec(e.message)?.[1];
    return new RadlabError({
      code: 'forbidden',
      service: 'kubernetes',
      connection: e.connection,
      status: e.status,
      message: `${what}: RBAC does not allow ${user ? `user "${user}" to ` : 'you to '}${refusedAction(e.request) ?? 'do this'}`,
      hint: 'Your Kubernetes user lacks this permission (RBAC). Ask the cluster admin for a RoleBinding, or pick a namespace you may use.',
      request: e.request
    });
  }
  if (e.code === 'auth') {
    return new RadlabError({
      code: 'auth',
      service: 'kubernetes',
      connection: e.connection,
      status: e.status,
      message: `${what}: the API server did not accept the token (HTTP 401)`,
      hint: 'The token is wrong or expired. Rancher tokens expire: download a new kubeconfig from Rancher (Cluster → Download KubeConfig) or create a new API key.',
      request: e.request
    });
  }
  if (said && (e.code === 'badRequest' || e.code === 'notFound' || e.code === 'conflict')) {
    return new RadlabError({
      code: e.code,
      service: 'kubernetes',
      connection: e.connection,
      status: e.status,
      message: `${what}: ${said}`,
      hint: e.hint,
      request: e.request
    });
  }
  return e;
}

export class KubernetesClient {
  constructor(readonly transport: Transport) {}

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
    const manifest = jobManifest(template, requestId);
    const what = `create job ${template.namespace}/${manifest.metadata.name}`;
    try {
      const answer = await this.transport.request<Job>({
        method: 'POST',
        path: jobsPath(template.namespace),
        data: manifest,
        headers: { 'Content-Type': 'application/json' },
        // safe to repeat: the name is fixed, so a repeat meets AlreadyExists
        idempotent: true,
        signal: options.signal
      });
      return { job: answer.data, requestId, created: true };
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'conflict') {
        const existing = await this.getJob(
          template.namespace,
          manifest.metadata.name,
          options.signal
        );
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
    const browser = isBrowser();
    let response;
    try {
      response = await this.transport.request<unknown>({
        path: `${podsPath(namespace)}/${encodeURIComponent(pod)}/log`,
        params: {
          container: options.container,
          follow: options.follow && !browser ? true : undefined,
          previous: options.previous || undefined,
          tailLines: options.tailLines
        },
        responseType: browser ? 'text' : 'stream',
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
