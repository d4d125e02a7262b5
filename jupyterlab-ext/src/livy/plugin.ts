// Livy in JupyterLab: a sidebar panel listing each Livy connection's sessions (state, kind, time until
// expiry, progress, a dead session's last log lines and Restart), starting, killing and restarting
// sessions, and a session's log in the main area. The state and the Livy calls are @radlab/ui's
// LivySessionsController; the client comes from core's service definition of the kind.
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { LabIcon } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import {
  BATCH_LOCAL_PATH_HINT,
  batchFileUri,
  R_MISSING_HINT,
  parseLivyDuration,
  uploadBatchFile,
  saysRMissing,
  sparkLoad,
  toErrorJSON
} from '@radlab/core';
import {
  LIVY_KINDS,
  LivySessionsController,
  LivySessionsView,
  lastStatementActivity,
  type LivyKind,
  type LivySessionsApi
} from '@radlab/ui';
import { LAB_COMMANDS } from '../commands.generated.js';
import { drivePath } from '../files/drive.js';
import { base64Bytes, batchLogWidget, isBatchFile } from './batch.js';
import { IRadlabConnections, IRadlabFeatures } from '../tokens.js';

/** The Livy commands (declared in shared/commands.json). */
export const LivyCommandIDs = LAB_COMMANDS.livy;

const SPARK_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
    <g class="jp-icon3" stroke="#616161">
      <path d="M12 3l2.2 5.6L20 9.5l-4.4 3.9L17 19l-5-3-5 3 1.4-5.6L4 9.5l5.8-.9z"/>
    </g>
  </g>
</svg>`;
export const livyIcon = new LabIcon({ name: 'radlab:livy', svgstr: SPARK_SVG });

/** The sidebar panel: polls Livy only while it is shown. */
class LivySessionsPanel extends Widget {
  static readonly ID = 'radlab-livy-sessions';
  private readonly view: LivySessionsView;
  private readonly unsubscribe: () => void;

  constructor(
    readonly controller: LivySessionsController,
    actions: { onLog: (id: number) => void }
  ) {
    super();
    this.id = LivySessionsPanel.ID;
    this.addClass('rl-LivyPanel');
    this.title.icon = livyIcon;
    this.title.caption = 'Livy sessions';
    this.view = new LivySessionsView(this.node, {
      onConnection: name => controller.select(name),
      onRefresh: () => void controller.refresh(),
      onStart: (kind, name) => void controller.start(kind, name),
      onKill: id => void controller.kill(id),
      onRestart: id => void controller.restart(id),
      onLog: actions.onLog
    });
    this.unsubscribe = controller.subscribe(state => this.view.update(state));
  }

  protected override onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.controller.refresh();
    this.controller.startPolling();
  }

  protected override onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.controller.stopPolling();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.unsubscribe();
    this.controller.dispose();
    this.view.dispose();
    super.dispose();
  }
}

/** A session's log in the main area (text only: Spark's log lines are untrusted). */
function logWidget(connection: string, id: number, lines: string[]): MainAreaWidget {
  const content = new Widget();
  content.addClass('rl-LivyLog');
  const pre = document.createElement('pre');
  pre.textContent = lines.length > 0 ? lines.join('\n') : '(the log is empty)';
  content.node.append(pre);
  const widget = new MainAreaWidget({ content });
  widget.id = `radlab-livy-log-${connection}-${id}`;
  widget.title.label = `Livy ${connection} #${id} log`;
  widget.title.icon = livyIcon;
  widget.title.closable = true;
  return widget;
}

/** What Open in Spark uses of a NotebookPanel (the lab's own commands make and run it). */
interface SparkNotebook {
  id: string;
  isDisposed: boolean;
  context: { ready: Promise<void> };
  sessionContext: { ready: Promise<void> };
  content: {
    activeCellIndex: number;
    model: {
      sharedModel: {
        cells: unknown[];
        insertCells(index: number, cells: Array<{ cell_type: string; source: string }>): unknown;
        deleteCell(index: number): void;
      };
    } | null;
  };
}

const SPARK_NOTE =
  'Open in Spark: the files the Drill query reads, as Spark views; the query runs in Spark SQL over ' +
  'them (Drill-only syntax does not). `df` is the DataFrame in the Livy session; `-o df` pulls it here.';

export const livyPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:livy',
  description:
    'Livy: the sessions panel (start, kill, restart, log, time until expiry) and batches from the file browser with their log followed.',
  autoStart: true,
  requires: [IRadlabConnections],
  optional: [ICommandPalette, ILayoutRestorer, IRadlabFeatures, IFileBrowserFactory],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    features: IRadlabFeatures | null,
    browsers: IFileBrowserFactory | null
  ): void => {
    features?.add({
      id: 'livy',
      label: 'Livy Spark',
      kinds: ['livy'],
      commands: LivyCommandIDs
    });
    const livyNames = (): string[] =>
      connections.connections.filter(c => c.kind === 'livy').map(c => c.name);
    const controller = new LivySessionsController({
      client: (name): LivySessionsApi | undefined => connections.client('livy', name),
      rMissing: saysRMissing,
      rMissingHint: R_MISSING_HINT,
      parseDuration: parseLivyDuration,
      lastActivity: (name, id) => {
        const transport = connections.transport(name);
        return transport ? lastStatementActivity(transport, id) : Promise.resolve(undefined);
      }
    });
    const sync = (): void => controller.setConnections(livyNames());
    connections.changed.connect(sync);
    sync();

    const showLog = async (id: number): Promise<void> => {
      const name = controller.current;
      if (name === undefined) return;
      const lines = await controller.log(id);
      if (lines === undefined) return; // the panel shows the error
      const widget = logWidget(name, id, lines);
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    };

    const panel = new LivySessionsPanel(controller, { onLog: id => void showLog(id) });
    app.shell.add(panel, 'left', { rank: 620 });
    restorer?.add(panel, LivySessionsPanel.ID);
    panel.disposed.connect(() => connections.changed.disconnect(sync));

    const sessionId = (args: Record<string, unknown>): number | undefined =>
      typeof args['id'] === 'number' ? args['id'] : undefined;
    app.commands.addCommand(LivyCommandIDs.openSessions, {
      label: 'Show Livy Sessions',
      caption: 'Open the Livy sessions panel',
      icon: livyIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(LivyCommandIDs.refreshSessions, {
      label: 'Refresh Livy Sessions',
      execute: () => controller.refresh()
    });
    app.commands.addCommand(LivyCommandIDs.startSession, {
      label: args =>
        typeof args['kind'] === 'string'
          ? `Start Livy ${args['kind']} Session`
          : 'Start Livy Session',
      execute: args => {
        const kind = (LIVY_KINDS as readonly string[]).includes(String(args['kind']))
          ? (args['kind'] as LivyKind)
          : 'pyspark';
        return controller.start(kind, typeof args['name'] === 'string' ? args['name'] : undefined);
      }
    });
    app.commands.addCommand(LivyCommandIDs.killSession, {
      label: 'Kill Livy Session',
      isEnabled: args => sessionId(args) !== undefined,
      execute: args => controller.kill(sessionId(args)!)
    });
    app.commands.addCommand(LivyCommandIDs.restartSession, {
      label: 'Restart Livy Session',
      isEnabled: args => sessionId(args) !== undefined,
      execute: args => controller.restart(sessionId(args)!)
    });
    app.commands.addCommand(LivyCommandIDs.showLog, {
      label: 'Show Livy Session Log',
      isEnabled: args => sessionId(args) !== undefined,
      execute: args => showLog(sessionId(args)!)
    });
    // Open in Spark: a notebook whose %%livy cell loads the query's files in its kernel's Livy
    // session (started by the magic); while it is open, the next Open in Spark adds a cell to it
    let sparkNotebook: SparkNotebook | undefined;
    app.commands.addCommand(LivyCommandIDs.openInSpark, {
      label: 'Open in Spark',
      caption: 'Load the files a Drill query reads as a Spark DataFrame (Livy)',
      icon: livyIcon,
      execute: async args => {
        const connection = String(args['connection'] ?? '');
        const sql = String(args['sql'] ?? '');
        try {
          const drill = connections.client('drill', connection);
          if (!drill) throw new Error(`"${connection}" is not a Drill connection of this lab.`);
          const load = sparkLoad(sql, await drill.storagePlugins());
          const cell = { cell_type: 'code', source: `%%livy -s spark\n${load.code}` };
          let panel = sparkNotebook && !sparkNotebook.isDisposed ? sparkNotebook : undefined;
          if (panel) {
            const shared = panel.content.model!.sharedModel;
            shared.insertCells(shared.cells.length, [cell]);
          } else {
            panel = (await app.commands.execute('notebook:create-new', {
              kernelName: 'python3'
            })) as SparkNotebook;
            await panel.context.ready;
            const shared = panel.content.model!.sharedModel;
            shared.insertCells(0, [
              { cell_type: 'markdown', source: SPARK_NOTE },
              { cell_type: 'code', source: '%load_ext radlab' },
              cell
            ]);
            while (shared.cells.length > 3) shared.deleteCell(3);
            sparkNotebook = panel;
          }
          app.shell.activateById(panel.id);
          await panel.sessionContext.ready;
          const shared = panel.content.model!.sharedModel;
          if (shared.cells.length === 3) {
            await app.commands.execute('notebook:run-all-cells');
          } else {
            panel.content.activeCellIndex = shared.cells.length - 1;
            await app.commands.execute('notebook:run-cell');
          }
        } catch (e) {
          const error = toErrorJSON(e);
          void showErrorMessage(
            'Open in Spark',
            [error.message, error.hint].filter(Boolean).join('\n')
          );
        }
      }
    });

    // ---- batches: a .py/.jar of a file browser, its log followed in the main area ---------------
    const contents = app.serviceManager.contents;
    /** The file a context menu (or the current file browser) is about: a lab path ("drive:path"). */
    const selectedFile = (): string | undefined => {
      const hit = app.contextMenuHitTest(node => node.classList.contains('jp-FileBrowser'));
      let browser = browsers?.tracker.currentWidget ?? undefined;
      browsers?.tracker.forEach(b => {
        if (hit && b.node === hit) browser = b;
      });
      const item = browser?.selectedItems().next();
      return item && !item.done && item.value.type !== 'directory' ? item.value.path : undefined;
    };
    const filesConnection = (name: string) =>
      connections.connections.find(c => c.kind === 'files' && c.name === name);
    /** Where Livy reads the lab file from; undefined: not submitted (cancelled, or told why). */
    const livyFileOf = async (path: string): Promise<string | undefined> => {
      const drive = contents.driveName(path);
      const own = drive ? filesConnection(drive) : undefined;
      if (own) return batchFileUri(own, drivePath(contents.localPath(path)));
      const name = path.split('/').pop() ?? 'batch';
      const targets = connections.connections.filter(
        c => c.kind === 'files' && c.protocol !== 'posix'
      );
      const serverPath = `${PageConfig.getOption('serverRoot').replace(/\/+$/, '')}/${path}`;
      if (targets.length === 0) {
        const answer = await showDialog({
          title: 'Submit Livy batch',
          body: `No files connection to upload ${name} to. ${BATCH_LOCAL_PATH_HINT}`,
          buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Submit Server Path' })]
        });
        return answer.button.accept ? serverPath : undefined;
      }
      let target = targets[0]!;
      if (targets.length > 1) {
        const picked = await InputDialog.getItem({
          title: `Upload ${name} for Livy to`,
          items: targets.map(c => c.name)
        });
        if (!picked.button.accept || !picked.value) return undefined;
        target = targets.find(c => c.name === picked.value) ?? target;
      }
      const files = connections.client('files', target.name);
      if (!files) throw new Error(`No client for the files connection ${target.name}.`);
      const model = await contents.get(path, { content: true, format: 'base64', type: 'file' });
      const up = await uploadBatchFile(files, target, name, base64Bytes(String(model.content)));
      return up.uri;
    };
    let menuFile: string | undefined;
    app.commands.addCommand(LivyCommandIDs.submitBatch, {
      label: 'Submit as Livy Batch',
      caption: 'Run this .py or .jar as a Spark batch in Livy and follow its log',
      icon: livyIcon,
      isVisible: args => {
        // asked as the context menu opens, while its hit test still knows the browser
        menuFile = typeof args['path'] === 'string' ? args['path'] : selectedFile();
        return menuFile !== undefined && isBatchFile(menuFile);
      },
      execute: async args => {
        const path = typeof args['path'] === 'string' ? args['path'] : (menuFile ?? selectedFile());
        menuFile = undefined;
        if (!path) return;
        const name =
          typeof args['connection'] === 'string'
            ? args['connection']
            : (controller.current ?? livyNames()[0]);
        try {
          const livy = name !== undefined ? connections.client('livy', name) : undefined;
          if (!livy || name === undefined) {
            throw new Error('No Livy connection: add one of kind livy in Radlab Connections.');
          }
          const file = await livyFileOf(path);
          if (!file) return;
          const batch = await livy.submitBatch({ file });
          const widget = batchLogWidget(livy, name, batch.id, file);
          app.shell.add(widget, 'main');
          app.shell.activateById(widget.id);
          void widget.content.follow();
          return batch.id;
        } catch (e) {
          const error = toErrorJSON(e);
          void showErrorMessage(
            'Submit Livy batch',
            [error.message, error.hint].filter(Boolean).join('\n')
          );
        }
      }
    });
    app.contextMenu.addItem({
      command: LivyCommandIDs.submitBatch,
      selector: '.jp-DirListing-item[data-isdir="false"]',
      rank: 12
    });

    if (palette) {
      for (const command of [
        LivyCommandIDs.openSessions,
        LivyCommandIDs.refreshSessions,
        LivyCommandIDs.startSession
      ]) {
        palette.addItem({ command, category: 'Radlab' });
      }
    }
  }
};
