// Livy batches in JupyterLab: a `.py` or `.jar` from a file browser submitted as a batch, and its log
// followed live in the main area (state, the lines as they come, Kill). Livy reads a batch's file
// itself, on the Livy host: a file of a files drive goes as its hdfs:// (maprfs:///) URI; a file of
// the notebook server is uploaded to a files connection first (core uploadBatchFile), or, with none,
// submitted by its server path after saying when that works.
import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import { toErrorJSON, type LivyClient } from '@radlab/core';

/** The main-area log of one batch: its state, its log lines as they come, and Kill. */
export class BatchLogWidget extends Widget {
  private readonly state: HTMLElement;
  private readonly pre: HTMLPreElement;
  private readonly kill: HTMLButtonElement;
  private readonly abort = new AbortController();

  constructor(
    private readonly client: LivyClient,
    readonly connection: string,
    readonly batchId: number,
    file: string
  ) {
    super();
    this.addClass('rl-LivyBatchLog');
    const head = document.createElement('div');
    head.className = 'rl-LivyBatchLog-head';
    const title = document.createElement('span');
    title.textContent = `Livy ${connection} batch #${batchId}: ${file}`;
    this.state = document.createElement('span');
    this.state.className = 'rl-LivyBatchLog-state';
    this.state.setAttribute('role', 'status');
    this.state.textContent = 'submitted';
    this.kill = document.createElement('button');
    this.kill.className = 'jp-Button jp-mod-styled jp-mod-warn';
    this.kill.textContent = 'Kill';
    this.kill.title = 'Kill the batch in Livy';
    this.kill.onclick = () => void this.killBatch();
    head.append(title, this.state, this.kill);
    this.pre = document.createElement('pre');
    this.pre.className = 'rl-LivyBatchLog-lines';
    this.node.append(head, this.pre);
  }

  /** Follows the log until the batch ends (or the widget closes: the batch keeps running). */
  async follow(): Promise<void> {
    try {
      const iterator = this.client.followBatch(this.batchId, {
        signal: this.abort.signal,
        intervalMs: 1000
      });
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          this.state.textContent = `ended: ${next.value.state}`;
          this.state.dataset['state'] = next.value.state;
          this.kill.disabled = true;
          return;
        }
        const stick = this.node.scrollTop + this.node.clientHeight >= this.node.scrollHeight - 4;
        // text only: Spark's log lines are untrusted
        this.pre.append(
          document.createTextNode(
            next.value
              .map(l => (l.stream === 'stderr' ? `[stderr] ${l.line}` : l.line))
              .join('\n') + '\n'
          )
        );
        this.state.textContent = 'running';
        if (stick) this.node.scrollTop = this.node.scrollHeight;
      }
    } catch (e) {
      if (this.abort.signal.aborted) return;
      const error = toErrorJSON(e);
      this.state.textContent = [error.message, error.hint].filter(Boolean).join(' ');
      this.state.dataset['state'] = 'error';
    }
  }

  private async killBatch(): Promise<void> {
    this.kill.disabled = true;
    try {
      await this.client.deleteBatch(this.batchId);
      this.state.textContent = 'killed';
      this.state.dataset['state'] = 'killed';
    } catch (e) {
      const error = toErrorJSON(e);
      this.state.textContent = error.message;
      this.kill.disabled = false;
    }
  }

  override dispose(): void {
    this.abort.abort();
    super.dispose();
  }
}

export function batchLogWidget(
  client: LivyClient,
  connection: string,
  batchId: number,
  file: string
): MainAreaWidget<BatchLogWidget> {
  const content = new BatchLogWidget(client, connection, batchId, file);
  const widget = new MainAreaWidget({ content });
  widget.id = `radlab-livy-batch-${connection}-${batchId}`;
  widget.title.label = `Livy batch #${batchId}`;
  widget.title.closable = true;
  return widget;
}

/** True for a file Livy runs as a batch. */
export function isBatchFile(path: string): boolean {
  return /\.(py|jar)$/i.test(path);
}

/** Base64 (the contents API's format for binary files) to bytes. */
export function base64Bytes(text: string): Uint8Array {
  const raw = atob(text.replace(/\s/g, ''));
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}
