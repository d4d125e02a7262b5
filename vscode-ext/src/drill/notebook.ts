// The `Radlab Drill` notebook controller for Jupyter notebooks: runs `%%drill` cells (options as in the
// Python magic; `-o` needs a Python kernel) and `sql` cells on Drill. The output is the Drill result MIME
// type (rendered by the radlab.drill-result renderer) plus a text/plain table; interrupting cancels the
// query on Drill; errors are NotebookCellOutputItem.error with Drill's message and the hint.
import * as vscode from 'vscode';
import { DRILL_RESULT_MIME, RadlabError, relocateError, toPayload } from '@radlab/core';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import { isDrillMagic, MagicUsageError, parseCell } from './magic.js';
import type { DrillService } from './service.js';
import { errorText, plainText } from './sqlText.js';

const t = vscode.l10n.t;

export class DrillNotebookController extends Disposable {
  private readonly controller: vscode.NotebookController;
  private order = 0;
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly service: DrillService,
    private readonly log: Log,
    /** The connection of a notebook's cells without `-c` (the status bar's choice). */
    private readonly connectionFor: (notebook: vscode.Uri) => Promise<string | undefined>
  ) {
    super();
    const controller = vscode.notebooks.createNotebookController(
      'radlab.drill',
      'jupyter-notebook',
      t('Radlab Drill')
    );
    this.controller = this._register(controller);
    controller.description = t('Apache Drill SQL');
    controller.detail = t('Runs %%drill cells and SQL cells on a Radlab Drill connection');
    controller.supportsExecutionOrder = true;
    controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    controller.interruptHandler = () => {
      for (const c of this.running) c.abort();
    };
    this._register(vscode.workspace.onDidOpenNotebookDocument(nb => this.prefer(nb)));
    for (const nb of vscode.workspace.notebookDocuments) this.prefer(nb);
  }

  /** A notebook with %%drill cells gets this controller as a preferred one. */
  private prefer(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== 'jupyter-notebook') return;
    if (
      notebook
        .getCells()
        .some(c => c.kind === vscode.NotebookCellKind.Code && isDrillMagic(c.document.getText()))
    )
      this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  private async execute(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument
  ): Promise<void> {
    for (const cell of cells) await this.executeCell(cell, notebook);
  }

  private async executeCell(
    cell: vscode.NotebookCell,
    notebook: vscode.NotebookDocument
  ): Promise<void> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.order;
    const abort = new AbortController();
    this.running.add(abort);
    const sub = execution.token.onCancellationRequested(() => abort.abort());
    execution.start(Date.now());
    await execution.clearOutput();
    let ok = false;
    // outputs so far (notes about ignored options): an error is shown after them, not instead
    const outputs: vscode.NotebookCellOutput[] = [];
    const fail = (name: string, message: string) =>
      execution.replaceOutput([...outputs, errorOutput(name, message, '')]);
    try {
      const query = parseCell(cell.document.getText(), cell.document.languageId);
      if (!query) {
        await execution.replaceOutput(
          errorOutput(
            'Radlab Drill',
            t('The Radlab Drill controller runs only cells that start with %%drill and SQL cells.'),
            ''
          )
        );
        return;
      }
      const connections = await this.service.connections();
      const name = query.connection ?? (await this.connectionFor(notebook.uri));
      if (!name)
        throw new RadlabError({
          code: 'config',
          service: 'radlab',
          message:
            connections.length === 0
              ? t('No Drill connection is configured.')
              : t('No Drill connection is chosen for this notebook.'),
          hint:
            connections.length === 0
              ? t('Add one in the Radlab Connections view.')
              : t('Choose one in the status bar (Drill: …), or give the cell -c NAME.')
        });
      if (!connections.some(c => c.name === name))
        throw new RadlabError({
          code: 'config',
          service: 'radlab',
          message: t('"{0}" is not a Drill connection.', name),
          hint: t('Drill connections: {0}', connections.map(c => c.name).join(', ') || t('none'))
        });
      if (query.notes.length > 0)
        outputs.push(
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.stdout(query.notes.join('\n') + '\n')
          ])
        );
      if (outputs.length) await execution.replaceOutput(outputs);
      const client = await this.service.client(name);
      this.log.info(`Drill ${name}: notebook cell, limit ${query.limit}`);
      const result = await client.query(query.sql, {
        signal: abort.signal,
        autoLimit: query.limit,
        ...(query.schema ? { defaultSchema: query.schema } : {}),
        ...(query.timeoutMs ? { timeoutMs: query.timeoutMs } : {})
      });
      const payload = toPayload(result, {
        connection: name,
        sql: query.sql.trim(),
        limit: query.limit
      });
      outputs.push(
        new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.json(payload, DRILL_RESULT_MIME),
          vscode.NotebookCellOutputItem.text(plainText(payload), 'text/plain')
        ])
      );
      await execution.replaceOutput(outputs);
      ok = true;
    } catch (err) {
      if (err instanceof MagicUsageError) {
        await fail('UsageError', `${err.message}\n${err.usage}`);
      } else {
        const error = toErrorJSON(err);
        if (error.code === 'cancelled' || abort.signal.aborted) {
          await fail('Cancelled', t('The query was cancelled on Drill.'));
        } else {
          // Drill counts lines from the SQL under the %%drill line: the message names the cell's
          const offset = safeParse(cell)?.lineOffset ?? 0;
          const moved = toErrorJSON(relocateError(err, { line: offset + 1, column: 1 }));
          this.log.warn(`Drill notebook cell: ${moved.code}: ${moved.message}`);
          await fail(`Drill ${moved.code}`, errorText(moved));
        }
      }
    } finally {
      sub.dispose();
      this.running.delete(abort);
      execution.end(ok, Date.now());
    }
  }
}

function safeParse(cell: vscode.NotebookCell) {
  try {
    return parseCell(cell.document.getText(), cell.document.languageId);
  } catch {
    return undefined;
  }
}

function errorOutput(name: string, message: string, stack: string): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.error({ name, message, stack })
  ]);
}
