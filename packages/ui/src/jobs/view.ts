// The GPU jobs list of one Kubernetes connection and namespace: each job's state, GPUs, node, age,
// owner and, while it waits, why (in plain words); the namespace's GPU quota as used/allowed on top;
// Logs and Delete per job (Delete asks first). Plain DOM and callbacks only: JupyterLab (a Lumino
// widget) and VS Code (a webview) host the same view and make the Kubernetes calls themselves.
//
// Names, labels and reasons come from the API server: text only ever goes in as textContent.
import { ageText, type GpuQuota, type JobSummary, type RadlabErrorJSON } from '@radlab/core';
import { el } from '../element.js';

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
}

export interface JobsViewOptions {
  onNamespace?: (namespace: string) => void;
  onLogs?: (job: string) => void;
  /** Called after the user confirmed. */
  onDelete?: (job: string) => void;
  /** Asks the user; default window.confirm. */
  confirm?: (message: string) => boolean;
  /** For ages; default Date.now. */
  now?: () => number;
}

const PHASE_LABEL: Record<JobSummary['phase'], string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  suspended: 'Suspended',
  deleting: 'Deleting'
};

export function quotaText(q: GpuQuota | undefined): string {
  if (!q) return '';
  return q.allowed === undefined
    ? `GPUs in use in ${q.namespace}: ${q.used} (no quota)`
    : `GPU quota of ${q.namespace}: ${q.used} of ${q.allowed} in use`;
}

export class JobsView {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly namespaceSelect: HTMLSelectElement;
  private readonly quotaNode: HTMLElement;
  private readonly statusNode: HTMLElement;
  private readonly listNode: HTMLUListElement;
  private readonly emptyNode: HTMLElement;
  private state: JobsState = { namespaces: [], jobs: [] };
  private readonly onClick = (event: MouseEvent): void => this.handleClick(event);
  private readonly onChange = (): void => this.options.onNamespace?.(this.namespaceSelect.value);

  constructor(
    doc: Document,
    private readonly options: JobsViewOptions = {}
  ) {
    this.doc = doc;
    this.node = el(doc, 'div', 'rl-jobs');
    const bar = el(doc, 'div', 'rl-jobs-bar');
    const label = el(doc, 'label', 'rl-jobs-namespace', 'Namespace ');
    this.namespaceSelect = el(doc, 'select');
    this.namespaceSelect.setAttribute('aria-label', 'Namespace');
    label.append(this.namespaceSelect);
    this.quotaNode = el(doc, 'span', 'rl-jobs-quota');
    bar.append(label, this.quotaNode);
    this.statusNode = el(doc, 'div', 'rl-jobs-status');
    this.statusNode.setAttribute('role', 'status');
    this.listNode = el(doc, 'ul', 'rl-jobs-list');
    this.listNode.setAttribute('aria-label', 'GPU jobs');
    this.emptyNode = el(doc, 'div', 'rl-jobs-empty', 'No Radlab jobs in this namespace.');
    this.node.append(bar, this.statusNode, this.listNode, this.emptyNode);
    this.node.addEventListener('click', this.onClick);
    this.namespaceSelect.addEventListener('change', this.onChange);
  }

  update(state: JobsState): void {
    this.state = state;
    const select = this.namespaceSelect;
    select.replaceChildren(
      ...state.namespaces.map(ns => {
        const o = el(this.doc, 'option', undefined, ns);
        o.value = ns;
        return o;
      })
    );
    if (state.namespace) select.value = state.namespace;
    this.quotaNode.textContent = quotaText(state.quota);
    this.statusNode.textContent = state.error
      ? `${state.error.message} — ${state.error.hint}`
      : (state.trouble ?? '');
    this.statusNode.classList.toggle('rl-error', !!state.error);
    const now = (this.options.now ?? Date.now)();
    const deleting = new Set(state.deleting ?? []);
    const jobs = [...state.jobs].sort((a, b) => ((a.created ?? '') < (b.created ?? '') ? 1 : -1));
    this.listNode.replaceChildren(...jobs.map(job => this.row(job, now, deleting.has(job.name))));
    this.emptyNode.hidden = jobs.length > 0 || !!state.error;
  }

  private row(job: JobSummary, now: number, deleting: boolean): HTMLLIElement {
    const d = this.doc;
    const li = el(d, 'li', `rl-job rl-job-${job.phase}`);
    li.dataset['job'] = job.name;
    const head = el(d, 'div', 'rl-job-head');
    head.append(
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
    const logs = el(d, 'button', 'rl-job-logs', 'Logs');
    logs.dataset['action'] = 'logs';
    const del = el(d, 'button', 'rl-job-delete', 'Delete');
    del.dataset['action'] = 'delete';
    del.disabled = deleting;
    actions.append(logs, del);
    li.append(actions);
    return li;
  }

  private handleClick(event: MouseEvent): void {
    const button = (event.target as HTMLElement).closest('button[data-action]');
    const row = button?.closest('li[data-job]') as HTMLElement | null;
    const job = row?.dataset['job'];
    if (!button || !job) return;
    const action = (button as HTMLElement).dataset['action'];
    if (action === 'logs') this.options.onLogs?.(job);
    if (action === 'delete') {
      const ask =
        this.options.confirm ?? ((m: string) => this.doc.defaultView?.confirm(m) ?? false);
      if (ask(`Delete job ${this.state.namespace ?? ''}/${job} and its pods?`))
        this.options.onDelete?.(job);
    }
  }

  dispose(): void {
    this.node.removeEventListener('click', this.onClick);
    this.namespaceSelect.removeEventListener('change', this.onChange);
    this.node.remove();
  }
}
