// The Drill SQL editor: the content of a `.sql` document — a CodeMirror editor (Drill dialect, completion
// of names from the connection, error marks) above a result pane (@radlab/ui's ResultGrid), in a split
// panel; plus its toolbar (connection, Run, Cancel, History, status). Saving is the document's own.
import { autocompletion } from '@codemirror/autocomplete';
import { Prec, StateEffect, StateField } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { Decoration, EditorView, keymap } from '@codemirror/view';
import type { DecorationSet } from '@codemirror/view';
import { CodeEditorWrapper } from '@jupyterlab/codeeditor';
import type { IEditorServices } from '@jupyterlab/codeeditor';
import type { CodeMirrorEditor } from '@jupyterlab/codemirror';
import type { DocumentRegistry } from '@jupyterlab/docregistry';
import { Signal } from '@lumino/signaling';
import type { ISignal } from '@lumino/signaling';
import { BoxPanel, SplitPanel, Widget } from '@lumino/widgets';
import {
  DEFAULT_ROW_LIMIT,
  errorSpan,
  fetchMoreLimit,
  lineColumn,
  positionOf,
  profileUrl,
  queryStatus,
  relocateError,
  statementAt
} from '@radlab/core';
import type { DrillQueryStatus, RadlabErrorJSON, SqlPosition } from '@radlab/core';
import { ResultGrid, errorBlock, formatCount, formatElapsed } from '@radlab/ui';
import type { DrillResultInfo, ResultGridOptions } from '@radlab/ui';
import type { ColumnarRows } from '@radlab/core';
import { toErrorJSON } from '../api.js';
import type { DrillClients } from './clients.js';
import { drillCompletionSource } from './completion.js';
import { DRILL_SQL_MIME } from './dialect.js';
import type { HistoryEntry, QueryHistory } from './history.js';
import { viewerOption } from '../imaging/openFromResult.js';

// ---- error marks in the editor ----------------------------------------------------------------------

interface ErrorMark {
  from: number;
  to: number;
  message: string;
}

const setErrorMark = StateEffect.define<ErrorMark | null>();

const errorMarkField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    // an edit makes the position stale: drop the mark
    let next = tr.docChanged ? Decoration.none : marks;
    for (const effect of tr.effects) {
      if (!effect.is(setErrorMark)) continue;
      const mark = effect.value;
      if (!mark) {
        next = Decoration.none;
        continue;
      }
      const doc = tr.state.doc;
      const from = Math.min(mark.from, doc.length);
      const to = Math.min(Math.max(mark.to, from), doc.length);
      const line = doc.lineAt(from);
      const ranges = [Decoration.line({ class: 'rl-SqlEditor-errorLine' }).range(line.from)];
      if (to > from) {
        ranges.push(
          Decoration.mark({
            class: 'rl-SqlEditor-errorMark',
            attributes: { title: mark.message }
          }).range(from, to)
        );
      }
      next = Decoration.set(ranges, true);
    }
    return next;
  },
  provide: field => EditorView.decorations.from(field)
});

// ---- the toolbar ------------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Connection picker, Run, Cancel, History and the status, as one toolbar item. */
export class SqlToolbar extends Widget {
  readonly connectionSelect: HTMLSelectElement;
  readonly runButton: HTMLButtonElement;
  readonly cancelButton: HTMLButtonElement;
  readonly historySelect: HTMLSelectElement;
  readonly status: HTMLElement;

  constructor(private readonly editor: SqlEditor) {
    super();
    this.addClass('rl-SqlToolbar');
    this.connectionSelect = el('select', 'rl-SqlToolbar-connection');
    this.connectionSelect.setAttribute('aria-label', 'Drill connection');
    this.runButton = el('button', 'rl-SqlToolbar-button rl-SqlToolbar-run', '▶ Run');
    this.runButton.type = 'button';
    this.runButton.title =
      'Run the selection, the statement at the cursor or the file (Shift+Enter)';
    this.runButton.setAttribute('aria-label', 'Run query');
    this.cancelButton = el('button', 'rl-SqlToolbar-button rl-SqlToolbar-cancel', '■ Cancel');
    this.cancelButton.type = 'button';
    this.cancelButton.title = 'Cancel the running query (on Drill too)';
    this.cancelButton.setAttribute('aria-label', 'Cancel query');
    this.historySelect = el('select', 'rl-SqlToolbar-history');
    this.historySelect.setAttribute('aria-label', 'Query history');
    this.historySelect.title = 'Run a query again from this connection’s history';
    this.status = el('span', 'rl-SqlToolbar-status');
    this.status.setAttribute('role', 'status');
    this.node.append(
      this.connectionSelect,
      this.runButton,
      this.cancelButton,
      this.historySelect,
      this.status
    );
    this.connectionSelect.addEventListener('change', () => {
      this.editor.connection = this.connectionSelect.value || undefined;
    });
    this.runButton.addEventListener('click', () => void this.editor.run());
    this.cancelButton.addEventListener('click', () => this.editor.cancel());
    this.historySelect.addEventListener('change', () => {
      const index = Number(this.historySelect.value);
      this.historySelect.value = '';
      const entry = this.historyEntries[index];
      if (entry) void this.editor.execute(entry.sql, { caption: 'From history' });
    });
  }

  private historyEntries: HistoryEntry[] = [];

  setConnections(names: readonly string[], current: string | undefined): void {
    const options = names.map(n => {
      const o = el('option', undefined, n);
      o.value = n;
      return o;
    });
    if (names.length === 0) {
      const o = el('option', undefined, 'No Drill connection');
      o.value = '';
      options.push(o);
    }
    this.connectionSelect.replaceChildren(...options);
    this.connectionSelect.value = current ?? '';
  }

  setHistory(entries: HistoryEntry[]): void {
    this.historyEntries = entries;
    const head = el(
      'option',
      undefined,
      entries.length ? `History (${entries.length})` : 'History'
    );
    head.value = '';
    const items = entries.map((e, i) => {
      const oneLine = e.sql.replace(/\s+/g, ' ').trim();
      const label = oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine;
      const o = el(
        'option',
        undefined,
        `${e.state === 'ok' ? '✓' : e.state === 'cancelled' ? '⊘' : '✗'} ${label}`
      );
      o.value = String(i);
      o.title = `${e.sql}\n${new Date(e.at).toLocaleString()}`;
      return o;
    });
    this.historySelect.replaceChildren(head, ...items);
    this.historySelect.value = '';
    this.historySelect.disabled = entries.length === 0;
  }

  setRunning(running: boolean): void {
    this.runButton.disabled = running;
    this.cancelButton.disabled = !running;
    this.node.dataset.running = String(running);
  }

  setStatus(text: string, state: 'idle' | 'running' | 'ok' | 'error' | 'cancelled'): void {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }
}

// ---- the result pane --------------------------------------------------------------------------------

class ResultPane extends Widget {
  readonly caption: HTMLElement;
  readonly message: HTMLElement;
  readonly gridHost: HTMLElement;
  readonly grid: ResultGrid;
  private readonly gridOptions: ResultGridOptions;

  constructor(
    onFetchMore: () => void,
    onOpenInSpark?: () => void,
    connection: () => string | undefined = () => undefined
  ) {
    super();
    this.addClass('rl-SqlResult');
    this.caption = el('div', 'rl-SqlResult-caption');
    this.message = el('div', 'rl-SqlResult-message');
    this.gridHost = el('div', 'rl-SqlResult-grid');
    this.node.append(this.caption, this.message, this.gridHost);
    this.gridOptions = {
      onFetchMore,
      maxHeight: 360,
      ...(onOpenInSpark ? { onOpenInSpark } : {}),
      ...viewerOption(connection)
    };
    this.grid = new ResultGrid(this.gridHost, this.gridOptions);
    this.showMessage('Run a query (Shift+Enter) to see its rows here.', 'hint');
  }

  showMessage(text: string, kind: 'hint' | 'running' | 'cancelled'): void {
    this.message.replaceChildren(el('div', `rl-SqlResult-text rl-mod-${kind}`, text));
    this.message.hidden = false;
    this.gridHost.hidden = true;
  }

  /** What Drill says about the running query: its state, its id and a link to its profile. */
  showRunning(status: DrillQueryStatus | undefined, profile: string | undefined): void {
    const box = el('div', 'rl-SqlResult-text rl-mod-running', 'Running…');
    if (status) {
      const line = el('div', 'rl-SqlResult-drill');
      line.append(
        el('span', 'rl-SqlResult-state', status.state),
        ...(status.queryId ? [el('span', 'rl-SqlResult-queryId', `query ${status.queryId}`)] : [])
      );
      if (profile) {
        const link = el('a', 'rl-SqlResult-profile', 'Query profile ↗');
        link.href = profile;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        line.append(link);
      }
      box.append(line);
    }
    this.message.replaceChildren(box);
    this.message.hidden = false;
    this.gridHost.hidden = true;
  }

  showError(error: RadlabErrorJSON): void {
    const box = errorBlock(document, error, 'rl-SqlResult-error');
    this.message.replaceChildren(box);
    this.message.hidden = false;
    this.gridHost.hidden = true;
  }

  /** The rows stay by column (ColumnarRows): a 1M-row Fetch more takes less memory than the JSON. */
  showResult(info: DrillResultInfo, rows: ColumnarRows): void {
    this.message.hidden = true;
    this.message.replaceChildren();
    this.gridHost.hidden = false;
    this.fitGrid();
    this.grid.setResultRows(info, rows);
  }

  setCaption(text: string): void {
    this.caption.textContent = text;
    this.caption.title = text;
  }

  /** The grid's scroll area takes the pane's height (less the caption and the grid's own bars). */
  private fitGrid(): void {
    const height = this.node.clientHeight;
    if (height > 0) this.grid.setMaxHeight(Math.max(120, height - this.caption.offsetHeight - 84));
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.fitGrid();
    if (!this.gridHost.hidden) this.grid.render();
  }

  protected override onAfterShow(): void {
    this.fitGrid();
    this.grid.render();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.grid.dispose();
    super.dispose();
  }
}

// ---- the editor -------------------------------------------------------------------------------------

export interface SqlEditorOptions {
  context: DocumentRegistry.IContext<DocumentRegistry.ICodeModel>;
  editorServices: IEditorServices;
  clients: DrillClients;
  history: QueryHistory;
  /** The connection of a new editor (else the last one used, else the first healthy Drill). */
  connection?: string;
  /** Open in Spark for the result shown (the Livy plugin's command; absent without it). */
  openInSpark?: (connection: string, sql: string) => void;
}

export interface ExecuteOptions {
  /** Document offset of the SQL's first character: error positions are marked from there. */
  base?: number;
  /** Line and column (1-based) of that offset: error messages count lines of the document. */
  origin?: { line: number; column: number };
  /** Shown above the result (default: the SQL). */
  caption?: string;
  limit?: number;
  record?: boolean;
}

let lastConnection: string | undefined;

export class SqlEditor extends BoxPanel {
  readonly editorWidget: CodeEditorWrapper;
  readonly toolbar: SqlToolbar;
  private readonly result: ResultPane;
  private readonly clients: DrillClients;
  private readonly history: QueryHistory;
  private _connection: string | undefined;
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastRun: { sql: string; options: ExecuteOptions; limit: number } | undefined;
  private readonly _runningChanged = new Signal<this, boolean>(this);

  constructor(options: SqlEditorOptions) {
    super({ direction: 'top-to-bottom', spacing: 0 });
    this.addClass('rl-SqlEditor');
    this.clients = options.clients;
    this.history = options.history;
    const model = options.context.model;
    model.mimeType = DRILL_SQL_MIME;

    const completion = autocompletion({
      override: [drillCompletionSource(() => this.catalog())],
      activateOnTyping: true,
      maxRenderedOptions: 200
    });
    // Shift/Ctrl+Enter run (the lab's key bindings do the same where it sees the keys first)
    const runKeys = Prec.highest(
      keymap.of([
        { key: 'Shift-Enter', run: () => (void this.run(), true) },
        { key: 'Mod-Enter', run: () => (void this.run(), true) }
      ])
    );
    const extensions: Extension[] = [runKeys, completion, errorMarkField];
    this.editorWidget = new CodeEditorWrapper({
      factory: o => options.editorServices.factoryService.newDocumentEditor(o),
      model,
      editorOptions: { extensions, config: { lineNumbers: true } }
    });
    this.editorWidget.addClass('rl-SqlEditor-editor');
    const openInSpark = options.openInSpark;
    this.result = new ResultPane(
      () => void this.fetchMore(),
      openInSpark &&
        (() => {
          if (this._connection && this.lastRun) openInSpark(this._connection, this.lastRun.sql);
        }),
      () => this._connection ?? undefined
    );
    const split = new SplitPanel({ orientation: 'vertical', spacing: 4 });
    split.addClass('rl-SqlEditor-split');
    split.addWidget(this.editorWidget);
    split.addWidget(this.result);
    split.setRelativeSizes([0.45, 0.55]);

    // our own bar above the editor: the document toolbar would fold it into its "…" overflow menu
    this.toolbar = new SqlToolbar(this);
    BoxPanel.setStretch(this.toolbar, 0);
    BoxPanel.setStretch(split, 1);
    this.addWidget(this.toolbar);
    this.addWidget(split);
    this._connection =
      options.connection ??
      (lastConnection && this.clients.names().includes(lastConnection)
        ? lastConnection
        : undefined) ??
      this.clients.preferred();
    this.clients.connections.changed.connect(this.onConnectionsChanged, this);
    this.history.changed.connect(this.onHistoryChanged, this);
    this.toolbar.setConnections(this.clients.names(), this._connection);
    this.toolbar.setRunning(false);
    this.toolbar.setStatus('', 'idle');
    void this.refreshHistory();
  }

  get runningChanged(): ISignal<this, boolean> {
    return this._runningChanged;
  }

  get running(): boolean {
    return this.controller !== undefined;
  }

  get connection(): string | undefined {
    return this._connection;
  }

  set connection(name: string | undefined) {
    if (name === this._connection) return;
    this._connection = name;
    if (name) lastConnection = name;
    this.toolbar.setConnections(this.clients.names(), name);
    void this.refreshHistory();
  }

  /** The CodeMirror view. */
  get view(): EditorView {
    // @jupyterlab/codemirror is typed against @codemirror's CommonJS declarations, this module against
    // the ES ones: the same classes at run time (shared singletons)
    return (this.editorWidget.editor as CodeMirrorEditor).editor as unknown as EditorView;
  }

  private catalog() {
    return this._connection ? this.clients.get(this._connection)?.catalog : undefined;
  }

  private onConnectionsChanged(): void {
    const names = this.clients.names();
    if (!this._connection || !names.includes(this._connection)) {
      this._connection = this.clients.preferred();
      void this.refreshHistory();
    }
    this.toolbar.setConnections(names, this._connection);
  }

  private onHistoryChanged(_: QueryHistory, connection: string): void {
    if (connection === this._connection) void this.refreshHistory();
  }

  private async refreshHistory(): Promise<void> {
    const name = this._connection;
    const entries = name ? await this.history.list(name) : [];
    if (name === this._connection && !this.isDisposed) this.toolbar.setHistory(entries);
  }

  /** Puts `text` at the cursor (replacing the selection) and focuses the editor. */
  insertText(text: string): void {
    const view = this.view;
    view.dispatch(view.state.replaceSelection(text));
    view.focus();
  }

  /** Runs the selection, else the statement at the cursor, else the whole file. */
  run(): Promise<void> {
    const view = this.view;
    const text = view.state.doc.toString();
    const sel = view.state.selection.main;
    const span = statementAt(text, { from: sel.from, to: sel.to });
    if (!span) {
      this.toolbar.setStatus('Nothing to run', 'idle');
      return Promise.resolve();
    }
    return this.execute(text.slice(span.from, span.to), {
      base: span.from,
      origin: lineColumn(text, span.from)
    });
  }

  cancel(): void {
    this.controller?.abort();
  }

  private fetchMore(): Promise<void> {
    const limit = this.lastRun && fetchMoreLimit(this.lastRun.limit);
    if (!this.lastRun || !limit || this.running) return Promise.resolve();
    return this.execute(this.lastRun.sql, { ...this.lastRun.options, limit, record: false });
  }

  /** Runs `sql` on the editor's connection and shows the result (or the error) below. */
  async execute(sql: string, options: ExecuteOptions = {}): Promise<void> {
    if (this.running) return;
    const name = this._connection;
    const handle = name ? this.clients.get(name) : undefined;
    this.clearErrorMark();
    if (!name || !handle) {
      this.toolbar.setStatus('Choose a Drill connection', 'error');
      this.result.showError({
        code: 'config',
        service: 'drill',
        message: name ? `${name} is not a Drill connection` : 'No Drill connection is chosen',
        hint: 'Pick a Drill connection in the toolbar (Radlab connections are configured on the server).'
      } as RadlabErrorJSON);
      return;
    }
    lastConnection = name;
    const limit = options.limit ?? DEFAULT_ROW_LIMIT;
    this.lastRun = { sql, options, limit };
    const controller = new AbortController();
    this.controller = controller;
    this.toolbar.setRunning(true);
    this._runningChanged.emit(true);
    this.result.setCaption(options.caption ? `${options.caption}: ${oneLine(sql)}` : oneLine(sql));
    this.result.showRunning(undefined, undefined);
    const started = Date.now();
    const query = handle.client.queryStream(sql, { signal: controller.signal, autoLimit: limit });
    // Drill's view of the query while it runs (polled; the elapsed time ticks in between)
    let status: DrillQueryStatus | undefined;
    let polls = 0;
    const drillUrl = this.clients.connections.connections.find(c => c.name === name)?.url;
    const tick = (): void => {
      this.toolbar.setStatus(
        `Running… ${formatElapsed(Date.now() - started) ?? ''}${status ? ` · ${status.state}` : ''}`,
        'running'
      );
      if (polls++ % 5 !== 0) return;
      void queryStatus(handle.client, query, { timeoutMs: 2000 }).then(
        s => {
          if (this.controller !== controller || controller.signal.aborted) return;
          status = s;
          const profile = s.queryId && drillUrl ? profileUrl(drillUrl, s.queryId) : undefined;
          this.result.showRunning(s, profile);
        },
        () => undefined
      );
    };
    tick();
    this.timer = setInterval(tick, 200);
    const entry: HistoryEntry = { sql, at: new Date(started).toISOString(), state: 'ok' };
    try {
      for await (const rows of query.columnar()) void rows;
      const result = { ...query.summary!, rows: query.rows! };
      if (this.isDisposed) return;
      const info: DrillResultInfo = {
        version: 1,
        connection: name,
        queryId: result.queryId,
        sql,
        columns: result.columns,
        rowCount: result.rowCount,
        truncated: result.truncated,
        limit,
        elapsedMs: result.elapsedMs
      };
      this.result.showResult(info, result.rows);
      entry.rows = result.rowCount;
      entry.elapsedMs = result.elapsedMs;
      this.toolbar.setStatus(
        `${formatCount(result.rowCount)}${result.truncated ? '+' : ''} row${result.rowCount === 1 ? '' : 's'} · ${formatElapsed(result.elapsedMs) ?? ''}`,
        'ok'
      );
    } catch (e) {
      if (this.isDisposed) return;
      let error = toErrorJSON(e, name);
      entry.elapsedMs = Date.now() - started;
      if (error.code === 'cancelled') {
        entry.state = 'cancelled';
        this.toolbar.setStatus(
          `Query cancelled after ${formatElapsed(entry.elapsedMs) ?? ''}`,
          'cancelled'
        );
        this.result.showMessage(
          `Query cancelled${(error.details as { cancelledOnDrill?: boolean } | undefined)?.cancelledOnDrill ? ' (and cancelled on Drill)' : ''}.`,
          'cancelled'
        );
      } else {
        entry.state = 'error';
        const position = positionOf(error.details);
        if (position && options.base !== undefined) {
          // Drill counts from the statement's first line; the message and the mark use the file's
          if (options.origin) error = toErrorJSON(relocateError(e, options.origin), name);
          this.markError(sql, options.base, position, error.message);
        }
        this.toolbar.setStatus(`Error: ${error.message.split('\n')[0]}`, 'error');
        this.result.showError(error);
      }
    } finally {
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      if (this.controller === controller) this.controller = undefined;
      if (!this.isDisposed) {
        this.toolbar.setRunning(false);
        this._runningChanged.emit(false);
        if (options.record !== false) void this.history.add(name, entry);
      }
    }
  }

  /** Marks Drill's error position (counted in `sql`, which starts at `base`) in the document. */
  private markError(sql: string, base: number, position: SqlPosition, message: string): void {
    const span = errorSpan(sql, position);
    const view = this.view;
    const from = base + span.from;
    view.dispatch({
      effects: [
        setErrorMark.of({ from, to: base + span.to, message }),
        EditorView.scrollIntoView(Math.min(from, view.state.doc.length), { y: 'center' })
      ]
    });
  }

  private clearErrorMark(): void {
    const view = this.view;
    if (view.state.field(errorMarkField, false)?.size)
      view.dispatch({ effects: setErrorMark.of(null) });
  }

  protected override onActivateRequest(): void {
    this.editorWidget.editor.focus();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.controller?.abort();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.clients.connections.changed.disconnect(this.onConnectionsChanged, this);
    this.history.changed.disconnect(this.onHistoryChanged, this);
    super.dispose();
  }
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}
