// One namespace's GPU jobs kept current: core's watch of its Radlab jobs and their pods, the GPU quota,
// why pod-less jobs wait (their events: a quota refusal names the quota), and the details of the job
// the user opened. No polling: every request after the first list follows a watch event (they settle
// for SETTLE_MS, so a burst costs one round). No DOM: JupyterLab's panel and VS Code's tree share it.
import {
  toErrorJSON,
  type GpuQuota,
  type JobDetails,
  type JobSummary,
  type KubernetesClient,
  type RadlabError,
  type RadlabErrorJSON
} from '@radlab/core';

export interface JobsFeedState {
  namespace: string;
  jobs: JobSummary[];
  quota?: GpuQuota;
  /** The watch runs and is current. */
  live: boolean;
  /** Reconnecting after a dropped watch (the jobs are the last seen). */
  trouble?: string;
  /** A failure that retrying will not mend soon (RBAC, an expired token). */
  error?: RadlabErrorJSON;
}

export interface JobsFeedOptions {
  onChange: (state: JobsFeedState) => void;
  /** The opened job's pods and events, after each change. */
  onDetails?: (details: JobDetails) => void;
}

export const SETTLE_MS = 250;
const NO_POD_YET = 'waiting: the job controller has not made a pod yet';

export class JobsFeed {
  private readonly abort = new AbortController();
  private current: JobsFeedState;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private opened: string | undefined;
  private readonly reasons = new Map<string, string>();

  constructor(
    private readonly client: KubernetesClient,
    readonly namespace: string,
    private readonly options: JobsFeedOptions
  ) {
    this.current = { namespace, jobs: [], live: false, trouble: 'Connecting…' };
  }

  get state(): JobsFeedState {
    return this.current;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Starts the watch (resolves when the feed is disposed; never rejects). */
  async run(): Promise<void> {
    const signal = this.abort.signal;
    void this.refreshQuota();
    try {
      await this.client.watchJobs(this.namespace, {
        signal,
        onChange: jobs => {
          if (signal.aborted) return;
          this.set({
            jobs: jobs.map(j => this.withReason(j)),
            live: true,
            trouble: undefined,
            error: undefined
          });
          this.settle();
        },
        onTrouble: (error: RadlabError | undefined) => {
          if (signal.aborted) return;
          if (!error) return this.set({ trouble: undefined, live: true });
          const json = toErrorJSON(error, { service: 'kubernetes' });
          if (error.code === 'forbidden' || error.code === 'auth')
            this.set({ error: json, live: false });
          else this.set({ trouble: `Reconnecting: ${json.message}`, live: false });
        }
      });
    } catch (e) {
      if (!signal.aborted)
        this.set({ error: toErrorJSON(e, { service: 'kubernetes' }), live: false });
    }
  }

  /** The job whose pods and events onDetails gets (undefined: none). */
  open(job: string | undefined): void {
    this.opened = job;
    if (job) this.settle();
  }

  private set(patch: Partial<JobsFeedState>): void {
    this.current = { ...this.current, ...patch };
    this.options.onChange(this.current);
  }

  private withReason(job: JobSummary): JobSummary {
    const reason = this.reasons.get(job.name);
    return job.phase === 'pending' && job.reason === NO_POD_YET && reason
      ? { ...job, reason }
      : job;
  }

  private settle(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.afterChange();
    }, SETTLE_MS);
  }

  private async afterChange(): Promise<void> {
    const signal = this.abort.signal;
    if (signal.aborted) return;
    const podless = this.current.jobs.filter(j => j.phase === 'pending' && j.nodes.length === 0);
    const names = new Set([...(this.opened ? [this.opened] : []), ...podless.map(j => j.name)]);
    await Promise.all([
      this.refreshQuota(),
      ...[...names].map(async name => {
        try {
          const d = await this.client.describe(this.namespace, name, signal);
          if (signal.aborted) return;
          if (d.summary.reason && d.pods.length === 0) this.reasons.set(name, d.summary.reason);
          if (name === this.opened) this.options.onDetails?.(d);
        } catch {
          // gone meanwhile (deleted): the watch says so
        }
      })
    ]);
    if (!signal.aborted && podless.length)
      this.set({ jobs: this.current.jobs.map(j => this.withReason(j)) });
  }

  private async refreshQuota(): Promise<void> {
    try {
      const quota = await this.client.gpuQuota(this.namespace, this.abort.signal);
      if (!this.abort.signal.aborted) this.set({ quota });
    } catch {
      // RBAC may hide quotas; the list still works
    }
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
