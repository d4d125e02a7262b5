// A feature of the extension (connections, Drill, imaging; Livy next): one `activate` that gets what
// every feature shares and returns its disposables, and the one command wrapper every command goes
// through: a failure is logged and shown as a message, a cancellation only logged.
import * as vscode from 'vscode';
import { RadlabError } from '@radlab/core';
import type { CommandId } from './commands.generated.js';
import type { ConnectionStore } from './connections/store.js';
import type { ConnectionsTreeProvider } from './connections/tree.js';
import type { Log } from './log.js';

const t = vscode.l10n.t;

/** What every feature gets. */
export interface FeatureHost {
  context: vscode.ExtensionContext;
  store: ConnectionStore;
  tree: ConnectionsTreeProvider;
  log: Log;
  /** Registers a command of shared/commands.json through the one wrapper. */
  registerCommand(id: CommandId, run: (arg?: unknown) => unknown): vscode.Disposable;
}

export interface Feature {
  readonly id: string;
  activate(host: FeatureHost): vscode.Disposable[];
}

/** A user's cancel (a progress notification's Cancel, Escape in a picker): nothing to report. */
function isCancellation(err: unknown): boolean {
  if (RadlabError.isRadlabError(err)) return err.code === 'cancelled';
  return (
    err instanceof vscode.CancellationError || (err as Error | undefined)?.name === 'AbortError'
  );
}

/** The command wrapper: runs `run`, logs and shows a failure, logs a cancellation quietly. */
export function registerCommand(
  id: CommandId,
  run: (arg?: unknown) => unknown,
  log: Log
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (arg?: unknown) => {
    try {
      await run(arg);
    } catch (err) {
      if (isCancellation(err)) {
        log.info(`${id} cancelled`);
        return;
      }
      log.error(`${id} failed`, err);
      void vscode.window.showErrorMessage(
        t('Radlab: {0}', err instanceof Error ? err.message : String(err))
      );
    }
  });
}

/** Activates a feature; everything it returns goes into context.subscriptions. */
export function registerFeature(
  feature: Feature,
  shared: Omit<FeatureHost, 'registerCommand'>
): void {
  const host: FeatureHost = {
    ...shared,
    registerCommand: (id, run) => registerCommand(id, run, shared.log)
  };
  shared.context.subscriptions.push(...feature.activate(host));
  shared.log.debug(`feature ${feature.id} activated`);
}
