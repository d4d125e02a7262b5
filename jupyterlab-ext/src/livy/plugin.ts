// Livy in JupyterLab: a sidebar panel listing each Livy connection's sessions (state, kind, time until
// expiry, progress, a dead session's last log lines and Restart), starting, killing and restarting
// sessions, and a session's log in the main area. The state and the Livy calls are @radlab/ui's
// LivySessionsController; the client comes from core's service definition of the kind.
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { LabIcon } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import {
  R_MISSING_HINT,
  parseLivyDuration,
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
  description: 'Livy: the sessions panel (start, kill, restart, log, time until expiry).',
  autoStart: true,
  requires: [IRadlabConnections],
  optional: [ICommandPalette, ILayoutRestorer, IRadlabFeatures],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    features: IRadlabFeatures | null
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
