// The `Radlab Livy` notebook controller for Jupyter notebooks: runs `%%livy` / `%%spark` cells in a
// Livy session (the one named in the cell, else the one chosen in the status bar), shows the
// statement's progress while it runs, then its output as text (tables aligned, with their row count);
// a Spark error shows its exception and traceback, a dead session its last log lines; interrupting
// cancels the statement in Livy.
import * as vscode from 'vscode';
import { RadlabError } from '@radlab/core';
import { formatProgress, livyTable, livyTableText } from '@radlab/ui';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { CellController, errorOutput, type CellRun } from '../notebook/cellController.js';
import { isLivyCell, LivyCellError, parseLivyCell } from './cell.js';
import type { LivyStatement } from '@radlab/core';
import type { LivyService } from './service.js';
import type { LivySessionPicker } from './sessionPicker.js';

const t = vscode.l10n.t;

export class LivyNotebookController extends CellController {
  constructor(
    private readonly service: LivyService,
    private readonly picker: LivySessionPicker,
    private readonly log: Log
  ) {
    super({
      id: 'radlab.livy',
      label: t('Radlab Livy'),
      description: t('Apache Livy (Spark)'),
      detail: t('Runs %%livy and %%spark cells in a Livy session chosen in the status bar'),
      supportedLanguages: ['python', 'scala', 'sql', 'r', 'plaintext'],
      claims: isLivyCell
    });
  }

  protected async run({ cell, execution, signal }: CellRun): Promise<boolean> {
    try {
      const parsed = parseLivyCell(cell.document.getText());
      if (!parsed) {
        await execution.replaceOutput(
          errorOutput(
            'Radlab Livy',
            t('The Radlab Livy controller runs only cells that start with %%livy or %%spark.')
          )
        );
        return false;
      }
      const target = await this.picker.resolve(parsed.session, (connection, id) => {
        void execution.replaceOutput(
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.text(
              t(
                "No live Livy session: starting a PySpark session on {0} (Livy #{1}); it becomes this notebook's session.",
                connection,
                id
              ),
              'text/plain'
            )
          ])
        );
      });
      if (!target) {
        await execution.replaceOutput(
          errorOutput(
            'Radlab Livy',
            t(
              'No Livy session: choose or start one from the status bar (Radlab: Select Livy Session).'
            )
          )
        );
        return false;
      }
      const client = await this.service.client(target.connection);
      // a session still starting is waited for; a dead one says so with its log
      await client.waitForIdle(target.id, { signal: signal });
      const submitted = await client.submitStatement(target.id, parsed.code, {
        kind: parsed.kind,
        signal: signal
      });
      this.log.info(`Livy ${target.connection} #${target.id}: statement ${submitted.id}`);
      let shown = '';
      const progress = (st: LivyStatement): void => {
        const text = `${st.state}${formatProgress(st.progress) ? ` ${formatProgress(st.progress)}` : ''}`;
        if (text === shown) return;
        shown = text;
        void execution.replaceOutput(
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.text(
              t('Livy {0} #{1}: statement {2}', target.connection, target.id, text),
              'text/plain'
            )
          ])
        );
      };
      const done = await client.waitForStatement(target.id, submitted.id, {
        signal: signal,
        onProgress: progress
      });
      void this.service.controller(target.connection).refresh();
      const output = done.output;
      if (done.state === 'cancelled') {
        await execution.replaceOutput(
          errorOutput('Cancelled', t('The statement was cancelled in Livy.'))
        );
      } else if (output?.status === 'error') {
        await execution.replaceOutput(
          new vscode.NotebookCellOutput([
            vscode.NotebookCellOutputItem.error({
              name: output.ename,
              message: output.evalue,
              stack: output.traceback.join('')
            })
          ])
        );
      } else {
        const data = output?.status === 'ok' ? output.data : {};
        const table = livyTable(data);
        const text = table
          ? livyTableText(table)
          : typeof data['text/plain'] === 'string'
            ? data['text/plain']
            : '';
        const items = [vscode.NotebookCellOutputItem.text(text, 'text/plain')];
        const png = data['image/png'];
        if (typeof png === 'string' && /^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(png)) {
          items.unshift(new vscode.NotebookCellOutputItem(Buffer.from(png, 'base64'), 'image/png'));
        }
        await execution.replaceOutput(new vscode.NotebookCellOutput(items));
        return true;
      }
    } catch (err) {
      if (err instanceof LivyCellError) {
        await execution.replaceOutput(errorOutput('UsageError', `${err.message}\n${err.usage}`));
      } else {
        const error = toErrorJSON(err);
        if (error.code === 'cancelled' || signal.aborted) {
          await execution.replaceOutput(
            errorOutput('Cancelled', t('The statement was cancelled in Livy.'))
          );
        } else {
          const tail = RadlabError.isRadlabError(err)
            ? (err as RadlabError).details?.['logTail']
            : undefined;
          const lines = Array.isArray(tail) ? tail.slice(-10).map(String) : [];
          const message = [error.message, error.hint, ...lines].filter(Boolean).join('\n');
          this.log.warn(`Livy notebook cell: ${error.code}: ${error.message}`);
          await execution.replaceOutput(errorOutput(`Livy ${error.code}`, message));
          void this.picker.refreshAll();
        }
      }
    }
    return false;
  }
}
