// The GPU jobs list of one Kubernetes connection and namespace: each job's state, GPUs, node, age,
// owner and, while it waits, why (in plain words); the namespace's GPU quota as used/allowed on top;
// filters by owner and state; a job's pods and events when its row is opened; Logs, GPUs and Delete
// per job (Delete asks first). Plain DOM and callbacks only: the Kubernetes calls are made by the
// JobsPanel (./panel.ts) or a host.
//
// Names, labels and reasons come from the API server: text only ever goes in as textContent.
import {
  ageText,
  type GpuQuota,
  type JobDetails,
  type JobPhase,
  type JobSummary,
  type RadlabErrorJSON
} from '@radlab/core';
import { el } from '../element.js';
import { renderDetails } from './details.js';

export interface JobsState {
  namespaces: string[];
  namespace?: string;
  jobs: JobSummary[];
  quota?: GpuQuota;
  /** The watch is (re)connecting or failed; the list shows what was seen last. */
  trouble?: string;
  error?: RadlabErrorJSON;
  /** Jobs being deleted (their rows say so). */
  deleting?: string[];
  /** Live: the watch is running (the status line says so). */
  live?: boolean;
}

export interface JobsViewOptions {
  onNamespace?: (namespace: string) => void;
  onLogs?: (job: string) => void;
  /** Called after the user confirmed. */
  onDelete?: (job: string) => void;
  /** A row was opened (its details are wanted) or closed (undefined). */
  onSelect?: (job: string | undefined) => void;
  /** "Submit job…" in the bar; without it there is no such button. */
  onSubmit?: () => void;
  /** "GPU metrics" per job (all its pods' GPUs over its lifetime); without it there is no such button. */
  onGpus?: (job: string) => void;
  /** Asks the user; default window.confirm. */
  confirm?: (message: string) => boolean | Promise<boolean>;
  /** For ages; default Date.now. */
  now?: () => number;
}

const PHASE_LABEL: Record<JobPhase, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  suspended: 'Suspended',
  deleting: 'Deleting'
};

const ALL = '';

/** What the jobs lists show: owner and state filters ('' or undefined: all). */
export interface JobsFilter {
  owner?: string;
  phase?: JobPhase | '';
}

/** The jobs a filter keeps, newest first (JupyterLab's list and VS Code's tree). */
export function filterJobs(jobs: readonly JobSummary[], filter: JobsFilter): JobSummary[] {
  return jobs
    .filter(
      j =>
        (!filter.owner || j.owner === filter.owner) && (!filter.phase || j.phase === filter.phase)
    )
    .sort((a, b) => ((a.created ?? '') < (b.created ?? '') ? 1 : -1));
}

export function phaseLabel(phase: JobPhase): string {
  return PHASE_LABEL[phase];
}

export function quotaText(q: GpuQuota | undefined): string {
  if (!q) return '';
  return q.allowed === undefined
    ? `GPUs in use in ${q.namespace}: ${q.used} (no quota)`
    : `GPU quota of ${q.namespace}: ${q.used} of ${q.allowed} in use`;
}

function option(doc: Document, value: string, text: string): HTMLOptionElement {
  const o = el(doc, 'option', undefined, text);
  o.value = value;
  return o;
}

function labelled(doc: Document, text: string, control: HTMLElement): HTMLLabelElement {
  const label = el(doc, 'label', 'rl-jobs-field', `${text} `);
  control.setAttribute('aria-label', text);
  label.append(control);
  return label;
}

export class JobsView {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly namespaceSelect: HTMLSelectElement;
  private readonly ownerSelect: HTMLSelectElement;
  private readonly stateSelect: HTMLSelectElement;
  private readonly quotaNode: HTMLElement;
  private readonly statusNode: HTMLElement;
  private readonly listNode: HTMLUListElement;
  private readonly emptyNode: HTMLElement;
  private state: JobsState = { namespaces: [], jobs: [] };
  private selected: string | undefined;
  private details: JobDetails | undefined;
  private readonly onClick = (event: MouseEvent): void => void this.handleClick(event);
  private readonly onNamespaceChange = (): void => {
    this.select(undefined);
    this.options.onNamespace?.(this.namespaceSelect.value);
  };
  private readonly onFilter = (): void => this.render();

  constructor(
    doc: Document,
    private readonly options: JobsViewOptions = {}
  ) {
    this.doc = doc;
    this.node = el(doc, 'div', 'rl-jobs');
    const bar = el(doc, 'div', 'rl-jobs-bar');
    this.namespaceSelect = el(doc, 'select');
    this.ownerSelect = el(doc, 'select');
    this.stateSelect = el(doc, 'select');
    this.stateSelect.append(
      option(doc, ALL, 'All'),
      ...(Object.keys(PHASE_LABEL) as JobPhase[]).map(p => option(doc, p, PHASE_LABEL[p]))
    );
    this.quotaNode = el(doc, 'span', 'rl-jobs-quota');
    bar.append(
      labelled(doc, 'Namespace', this.namespaceSelect),
      labelled(doc, 'Owner', this.ownerSelect),
      labelled(doc, 'State', this.stateSelect),
      this.quotaNode
    );
    if (options.onSubmit) {
      const submit = el(doc, 'button', 'rl-jobs-submit rl-Button', 'Submit job…');
      submit.dataset['action'] = 'submit';
      bar.append(submit);
    }
    this.statusNode = el(doc, 'div', 'rl-jobs-status');
    this.statusNode.setAttribute('role', 'status');
    this.listNode = el(doc, 'ul', 'rl-jobs-list');
    this.listNode.setAttribute('aria-label', 'GPU jobs');
    this.emptyNode = el(doc, 'div', 'rl-jobs-empty', 'No Radlab jobs in this namespace.');
    this.node.append(bar, this.statusNode, this.listNode, this.emptyNode);
    this.node.addEventListener('click', this.onClick);
    this.namespaceSelect.addEventListener('change', this.onNamespaceChange);
    this.ownerSelect.addEventListener('change', this.onFilter);
    this.stateSelect.addEventListener('change', this.onFilter);
  }

  /** The job whose row is open, if any. */
  get selection(): string | undefined {
    return this.selected;
  }

  update(state: JobsState): void {
    this.state = state;
    const select = this.namespaceSelect;
    select.replaceChildren(...state.namespaces.map(ns => option(this.doc, ns, ns)));
    if (state.namespace) select.value = state.namespace;
    // owners seen in this namespace; the chosen one stays offered while its jobs are gone
    const owner = this.ownerSelect.value;
    const owners = [
      ...new Set([...state.jobs.map(j => j.owner ?? ''), owner].filter(Boolean))
    ].sort();
    this.ownerSelect.replaceChildren(
      option(this.doc, ALL, 'All'),
      ...owners.map(o => option(this.doc, o, o))
    );
    this.ownerSelect.value = owner;
    this.quotaNode.textContent = quotaText(state.quota);
    this.statusNode.textContent = state.error
      ? `${state.error.message} — ${state.error.hint ?? ''}`
      : (state.trouble ?? (state.live ? 'Live' : ''));
    this.statusNode.classList.toggle('rl-error', !!state.error);
    this.statusNode.dataset['state'] = state.error
      ? 'error'
      : state.trouble
        ? 'trouble'
        : state.live
          ? 'live'
          : 'idle';
    this.render();
  }

  /** Shows the open job's pods and events (ignored when another row is open by now). */
  showDetails(details: JobDetails): void {
    if (details.job.metadata.name !== this.selected) return;
    this.details = details;
    this.render();
  }

  /** Opens a job's row (or closes the open one with undefined). */
  select(job: string | undefined): void {
    if (job === this.selected) return;
    this.selected = job;
    this.details = undefined;
    this.render();
    this.options.onSelect?.(job);
  }

  private render(): void {
    const now = (this.options.now ?? Date.now)();
    const deleting = new Set(this.state.deleting ?? []);
    const jobs = filterJobs(this.state.jobs, {
      owner: this.ownerSelect.value,
      phase: this.stateSelect.value as JobPhase | ''
    });
    this.listNode.replaceChildren(...jobs.map(job => this.row(job, now, deleting.has(job.name))));
    this.emptyNode.textContent =
      this.state.jobs.length > 0
        ? 'No job matches the filters.'
        : 'No Radlab jobs in this namespace.';
    this.emptyNode.hidden = jobs.length > 0 || !!this.state.error;
  }

  private row(job: JobSummary, now: number, deleting: boolean): HTMLLIElement {
    const d = this.doc;
    const open = job.name === this.selected;
    const li = el(d, 'li', `rl-job rl-job-${job.phase}`);
    li.dataset['job'] = job.name;
    li.dataset['phase'] = job.phase;
    li.setAttribute('aria-label', job.name);
    const head = el(d, 'div', 'rl-job-head');
    const toggle = el(d, 'button', 'rl-job-toggle', open ? '▾' : '▸');
    toggle.dataset['action'] = 'toggle';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.setAttribute('aria-label', `${open ? 'Hide' : 'Show'} pods and events of ${job.name}`);
    head.append(
      toggle,
      el(d, 'span', 'rl-job-name', job.name),
      el(
        d,
        'span',
        `rl-job-state rl-state-${job.phase}`,
        deleting ? 'Deleting…' : PHASE_LABEL[job.phase]
      ),
      el(
        d,
        'span',
        'rl-job-gpus',
        `${job.gpus} GPU${job.gpus === 1 ? '' : 's'}${job.gpuProduct ? ` · ${job.gpuProduct}` : ''}`
      ),
      el(d, 'span', 'rl-job-node', job.nodes.join(', ')),
      el(d, 'span', 'rl-job-age', ageText(job.created, now)),
      el(d, 'span', 'rl-job-owner', job.owner ?? '')
    );
    li.append(head);
    if (job.reason) li.append(el(d, 'div', 'rl-job-reason', job.reason));
    const actions = el(d, 'div', 'rl-job-actions');
    const logs = el(d, 'button', 'rl-job-logs rl-Button', 'Logs');
    logs.dataset['action'] = 'logs';
    actions.append(logs);
    if (this.options.onGpus && job.gpus > 0) {
      const gpus = el(d, 'button', 'rl-job-gpus-open rl-Button', 'GPU metrics');
      gpus.dataset['action'] = 'gpus';
      gpus.title = `GPU utilization and memory of ${job.name}'s pods over its lifetime`;
      actions.append(gpus);
    }
    const del = el(d, 'button', 'rl-job-delete rl-Button', 'Delete');
    del.dataset['action'] = 'delete';
    del.disabled = deleting;
    actions.append(del);
    li.append(actions);
    if (open) {
      li.append(
        this.details
          ? renderDetails(d, this.details, now)
          : el(d, 'div', 'rl-job-details rl-job-loading', 'Loading pods and events…')
      );
    }
    return li;
  }

  private async handleClick(event: MouseEvent): Promise<void> {
    const button = (event.target as HTMLElement).closest('button[data-action]');
    if (!button) return;
    const action = (button as HTMLElement).dataset['action'];
    if (action === 'submit') {
      this.options.onSubmit?.();
      return;
    }
    const row = button.closest('li[data-job]') as HTMLElement | null;
    const job = row?.dataset['job'];
    if (!job) return;
    if (action === 'toggle') this.select(this.selected === job ? undefined : job);
    if (action === 'logs') this.options.onLogs?.(job);
    if (action === 'gpus') this.options.onGpus?.(job);
    if (action === 'delete') {
      const ask =
        this.options.confirm ?? ((m: string) => this.doc.defaultView?.confirm(m) ?? false);
      if (await ask(`Delete job ${this.state.namespace ?? ''}/${job} and its pods?`))
        this.options.onDelete?.(job);
    }
  }

  dispose(): void {
    this.node.removeEventListener('click', this.onClick);
    this.namespaceSelect.removeEventListener('change', this.onNamespaceChange);
    this.ownerSelect.removeEventListener('change', this.onFilter);
    this.stateSelect.removeEventListener('change', this.onFilter);
    this.node.remove();
  }
}
