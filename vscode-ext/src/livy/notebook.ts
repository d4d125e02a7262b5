// The `Radlab Livy` notebook controller for Jupyter notebooks: runs `%%livy` / `%%spark` cells in a
// Livy session (the one named in the cell, else the one chosen in the status bar), shows the
// statement's progress while it runs, then its output as text (tables aligned, with their row count);
// SQL cells and `-o NAME` pull the DataFrame in pages into a typed table (result grid), rows and any
// cut said;
// a Spark error shows its exception and traceback, a dead session its last log lines; interrupting
// cancels the statement in Livy.
import * as vscode from 'vscode';
import {
  DRILL_RESULT_MIME,
  pullNotice,
  pullRows,
  RadlabError,
  sqlDataFrame,
  toPayload,
  type LivyClient
} from '@radlab/core';
import { formatProgress, livyTable, livyTableText } from '@radlab/ui';
import { toErrorJSON } from '../core.js';
import type { Log } from '../log.js';
import { CellController, errorOutput, type CellRun } from '../notebook/cellController.js';
import { isLivyCell, LivyCellError, parseLivyCell } from './cell.js';
import type { LivyStatement } from '@radlab/core';
import type { LivyService } from './service.js';
import type { LivySessionPicker, LivyTarget } from './sessionPicker.js';

/** The rows a SQL cell shows without -o or -n (the cut is said). */
const SQL_DISPLAY_ROWS = 1000;

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
    // a session followed because Livy no longer lists the chosen one: said above every output
    let followed = '';
    const replace = (
      outputs: vscode.NotebookCellOutput | vscode.NotebookCellOutput[]
    ): Thenable<void> => {
      const list = Array.isArray(outputs) ? outputs : [outputs];
      return execution.replaceOutput(
        followed
          ? [
              new vscode.NotebookCellOutput([
                vscode.NotebookCellOutputItem.text(followed, 'text/plain')
              ]),
              ...list
            ]
          : list
      );
    };
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
      const target = await this.picker.resolve(
        parsed.session,
        (connection, id) => {
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
        },
        (gone, next) => {
          followed = t(
            "Livy {0} #{1} is gone (Livy no longer lists it); this notebook's session is now {2} #{3}.",
            gone.connection,
            gone.id,
            next.connection,
            next.id
          );
        }
      );
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
      const session = this.service.controller(target.connection).list.find(x => x.id === target.id);
      const kind = parsed.kind ?? session?.kind;
      const say = (text: string): void => {
        void replace(
          new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(text, 'text/plain')])
        );
      };
      if (kind === 'sql') {
        // SQL cells come back as a pull: typed, in pages, a cut said (Livy's own SQL answer stops
        // at livy.rsc.sql.num-rows without saying so)
        const limit = parsed.output ? parsed.maxRows : (parsed.maxRows ?? SQL_DISPLAY_ROWS);
        await replace(
          await this.pull(
            client,
            target,
            sqlDataFrame(parsed.code),
            parsed.output,
            limit,
            signal,
            say
          )
        );
        void this.service.controller(target.connection).refresh();
        return true;
      }
      if (parsed.output && kind !== 'pyspark') {
        throw new LivyCellError(
          kind === 'spark'
            ? '-o of a Scala DataFrame: register it as a view (df.createOrReplaceTempView("v")) and pull it with %%livy sql -o NAME, SELECT * FROM v'
            : `-o works with pyspark and SQL cells, not ${kind ?? 'this session'}`
        );
      }
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
        say(t('Livy {0} #{1}: statement {2}', target.connection, target.id, text));
      };
      const done = await client.waitForStatement(target.id, submitted.id, {
        signal: signal,
        onProgress: progress
      });
      void this.service.controller(target.connection).refresh();
      const output = done.output;
      if (done.state === 'cancelled') {
        await replace(errorOutput('Cancelled', t('The statement was cancelled in Livy.')));
      } else if (output?.status === 'error') {
        await replace(
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
        const outputs = text || items.length > 1 ? [new vscode.NotebookCellOutput(items)] : [];
        if (parsed.output) {
          outputs.push(
            ...(await this.pull(
              client,
              target,
              parsed.output,
              parsed.output,
              parsed.maxRows,
              signal,
              say
            ))
          );
        }
        await replace(outputs.length ? outputs : [new vscode.NotebookCellOutput(items)]);
        return true;
      }
    } catch (err) {
      if (err instanceof LivyCellError) {
        await replace(errorOutput('UsageError', `${err.message}\n${err.usage}`));
      } else {
        const error = toErrorJSON(err);
        if (error.code === 'cancelled' || signal.aborted) {
          await replace(errorOutput('Cancelled', t('The statement was cancelled in Livy.')));
        } else {
          const tail = RadlabError.isRadlabError(err)
            ? (err as RadlabError).details?.['logTail']
            : undefined;
          const lines = Array.isArray(tail) ? tail.slice(-10).map(String) : [];
          const message = [error.message, error.hint, ...lines].filter(Boolean).join('\n');
          this.log.warn(`Livy notebook cell: ${error.code}: ${error.message}`);
          await replace(errorOutput(`Livy ${error.code}`, message));
          void this.picker.refreshAll();
        }
      }
    }
    return false;
  }

  /**
   * Pulls a DataFrame (a driver variable, or `spark.sql(...)`) in pages into a typed table: the
   * notice (rows, columns with Spark's types, any cut) and the rows in Radlab's result grid.
   */
  private async pull(
    client: LivyClient,
    target: LivyTarget,
    expression: string,
    name: string | undefined,
    limit: number | undefined,
    signal: AbortSignal,
    say: (text: string) => void
  ): Promise<vscode.NotebookCellOutput[]> {
    const label = name ?? t('result');
    say(t('Livy {0} #{1}: pulling {2}…', target.connection, target.id, label));
    const pulled = await pullRows(client, target.id, expression, {
      limit,
      signal,
      onPage: stats =>
        say(
          t(
            'Livy {0} #{1}: pulling {2}: {3} rows so far',
            target.connection,
            target.id,
            label,
            stats.rows.toLocaleString('en-US')
          )
        )
    });
    this.log.info(
      `Livy ${target.connection} #${target.id}: pulled ${label}: ${pulled.rowCount} rows, ${pulled.stats.pages} pages, ${pulled.stats.bytes} bytes`
    );
    let notice = pullNotice(label, pulled);
    if (!name && pulled.cut) {
      notice = `${label}: ${t('showing the first {0} rows; the query has more (-n N, or -o NAME for all)', pulled.rowCount.toLocaleString('en-US'))}`;
    }
    const payload = toPayload(
      { columns: pulled.columns, rows: pulled.rows, truncated: pulled.cut },
      { connection: target.connection, ...(limit !== undefined ? { limit } : {}) }
    );
    return [
      new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(notice, 'text/plain')]),
      new vscode.NotebookCellOutput([
        vscode.NotebookCellOutputItem.json(payload, DRILL_RESULT_MIME),
        vscode.NotebookCellOutputItem.text(
          livyTableText({ columns: pulled.columns, rows: pulled.rows }),
          'text/plain'
        )
      ])
    ];
  }
}
