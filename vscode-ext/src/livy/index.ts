// Wires Livy into VS Code: the Livy view (sessions and batches per connection), its commands (start,
// kill, restart, log, submit batch — a local file uploaded to a files connection first — and follow its
// log), the status-bar session and the `%%livy`
// notebook controller. Everything returned goes into context.subscriptions.
import * as vscode from 'vscode';
import {
  BATCH_LOCAL_PATH_HINT,
  BATCH_UPLOAD_FOLDER,
  batchFileUri,
  LIVY_KIND_NEEDS,
  uploadBatchFile,
  type ConnectionConfig
} from '@radlab/core';
import { LIVY_KIND_LABELS, LIVY_KINDS, type LivyKind } from '@radlab/ui';
import type { Feature, FeatureHost } from '../feature.js';
import { FILES_SCHEME } from '../files/provider.js';
import { FilesService } from '../files/service.js';
import { LivyNotebookController } from './notebook.js';
import { LivyService } from './service.js';
import { LivySessionPicker } from './sessionPicker.js';
import { LivyTreeProvider, type LivyNode } from './tree.js';

const t = vscode.l10n.t;

function isNode(arg: unknown): arg is LivyNode {
  return (
    !!arg &&
    typeof arg === 'object' &&
    typeof (arg as LivyNode).type === 'string' &&
    typeof (arg as LivyNode).connection === 'string'
  );
}

function activate(host: FeatureHost): vscode.Disposable[] {
  const { context, store, tree, log, registerCommand: register } = host;
  const service = new LivyService({
    list: async () => (await tree.entries()).map(e => e.config),
    resolve: name => store.resolve(name)
  });
  // batch files are uploaded to a files connection (its own clients: the files feature may be off)
  const files = new FilesService({
    list: async () => (await tree.entries()).map(e => e.config),
    resolve: name => store.resolve(name)
  });
  const livyTree = new LivyTreeProvider(service, log);
  const view = vscode.window.createTreeView('radlab.livy', {
    treeDataProvider: livyTree,
    showCollapseAll: true
  });
  const picker = new LivySessionPicker(service, context.workspaceState, m => log.info(m));
  const notebook = new LivyNotebookController(service, picker, log);
  const output = vscode.window.createOutputChannel('Radlab Livy');
  const follows = new Set<AbortController>();

  /** The connection of a tree node, or one picked (the only one is taken without asking). */
  const connectionOf = async (arg: unknown): Promise<string | undefined> => {
    if (isNode(arg)) return arg.connection;
    const names = (await service.connections()).map(c => c.name);
    if (names.length <= 1) {
      if (names.length === 0)
        void vscode.window.showWarningMessage(
          t('No Livy connection: add one of kind livy in the Radlab Connections view.')
        );
      return names[0];
    }
    return vscode.window.showQuickPick(names, {
      title: t('Livy connection'),
      ignoreFocusOut: true
    });
  };

  /** The controller's error after an action, as a message (the tree shows it too). */
  const reportError = (connection: string): void => {
    const error = service.controller(connection).state.error;
    if (error)
      void vscode.window.showErrorMessage(
        error.hint ? `${error.message} ${error.hint}` : error.message
      );
  };

  const sessionArg = (arg: unknown) => (isNode(arg) && arg.type === 'session' ? arg : undefined);
  const batchArg = (arg: unknown) => (isNode(arg) && arg.type === 'batch' ? arg : undefined);

  /**
   * Where Livy reads a batch file from (Livy reads it itself, on its host): a file of a files
   * connection by its hdfs:// (maprfs:///) URI; a local file uploaded to a files connection first, or
   * its local path when the user says Livy is on this machine and allows the folder. Undefined: not
   * submitted (cancelled, or told why).
   */
  const batchFile = async (file: vscode.Uri): Promise<string | undefined> => {
    if (file.scheme === FILES_SCHEME) {
      return batchFileUri(await files.config(file.authority), file.path);
    }
    const name = file.path.split('/').pop() ?? 'batch';
    if (file.scheme !== 'file') {
      void vscode.window.showErrorMessage(
        t('Livy cannot read {0}: open it from the file system or a Radlab files folder.', name)
      );
      return undefined;
    }
    const targets = (await files.connections()).filter(c => c.protocol !== 'posix');
    const local = t('Submit the local path');
    if (targets.length === 0) {
      const choice = await vscode.window.showWarningMessage(
        t('No files connection to upload {0} to.', name),
        {
          modal: true,
          detail: `${BATCH_LOCAL_PATH_HINT} ${t('Add one in the Radlab Connections view.')}`
        },
        local
      );
      return choice === local ? file.fsPath : undefined;
    }
    const picked = await vscode.window.showQuickPick(
      [
        ...targets.map(c => ({
          label: t('Upload to {0}', c.name),
          description: `~/${BATCH_UPLOAD_FOLDER}/`,
          detail: t('Livy reads it from there ({0})', batchFileUri(c, '/…')),
          connection: c as ConnectionConfig | undefined
        })),
        {
          label: local,
          description: file.fsPath,
          detail: t(
            'Only when Livy runs on this machine and allows the folder (livy.file.local-dir-whitelist)'
          ),
          connection: undefined
        }
      ],
      { title: t('Where Livy reads {0} from', name), ignoreFocusOut: true }
    );
    if (!picked) return undefined;
    if (!picked.connection) return file.fsPath;
    const target = picked.connection;
    const up = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: t('Uploading {0} to {1}…', name, target.name)
      },
      async () =>
        uploadBatchFile(
          await files.client(target.name),
          target,
          name,
          await vscode.workspace.fs.readFile(file)
        )
    );
    log.info(`Livy batch file ${file.fsPath} uploaded to ${target.name} ${up.path}`);
    return up.uri;
  };

  const followBatch = async (connection: string, id: number): Promise<void> => {
    const client = await service.client(connection);
    const abort = new AbortController();
    follows.add(abort);
    output.show(true);
    output.appendLine(t('— Livy {0} batch #{1}: following its log —', connection, id));
    try {
      const iterator = client.followBatch(id, { signal: abort.signal });
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          output.appendLine(t('— batch #{0} ended: {1} —', id, next.value.state));
          break;
        }
        for (const l of next.value) output.appendLine(`[${l.stream}] ${l.line}`);
      }
    } finally {
      follows.delete(abort);
      livyTree.refresh();
    }
  };

  return [
    livyTree,
    view,
    picker,
    notebook,
    output,
    { dispose: () => follows.forEach(f => f.abort()) },
    { dispose: () => service.dispose() },
    view.onDidChangeVisibility(e => livyTree.setVisible(e.visible)),
    store.onDidChange(() => {
      service.reset();
      files.reset();
      livyTree.refresh();
    }),
    register('radlab.livy.refresh', () => livyTree.refresh()),
    register('radlab.livy.startSession', async arg => {
      const connection = await connectionOf(arg);
      if (!connection) return;
      const controller = service.controller(connection);
      const unavailable = controller.state.unavailableKinds ?? {};
      const kind = await vscode.window.showQuickPick(
        LIVY_KINDS.map(k => ({
          label: k,
          description: LIVY_KIND_LABELS[k],
          detail: unavailable[k]
            ? t('Unavailable: {0}', unavailable[k]!)
            : LIVY_KIND_NEEDS[k] && t('This kind {0}', LIVY_KIND_NEEDS[k]!),
          value: k as LivyKind
        })),
        { title: t('Kind of Livy session on {0}', connection), ignoreFocusOut: true }
      );
      if (!kind) return;
      if (unavailable[kind.value]) {
        void vscode.window.showWarningMessage(unavailable[kind.value]!);
        return;
      }
      const name = await vscode.window.showInputBox({
        title: t('Name of the session (optional)'),
        placeHolder: t('e.g. etl'),
        ignoreFocusOut: true
      });
      if (name === undefined) return;
      const session = await controller.start(kind.value, name.trim() || undefined);
      if (!session) return reportError(connection);
      log.info(`Livy ${connection}: started session ${session.id} (${kind.value})`);
      // the first session becomes the notebook's
      if (!picker.current) await picker.choose({ connection, id: session.id });
    }),
    register('radlab.livy.killSession', async arg => {
      const node = sessionArg(arg);
      if (!node) return;
      await service.controller(node.connection).kill(node.session.id);
      reportError(node.connection);
    }),
    register('radlab.livy.restartSession', async arg => {
      const node = sessionArg(arg);
      if (!node) return;
      const fresh = await service.controller(node.connection).restart(node.session.id);
      if (!fresh) return reportError(node.connection);
      const current = picker.current;
      if (current?.connection === node.connection && current.id === node.session.id) {
        await picker.choose({ connection: node.connection, id: fresh.id });
      }
    }),
    register('radlab.livy.showLog', async arg => {
      const node = sessionArg(arg);
      if (!node) return;
      const lines = await service.controller(node.connection).log(node.session.id);
      if (!lines) return reportError(node.connection);
      output.clear();
      output.appendLine(t('— Livy {0} session #{1}: log —', node.connection, node.session.id));
      for (const line of lines) output.appendLine(line);
      output.show(true);
    }),
    register('radlab.livy.selectSession', () => picker.pick()),
    register('radlab.livy.submitBatch', async arg => {
      let file = arg instanceof vscode.Uri ? arg : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({
          title: t('Python or JAR file to run as a Livy batch'),
          filters: { Spark: ['py', 'jar'] },
          canSelectMany: false
        });
        file = picked?.[0];
      }
      if (!file) return;
      const connection = await connectionOf(undefined);
      if (!connection) return;
      const client = await service.client(connection);
      const path = await batchFile(file);
      if (!path) return;
      const batch = await client.submitBatch({ file: path, name: undefined });
      log.info(`Livy ${connection}: batch ${batch.id} for ${path}`);
      livyTree.refresh();
      await followBatch(connection, batch.id);
    }),
    register('radlab.livy.followBatch', async arg => {
      const node = batchArg(arg);
      if (node) await followBatch(node.connection, node.batch.id);
    }),
    register('radlab.livy.killBatch', async arg => {
      const node = batchArg(arg);
      if (!node) return;
      await (await service.client(node.connection)).deleteBatch(node.batch.id);
      livyTree.refresh();
    })
  ];
}

/** The Livy feature: the Livy view, its commands, the status-bar session, the notebook controller. */
export const livyFeature: Feature = { id: 'livy', activate };
