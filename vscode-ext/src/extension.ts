// Entry point. activate() only wires things up: loading and health checks start when the view opens.
import * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { ConnectionStore } from './connections/store.js';
import { ConnectionsTreeProvider } from './connections/tree.js';
import { registerDrill } from './drill/index.js';
import { registerImaging } from './imaging/index.js';
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
    view.onDidChangeVisibility(e => tree.setPolling(e.visible)),
    ...registerCommands({ store, tree, log }),
    ...registerDrill({ context, store, tree, log }),
    ...registerImaging({ context, log })
  );
  tree.setPolling(view.visible);
  log.info(`Radlab ${context.extension.packageJSON.version as string} activated`);
}

export function deactivate(): void {
  // everything is in context.subscriptions
}
