// The Connections view: one item per connection with its health, re-checked on refresh, on every
// configuration/secret change and every 30 s while the view is visible.
import * as vscode from 'vscode';
import type { HealthResult } from '@radlab/core';
import { check } from '../core.js';
import type { Log } from '../log.js';
import { Disposable, toDisposable } from '../util/dispose.js';
import { configErrorItem, connectionItem, type ConnectionEntry, type ItemModel } from './model.js';
import { missingSecretHint } from './settings.js';
import type { ConnectionStore, Snapshot } from './store.js';

export const RECHECK_INTERVAL_MS = 30_000;
const CHANGE_DEBOUNCE_MS = 150;

export function toTreeItem(model: ItemModel): vscode.TreeItem {
  const item = new vscode.TreeItem(
    model.label,
    model.children.length > 0
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.None
  );
  item.id = model.id;
  item.description = model.description;
  const tooltip = new vscode.MarkdownString(model.tooltip, true);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(
    model.icon.id,
    model.icon.color ? new vscode.ThemeColor(model.icon.color) : undefined
  );
  item.contextValue = model.contextValue;
  item.accessibilityInformation = {
    label: model.description ? `${model.label}, ${model.description}` : model.label
  };
  return item;
}

export class ConnectionsTreeProvider
  extends Disposable
  implements vscode.TreeDataProvider<ItemModel>
{
  private readonly _onDidChangeTreeData = this._register(
    new vscode.EventEmitter<ItemModel | undefined | void>()
  );
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;
  private readonly results = new Map<string, HealthResult>();
  private readonly checking = new Set<string>();
  private readonly inflight = new Map<string, AbortController>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private lastRound = 0;

  constructor(
    private readonly store: ConnectionStore,
    private readonly log: Log
  ) {
    super();
    this._register(store.onDidChange(() => this.scheduleRefresh()));
    this._register(
      toDisposable(() => {
        this.setPolling(false);
        if (this.debounce) clearTimeout(this.debounce);
        for (const controller of this.inflight.values()) controller.abort();
        this.inflight.clear();
      })
    );
  }

  getTreeItem(element: ItemModel): vscode.TreeItem {
    return toTreeItem(element);
  }

  async getChildren(element?: ItemModel): Promise<ItemModel[]> {
    if (element) return element.children;
    if (!this.snapshot) {
      // first open of the view: load, then check everything in the background
      await this.reload();
      void this.checkAll({ spinner: true });
    }
    const snapshot = this.snapshot!;
    return [
      ...snapshot.errors.map((error, i) => configErrorItem(error, i)),
      ...snapshot.entries.map(entry =>
        connectionItem(
          entry,
          this.results.get(entry.config.name),
          this.checking.has(entry.config.name)
        )
      )
    ];
  }

  /** The current connections (loading them if the view has not yet). */
  async entries(): Promise<ConnectionEntry[]> {
    if (!this.snapshot) await this.reload();
    return this.snapshot!.entries;
  }

  result(name: string): HealthResult | undefined {
    return this.results.get(name);
  }

  private async reload(): Promise<Snapshot> {
    this.loading ??= this.store.load().finally(() => (this.loading = undefined));
    const snapshot = await this.loading;
    this.snapshot = snapshot;
    const names = new Set(snapshot.entries.map(e => e.config.name));
    for (const name of [...this.results.keys()]) if (!names.has(name)) this.results.delete(name);
    void vscode.commands.executeCommand('setContext', 'radlab.loaded', true);
    return snapshot;
  }

  /** Reloads the configuration and re-checks every connection (spinner on each). */
  async refresh(): Promise<HealthResult[]> {
    await this.reload();
    this._onDidChangeTreeData.fire();
    return this.checkAll({ spinner: true });
  }

  private scheduleRefresh(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.refresh().catch(err => this.log.error('refresh failed', err));
    }, CHANGE_DEBOUNCE_MS);
  }

  async checkAll(options: { spinner: boolean }): Promise<HealthResult[]> {
    this.lastRound = Date.now();
    const entries = this.snapshot?.entries ?? [];
    const results = await Promise.all(entries.map(entry => this.check(entry.config.name, options)));
    return results.filter((r): r is HealthResult => r !== undefined);
  }

  /** Checks one connection; a newer check of the same connection aborts this one. */
  async check(
    name: string,
    options: { spinner: boolean } = { spinner: true }
  ): Promise<HealthResult | undefined> {
    this.inflight.get(name)?.abort();
    const controller = new AbortController();
    this.inflight.set(name, controller);
    if (options.spinner) {
      this.checking.add(name);
      this._onDidChangeTreeData.fire();
    }
    try {
      const resolved = await this.store.resolve(name);
      if (!resolved) return undefined;
      const result = await check(resolved.config, resolved.secrets, controller.signal);
      const hint = missingSecretHint(resolved.config.auth);
      if (
        result.error?.code === 'config' &&
        !resolved.stored &&
        hint &&
        /no (password|token)/.test(result.error.message)
      ) {
        result.error = { ...result.error, hint };
      }
      if (controller.signal.aborted) return result;
      this.results.set(name, result);
      if (result.state === 'healthy') {
        this.log.info(
          `${name}: ${result.state} in ${result.latencyMs ?? '?'} ms${result.version ? `, version ${result.version}` : ''}`
        );
      } else {
        this.log.warn(
          `${name}: ${result.state}: ${result.error?.message ?? ''} (hint: ${result.error?.hint ?? ''})`
        );
      }
      return result;
    } finally {
      if (this.inflight.get(name) === controller) {
        this.inflight.delete(name);
        this.checking.delete(name);
        this._onDidChangeTreeData.fire();
      }
    }
  }

  /** Re-checks every 30 s while the view is visible; a view that becomes visible is re-checked if stale. */
  setPolling(visible: boolean): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (!visible || this.isDisposed) return;
    this.timer = setInterval(() => void this.checkAll({ spinner: false }), RECHECK_INTERVAL_MS);
    if (this.snapshot && Date.now() - this.lastRound > RECHECK_INTERVAL_MS)
      void this.checkAll({ spinner: false });
  }
}
