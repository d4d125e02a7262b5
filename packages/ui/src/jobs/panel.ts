// The jobs panel of one Kubernetes connection: JobsView kept live by a JobsFeed (core's watch of the
// namespace's Radlab jobs and their pods, no polling), the open job's pods and events, its log
// followed as it is written, delete, and the submit dialog. A host gives it
// a KubernetesClient (JupyterLab: over the Radlab proxy, which holds the credentials) and a node.
import {
  kubernetesJobGpuView,
  toErrorJSON,
  type KubernetesClient,
  type KubernetesJobGpuView
} from '@radlab/core';
import { el } from '../element.js';
import { JobsFeed } from './feed.js';
import { LogView } from './logs.js';
import { SubmitJobForm } from './submit.js';
import { JobsView, type JobsState } from './view.js';

export interface JobsPanelOptions {
  client: KubernetesClient;
  /** Offered when the user may not list namespaces (e.g. the kubeconfig context's). */
  namespaces?: string[];
  /** The namespace shown first. */
  namespace?: string;
  /** radlab.io/source of jobs submitted here. */
  source?: string;
  confirm?: (message: string) => boolean | Promise<boolean>;
  /** Opens a job's GPU metrics (all its pods, its lifetime); without it there is no GPU metrics button. */
  onGpus?: (view: KubernetesJobGpuView) => void;
  now?: () => number;
}

export class JobsPanel {
  readonly node: HTMLElement;
  private readonly view: JobsView;
  private readonly log: LogView;
  private form: SubmitJobForm | undefined;
  private state: JobsState = { namespaces: [], jobs: [] };
  private feed: JobsFeed | undefined;
  private logStream: AbortController | undefined;
  private readonly life = new AbortController();
  private owner: string | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly doc: Document,
    private readonly options: JobsPanelOptions
  ) {
    this.node = el(doc, 'div', 'rl-jobs-panel');
    this.view = new JobsView(doc, {
      onNamespace: ns => this.show(ns),
      onSelect: job => this.feed?.open(job),
      onLogs: job => void this.followLogs(job),
      onDelete: job => void this.remove(job),
      onSubmit: () => void this.openSubmit(),
      ...(options.onGpus ? { onGpus: (job: string) => void this.openGpus(job) } : {}),
      ...(options.confirm ? { confirm: options.confirm } : {}),
      ...(options.now ? { now: options.now } : {})
    });
    this.log = new LogView(doc, {
      onStop: () => {
        this.logStream?.abort();
        this.log.setState('stopped');
      },
      onClose: () => {
        this.logStream?.abort();
        this.log.node.hidden = true;
      }
    });
    this.log.node.hidden = true;
    this.node.append(this.view.node, this.log.node);
  }

  private get client(): KubernetesClient {
    return this.options.client;
  }

  /** Finds the namespaces and the user, then watches the first namespace. Never rejects. */
  start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    const signal = this.life.signal;
    let namespaces: string[] = [];
    try {
      [namespaces, this.owner] = await Promise.all([
        this.client.listNamespaces(signal),
        this.client.whoAmI(signal).catch(() => undefined)
      ]);
    } catch (e) {
      if (signal.aborted) return;
      this.update({ error: toErrorJSON(e, { service: 'kubernetes' }) });
    }
    if (signal.aborted) return;
    const offered = [...new Set([...namespaces, ...(this.options.namespaces ?? [])])];
    const first =
      this.options.namespace && offered.includes(this.options.namespace)
        ? this.options.namespace
        : (offered.find(n => n !== 'default') ?? offered[0]);
    this.update({ namespaces: offered });
    if (first) this.show(first);
  }

  private update(patch: Partial<JobsState>): void {
    this.state = { ...this.state, ...patch };
    this.view.update(this.state);
  }

  /** Watches another namespace (the old watch ends). */
  show(namespace: string): void {
    this.feed?.dispose();
    const feed = new JobsFeed(this.client, namespace, {
      onChange: state => {
        if (feed !== this.feed) return;
        this.update({
          ...state,
          deleting: (this.state.deleting ?? []).filter(d => state.jobs.some(j => j.name === d))
        });
      },
      onDetails: details => this.view.showDetails(details)
    });
    this.feed = feed;
    this.update({ ...feed.state, quota: undefined, error: undefined });
    feed.open(this.view.selection);
    void feed.run();
  }

  private async followLogs(job: string): Promise<void> {
    const namespace = this.state.namespace;
    if (!namespace) return;
    this.logStream?.abort();
    const stream = new AbortController();
    this.logStream = stream;
    this.log.node.hidden = false;
    this.log.reset(`Log of ${namespace}/${job}`);
    try {
      let first = true;
      for await (const line of this.client.jobLogs(namespace, job, {
        follow: true,
        tailLines: 1000,
        signal: stream.signal
      })) {
        if (first) this.log.setState('following');
        first = false;
        this.log.append(line);
      }
      if (!stream.signal.aborted) this.log.setState('ended');
    } catch (e) {
      if (stream.signal.aborted) return;
      this.log.setState('error', toErrorJSON(e, { service: 'kubernetes' }).message);
    }
  }

  private async remove(job: string): Promise<void> {
    const namespace = this.state.namespace;
    if (!namespace) return;
    this.update({ deleting: [...(this.state.deleting ?? []), job] });
    try {
      await this.client.deleteJob(namespace, job, this.life.signal);
    } catch (e) {
      this.update({
        error: toErrorJSON(e, { service: 'kubernetes' }),
        deleting: (this.state.deleting ?? []).filter(d => d !== job)
      });
    }
  }

  private async openGpus(job: string): Promise<void> {
    const namespace = this.state.namespace;
    if (!namespace) return;
    try {
      const d = await this.client.describe(namespace, job, this.life.signal);
      this.options.onGpus?.(kubernetesJobGpuView(d.job, d.pods));
    } catch (e) {
      this.update({ error: toErrorJSON(e, { service: 'kubernetes' }) });
    }
  }

  /** Opens the submit dialog over the list (once the namespaces are known). */
  async openSubmit(): Promise<void> {
    await this.start();
    if (this.life.signal.aborted) return;
    this.form?.dispose();
    const close = (): void => {
      this.form?.dispose();
      this.form = undefined;
    };
    this.form = new SubmitJobForm(this.doc, {
      namespaces: this.state.namespaces,
      ...(this.state.namespace ? { namespace: this.state.namespace } : {}),
      ...(this.owner ? { owner: this.owner } : {}),
      ...(this.options.source ? { source: this.options.source } : {}),
      quota: ns => this.client.gpuQuota(ns, this.life.signal),
      submit: async (template, requestId) => {
        const { job } = await this.client.submit(template, { requestId, signal: this.life.signal });
        close();
        if (template.namespace !== this.state.namespace) this.show(template.namespace);
        this.view.select(job.metadata.name);
      },
      onCancel: close
    });
    this.node.append(this.form.node);
    this.form.focus();
  }

  dispose(): void {
    this.life.abort();
    this.feed?.dispose();
    this.logStream?.abort();
    this.form?.dispose();
    this.log.dispose();
    this.view.dispose();
    this.node.remove();
  }
}
