// The status-bar item of the current job's GPUs: "GPU 87 % · train-unet-0", its GPUs one per line in
// the tooltip, a click opens the job's GPU view. The current job is the setting radlab.gpu.job, else
// the one last picked (workspace state). Hidden with no Prometheus connection (the local nvidia-smi
// fallback has no jobs); "Prometheus down" when it does not answer. Refreshes every 5 s while the
// window has focus.
import * as vscode from 'vscode';
import {
  formatMetric,
  gpuJobName,
  gpuJobNow,
  GPU_METRICS,
  parseGpuJob,
  RadlabError
} from '@radlab/core';
import type { Log } from '../log.js';
import { Disposable } from '../util/dispose.js';
import type { GpuService } from './service.js';

const t = vscode.l10n.t;
const KEY = 'radlab.gpu.lastJob';
const REFRESH_MS = 5000;

export type GpuJobRef = { namespace?: string; pod: string };

export class GpuStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer?: ReturnType<typeof setInterval>;
  private abort?: AbortController;

  constructor(
    private readonly service: GpuService,
    private readonly state: vscode.Memento,
    private readonly log: Log
  ) {
    super();
    this.item = this._register(
      vscode.window.createStatusBarItem('radlab.gpu.job', vscode.StatusBarAlignment.Left, 40)
    );
    this.item.name = t('Radlab GPU Job');
    this._register({ dispose: () => this.stop() });
    this._register(
      vscode.window.onDidChangeWindowState(s => (s.focused ? this.start() : this.stop()))
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration('radlab.gpu.job')) void this.state.update(KEY, undefined);
        if (e.affectsConfiguration('radlab.gpu')) void this.refresh();
      })
    );
    if (vscode.window.state.focused) this.start();
    else void this.refresh();
  }

  /** The job the item follows: the last one picked, else the setting. */
  get job(): GpuJobRef | undefined {
    const picked = this.state.get<GpuJobRef>(KEY);
    if (picked?.pod) return picked;
    return parseGpuJob(vscode.workspace.getConfiguration('radlab.gpu').get<string>('job') ?? '');
  }

  async setJob(job: GpuJobRef): Promise<void> {
    await this.state.update(KEY, job);
    await this.refresh();
  }

  private start(): void {
    if (this.timer !== undefined) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }

  async refresh(): Promise<void> {
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    let connection: string | undefined;
    try {
      connection = await this.service.connection();
    } catch {
      connection = undefined;
    }
    if (abort.signal.aborted) return;
    if (!connection) {
      this.item.hide();
      return;
    }
    const job = this.job;
    if (!job) {
      this.item.text = '$(pulse) GPU';
      this.item.tooltip = t('Radlab GPU: choose a job to follow its GPU utilization here');
      this.item.command = 'radlab.gpu.selectJob';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const name = gpuJobName(job);
    this.item.command = {
      title: t('Open Job GPUs'),
      command: 'radlab.gpu.openJob',
      arguments: [job]
    };
    try {
      const client = await this.service.client(connection);
      const now = await gpuJobNow(client, job, { signal: abort.signal });
      if (abort.signal.aborted) return;
      const util = GPU_METRICS.util;
      if (now.utilization === undefined) {
        this.item.text = `$(pulse) GPU – · ${job.pod}`;
        this.item.tooltip = t(
          '{0}: no GPU reports now (the job ended or has not started). Click to see its GPUs over its lifetime.',
          name
        );
      } else {
        this.item.text = `$(pulse) GPU ${formatMetric(now.utilization, util)} · ${job.pod}`;
        this.item.tooltip = new vscode.MarkdownString(
          [
            t(
              '**{0}** on {1}: mean GPU utilization {2}',
              name,
              connection,
              formatMetric(now.utilization, util)
            ),
            '',
            ...now.gpus.map(g => `- ${g.gpu}: ${formatMetric(g.utilization, util)}`),
            '',
            t('Click to open the job’s GPUs.')
          ].join('\n')
        );
      }
      this.item.backgroundColor = undefined;
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = RadlabError.isRadlabError(err) ? (err as RadlabError) : undefined;
      this.item.text = `$(debug-disconnect) GPU · ${job.pod}`;
      this.item.tooltip = t(
        'Radlab GPU: Prometheus ({0}) does not answer: {1}',
        connection,
        e ? `${e.message}${e.hint ? ` ${e.hint}` : ''}` : String(err)
      );
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.log.debug(`gpu status: ${connection} failed`, err);
    }
    this.item.show();
  }
}
