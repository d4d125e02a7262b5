// Run SQL: `radlab.drill.runQuery` runs the selection (else the whole document) on the document's Drill
// connection (chosen once per file, kept in workspaceState, shown and switched in the status bar), in a
// cancellable progress notification; the rows stream into the Drill Result panel as Drill sends them
// (kept by column), an error goes to a message and a Diagnostic at Drill's position (cleared on the
// next run). A result cut at its limit offers Fetch more in the panel: the same query again with ten
// times the limit, up to core's MAX_ROW_LIMIT (as the JupyterLab SQL editor does).
import * as vscode from 'vscode';
import {
  DEFAULT_ROW_LIMIT,
  MAX_ROW_LIMIT,
  RadlabError,
  fetchMoreLimit,
  positionOf
} from '@radlab/core';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
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

export class DrillRunner extends Disposable {
  private readonly diagnostics = this._register(
    vscode.languages.createDiagnosticCollection('radlab-drill')
  );
  private readonly status = this._register(
    vscode.window.createStatusBarItem('radlab.drill.connection', vscode.StatusBarAlignment.Left, 50)
  );
  private running: AbortController | undefined;
  /** The query whose result the panel shows (for Fetch more). */
  private last: LastRun | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly service: DrillService,
    private readonly panel: DrillResultPanel,
    private readonly log: Log
  ) {
    super();
    this._register(panel.onDidRequestFetchMore(() => void this.fetchMore()));
    this.status.name = t('Radlab Drill connection');
    this.status.command = 'radlab.drill.selectConnection';
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()));
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

  updateStatus(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'sql') {
      this.status.hide();
      return;
    }
    const name = this.state.get<string>(STATE_PREFIX + editor.document.uri.toString());
    this.status.text = name
      ? `$(database) Drill: ${name}`
      : `$(database) ${t('Drill: choose connection')}`;
    this.status.tooltip = t('The Drill connection this SQL file runs on (click to change)');
    this.status.show();
  }

  /** The command: selection, else the whole document of the active editor. */
  async runEditor(uri?: vscode.Uri): Promise<void> {
    const editor =
      vscode.window.activeTextEditor &&
      (!uri || vscode.window.activeTextEditor.document.uri.toString() === uri.toString())
        ? vscode.window.activeTextEditor
        : uri
          ? await vscode.window.showTextDocument(uri)
          : undefined;
    if (!editor) {
      void vscode.window.showInformationMessage(t('Open a SQL file to run it on Drill.'));
      return;
    }
    const doc = editor.document;
    const selection = editor.selection;
    const range = selection.isEmpty
      ? new vscode.Range(0, 0, doc.lineCount, 0)
      : new vscode.Range(selection.start, selection.end);
    const sql = doc.getText(range);
    if (sql.trim() === '') {
      void vscode.window.showInformationMessage(t('There is no SQL to run.'));
      return;
    }
    const connection = (await this.remembered(doc.uri)) ?? (await this.choose(doc.uri));
    if (!connection) return;
    this.diagnostics.delete(doc.uri);
    await this.run(connection, sql, { uri: doc.uri, origin: range.start });
  }

  /** Fetch more: the query of the result shown, again, with ten times its limit (fetchMoreLimit). */
  async fetchMore(): Promise<void> {
    const last = this.last;
    const limit = last && fetchMoreLimit(last.limit);
    if (!last || !limit || this.running) return;
    await this.run(last.connection, last.sql, last.target, limit);
  }

  /** Runs SQL and shows the result in the panel; positions of errors go to `target` as a Diagnostic. */
  async run(
    connection: string,
    sql: string,
    target?: { uri: vscode.Uri; origin: vscode.Position },
    limit = DEFAULT_ROW_LIMIT
  ): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const title = t('Drill: {0}', connection);
    const fetchingMore =
      this.last?.connection === connection && this.last.sql === sql && limit > this.last.limit;
    this.last = { connection, sql, target, limit };
    this.panel.showRunning(connection, sql, title, fetchingMore ? limit : undefined);
    this.log.info(`Drill ${connection}: running ${sql.length} characters of SQL, limit ${limit}`);
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
          // the rows go to the panel as they come; the store (by column) is what the host keeps
          for await (const rows of query.columnar()) {
            // a newer run took the panel over: stop (leaving the loop cancels the query on Drill)
            controller.signal.throwIfAborted();
            if (!started) this.panel.startResult(info(), rows, fetchMore, title);
            started = true;
            this.panel.rowsAdded();
            if (rows.length - reported >= 10_000) {
              reported = rows.length;
              progress.report({ message: t('{0} rows', rows.length.toLocaleString('en-US')) });
            }
          }
          if (!started) this.panel.startResult(info(), query.rows!, fetchMore, title);
          return query.summary!;
        }
      );
      this.log.info(
        `Drill ${connection}: ${summary.rowCount} rows${summary.truncated ? ' (truncated)' : ''} in ${summary.elapsedMs} ms, query ${summary.queryId}`
      );
      this.panel.finishResult({
        rowCount: summary.rowCount,
        truncated: summary.truncated,
        elapsedMs: summary.elapsedMs,
        ...(summary.queryId ? { queryId: summary.queryId } : {})
      });
    } catch (err) {
      const error = toErrorJSON(err, connection);
      if (this.running !== controller) {
        // a newer run replaced this one: the panel is the newer run's
        this.log.info(`Drill ${connection}: query replaced by a newer run (${error.code})`);
        return;
      }
      if (error.code === 'cancelled' || controller.signal.aborted) {
        this.log.info(`Drill ${connection}: query cancelled`);
        this.panel.showError(t('Query cancelled.'), title);
        void vscode.window.showInformationMessage(t('Drill query cancelled.'));
        return;
      }
      this.log.warn(
        `Drill ${connection}: ${error.code}: ${error.message} (hint: ${error.hint ?? ''})`
      );
      const position = RadlabError.isRadlabError(err)
        ? positionOf((err as RadlabError).details)
        : undefined;
      let where = '';
      if (target && position) {
        const doc = await vscode.workspace.openTextDocument(target.uri);
        const lines = doc
          .getText(new vscode.Range(target.origin, doc.lineAt(doc.lineCount - 1).range.end))
          .split(/\r?\n/);
        const span = mapPosition(position, target.origin, lines);
        const diagnostic = new vscode.Diagnostic(
          new vscode.Range(span.startLine, span.startCharacter, span.endLine, span.endCharacter),
          errorText(error),
          vscode.DiagnosticSeverity.Error
        );
        diagnostic.source = 'Drill';
        diagnostic.code = error.code;
        this.diagnostics.set(target.uri, [diagnostic]);
        // Drill's message counts in the SQL that ran; a selection starts elsewhere in the file
        where =
          span.startLine + 1 !== position.line || span.startCharacter + 1 !== position.column
            ? t(' (file line {0}, column {1})', span.startLine + 1, span.startCharacter + 1)
            : '';
      }
      this.panel.showError(errorText(error), title);
      void vscode.window.showErrorMessage(
        `${t('Drill: {0}', error.message)}${where}${error.hint ? ` ${error.hint}` : ''}`
      );
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }
}
