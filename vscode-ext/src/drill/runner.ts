// Run SQL: `radlab.drill.runQuery` runs the selection, else the statement under the cursor (as DataGrip
// and SQLTools do); `radlab.drill.runAll` runs each statement of the file in turn, each into a result
// panel of its own, and stops at the first that fails. A document's Drill connection (a notebook's,
// for its cells) is chosen once, kept in workspaceState, shown and switched in the status bar. Rows
// stream into the panel as Drill sends them (kept by column); an error goes to a message and a
// Diagnostic at Drill's position, counted in the file (cleared on the next run). A result cut at its
// limit offers Fetch more in its panel: the same query again with ten times the limit, up to core's
// MAX_ROW_LIMIT (as the JupyterLab SQL editor does).
import * as vscode from 'vscode';
import {
  DEFAULT_ROW_LIMIT,
  MAX_ROW_LIMIT,
  fetchMoreLimit,
  positionOf,
  profileUrl,
  queryStatus,
  RadlabError,
  relocateError,
  splitStatements,
  statementAt
} from '@radlab/core';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import { isDrillMagic } from './magic.js';
import type { DrillResultPanel } from './resultPanel.js';
import type { DrillService } from './service.js';
import { errorText, mapPosition } from './sqlText.js';

const t = vscode.l10n.t;
const STATE_PREFIX = 'radlab.drill.connection:';

interface LastRun {
  connection: string;
  sql: string;
  target?: { uri: vscode.Uri; origin: vscode.Position };
  limit: number;
}

/** Where a run's result goes: the panel and its title suffix (`2/3` in a Run All). */
interface Slot {
  panel: DrillResultPanel;
  suffix?: string;
}

/** The notebook a cell's text document belongs to. */
function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find(nb => nb.getCells().some(c => c.document === doc));
}

/**
 * The document a connection choice belongs to: a SQL file, or the notebook of a `%%drill` or SQL
 * cell (all cells of a notebook share one choice, which its Radlab Drill cells run on).
 */
export function choiceUri(doc: vscode.TextDocument): vscode.Uri | undefined {
  const notebook = notebookOf(doc);
  if (notebook) {
    const drillCells = notebook
      .getCells()
      .some(
        c =>
          c.kind === vscode.NotebookCellKind.Code &&
          (c.document.languageId === 'sql' || isDrillMagic(c.document.getText()))
      );
    return drillCells ? notebook.uri : undefined;
  }
  return doc.languageId === 'sql' ? doc.uri : undefined;
}

export class DrillRunner extends Disposable {
  private readonly diagnostics = this._register(
    vscode.languages.createDiagnosticCollection('radlab-drill')
  );
  private readonly status = this._register(
    vscode.window.createStatusBarItem('radlab.drill.connection', vscode.StatusBarAlignment.Left, 50)
  );
  private running: AbortController | undefined;
  /** The query each panel shows (for its Fetch more). */
  private readonly last = new Map<DrillResultPanel, LastRun>();
  /** Result panels: the first for single runs, one more per statement of a Run All. */
  private readonly panels: DrillResultPanel[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly service: DrillService,
    private readonly newPanel: () => DrillResultPanel,
    private readonly log: Log
  ) {
    super();
    this.status.name = t('Radlab Drill connection');
    this.status.command = 'radlab.drill.selectConnection';
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()));
    this._register(vscode.window.onDidChangeActiveNotebookEditor(() => this.updateStatus()));
    this._register(
      vscode.workspace.onDidCloseTextDocument(doc => this.diagnostics.delete(doc.uri))
    );
    this.updateStatus();
  }

  /** The remembered connection of a document, if it still exists. */
  async remembered(uri: vscode.Uri): Promise<string | undefined> {
    const name = this.state.get<string>(STATE_PREFIX + uri.toString());
    if (!name) return undefined;
    const connections = await this.service.connections();
    return connections.some(c => c.name === name) ? name : undefined;
  }

  /** The connection for completion: remembered, else the only Drill connection (never asks). */
  async connectionForCompletion(uri: vscode.Uri): Promise<string | undefined> {
    const name = await this.remembered(uri);
    if (name) return name;
    const connections = await this.service.connections();
    return connections.length === 1 ? connections[0]!.name : undefined;
  }

  /**
   * The connection a notebook's cells without `-c` run on: the one chosen in the status bar, else
   * the only one, else the user picks (and it is remembered).
   */
  async connectionFor(uri: vscode.Uri): Promise<string | undefined> {
    const name = await this.remembered(uri);
    if (name) return name;
    const connections = await this.service.connections();
    if (connections.length === 1) return connections[0]!.name;
    return connections.length === 0 ? undefined : this.choose(uri);
  }

  /** Asks which Drill connection a document runs on, and remembers it. */
  async choose(uri: vscode.Uri | undefined): Promise<string | undefined> {
    const connections = await this.service.connections();
    if (connections.length === 0) {
      void vscode.window.showWarningMessage(
        t('No Drill connection is configured. Add one in the Radlab Connections view.')
      );
      return undefined;
    }
    const current = uri ? this.state.get<string>(STATE_PREFIX + uri.toString()) : undefined;
    const items = connections.map(c => ({
      label: c.name,
      description: c.url,
      detail: c.description,
      picked: c.name === current
    }));
    items.sort((a, b) => Number(b.picked) - Number(a.picked));
    const chosen = await vscode.window.showQuickPick(items, {
      title: t('Drill connection'),
      placeHolder: t('Drill connection to run this SQL on'),
      ignoreFocusOut: true
    });
    if (!chosen) return undefined;
    if (uri) await this.state.update(STATE_PREFIX + uri.toString(), chosen.label);
    this.updateStatus();
    return chosen.label;
  }

  /** The i-th result panel, created when first needed. */
  private panel(i = 0): DrillResultPanel {
    while (this.panels.length <= i) {
      const panel = this._register(this.newPanel());
      this._register(panel.onDidRequestFetchMore(() => void this.fetchMore(panel)));
      this.panels.push(panel);
    }
    return this.panels[i]!;
  }

  /** The document whose connection the status bar shows and the picker sets. */
  activeChoiceUri(): vscode.Uri | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    return doc ? choiceUri(doc) : undefined;
  }

  updateStatus(): void {
    const uri = this.activeChoiceUri();
    if (!uri) {
      this.status.hide();
      return;
    }
    const name = this.state.get<string>(STATE_PREFIX + uri.toString());
    this.status.text = name
      ? `$(database) Drill: ${name}`
      : `$(database) ${t('Drill: choose connection')}`;
    this.status.tooltip =
      uri.scheme === 'file' || uri.scheme === 'untitled' || !uri.path.endsWith('.ipynb')
        ? t('The Drill connection this SQL file runs on (click to change)')
        : t('The Drill connection the %%drill cells of this notebook run on (click to change)');
    this.status.show();
  }

  private async editorFor(uri?: vscode.Uri): Promise<vscode.TextEditor | undefined> {
    const editor =
      vscode.window.activeTextEditor &&
      (!uri || vscode.window.activeTextEditor.document.uri.toString() === uri.toString())
        ? vscode.window.activeTextEditor
        : uri
          ? await vscode.window.showTextDocument(uri)
          : undefined;
    if (!editor)
      void vscode.window.showInformationMessage(t('Open a SQL file to run it on Drill.'));
    return editor;
  }

  /**
   * The selection, else the statement under the cursor, of the active editor, with the editor's
   * connection (chosen now if it has none); undefined when there is no SQL or no connection.
   */
  async editorStatement(
    uri?: vscode.Uri
  ): Promise<
    { connection: string; sql: string; doc: vscode.TextDocument; from: number } | undefined
  > {
    const editor = await this.editorFor(uri);
    if (!editor) return undefined;
    const doc = editor.document;
    const text = doc.getText();
    const selection = editor.selection;
    const span = statementAt(text, {
      from: doc.offsetAt(selection.start),
      to: doc.offsetAt(selection.end)
    });
    if (!span) {
      void vscode.window.showInformationMessage(t('There is no SQL to run.'));
      return undefined;
    }
    const connection = (await this.remembered(doc.uri)) ?? (await this.choose(doc.uri));
    if (!connection) return undefined;
    return { connection, sql: text.slice(span.from, span.to), doc, from: span.from };
  }

  /** Run SQL: the selection, else the statement under the cursor, of the active editor. */
  async runEditor(uri?: vscode.Uri): Promise<void> {
    const statement = await this.editorStatement(uri);
    if (!statement) return;
    const { connection, sql, doc, from } = statement;
    this.diagnostics.delete(doc.uri);
    await this.run(connection, sql, { uri: doc.uri, origin: doc.positionAt(from) });
  }

  /** Run All: each statement of the file in turn, a result panel each; stops at the first failure. */
  async runAll(uri?: vscode.Uri): Promise<void> {
    const editor = await this.editorFor(uri);
    if (!editor) return;
    const doc = editor.document;
    const text = doc.getText();
    const spans = splitStatements(text);
    if (spans.length === 0) {
      void vscode.window.showInformationMessage(t('There is no SQL to run.'));
      return;
    }
    const connection = (await this.remembered(doc.uri)) ?? (await this.choose(doc.uri));
    if (!connection) return;
    this.diagnostics.delete(doc.uri);
    for (const [i, span] of spans.entries()) {
      const ok = await this.run(
        connection,
        text.slice(span.from, span.to),
        { uri: doc.uri, origin: doc.positionAt(span.from) },
        DEFAULT_ROW_LIMIT,
        { panel: this.panel(i), suffix: spans.length > 1 ? `${i + 1}/${spans.length}` : undefined }
      );
      if (!ok) return;
    }
  }

  /** Fetch more: the query of the result shown, again, with ten times its limit (fetchMoreLimit). */
  async fetchMore(panel: DrillResultPanel = this.panel()): Promise<void> {
    const last = this.last.get(panel);
    const limit = last && fetchMoreLimit(last.limit);
    if (!last || !limit || this.running) return;
    await this.run(last.connection, last.sql, last.target, limit, { panel });
  }

  /**
   * Runs SQL and shows the result in a panel (the first unless `slot` says); positions of errors go
   * to `target` as a Diagnostic. True when the query finished.
   */
  async run(
    connection: string,
    sql: string,
    target?: { uri: vscode.Uri; origin: vscode.Position },
    limit = DEFAULT_ROW_LIMIT,
    slot: Slot = { panel: this.panel() }
  ): Promise<boolean> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const panel = slot.panel;
    const title = slot.suffix
      ? t('Drill: {0} ({1})', connection, slot.suffix)
      : t('Drill: {0}', connection);
    const previous = this.last.get(panel);
    const fetchingMore =
      previous?.connection === connection && previous.sql === sql && limit > previous.limit;
    this.last.set(panel, { connection, sql, target, limit });
    panel.showRunning(connection, sql, title, fetchingMore ? limit : undefined);
    this.log.info(`Drill ${connection}: running ${sql.length} characters of SQL, limit ${limit}`);
    // Drill's view of the query for the panel: state, id and profile link, while it runs and after
    const drillUrl = (await this.service.connections()).find(c => c.name === connection)?.url;
    let queryId: string | undefined;
    let ended = false;
    const drillStatus = (state: string, id = queryId): void => {
      if (id) queryId = id;
      panel.showDrillStatus({
        state,
        ...(queryId ? { queryId } : {}),
        ...(queryId && drillUrl ? { profile: profileUrl(drillUrl, queryId) } : {})
      });
    };
    try {
      const summary = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: t('Running SQL on Drill ({0})', connection),
          cancellable: true
        },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          const client = await this.service.client(connection);
          const query = client.queryStream(sql, { signal: controller.signal, autoLimit: limit });
          const fetchMore = {
            canFetchMore: fetchMoreLimit(limit) !== undefined,
            maxRows: MAX_ROW_LIMIT
          };
          const info = () => ({
            version: 1 as const,
            connection,
            sql: sql.trim(),
            ...(query.queryId ? { queryId: query.queryId } : {}),
            columns: (query.columns ?? []).map(c => ({ name: c.name, type: c.type })),
            rowCount: 0,
            truncated: false,
            limit
          });
          let started = false;
          let reported = 0;
          // Drill's state and the query id: in the panel while the query runs, and in the
          // notification while nothing has come back yet
          let logged = false;
          const poll = setInterval(() => {
            void queryStatus(client, query, { timeoutMs: 2000 }).then(
              s => {
                if (ended || controller.signal.aborted) return;
                drillStatus(s.state, s.queryId);
                if (started) return;
                progress.report({
                  message: s.queryId ? t('{0} · query {1}', s.state, s.queryId) : s.state
                });
                if (s.queryId && drillUrl && !logged) {
                  logged = true;
                  this.log.info(
                    `Drill ${connection}: query ${s.queryId} is ${s.state}; profile: ${profileUrl(drillUrl, s.queryId)}`
                  );
                }
              },
              () => undefined
            );
          }, 1000);
          controller.signal.addEventListener('abort', () => clearInterval(poll), { once: true });
          try {
            // the rows go to the panel as they come; the store (by column) is what the host keeps
            for await (const rows of query.columnar()) {
              // a newer run took the panel over: stop (leaving the loop cancels the query on Drill)
              controller.signal.throwIfAborted();
              if (!started) panel.startResult(info(), rows, fetchMore, title);
              started = true;
              panel.rowsAdded();
              if (rows.length - reported >= 10_000) {
                reported = rows.length;
                progress.report({ message: t('{0} rows', rows.length.toLocaleString('en-US')) });
              }
            }
          } finally {
            clearInterval(poll);
            ended = true;
            if (query.queryId) queryId = query.queryId;
          }
          if (!started) panel.startResult(info(), query.rows!, fetchMore, title);
          return query.summary!;
        }
      );
      this.log.info(
        `Drill ${connection}: ${summary.rowCount} rows${summary.truncated ? ' (truncated)' : ''} in ${summary.elapsedMs} ms, query ${summary.queryId}`
      );
      panel.finishResult({
        rowCount: summary.rowCount,
        truncated: summary.truncated,
        elapsedMs: summary.elapsedMs,
        ...(summary.queryId ? { queryId: summary.queryId } : {})
      });
      drillStatus(summary.queryState, summary.queryId);
      return true;
    } catch (thrown) {
      // Drill counts lines in the SQL that ran; the message must name the line the squiggle is on
      const err = target
        ? relocateError(thrown, {
            line: target.origin.line + 1,
            column: target.origin.character + 1
          })
        : thrown;
      const error = toErrorJSON(err, connection);
      if (this.running !== controller) {
        // a newer run replaced this one: the panel is the newer run's
        this.log.info(`Drill ${connection}: query replaced by a newer run (${error.code})`);
        return false;
      }
      if (error.code === 'cancelled' || controller.signal.aborted) {
        this.log.info(`Drill ${connection}: query cancelled`);
        panel.showError(t('Query cancelled.'), title);
        if (queryId) drillStatus('CANCELED');
        void vscode.window.showInformationMessage(t('Drill query cancelled.'));
        return false;
      }
      this.log.warn(
        `Drill ${connection}: ${error.code}: ${error.message} (hint: ${error.hint ?? ''})`
      );
      const position = RadlabError.isRadlabError(err)
        ? positionOf((err as RadlabError).details)
        : undefined;
      if (target && position) {
        const doc = await vscode.workspace.openTextDocument(target.uri);
        const span = mapPosition(position, { line: 0, character: 0 }, doc.getText().split(/\r?\n/));
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter),
          errorText(error),
          vscode.DiagnosticSeverity.Error
        );
        diagnostic.source = 'Drill';
        diagnostic.code = error.code;
        this.diagnostics.set(target.uri, [diagnostic]);
      }
      panel.showError(errorText(error), title);
      // a query Drill ran (not one refused before it started) has a profile that tells why
      if (queryId) drillStatus('FAILED');
      void vscode.window.showErrorMessage(
        `${t('Drill: {0}', error.message)}${error.hint ? ` ${error.hint}` : ''}`
      );
      return false;
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }
}
