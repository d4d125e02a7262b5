// What the Radlab notebook controllers (Drill, Livy) share: the controller for Jupyter notebooks, the
// preferred affinity for a notebook whose cells are this controller's magic, the execution order, and
// one cell execution's lifetime (start, clear, abort on interrupt or cancel, end). Each controller only
// says how a cell runs and how its errors read.
import * as vscode from 'vscode';
import { Disposable } from '../util/dispose.js';

export interface CellControllerOptions {
  /** The controller id, e.g. `radlab.drill`. */
  id: string;
  label: string;
  description: string;
  detail: string;
  supportedLanguages?: string[];
  /** Whether a code cell's text is this controller's (a notebook with one prefers the controller). */
  claims(text: string): boolean;
}

/** One cell's run: its execution and the signal that aborts when the user interrupts. */
export interface CellRun {
  cell: vscode.NotebookCell;
  notebook: vscode.NotebookDocument;
  execution: vscode.NotebookCellExecution;
  signal: AbortSignal;
}

export abstract class CellController extends Disposable {
  private readonly controller: vscode.NotebookController;
  private order = 0;
  private readonly running = new Set<AbortController>();

  constructor(private readonly options: CellControllerOptions) {
    super();
    const controller = vscode.notebooks.createNotebookController(
      options.id,
      'jupyter-notebook',
      options.label
    );
    this.controller = this._register(controller);
    controller.description = options.description;
    controller.detail = options.detail;
    if (options.supportedLanguages) controller.supportedLanguages = options.supportedLanguages;
    controller.supportsExecutionOrder = true;
    controller.executeHandler = async (cells, notebook) => {
      for (const cell of cells) await this.executeCell(cell, notebook);
    };
    controller.interruptHandler = () => {
      for (const c of this.running) c.abort();
    };
    this._register(vscode.workspace.onDidOpenNotebookDocument(nb => this.prefer(nb)));
    for (const nb of vscode.workspace.notebookDocuments) this.prefer(nb);
  }

  /** Runs one cell and writes its outputs; true when it succeeded. Errors it throws end it failed. */
  protected abstract run(run: CellRun): Promise<boolean>;

  private prefer(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== 'jupyter-notebook') return;
    const claimed = notebook
      .getCells()
      .some(
        c => c.kind === vscode.NotebookCellKind.Code && this.options.claims(c.document.getText())
      );
    if (claimed)
      this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
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
    let ok = false;
    try {
      await execution.clearOutput();
      ok = await this.run({ cell, notebook, execution, signal: abort.signal });
    } finally {
      sub.dispose();
      this.running.delete(abort);
      execution.end(ok, Date.now());
    }
  }
}

/** A cell output that is one error (VS Code shows name, message and stack). */
export function errorOutput(name: string, message: string, stack = ''): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.error({ name, message, stack })
  ]);
}
