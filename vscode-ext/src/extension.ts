// Entry point. activate() only wires things up: loading and health checks start when the view opens.
import * as vscode from 'vscode';
import { connectionsFeature } from './commands.js';
import { ConnectionStore } from './connections/store.js';
import { ConnectionsTreeProvider } from './connections/tree.js';
import { drillFeature } from './drill/index.js';
import { registerFeature } from './feature.js';
import { filesFeature } from './files/index.js';
import { gpuFeature } from './gpu/index.js';
import { imagingFeature } from './imaging/index.js';
import { jobsFeature } from './jobs/index.js';
import { livyFeature } from './livy/index.js';
import { Log } from './log.js';

export function activate(context: vscode.ExtensionContext): void {
  const log = new Log();
  const store = new ConnectionStore(context.secrets, log);
  const tree = new ConnectionsTreeProvider(store, log);
  const view = vscode.window.createTreeView('radlab.connections', {
    treeDataProvider: tree,
    showCollapseAll: false
  });
  context.subscriptions.push(
    log,
    store,
    tree,
    view,
    view.onDidChangeVisibility(e => tree.setPolling(e.visible))
  );
  for (const feature of [
    connectionsFeature,
    drillFeature,
    imagingFeature,
    livyFeature,
    filesFeature,
    gpuFeature,
    jobsFeature
  ])
    registerFeature(feature, { context, store, tree, log });
  tree.setPolling(view.visible);
  log.info(`Radlab ${context.extension.packageJSON.version as string} activated`);
}

export function deactivate(): void {
  // everything is in context.subscriptions
}
