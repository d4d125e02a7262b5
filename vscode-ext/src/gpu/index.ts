// GPU metrics in VS Code: "Open GPU Metrics" shows @radlab/ui's GpuDashboard in a webview panel (as many
// as wanted) over the Prometheus connection (radlab.gpu.connection, else the first), or, with none,
// over this machine's GPUs sampled with nvidia-smi; "Open Job GPUs…" picks a pod from Prometheus's
// labels and shows its GPUs over its lifetime; the status bar follows the current job. The warning
// thresholds are the radlab.gpu.* settings. Everything returned goes into context.subscriptions.
import * as vscode from 'vscode';
import {
  gpuJobLifetime,
  gpuJobName,
  lifetimeRangeSeconds,
  listGpuJobs,
  parseGpuJob,
  type GpuJob
} from '@radlab/core';
import { gpuWarningsFromSettings, type GpuWarningSettings } from '@radlab/ui';
import type { Feature, FeatureHost } from '../feature.js';
import { GpuPanel } from './panel.js';
import { GpuService, type GpuBackend } from './service.js';
import { GpuStatusBar, type GpuJobRef } from './statusBar.js';
import type { GpuViewInit } from './webview/messages.js';

const t = vscode.l10n.t;

function warnings(): GpuWarningSettings {
  const c = vscode.workspace.getConfiguration('radlab.gpu');
  return gpuWarningsFromSettings({
    idleUtilizationPercent: c.get('idleUtilizationPercent'),
    idleMinutes: c.get('idleMinutes'),
    memoryNearLimitPercent: c.get('memoryNearLimitPercent')
  });
}

/** A job from a command's argument: {namespace, pod} (the status bar's) or "namespace/pod". */
function jobArg(arg: unknown): GpuJobRef | undefined {
  if (typeof arg === 'string') return parseGpuJob(arg);
  if (arg && typeof arg === 'object' && typeof (arg as GpuJobRef).pod === 'string') {
    const { namespace, pod } = arg as GpuJobRef;
    return { ...(namespace ? { namespace } : {}), pod };
  }
  return undefined;
}

/** A Kubernetes job's view (the GPU Jobs view's "Show GPU Metrics"): its namespace, pods and lifetime. */
interface KubernetesJobArg {
  namespace: string;
  pods: string[];
  title: string;
  rangeSeconds: number;
  lifetime?: { start: number; end?: number };
}

function kubernetesJobArg(arg: unknown): KubernetesJobArg | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Partial<KubernetesJobArg>;
  if (!Array.isArray(a.pods) || a.pods.length === 0 || typeof a.namespace !== 'string')
    return undefined;
  return {
    namespace: a.namespace,
    pods: a.pods.filter((p): p is string => typeof p === 'string'),
    title: typeof a.title === 'string' ? a.title : `Job ${a.namespace}`,
    rangeSeconds: typeof a.rangeSeconds === 'number' ? a.rangeSeconds : 900,
    ...(a.lifetime && typeof a.lifetime.start === 'number' ? { lifetime: a.lifetime } : {})
  };
}

function connectionArg(arg: unknown): string | undefined {
  const c =
    arg && typeof arg === 'object' ? (arg as { connection?: unknown }).connection : undefined;
  return typeof c === 'string' ? c : undefined;
}

function activate(host: FeatureHost): vscode.Disposable[] {
  const { context, store, tree, log, registerCommand: register } = host;
  const service = new GpuService({
    list: async () => (await tree.entries()).map(e => e.config),
    resolve: name => store.resolve(name),
    preferred: () =>
      vscode.workspace.getConfiguration('radlab.gpu').get<string>('connection') ?? '',
    nvidiaSmi: () =>
      vscode.workspace.getConfiguration('radlab.gpu').get<string>('nvidiaSmiPath') ?? ''
  });
  const status = new GpuStatusBar(service, context.workspaceState, log);
  const panels = new Set<GpuPanel>();

  const show = (backend: GpuBackend, view: Omit<GpuViewInit, 'warnings' | 'sourceName'>): void => {
    const panel = GpuPanel.open(
      context.extensionUri,
      service,
      backend,
      {
        ...view,
        warnings: warnings(),
        sourceName: backend.kind === 'local' ? 'nvidia-smi' : 'Prometheus'
      },
      log
    );
    panels.add(panel);
    panel.onDidDispose(() => panels.delete(panel));
  };

  const openMetrics = async (arg?: unknown): Promise<void> => {
    const backend = await service.backend(connectionArg(arg));
    if (backend.kind === 'local') {
      show(backend, {
        title: t('GPUs · this machine'),
        notice: t(
          'No Prometheus connection: showing this machine’s GPUs, sampled every second with nvidia-smi. Add a connection of kind prometheus for a cluster’s GPUs and jobs.'
        )
      });
      log.info('gpu: no Prometheus connection, sampling this machine with nvidia-smi');
      return;
    }
    show(backend, { title: t('GPUs · {0}', backend.connection) });
  };

  /** A job picked among those Prometheus's labels name (running first). */
  const pickJob = async (backend: GpuBackend): Promise<GpuJobRef | undefined> => {
    const jobs = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: t('Radlab: reading GPU jobs…') },
      () => listGpuJobs(backend.client)
    );
    const items = jobs.then(list =>
      list.map((job: GpuJob) => ({
        label: gpuJobName(job),
        description: `${job.running ? t('running') : t('ended')} · ${job.gpus.length === 1 ? t('1 GPU') : t('{0} GPUs', job.gpus.length)}`,
        detail: job.gpus.join(', '),
        job
      }))
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: t('GPUs of a Job'),
      placeHolder: t('Pick a pod (jobs that held GPUs in the last 6 hours)'),
      matchOnDetail: true,
      ignoreFocusOut: true
    });
    if ((await items).length === 0)
      void vscode.window.showInformationMessage(
        t(
          'Radlab: no pod held a GPU in the last 6 hours on {0}.',
          backend.kind === 'prometheus' ? backend.connection : ''
        )
      );
    return picked ? { namespace: picked.job.namespace, pod: picked.job.pod } : undefined;
  };

  const prometheusBackend = async (arg?: unknown): Promise<GpuBackend | undefined> => {
    const backend = await service.backend(connectionArg(arg));
    if (backend.kind === 'local') {
      void vscode.window.showWarningMessage(
        t(
          'Radlab: job views need a Prometheus connection whose dcgm-exporter labels GPUs with their pods. Add one of kind prometheus in the Radlab Connections view.'
        )
      );
      return undefined;
    }
    return backend;
  };

  /** A Kubernetes job from the GPU Jobs view: all its pods, over its lifetime. */
  const openKubernetesJob = (backend: GpuBackend, job: KubernetesJobArg): void => {
    const { start, end } = job.lifetime ?? {};
    show(backend, {
      title: t('GPUs · {0}', job.title),
      filter: { namespace: job.namespace, pod: job.pods },
      rangeSeconds: job.rangeSeconds,
      rangeLabel: t('Job lifetime'),
      notice:
        start !== undefined
          ? t(
              '{0}: {1}, from {2}{3}.',
              job.title,
              job.pods.length === 1 ? t('1 pod') : t('{0} pods', job.pods.length),
              new Date(start * 1000).toLocaleString(),
              end !== undefined ? t(' to {0}', new Date(end * 1000).toLocaleString()) : ''
            )
          : undefined
    });
  };

  const openJob = async (arg?: unknown): Promise<void> => {
    const backend = await prometheusBackend(arg);
    if (!backend) return;
    const k8s = kubernetesJobArg(arg);
    if (k8s) return openKubernetesJob(backend, k8s);
    const job = jobArg(arg) ?? (await pickJob(backend));
    if (!job) return;
    await status.setJob(job);
    const lifetime = await gpuJobLifetime(backend.client, job);
    const name = gpuJobName(job);
    show(backend, {
      title: t('GPUs · {0}', name),
      filter: job,
      rangeSeconds: lifetimeRangeSeconds(lifetime),
      rangeLabel: t('Job lifetime'),
      notice: lifetime
        ? t(
            '{0}: GPUs reporting since {1}{2}.',
            name,
            new Date(lifetime.start * 1000).toLocaleString(),
            Date.now() / 1000 - lifetime.end > 120
              ? t(', last at {0}', new Date(lifetime.end * 1000).toLocaleString())
              : ''
          )
        : t('{0}: no GPU reported for this pod in the last 24 hours.', name)
    });
  };

  const selectJob = async (): Promise<void> => {
    const backend = await prometheusBackend();
    if (!backend) return;
    const job = await pickJob(backend);
    if (job) await status.setJob(job);
  };

  return [
    status,
    { dispose: () => service.dispose() },
    { dispose: () => [...panels].forEach(p => p.dispose()) },
    store.onDidChange(() => {
      service.reset();
      void status.refresh();
    }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (
        e.affectsConfiguration('radlab.gpu.idleUtilizationPercent') ||
        e.affectsConfiguration('radlab.gpu.idleMinutes') ||
        e.affectsConfiguration('radlab.gpu.memoryNearLimitPercent')
      ) {
        const w = warnings();
        log.info(
          `gpu: warnings now idle < ${w.idleUtilization} % for ${w.idleMinutes} min, memory > ${Math.round(w.memoryRatio * 100)} % (${panels.size} panel(s))`
        );
        for (const p of panels) p.setWarnings(w);
      }
    }),
    register('radlab.gpu.openMetrics', openMetrics),
    register('radlab.gpu.openJob', openJob),
    register('radlab.gpu.selectJob', selectJob)
  ];
}

/** The GPU feature: the dashboard panel, job views and the status-bar job. */
export const gpuFeature: Feature = { id: 'gpu', activate };
