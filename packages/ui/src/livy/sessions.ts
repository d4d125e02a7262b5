// The Livy sessions list of one connection: each session's id, name, kind, state, time until Livy's
// idle timeout, the progress of what it runs, and for a dead session its last log lines and Restart.
// A start form with the kind picker sits on top. Plain DOM and callbacks only: JupyterLab (a Lumino
// widget) and VS Code (a webview) host the same view and do the Livy calls themselves.
//
// Session names, log lines and errors come from Livy and Spark: text only ever goes in as textContent.
import { LIVY_KIND_NEEDS, type RadlabErrorJSON } from '@radlab/core';
import { el } from '../element.js';
import {
  LIVY_KINDS,
  LIVY_KIND_LABELS,
  formatExpiry,
  formatProgress,
  stateGroup,
  stateLabel,
  type LivyKind
} from './format.js';

/** What a row needs of a Livy session (core's LivySession has all of it). */
export interface LivySessionInfo {
  id: number;
  name?: string;
  kind: string;
  state: string;
  appId?: string;
  appInfo?: { sparkUiUrl?: string; driverLogUrl?: string; [key: string]: string | undefined };
  /** Livy's last log lines. */
  log: string[];
}

export interface LivySessionRow extends LivySessionInfo {
  /** Milliseconds until Livy's idle timeout ends the session; undefined when not known. */
  expiresInMs?: number;
  /** Progress (0..1) of the statement it runs, if any. */
  progress?: number;
  /** An action on this session is under way (kill, restart). */
  pending?: string;
}

export interface LivySessionsState {
  /** The Livy connections to choose from, and the one shown. */
  connections: string[];
  connection?: string;
  sessions: LivySessionRow[];
  /** Kinds that cannot start on this Livy, with the reason (e.g. sparkr without R on the host). */
  unavailableKinds?: Partial<Record<LivyKind, string>>;
  /** A session is being started (its kind). */
  starting?: LivyKind;
  loading?: boolean;
  error?: RadlabErrorJSON;
}

export interface LivySessionsViewOptions {
  onConnection?: (name: string) => void;
  onRefresh?: () => void;
  onStart?: (kind: LivyKind, name: string | undefined) => void;
  onKill?: (id: number) => void;
  onRestart?: (id: number) => void;
  onLog?: (id: number) => void;
}

/** How many of a dead session's log lines the row shows (Livy keeps about ten). */
export const DEAD_LOG_LINES = 6;

export class LivySessionsView {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly connectionSelect: HTMLSelectElement;
  private readonly kindSelect: HTMLSelectElement;
  private readonly nameInput: HTMLInputElement;
  private readonly startButton: HTMLButtonElement;
  private readonly kindHint: HTMLElement;
  private readonly statusNode: HTMLElement;
  private readonly listNode: HTMLUListElement;
  private readonly emptyNode: HTMLElement;
  private state: LivySessionsState = { connections: [], sessions: [] };
  private readonly onClick = (event: MouseEvent): void => this.handleClick(event);
  private readonly onChange = (event: Event): void => this.handleChange(event);
  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    this.start();
  };
  private disposed = false;

  constructor(
    host: HTMLElement,
    private readonly options: LivySessionsViewOptions = {}
  ) {
    const doc = (this.doc = host.ownerDocument);
    this.node = el(doc, 'div', 'rl-Livy');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Livy sessions');

    const header = el(doc, 'div', 'rl-Livy-header');
    header.append(el(doc, 'h2', 'rl-Livy-title', 'Livy sessions'));
    this.connectionSelect = el(doc, 'select', 'rl-Livy-connection');
    this.connectionSelect.setAttribute('aria-label', 'Livy connection');
    const refresh = button(doc, 'refresh', 'Refresh', 'Refresh the sessions');
    header.append(refresh, this.connectionSelect);

    const form = el(doc, 'form', 'rl-Livy-start');
    form.setAttribute('aria-label', 'Start a Livy session');
    this.kindSelect = el(doc, 'select', 'rl-Livy-kind');
    this.kindSelect.setAttribute('aria-label', 'Session kind');
    for (const kind of LIVY_KINDS) {
      const option = el(doc, 'option', undefined, LIVY_KIND_LABELS[kind]);
      option.value = kind;
      this.kindSelect.append(option);
    }
    this.nameInput = el(doc, 'input', 'rl-Livy-name');
    this.nameInput.type = 'text';
    this.nameInput.placeholder = 'name (optional)';
    this.nameInput.setAttribute('aria-label', 'Session name');
    this.startButton = el(doc, 'button', 'rl-Button rl-Livy-startButton', 'Start');
    this.startButton.type = 'submit';
    this.kindHint = el(doc, 'div', 'rl-Livy-kindHint');
    this.kindHint.hidden = true;
    form.append(this.kindSelect, this.nameInput, this.startButton, this.kindHint);

    this.statusNode = el(doc, 'div', 'rl-Livy-status');
    this.listNode = el(doc, 'ul', 'rl-Livy-list');
    this.listNode.setAttribute('aria-label', 'Livy sessions');
    this.emptyNode = el(doc, 'p', 'rl-Livy-empty', 'No sessions on this Livy.');
    this.emptyNode.hidden = true;

    this.node.append(header, form, this.statusNode, this.listNode, this.emptyNode);
    this.node.addEventListener('click', this.onClick);
    this.node.addEventListener('change', this.onChange);
    form.addEventListener('submit', this.onSubmit);
    host.append(this.node);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  update(state: LivySessionsState): void {
    if (this.disposed) return;
    this.state = state;
    this.renderConnections(state);
    this.renderKinds(state);
    this.renderStatus(state);
    this.listNode.replaceChildren(...state.sessions.map(s => this.renderRow(s)));
    // a dead session's last line is the one that says most: keep it in view
    for (const log of this.listNode.querySelectorAll<HTMLElement>('.rl-LivySession-log')) {
      log.scrollTop = log.scrollHeight;
    }
    this.emptyNode.hidden =
      state.sessions.length > 0 || Boolean(state.loading) || state.connection === undefined;
    this.node.setAttribute('aria-busy', String(Boolean(state.loading || state.starting)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.node.removeEventListener('click', this.onClick);
    this.node.removeEventListener('change', this.onChange);
    this.node.querySelector('form')?.removeEventListener('submit', this.onSubmit);
    this.node.remove();
  }

  private start(): void {
    const kind = this.kindSelect.value as LivyKind;
    if (this.state.unavailableKinds?.[kind] || this.state.starting) return;
    const name = this.nameInput.value.trim();
    this.options.onStart?.(kind, name === '' ? undefined : name);
  }

  private handleClick(event: MouseEvent): void {
    const target = (event.target as Element | null)?.closest?.('button[data-action]');
    if (!(target instanceof this.doc.defaultView!.HTMLButtonElement) || target.disabled) return;
    const id = Number(target.dataset.session);
    switch (target.dataset.action) {
      case 'refresh':
        this.options.onRefresh?.();
        break;
      case 'kill':
        this.options.onKill?.(id);
        break;
      case 'restart':
        this.options.onRestart?.(id);
        break;
      case 'log':
        this.options.onLog?.(id);
        break;
    }
  }

  private handleChange(event: Event): void {
    if (event.target === this.connectionSelect) {
      this.options.onConnection?.(this.connectionSelect.value);
    } else if (event.target === this.kindSelect) {
      this.renderKinds(this.state);
    }
  }

  private renderConnections(state: LivySessionsState): void {
    const same =
      this.connectionSelect.options.length === state.connections.length &&
      state.connections.every((c, i) => this.connectionSelect.options[i]?.value === c);
    if (!same) {
      this.connectionSelect.replaceChildren(
        ...state.connections.map(name => {
          const option = el(this.doc, 'option', undefined, name);
          option.value = name;
          return option;
        })
      );
    }
    if (state.connection !== undefined) this.connectionSelect.value = state.connection;
    this.connectionSelect.disabled = state.connections.length < 2;
  }

  private renderKinds(state: LivySessionsState): void {
    for (const option of this.kindSelect.options) {
      const reason = state.unavailableKinds?.[option.value as LivyKind];
      option.disabled = Boolean(reason);
      option.title = reason ?? '';
    }
    // A kind that became unavailable is not left selected.
    const selected = this.kindSelect.selectedOptions[0];
    if (selected?.disabled) {
      const first = [...this.kindSelect.options].find(o => !o.disabled);
      if (first) this.kindSelect.value = first.value;
    }
    const hints = Object.entries(state.unavailableKinds ?? {}).filter(([, v]) => v);
    // what the chosen kind needs on the Livy host (sparkr: R), said before it is started
    const chosen = this.kindSelect.value as LivyKind;
    const need = LIVY_KIND_NEEDS[chosen];
    if (need && !state.unavailableKinds?.[chosen]) hints.push([chosen, need]);
    this.kindHint.replaceChildren(
      ...hints.map(([kind, reason]) =>
        el(this.doc, 'div', 'rl-Livy-kindReason', `${kind}: ${reason ?? ''}`)
      )
    );
    this.kindHint.hidden = hints.length === 0;
    const starting = state.starting !== undefined;
    this.startButton.disabled = starting || state.connection === undefined;
    this.startButton.textContent = starting ? `Starting ${state.starting}…` : 'Start';
  }

  private renderStatus(state: LivySessionsState): void {
    const doc = this.doc;
    const children: Node[] = [];
    if (state.error) {
      const box = el(doc, 'div', 'rl-Livy-error');
      box.setAttribute('role', 'alert');
      box.dataset.code = state.error.code;
      box.append(el(doc, 'div', 'rl-Livy-errorMessage', state.error.message));
      if (state.error.hint) box.append(el(doc, 'div', 'rl-Livy-errorHint', state.error.hint));
      children.push(box);
    }
    if (state.connection === undefined) {
      children.push(
        el(
          doc,
          'p',
          'rl-Livy-note',
          'No Livy connection is configured: add one of kind livy to the Radlab connections.'
        )
      );
    }
    this.statusNode.replaceChildren(...children);
  }

  private renderRow(session: LivySessionRow): HTMLLIElement {
    const doc = this.doc;
    const group = stateGroup(session.state);
    const row = el(doc, 'li', `rl-LivySession rl-mod-${group}`);
    row.dataset.session = String(session.id);
    row.dataset.state = session.state;
    row.dataset.kind = session.kind;
    const expiry = group === 'dead' ? undefined : formatExpiry(session.expiresInMs);
    const progress = group === 'busy' ? formatProgress(session.progress) : undefined;
    const title = session.name ? `#${session.id} ${session.name}` : `#${session.id}`;
    row.setAttribute(
      'aria-label',
      [title, session.kind, stateLabel(session.state), expiry, progress].filter(Boolean).join(', ')
    );

    const main = el(doc, 'div', 'rl-LivySession-main');
    const dot = el(doc, 'span', `rl-LivySession-dot rl-mod-${group}`);
    dot.setAttribute('aria-hidden', 'true');
    const name = el(doc, 'span', 'rl-LivySession-name', title);
    name.title = title;
    main.append(dot, name, el(doc, 'span', 'rl-LivySession-state', stateLabel(session.state)));

    const meta = el(doc, 'div', 'rl-LivySession-meta');
    meta.append(el(doc, 'span', 'rl-Badge rl-LivySession-kind', session.kind));
    if (expiry) meta.append(el(doc, 'span', 'rl-LivySession-expiry', expiry));
    if (progress !== undefined) {
      const bar = el(doc, 'progress', 'rl-LivySession-progress');
      bar.max = 1;
      bar.value = session.progress ?? 0;
      bar.setAttribute('aria-label', `progress ${progress}`);
      meta.append(bar, el(doc, 'span', 'rl-LivySession-progressText', progress));
    }
    if (session.appId) meta.append(el(doc, 'span', 'rl-LivySession-app', session.appId));
    const ui = session.appInfo?.sparkUiUrl;
    if (ui && /^https?:\/\//i.test(ui)) {
      const link = el(doc, 'a', 'rl-LivySession-ui', 'Spark UI');
      link.href = ui;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      meta.append(link);
    }

    const actions = el(doc, 'div', 'rl-LivySession-actions');
    const busy = session.pending !== undefined;
    if (group === 'dead') {
      actions.append(
        button(
          doc,
          'restart',
          'Restart',
          `Start a new ${session.kind} session like #${session.id}`,
          session.id,
          busy
        )
      );
    } else if (group !== 'ending') {
      actions.append(
        button(doc, 'kill', 'Kill', `Delete session #${session.id} in Livy`, session.id, busy)
      );
    }
    actions.append(button(doc, 'log', 'Log', `Show the log of session #${session.id}`, session.id));
    if (busy) actions.append(el(doc, 'span', 'rl-LivySession-pending', session.pending));
    meta.append(actions);

    row.append(main, meta);
    if (group === 'dead' && session.log.length > 0) {
      const log = el(doc, 'pre', 'rl-LivySession-log');
      log.setAttribute('aria-label', `Last log lines of session #${session.id}`);
      log.textContent = session.log.slice(-DEAD_LOG_LINES).join('\n');
      row.append(log);
    }
    return row;
  }
}

function button(
  doc: Document,
  action: string,
  label: string,
  title: string,
  session?: number,
  disabled = false
): HTMLButtonElement {
  const b = el(doc, 'button', `rl-Button rl-Livy-${action}`, label);
  b.type = 'button';
  b.dataset.action = action;
  if (session !== undefined) {
    b.dataset.session = String(session);
    b.setAttribute('aria-label', `${label} session ${session}`);
  }
  b.title = title;
  b.disabled = disabled;
  return b;
}
