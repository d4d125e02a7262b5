// The Livy view: each Livy connection, under it its Sessions (state, kind, time until expiry; a dead
// one with its last log lines in the tooltip) and its Batches. The sessions come from the
// connection's @radlab/ui LivySessionsController, which polls while the view is visible.
import * as vscode from 'vscode';
import {
  formatExpiry,
  formatProgress,
  stateGroup,
  stateLabel,
  type LivySessionRow
} from '@radlab/ui';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { LivyBatch } from '@radlab/core';
import type { LivyService } from './service.js';
import { treeMessageItem } from '../treeMessage.js';

const t = vscode.l10n.t;

export type LivyNode =
  | { type: 'connection'; connection: string }
  | { type: 'group'; connection: string; group: 'sessions' | 'batches' }
  | { type: 'session'; connection: string; session: LivySessionRow }
  | { type: 'batch'; connection: string; batch: LivyBatch }
  | { type: 'message'; connection: string; text: string; error?: boolean };

const STATE_ICONS: Record<string, string> = {
  idle: 'pass-filled',
  busy: 'loading~spin',
  starting: 'loading~spin',
  ending: 'loading~spin',
  dead: 'error',
  unknown: 'question'
};

export class LivyTreeProvider extends Disposable implements vscode.TreeDataProvider<LivyNode> {
  private readonly changed = this._register(new vscode.EventEmitter<LivyNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watched = new Map<string, () => void>();
  private visible = false;

  constructor(
    private readonly service: LivyService,
    private readonly log: Log
  ) {
    super();
    this._register({ dispose: () => this.unwatchAll() });
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const name of this.watched.keys()) {
      const controller = this.service.controller(name);
      if (visible) controller.startPolling();
      else controller.stopPolling();
    }
  }

  refresh(): void {
    for (const name of this.watched.keys()) void this.service.controller(name).refresh();
    this.changed.fire(undefined);
  }

  getTreeItem(node: LivyNode): vscode.TreeItem {
    switch (node.type) {
      case 'connection': {
        const item = new vscode.TreeItem(node.connection, vscode.TreeItemCollapsibleState.Expanded);
        item.contextValue = 'radlab.livy.connection';
        item.iconPath = new vscode.ThemeIcon('server-environment');
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(
          node.group === 'sessions' ? t('Sessions') : t('Batches'),
          node.group === 'sessions'
            ? vscode.TreeItemCollapsibleState.Expanded
            : vscode.TreeItemCollapsibleState.Collapsed
        );
        item.id = `${node.connection}/${node.group}`;
        item.contextValue = `radlab.livy.${node.group}`;
        return item;
      }
      case 'session':
        return sessionItem(node.connection, node.session);
      case 'batch': {
        const b = node.batch;
        const item = new vscode.TreeItem(b.name ? `#${b.id} ${b.name}` : `#${b.id}`);
        item.id = `${node.connection}/batch/${b.id}`;
        item.description = stateLabel(b.state);
        item.iconPath = new vscode.ThemeIcon(STATE_ICONS[stateGroup(b.state)] ?? 'question');
        item.contextValue = `radlab.livy.batch;${stateGroup(b.state)}`;
        item.tooltip = [b.appId, ...b.log.slice(-8)].filter(Boolean).join('\n');
        return item;
      }
      case 'message':
        return treeMessageItem(node.text, node.error);
    }
  }

  async getChildren(node?: LivyNode): Promise<LivyNode[]> {
    if (!node) {
      const connections = await this.service.connections();
      const names = connections.map(c => c.name);
      for (const name of [...this.watched.keys()]) if (!names.includes(name)) this.unwatch(name);
      for (const name of names) this.watch(name);
      return names.map(connection => ({ type: 'connection', connection }));
    }
    if (node.type === 'connection') {
      return [
        { type: 'group', connection: node.connection, group: 'sessions' },
        { type: 'group', connection: node.connection, group: 'batches' }
      ];
    }
    if (node.type === 'group' && node.group === 'sessions') {
      const state = this.service.controller(node.connection).state;
      const rows: LivyNode[] = state.sessions.map(session => ({
        type: 'session',
        connection: node.connection,
        session
      }));
      if (state.error) {
        const text = state.error.hint
          ? `${state.error.message} ${state.error.hint}`
          : state.error.message;
        rows.unshift({ type: 'message', connection: node.connection, text, error: true });
      } else if (rows.length === 0) {
        rows.push({
          type: 'message',
          connection: node.connection,
          text: state.loading ? t('Loading…') : t('No sessions')
        });
      }
      return rows;
    }
    if (node.type === 'group' && node.group === 'batches') {
      try {
        const batches = await (await this.service.client(node.connection)).batches();
        if (batches.length === 0)
          return [{ type: 'message', connection: node.connection, text: t('No batches') }];
        return batches.map(batch => ({ type: 'batch', connection: node.connection, batch }));
      } catch (err) {
        this.log.warn(`Livy ${node.connection}: batches: ${String(err)}`);
        return [
          {
            type: 'message',
            connection: node.connection,
            text: err instanceof Error ? err.message : String(err),
            error: true
          }
        ];
      }
    }
    return [];
  }

  private watch(name: string): void {
    if (this.watched.has(name)) return;
    const controller = this.service.controller(name);
    // the tree is redrawn only when what it shows changed (a redraw under the pointer loses a click)
    let shown: string | undefined;
    const unsubscribe = controller.subscribe(state => {
      const now = JSON.stringify([
        state.sessions.map(s => [s.id, s.state, s.pending, formatExpiry(s.expiresInMs)]),
        state.error?.message,
        state.loading && state.sessions.length === 0
      ]);
      if (shown !== undefined && now !== shown) this.changed.fire(undefined);
      shown = now;
    });
    this.watched.set(name, unsubscribe);
    if (this.visible) controller.startPolling();
    void controller.refresh();
  }

  private unwatch(name: string): void {
    this.watched.get(name)?.();
    this.watched.delete(name);
    this.service.controller(name).stopPolling();
  }

  private unwatchAll(): void {
    for (const name of [...this.watched.keys()]) this.unwatch(name);
  }
}

function sessionItem(connection: string, s: LivySessionRow): vscode.TreeItem {
  const group = stateGroup(s.state);
  const item = new vscode.TreeItem(s.name ? `#${s.id} ${s.name}` : `#${s.id}`);
  item.id = `${connection}/session/${s.id}`;
  const parts = [s.kind, s.pending ?? stateLabel(s.state)];
  if (group === 'busy' && formatProgress(s.progress)) parts.push(formatProgress(s.progress)!);
  const expiry = group === 'dead' ? undefined : formatExpiry(s.expiresInMs);
  if (expiry) parts.push(expiry);
  item.description = parts.join(' · ');
  item.iconPath = new vscode.ThemeIcon(STATE_ICONS[group] ?? 'question');
  item.contextValue = `radlab.livy.session;${group}`;
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.appendText(`${connection} #${s.id} — ${s.kind}, ${stateLabel(s.state)}\n`);
  if (s.appId) tooltip.appendText(`${s.appId}\n`);
  if (group === 'dead' && s.log.length > 0) {
    tooltip.appendCodeblock(s.log.slice(-8).join('\n'), 'log');
  }
  item.tooltip = tooltip;
  item.accessibilityInformation = {
    label: `Livy session ${s.id} ${s.name ?? ''}, ${s.kind}, ${stateLabel(s.state)}${expiry ? `, ${expiry}` : ''}`
  };
  return item;
}
