// Wires the Drill features: the Drill view, Run SQL with its result panel and status bar item, SQL
// completion and the notebook controller. Everything returned goes into context.subscriptions.
import * as vscode from 'vscode';
import { PREVIEW_ROW_LIMIT, previewSql } from '@radlab/core';
import type { Feature, FeatureHost } from '../feature.js';
import { DrillCompletionProvider } from './completionProvider.js';
import { DrillNotebookController } from './notebook.js';
import { isSparkTarget, SparkOpener } from './openInSpark.js';
import { isViewerRequest, openInViewer } from './openInViewer.js';
import { registerRendererMessaging } from './rendererMessaging.js';
import { DrillResultPanel } from './resultPanel.js';
import { DrillRunner } from './runner.js';
import { sqlName, type DrillNode } from './schemaModel.js';
import { DrillSchemaTreeProvider } from './schemaTree.js';
import { DrillService } from './service.js';

const t = vscode.l10n.t;

function isNode(arg: unknown): arg is DrillNode {
  return (
    !!arg &&
    typeof arg === 'object' &&
    typeof (arg as DrillNode).kind === 'string' &&
    typeof (arg as DrillNode).connection === 'string'
  );
}

function activate(host: FeatureHost): vscode.Disposable[] {
  const { context, store, tree, log, registerCommand: register } = host;
  const service = new DrillService({
    list: async () => (await tree.entries()).map(e => e.config),
    resolve: name => store.resolve(name)
  });
  const schemaTree = new DrillSchemaTreeProvider(service, log);
  const view = vscode.window.createTreeView('radlab.drillSchema', {
    treeDataProvider: schemaTree,
    showCollapseAll: true
  });
  const runner = new DrillRunner(
    context.workspaceState,
    service,
    () => new DrillResultPanel(context.extensionUri, log),
    log
  );
  const notebook = new DrillNotebookController(service, log, uri => runner.connectionFor(uri));
  const spark = new SparkOpener(service, context.extension.id, log);

  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  return [
    schemaTree,
    view,
    runner,
    notebook,
    registerRendererMessaging(log, request => openInViewer(request, service, log)),
    // a configuration or secret change: new clients, reload the view (after the Connections view has
    // reloaded the merged configuration, which it debounces)
    store.onDidChange(() => {
      service.reset();
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => schemaTree.refresh(), 400);
    }),
    { dispose: () => refreshTimer && clearTimeout(refreshTimer) },
    vscode.languages.registerCompletionItemProvider(
      { language: 'sql' },
      new DrillCompletionProvider(service, runner, log),
      '.',
      '`'
    ),
    register('radlab.drill.runQuery', arg =>
      runner.runEditor(arg instanceof vscode.Uri ? arg : undefined)
    ),
    register('radlab.drill.runAll', arg =>
      runner.runAll(arg instanceof vscode.Uri ? arg : undefined)
    ),
    register('radlab.drill.openInSpark', async arg => {
      const target = isSparkTarget(arg)
        ? arg
        : await runner.editorStatement(arg instanceof vscode.Uri ? arg : undefined);
      if (target) await spark.open(target);
    }),
    register('radlab.drill.openInViewer', async arg => {
      if (isViewerRequest(arg)) await openInViewer(arg, service, log);
    }),
    register('radlab.drill.selectConnection', async () => {
      await runner.choose(runner.activeChoiceUri());
    }),
    register('radlab.drill.refresh', () => schemaTree.refresh()),
    register('radlab.drill.preview', async arg => {
      if (!isNode(arg) || arg.kind !== 'table') return;
      await runner.run(
        arg.connection,
        previewSql(arg.schema!, arg.table!, PREVIEW_ROW_LIMIT),
        undefined,
        PREVIEW_ROW_LIMIT
      );
    }),
    register('radlab.drill.copyName', async arg => {
      if (!isNode(arg)) return;
      const name = sqlName(arg);
      await vscode.env.clipboard.writeText(name);
      vscode.window.setStatusBarMessage(t('Copied {0}', name), 3000);
    }),
    register('radlab.drill.insertName', async arg => {
      if (!isNode(arg)) return;
      const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
      if (!editor) {
        void vscode.window.showInformationMessage(t('Open an editor to insert the name into.'));
        return;
      }
      const name = sqlName(arg);
      await editor.edit(edit => {
        for (const selection of editor.selections) edit.replace(selection, name);
      });
      await vscode.window.showTextDocument(editor.document, editor.viewColumn);
    })
  ];
}

/** The Drill feature: the Drill view, Run SQL and its panel, completion, the notebook controller. */
export const drillFeature: Feature = { id: 'drill', activate };
