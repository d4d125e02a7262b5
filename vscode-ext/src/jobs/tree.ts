// The GPU Jobs view: each Kubernetes connection (one per kubeconfig context), its namespaces (the GPU
// quota as used/allowed), each namespace's Radlab jobs live (state, GPUs, node, age, owner; why a job
// waits in its tooltip and second line), and under a job its pods and events. A namespace is watched
// (JobsFeed) once it is expanded, until the view is hidden.
import * as vscode from 'vscode';
import { ageText, podContainersText, type JobSummary, type Pod } from '@radlab/core';
import { eventAgeText, groupEvents, phaseLabel, quotaText, type EventGroup } from '@radlab/ui';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { JobsService } from './service.js';
import { treeMessageItem } from '../treeMessage.js';

const t = vscode.l10n.t;

export type JobsNode =
  | { type: 'connection'; connection: string }
  | { type: 'namespace'; connection: string; namespace: string }
  | { type: 'job'; connection: string; namespace: string; job: JobSummary }
  | { type: 'pod'; connection: string; namespace: string; job: string; pod: Pod }
  | { type: 'event'; connection: string; namespace: string; event: EventGroup }
  | { type: 'message'; connection: string; text: string; error?: boolean };

const PHASE_ICONS: Record<JobSummary['phase'], string> = {
  pending: 'watch',
  running: 'loading~spin',
  succeeded: 'pass-filled',
  failed: 'error',
  suspended: 'debug-pause',
  deleting: 'trash'
};

/** "Running · 2 GPUs · gpu-a100-0 · 3m · u-radlab" (and why it waits), the job's line in the tree. */
export function jobDescription(job: JobSummary, now = Date.now()): string {
  return [
    phaseLabel(job.phase),
    `${job.gpus} GPU${job.gpus === 1 ? '' : 's'}${job.gpuProduct ? ` ${job.gpuProduct}` : ''}`,
    job.nodes.join(', '),
    ageText(job.created, now),
    job.owner ?? '',
    job.reason ?? ''
  ]
    .filter(Boolean)
    .join(' · ');
}

export class JobsTreeProvider extends Disposable implements vscode.TreeDataProvider<JobsNode> {
  private readonly changed = this._register(new vscode.EventEmitter<JobsNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** What each namespace showed last: it is redrawn only when that changes. */
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly service: JobsService,
    private readonly log: Log
  ) {
    super();
  }

  refresh(): void {
    this.shown.clear();
    this.changed.fire(undefined);
  }

  /** A namespace's feed changed: redraw when what the tree shows of it did. */
  namespaceChanged(connection: string, namespace: string): void {
    const state = this.service.state(connection, namespace);
    if (!state) return;
    const key = `${connection}\n${namespace}`;
    const now = JSON.stringify([
      this.service.visible(state).map(j => [j.name, j.phase, j.reason, j.nodes, j.owner]),
      state.error?.message,
      state.trouble,
      state.quota
    ]);
    if (this.shown.get(key) === now) return;
    this.shown.set(key, now);
    this.changed.fire(undefined);
  }

  getTreeItem(node: JobsNode): vscode.TreeItem {
    switch (node.type) {
      case 'connection': {
        const item = new vscode.TreeItem(node.connection, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.connection;
        item.contextValue = 'radlab.jobs.connection';
        item.iconPath = new vscode.ThemeIcon('server-environment');
        return item;
      }
      case 'namespace': {
        const item = new vscode.TreeItem(node.namespace, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.connection}/${node.namespace}`;
        const state = this.service.state(node.connection, node.namespace);
        if (state?.quota) item.description = quotaText(state.quota);
        item.contextValue = 'radlab.jobs.namespace';
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        return item;
      }
      case 'job': {
        const j = node.job;
        const item = new vscode.TreeItem(j.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.connection}/${node.namespace}/${j.name}`;
        item.description = jobDescription(j);
        item.iconPath = new vscode.ThemeIcon(PHASE_ICONS[j.phase]);
        item.contextValue = `radlab.jobs.job;${j.phase}`;
        const tip = new vscode.MarkdownString(undefined, false);
        tip.appendText(`${node.namespace}/${j.name}\n${jobDescription(j)}`);
        if (j.reason) tip.appendText(`\n${j.reason}`);
        if (j.source) tip.appendText(`\n${t('from {0}', j.source)}`);
        item.tooltip = tip;
        return item;
      }
      case 'pod': {
        const p = node.pod;
        const item = new vscode.TreeItem(p.metadata.name);
        item.id = `${node.connection}/${node.namespace}/${node.job}/pod/${p.metadata.name}`;
        item.description = [p.status?.phase, p.spec.nodeName, podContainersText(p)]
          .filter(Boolean)
          .join(' · ');
        item.iconPath = new vscode.ThemeIcon('vm');
        item.contextValue = 'radlab.jobs.pod';
        return item;
      }
      case 'event': {
        const e = node.event;
        const item = new vscode.TreeItem(`${e.reason}: ${e.message}`);
        // repeats are one row: "12s (x5 over 3m)", as kubectl describe writes them
        item.description = eventAgeText(e, iso => ageText(iso));
        item.tooltip = `${e.object}\n${e.message}${e.count > 1 ? `\n${t('{0} times', e.count)}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(e.type === 'Warning' ? 'warning' : 'info');
        return item;
      }
      case 'message':
        return treeMessageItem(node.text, node.error);
    }
  }

  async getChildren(node?: JobsNode): Promise<JobsNode[]> {
    try {
      return await this.children(node);
    } catch (err) {
      this.log.warn(`jobs view: ${String(err)}`);
      return [
        {
          type: 'message',
          connection: node?.connection ?? '',
          text: err instanceof Error ? err.message : String(err),
          error: true
        }
      ];
    }
  }

  private async children(node?: JobsNode): Promise<JobsNode[]> {
    if (!node) {
      const names = (await this.service.connections()).map(c => c.name);
      if (names.length === 0)
        return [
          {
            type: 'message',
            connection: '',
            text: t(
              'No Kubernetes connection: add one of kind kubernetes (kubeconfig and context).'
            )
          }
        ];
      return names.map(connection => ({ type: 'connection', connection }));
    }
    if (node.type === 'connection') {
      const namespaces = await this.service.namespaces(node.connection);
      return namespaces.map(namespace => ({
        type: 'namespace',
        connection: node.connection,
        namespace
      }));
    }
    if (node.type === 'namespace') {
      const feed = await this.service.feed(node.connection, node.namespace);
      const state = feed.state;
      const rows: JobsNode[] = this.service.visible(state).map(job => ({
        type: 'job',
        connection: node.connection,
        namespace: node.namespace,
        job
      }));
      const problem = state.error
        ? `${state.error.message}${state.error.hint ? ` ${state.error.hint}` : ''}`
        : state.trouble;
      if (problem)
        rows.unshift({
          type: 'message',
          connection: node.connection,
          text: problem,
          error: !!state.error
        });
      else if (rows.length === 0)
        rows.push({
          type: 'message',
          connection: node.connection,
          text: state.jobs.length ? t('No job matches the filter') : t('No Radlab jobs')
        });
      return rows;
    }
    if (node.type === 'job') {
      const client = await this.service.client(node.connection);
      const d = await client.describe(node.namespace, node.job.name);
      return [
        ...d.pods.map(pod => ({
          type: 'pod' as const,
          connection: node.connection,
          namespace: node.namespace,
          job: node.job.name,
          pod
        })),
        ...groupEvents(d.events).map(event => ({
          type: 'event' as const,
          connection: node.connection,
          namespace: node.namespace,
          event
        }))
      ];
    }
    return [];
  }
}
