// Open in Spark (from the SQL editor or a Drill result): the files the query reads, loaded as a Spark
// DataFrame `df` in a Livy session (core's sparkLoad: the dfs files as views, the query's SQL in Spark
// SQL). The code goes into a `%%livy` cell of a notebook run by the Radlab Livy controller, which uses
// the notebook's Livy session or starts one; a second Open in Spark adds a cell to the same notebook
// (the same session) while it is open.
import * as vscode from 'vscode';
import { sparkLoad } from '@radlab/core';
import type { Log } from '../log.js';
import type { DrillService } from './service.js';

const t = vscode.l10n.t;

export interface SparkTarget {
  connection: string;
  sql: string;
}

export function isSparkTarget(arg: unknown): arg is SparkTarget {
  return (
    !!arg &&
    typeof arg === 'object' &&
    typeof (arg as SparkTarget).connection === 'string' &&
    typeof (arg as SparkTarget).sql === 'string'
  );
}

export class SparkOpener {
  private notebook: vscode.NotebookDocument | undefined;

  constructor(
    private readonly service: DrillService,
    private readonly extensionId: string,
    private readonly log: Log
  ) {}

  async open(target: SparkTarget): Promise<void> {
    const client = await this.service.client(target.connection);
    const load = sparkLoad(target.sql, await client.storagePlugins());
    this.log.info(
      `Open in Spark (${target.connection}): ${load.sources.map(s => s.path).join(', ')}`
    );
    const cell = new vscode.NotebookCellData(
      vscode.NotebookCellKind.Code,
      `%%livy\n${load.code}`,
      'python'
    );
    let doc = this.notebook && !this.notebook.isClosed ? this.notebook : undefined;
    if (doc) {
      const edit = new vscode.WorkspaceEdit();
      edit.set(doc.uri, [vscode.NotebookEdit.insertCells(doc.cellCount, [cell])]);
      await vscode.workspace.applyEdit(edit);
    } else {
      const note = new vscode.NotebookCellData(
        vscode.NotebookCellKind.Markup,
        t(
          'Open in Spark: the files the Drill query reads, as Spark views; the query runs in Spark SQL over them (Drill-only syntax does not). `df` is the DataFrame.'
        ),
        'markdown'
      );
      doc = await vscode.workspace.openNotebookDocument(
        'jupyter-notebook',
        new vscode.NotebookData([note, cell])
      );
      this.notebook = doc;
    }
    await vscode.window.showNotebookDocument(doc);
    await vscode.commands.executeCommand('notebook.selectKernel', {
      id: 'radlab.livy',
      extension: this.extensionId
    });
    const index = doc.cellCount - 1;
    await vscode.commands.executeCommand('notebook.cell.execute', {
      ranges: [{ start: index, end: index + 1 }],
      document: doc.uri
    });
  }
}
