// Drill SQL in JupyterLab: the schema browser (left sidebar) and the SQL editor for `.sql` files, with
// their commands, palette entries, launcher item, key bindings and layout restoration.
import { ILayoutRestorer } from '@jupyterlab/application';
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ABCWidgetFactory, DocumentWidget } from '@jupyterlab/docregistry';
import type { DocumentRegistry, IDocumentWidget } from '@jupyterlab/docregistry';
import { ILauncher } from '@jupyterlab/launcher';
import { IStateDB } from '@jupyterlab/statedb';
import { LabIcon } from '@jupyterlab/ui-components';
import type { Contents } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';
import { PREVIEW_ROW_LIMIT, previewSql } from '@radlab/core';
import { SchemaBrowserModel, SchemaBrowserView, sqlName } from '@radlab/ui';
import type { SchemaNode } from '@radlab/ui';
import { LAB_COMMANDS } from '../commands.generated.js';
import { IRadlabConnections, IRadlabFeatures } from '../tokens.js';
import { DrillClients } from './clients.js';
import { DRILL_SQL_MIME, drillSql } from './dialect.js';
import { SqlEditor } from './editor.js';
import type { SqlEditorOptions } from './editor.js';
import { QueryHistory } from './history.js';

/** The Drill commands (declared in shared/commands.json). */
export const DrillCommandIDs = LAB_COMMANDS.drill;

export const FACTORY = 'Drill SQL Editor';
const PALETTE_CATEGORY = 'Radlab';

const SQL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g fill="none" stroke-width="1.8" stroke-linecap="round">
    <g class="jp-icon3" stroke="#616161">
      <ellipse cx="12" cy="5.5" rx="7" ry="2.5"/>
      <path d="M5 5.5v13c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5v-13M5 12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5"/>
    </g>
  </g>
</svg>`;
export const drillSqlIcon = new LabIcon({ name: 'radlab:drill-sql', svgstr: SQL_SVG });

type SqlDocument = IDocumentWidget<SqlEditor, DocumentRegistry.ICodeModel>;

class SqlEditorFactory extends ABCWidgetFactory<SqlDocument, DocumentRegistry.ICodeModel> {
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<SqlDocument>,
    private readonly services: Omit<SqlEditorOptions, 'context'>
  ) {
    super(options);
  }

  protected createNewWidget(
    context: DocumentRegistry.IContext<DocumentRegistry.ICodeModel>
  ): SqlDocument {
    const content = new SqlEditor({ ...this.services, context });
    const widget = new DocumentWidget({ content, context });
    widget.addClass('rl-SqlDocument');
    widget.title.icon = drillSqlIcon;
    // the editor has its own bar (connection, Run, Cancel, History, status); the document's stays empty
    widget.toolbar.hide();
    return widget;
  }
}

/** The schema browser in the left sidebar. */
class SchemaBrowserPanel extends Widget {
  static readonly ID = 'radlab-drill-schemas';
  readonly model: SchemaBrowserModel;
  private readonly view: SchemaBrowserView;

  constructor(
    private readonly clients: DrillClients,
    actions: { onInsert: (node: SchemaNode) => void; onPreview: (node: SchemaNode) => void }
  ) {
    super();
    this.id = SchemaBrowserPanel.ID;
    this.addClass('rl-SchemaPanel');
    this.title.icon = drillSqlIcon;
    this.title.caption = 'Drill schemas';
    this.model = new SchemaBrowserModel(name => clients.get(name)?.catalog);
    this.view = new SchemaBrowserView(this.node, this.model, actions);
    clients.connections.changed.connect(this.sync, this);
    this.sync();
  }

  /** Follows the connection list; until the user picks one, starts on the first Drill not known to be down. */
  private sync(): void {
    this.model.setConnections(this.clients.names());
    const preferred = this.clients.preferred();
    if (!this.touched && preferred && preferred !== this.model.connection) {
      void this.model.setConnection(preferred);
    }
  }

  private get touched(): boolean {
    return this.node.dataset.touched === 'true';
  }

  protected override onAfterAttach(): void {
    this.node.addEventListener('change', this.markTouched, true);
  }

  protected override onBeforeDetach(): void {
    this.node.removeEventListener('change', this.markTouched, true);
  }

  private readonly markTouched = (event: Event): void => {
    if ((event.target as HTMLElement).classList.contains('rl-Schema-connection')) {
      this.node.dataset.touched = 'true';
    }
  };

  override dispose(): void {
    if (this.isDisposed) return;
    this.clients.connections.changed.disconnect(this.sync, this);
    this.view.dispose();
    super.dispose();
  }
}

export const drillSqlPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:drill-sql',
  description: 'Drill SQL: the schema browser and the SQL editor for .sql files.',
  autoStart: true,
  requires: [IRadlabConnections, IEditorServices, IEditorLanguageRegistry],
  optional: [ICommandPalette, ILauncher, IStateDB, ILayoutRestorer, IRadlabFeatures],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    editorServices: IEditorServices,
    languages: IEditorLanguageRegistry,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    state: IStateDB | null,
    restorer: ILayoutRestorer | null,
    features: IRadlabFeatures | null
  ): void => {
    features?.add({
      id: 'drill',
      label: 'Drill SQL',
      kinds: ['drill'],
      commands: DrillCommandIDs
    });
    const clients = new DrillClients(connections);
    const history = new QueryHistory(state);

    languages.addLanguage({
      name: 'Drill SQL',
      displayName: 'Drill SQL',
      mime: DRILL_SQL_MIME,
      // typed against @codemirror's CommonJS declarations there: the same class at run time
      load: () =>
        Promise.resolve(
          drillSql() as unknown as Awaited<
            ReturnType<NonNullable<Parameters<IEditorLanguageRegistry['addLanguage']>[0]['load']>>
          >
        )
    });
    if (!app.docRegistry.getFileType('sql')) {
      app.docRegistry.addFileType({
        name: 'sql',
        displayName: 'SQL File',
        extensions: ['.sql'],
        mimeTypes: ['application/sql', 'text/x-sql'],
        icon: drillSqlIcon,
        contentType: 'file',
        fileFormat: 'text'
      });
    }

    const factory = new SqlEditorFactory(
      {
        name: FACTORY,
        label: 'Drill SQL Editor',
        fileTypes: ['sql'],
        defaultFor: ['sql'],
        modelName: 'text',
        preferKernel: false,
        canStartKernel: false
      },
      {
        editorServices,
        clients,
        history,
        // the Livy plugin's command, when this lab has it
        openInSpark: (connection, sql) =>
          void app.commands.execute(LAB_COMMANDS.livy.openInSpark, { connection, sql })
      }
    );
    app.docRegistry.addWidgetFactory(factory);

    const tracker = new WidgetTracker<SqlDocument>({ namespace: 'radlab-drill-sql' });
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      void tracker.add(widget);
      widget.content.runningChanged.connect(() => app.commands.notifyCommandChanged());
    });
    if (restorer) {
      void restorer.restore(tracker, {
        command: 'docmanager:open',
        args: widget => ({ path: widget.context.path, factory: FACTORY }),
        name: widget => widget.context.path
      });
    }

    const current = (): SqlDocument | null => tracker.currentWidget;

    /** A new untitled .sql file (in the file browser's root), opened in the SQL editor. */
    const newSqlFile = async (text?: string, connection?: string): Promise<SqlDocument> => {
      const model = (await app.commands.execute('docmanager:new-untitled', {
        path: '',
        type: 'file',
        ext: '.sql'
      })) as Contents.IModel;
      const widget = (await app.commands.execute('docmanager:open', {
        path: model.path,
        factory: FACTORY
      })) as SqlDocument;
      await widget.context.ready;
      if (connection) widget.content.connection = connection;
      if (text) widget.context.model.sharedModel.setSource(text);
      return widget;
    };

    const browser = new SchemaBrowserPanel(clients, {
      onInsert: node => {
        const widget = current();
        if (!widget) {
          void navigator.clipboard?.writeText(sqlName(node)).catch(() => undefined);
          return;
        }
        app.shell.activateById(widget.id);
        widget.content.insertText(sqlName(node));
      },
      onPreview: node => {
        void (async () => {
          const sql = previewSql(node.schema, node.table ?? node.name, PREVIEW_ROW_LIMIT);
          const connection = browser.model.connection;
          let widget = current();
          if (!widget) {
            widget = await newSqlFile(`${sql}\n`, connection);
          } else if (connection) widget.content.connection = connection;
          app.shell.activateById(widget.id);
          await widget.content.execute(sql, { caption: 'Preview' });
        })().catch((reason: unknown) => console.error('Radlab: preview failed:', reason));
      }
    });
    app.shell.add(browser, 'left', { rank: 610 });
    restorer?.add(browser, SchemaBrowserPanel.ID);

    const isEnabled = (): boolean => !!current() && current() === app.shell.currentWidget;
    app.commands.addCommand(DrillCommandIDs.run, {
      label: 'Run Drill SQL',
      caption: 'Run the selection, the statement at the cursor or the whole file on Drill',
      isEnabled: () => isEnabled() && !current()!.content.running,
      execute: () => current()?.content.run()
    });
    app.commands.addCommand(DrillCommandIDs.cancel, {
      label: 'Cancel Drill Query',
      caption: 'Cancel the running query (on Drill too)',
      isEnabled: () => !!current()?.content.running,
      execute: () => current()?.content.cancel()
    });
    app.commands.addCommand(DrillCommandIDs.newSqlFile, {
      label: args => (args['isLauncher'] ? 'SQL File (Drill)' : 'New SQL File (Drill)'),
      caption: 'Create a .sql file and open it in the Drill SQL editor',
      icon: args => (args['isPalette'] ? undefined : drillSqlIcon),
      // args (Query with Drill from the files browser): sql, connection, run
      execute: async args => {
        const sql = typeof args['sql'] === 'string' ? args['sql'] : undefined;
        const connection = typeof args['connection'] === 'string' ? args['connection'] : undefined;
        const widget = await newSqlFile(sql ? `${sql}\n` : undefined, connection);
        if (sql && args['run'] === true) {
          app.shell.activateById(widget.id);
          await widget.content.execute(sql);
        }
        return widget;
      }
    });
    app.commands.addCommand(DrillCommandIDs.openSchemaBrowser, {
      label: 'Show Drill Schemas',
      caption: 'Open the Drill schema browser',
      icon: drillSqlIcon,
      execute: () => app.shell.activateById(browser.id)
    });
    app.commands.addCommand(DrillCommandIDs.refreshSchemas, {
      label: 'Refresh Drill Schemas',
      execute: () => browser.model.refresh()
    });
    for (const keys of [['Shift Enter'], ['Accel Enter']]) {
      app.commands.addKeyBinding({
        command: DrillCommandIDs.run,
        keys,
        selector: '.rl-SqlEditor-editor'
      });
    }
    app.commands.addKeyBinding({
      command: DrillCommandIDs.cancel,
      keys: ['Accel Shift Escape'],
      selector: '.rl-SqlDocument'
    });
    if (palette) {
      for (const command of Object.values(DrillCommandIDs)) {
        palette.addItem({ command, category: PALETTE_CATEGORY });
      }
    }
    launcher?.add({ command: DrillCommandIDs.newSqlFile, category: 'Other', rank: 20 });
  }
};
