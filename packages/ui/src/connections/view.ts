// The connections list: one row per connection with its health, config errors on top, a Refresh button.
// Plain DOM, no host APIs, so JupyterLab (a Lumino widget) and VS Code (a webview) host the same view.
//
// Every string shown here may come from a service or a config file the user does not control, so text is
// only ever set through textContent / setAttribute — never innerHTML.
import type { HealthResult, RadlabErrorJSON } from '@radlab/core';
import { el } from '../element.js';

/** What a row needs to know about a connection (never a secret). */
export interface ConnectionSummary {
  name: string;
  kind: string;
  description?: string;
  url?: string;
}

export type ConnectionHealth = HealthResult | 'checking';

export interface ConnectionsViewState {
  connections: ConnectionSummary[];
  health: Map<string, ConnectionHealth>;
  errors: RadlabErrorJSON[];
  /** The list itself is being (re)loaded. */
  loading?: boolean;
}

export interface ConnectionsViewOptions {
  onRefresh?: () => void;
  onCheck?: (name: string) => void;
  /** Secrets never reach a view: there is deliberately no way to ask for them. */
  onShowSecrets?: never;
}

/** The row state, also the row's `data-state`. `unknown`: not checked yet. */
export type RowState = 'healthy' | 'degraded' | 'down' | 'checking' | 'unknown';

const STATE_LABELS: Record<RowState, string> = {
  healthy: 'healthy',
  degraded: 'degraded',
  down: 'down',
  checking: 'checking…',
  unknown: 'not checked'
};

export function rowState(health: ConnectionHealth | undefined): RowState {
  if (health === undefined) return 'unknown';
  if (health === 'checking') return 'checking';
  return health.state;
}

/** `12 ms`, `1.3 s`. */
export function formatLatency(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** `v2.45.0` for a bare version number, anything else as given. */
export function formatVersion(version: string | undefined): string | undefined {
  const v = version?.trim();
  if (!v) return undefined;
  return /^\d/.test(v) ? `v${v}` : v;
}

// Small inline icons, built as SVG nodes (no markup strings).
const SVG_NS = 'http://www.w3.org/2000/svg';
function icon(doc: Document, paths: string[]): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('rl-Icon');
  for (const d of paths) {
    const path = doc.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
const REFRESH_PATHS = ['M13.5 8a5.5 5.5 0 1 1-1.61-3.89', 'M13.5 2.5v3h-3'];
const CHECK_PATHS = ['M2 8h2.5l1.5-4 3 8 1.5-4H14'];

export class ConnectionsView {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly options: ConnectionsViewOptions;
  private readonly refreshButton: HTMLButtonElement;
  private readonly errorsNode: HTMLElement;
  private readonly listNode: HTMLUListElement;
  private readonly emptyNode: HTMLElement;
  private readonly rows = new Map<string, HTMLLIElement>();
  private readonly onClick = (event: MouseEvent): void => this.handleClick(event);
  private disposed = false;

  constructor(host: HTMLElement, options: ConnectionsViewOptions = {}) {
    this.doc = host.ownerDocument;
    this.options = options;
    const doc = this.doc;

    this.node = el(doc, 'div', 'rl-Connections');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Radlab');

    const header = el(doc, 'div', 'rl-Connections-header');
    const title = el(doc, 'h2', 'rl-Connections-title', 'Connections');
    this.refreshButton = el(doc, 'button', 'rl-Button rl-Connections-refresh');
    this.refreshButton.type = 'button';
    this.refreshButton.dataset.action = 'refresh';
    this.refreshButton.setAttribute('aria-label', 'Refresh connections');
    this.refreshButton.title = 'Reload the connections and check them again';
    this.refreshButton.append(
      icon(doc, REFRESH_PATHS),
      el(doc, 'span', 'rl-Button-label', 'Refresh')
    );
    header.append(title, this.refreshButton);

    this.errorsNode = el(doc, 'div', 'rl-Connections-errors');
    this.errorsNode.setAttribute('role', 'alert');
    this.errorsNode.setAttribute('aria-label', 'Radlab configuration errors');
    this.errorsNode.hidden = true;

    this.listNode = el(doc, 'ul', 'rl-Connections-list');
    this.listNode.setAttribute('role', 'list');
    this.listNode.setAttribute('aria-label', 'Radlab connections');

    this.emptyNode = el(doc, 'p', 'rl-Connections-empty', 'No connections are configured.');
    this.emptyNode.hidden = true;

    this.node.append(header, this.errorsNode, this.listNode, this.emptyNode);
    this.node.addEventListener('click', this.onClick);
    host.appendChild(this.node);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  update(state: ConnectionsViewState): void {
    if (this.disposed) return;
    const restoreFocus = this.focusedAction();
    this.renderErrors(state.errors);
    this.renderRows(state);
    const anyChecking = [...state.health.values()].some(h => h === 'checking');
    const busy = Boolean(state.loading) || anyChecking;
    this.node.setAttribute('aria-busy', String(busy));
    this.refreshButton.classList.toggle('rl-mod-busy', busy);
    this.emptyNode.hidden = state.connections.length > 0 || Boolean(state.loading);
    if (restoreFocus) this.restoreFocus(restoreFocus);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.node.removeEventListener('click', this.onClick);
    this.rows.clear();
    this.node.remove();
  }

  private handleClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    const button = target?.closest?.('button[data-action]') as HTMLButtonElement | null;
    if (!button || !this.node.contains(button) || button.disabled) return;
    const action = button.dataset.action;
    if (action === 'refresh') {
      this.options.onRefresh?.();
    } else if (action === 'check') {
      const name = button.dataset.connection;
      if (name !== undefined) this.options.onCheck?.(name);
    }
  }

  private renderErrors(errors: RadlabErrorJSON[]): void {
    const doc = this.doc;
    this.errorsNode.replaceChildren();
    this.errorsNode.hidden = errors.length === 0;
    for (const error of errors) {
      const item = el(doc, 'div', 'rl-ConfigError');
      item.dataset.code = error.code;
      const message = el(doc, 'div', 'rl-ConfigError-message');
      message.append(
        el(doc, 'span', 'rl-ConfigError-label', labelForError(error)),
        doc.createTextNode(error.message)
      );
      item.appendChild(message);
      if (error.hint) item.appendChild(el(doc, 'div', 'rl-ConfigError-hint', error.hint));
      this.errorsNode.appendChild(item);
    }
  }

  private renderRows(state: ConnectionsViewState): void {
    const seen = new Set<string>();
    const ordered: HTMLLIElement[] = [];
    for (const connection of state.connections) {
      if (seen.has(connection.name)) continue; // names are unique by contract; be safe anyway
      seen.add(connection.name);
      let row = this.rows.get(connection.name);
      if (!row) {
        row = el(this.doc, 'li', 'rl-Connection');
        this.rows.set(connection.name, row);
      }
      this.renderRow(row, connection, state.health.get(connection.name));
      ordered.push(row);
    }
    for (const [name, row] of this.rows) {
      if (!seen.has(name)) {
        row.remove();
        this.rows.delete(name);
      }
    }
    // Re-append in order (moves existing nodes; cheap for a few dozen rows).
    this.listNode.replaceChildren(...ordered);
  }

  private renderRow(
    row: HTMLLIElement,
    connection: ConnectionSummary,
    health: ConnectionHealth | undefined
  ): void {
    const doc = this.doc;
    const state = rowState(health);
    const result = typeof health === 'object' ? health : undefined;
    row.setAttribute('role', 'listitem');
    row.dataset.connection = connection.name;
    row.dataset.state = state;
    row.dataset.kind = connection.kind;
    row.className = `rl-Connection rl-mod-${state}`;

    // A down service's latency is only the time it took to fail: not shown (as in core's describeHealth).
    const latency = state === 'down' ? undefined : formatLatency(result?.latencyMs);
    const version = formatVersion(result?.version);
    const summary = [
      connection.name,
      connection.kind,
      STATE_LABELS[state],
      latency,
      version
    ].filter(Boolean);
    row.setAttribute('aria-label', summary.join(', '));

    const main = el(doc, 'div', 'rl-Connection-main');
    const dot = el(doc, 'span', `rl-StateDot rl-mod-${state}`);
    dot.setAttribute('role', 'img');
    dot.setAttribute('aria-label', STATE_LABELS[state]);
    dot.title = STATE_LABELS[state];

    const name = el(doc, 'span', 'rl-Connection-name', connection.name);
    name.title = connection.url ? `${connection.name} — ${connection.url}` : connection.name;
    const kind = el(doc, 'span', 'rl-Badge rl-Connection-kind', connection.kind);
    kind.dataset.kind = connection.kind;

    main.append(dot, name, kind);
    if (this.options.onCheck) {
      const check = el(doc, 'button', 'rl-IconButton rl-Connection-check');
      check.type = 'button';
      check.dataset.action = 'check';
      check.dataset.connection = connection.name;
      check.setAttribute('aria-label', `Check ${connection.name}`);
      check.title = `Check ${connection.name} now`;
      check.disabled = state === 'checking';
      check.appendChild(icon(doc, CHECK_PATHS));
      main.appendChild(check);
    }

    // Second line: latency and version (or the check in progress).
    const meta = el(doc, 'div', 'rl-Connection-meta');
    if (state === 'checking') {
      meta.appendChild(el(doc, 'span', 'rl-Connection-checking', 'checking…'));
    } else if (state === 'unknown') {
      meta.appendChild(el(doc, 'span', 'rl-Connection-checking', 'not checked yet'));
    } else {
      if (latency) meta.appendChild(el(doc, 'span', 'rl-Connection-latency', latency));
      if (version) {
        const v = el(doc, 'span', 'rl-Connection-version', version);
        v.title = `version ${result?.version ?? ''}`;
        meta.appendChild(v);
      }
    }
    // Service facts (Drill drillbits, Livy sessions, ...) and the check time, on hover.
    const facts = Object.entries(result?.details ?? {})
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${v}`);
    if (result?.checkedAt) facts.push(`checked ${formatTime(result.checkedAt)}`);
    if (facts.length > 0) meta.title = facts.join('\n');

    const children: Node[] = [main];
    if (meta.childElementCount > 0) children.push(meta);
    if (connection.description) {
      children.push(el(doc, 'div', 'rl-Connection-description', connection.description));
    }
    if (result?.error && (state === 'down' || state === 'degraded')) {
      const problem = el(doc, 'div', 'rl-Connection-problem');
      problem.setAttribute('role', state === 'down' ? 'alert' : 'status');
      problem.appendChild(el(doc, 'div', 'rl-Connection-error', result.error.message));
      if (result.error.hint)
        problem.appendChild(el(doc, 'div', 'rl-Connection-hint', result.error.hint));
      children.push(problem);
    }
    row.replaceChildren(...children);
  }

  /** The focused button inside the view (rows are re-rendered; focus must survive). */
  private focusedAction(): { action: string; connection?: string } | undefined {
    const active = this.doc.activeElement as HTMLElement | null;
    if (!active || !this.node.contains(active) || !active.dataset?.action) return undefined;
    return { action: active.dataset.action, connection: active.dataset.connection };
  }

  private restoreFocus(target: { action: string; connection?: string }): void {
    const candidates = this.node.querySelectorAll<HTMLButtonElement>('button[data-action]');
    for (const button of candidates) {
      if (
        button.dataset.action === target.action &&
        button.dataset.connection === target.connection
      ) {
        if (this.doc.activeElement !== button) button.focus();
        return;
      }
    }
  }
}

function labelForError(error: RadlabErrorJSON): string {
  return error.code === 'config' ? 'Configuration error: ' : `${error.code}: `;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}
