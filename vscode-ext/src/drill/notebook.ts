// The `Radlab Drill` notebook controller for Jupyter notebooks: runs `%%drill` cells (options as in the
// Python magic; `-o` needs a Python kernel) and `sql` cells on Drill. The output is the Drill result MIME
// type (rendered by the radlab.drill-result renderer) plus a text/plain table; interrupting cancels the
// query on Drill; errors are NotebookCellOutputItem.error with Drill's message and the hint.
import * as vscode from 'vscode';
import { DRILL_RESULT_MIME, RadlabError, relocateError, toPayload } from '@radlab/core';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { CellController, errorOutput, type CellRun } from '../notebook/cellController.js';
import { isDrillMagic, MagicUsageError, parseCell } from './magic.js';
import type { DrillService } from './service.js';
import { errorText, plainText } from './sqlText.js';

const t = vscode.l10n.t;

export class DrillNotebookController extends CellController {
  constructor(
    private readonly service: DrillService,
    private readonly log: Log,
    /** The connection of a notebook's cells without `-c` (the status bar's choice). */
    private readonly connectionFor: (notebook: vscode.Uri) => Promise<string | undefined>
  ) {
    super({
      id: 'radlab.drill',
      label: t('Radlab Drill'),
      description: t('Apache Drill SQL'),
      detail: t('Runs %%drill cells and SQL cells on a Radlab Drill connection'),
      claims: isDrillMagic
    });
  }

  protected async run({ cell, notebook, execution, signal }: CellRun): Promise<boolean> {
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
        return false;
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
        signal: signal,
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
      return true;
    } catch (err) {
      if (err instanceof MagicUsageError) {
        await fail('UsageError', `${err.message}\n${err.usage}`);
      } else {
        const error = toErrorJSON(err);
        if (error.code === 'cancelled' || signal.aborted) {
          await fail('Cancelled', t('The query was cancelled on Drill.'));
        } else {
          // Drill counts lines from the SQL under the %%drill line: the message names the cell's
          const offset = safeParse(cell)?.lineOffset ?? 0;
          const moved = toErrorJSON(relocateError(err, { line: offset + 1, column: 1 }));
          this.log.warn(`Drill notebook cell: ${moved.code}: ${moved.message}`);
          await fail(`Drill ${moved.code}`, errorText(moved));
        }
      }
    }
    return false;
  }
}

function safeParse(cell: vscode.NotebookCell) {
  try {
    return parseCell(cell.document.getText(), cell.document.languageId);
  } catch {
    return undefined;
  }
}
