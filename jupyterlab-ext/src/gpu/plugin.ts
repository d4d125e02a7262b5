// GPU metrics in JupyterLab: "Open GPU Metrics" puts @radlab/ui's GpuDashboard in a main-area panel
// (dockable, as many as wanted) over the first Prometheus connection, or the one named in the command's
// args; "Open Job GPUs" does the same for one pod's GPUs ({namespace, pod} args, asked for when absent:
// the Kubernetes jobs view calls it with its job's pod). Prometheus is reached through the Jupyter proxy.
// With no Prometheus connection, the dashboard shows the Jupyter server's own GPUs, sampled with
// nvidia-smi by the server extension (GET radlab/api/gpu/local) and answered by core's LocalGpuClient.
// The warning thresholds are this plugin's settings (schema/gpu.json).
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showErrorMessage
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  LocalGpuClient,
  type GpuFilter,
  type LocalGpuSnapshot,
  type PrometheusClient
} from '@radlab/core';
import { GpuDashboard, gpuWarningsFromSettings, type GpuWarningSettings } from '@radlab/ui';
import { Widget } from '@lumino/widgets';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { requestAPI } from '../api.js';
import { LAB_COMMANDS } from '../commands.generated.js';
import { radlabIcon } from '../icons.js';
import { IRadlabConnections, IRadlabFeatures } from '../tokens.js';

export const GpuCommandIDs = LAB_COMMANDS.gpu;

/** The dashboard as a Lumino widget: starts once attached, disposes the dashboard (timers, requests) with itself. */
class GpuPanel extends Widget {
  private started = false;

  constructor(private readonly dashboard: GpuDashboard) {
    super({ node: dashboard.node });
    this.addClass('rl-GpuPanel');
  }

  protected override onAfterAttach(): void {
    if (!this.started) this.dashboard.start();
    this.started = true;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.dashboard.dispose();
    super.dispose();
  }
}

let panels = 0;

/** The named Prometheus connection, else the first; undefined when there is none (the local fallback). */
async function prometheusConnection(
  connections: IRadlabConnections,
  name: string | undefined
): Promise<string | undefined> {
  if (connections.connections.length === 0) await connections.refresh();
  const all = connections.connections.filter(c => c.kind === 'prometheus');
  if (!name) return all[0]?.name;
  const found = all.find(c => c.name === name);
  if (!found) {
    throw new Error(
      `There is no Prometheus connection "${name}". Add it in the Radlab connections, or pick one of: ${all.map(c => c.name).join(', ') || 'none'}.`
    );
  }
  return found.name;
}

/** The server extension's nvidia-smi samples (one client for every local panel: the history is shared). */
let localClient: LocalGpuClient | undefined;
function local(): LocalGpuClient {
  localClient ??= new LocalGpuClient({
    snapshot: (since, options) =>
      requestAPI<LocalGpuSnapshot>(
        `api/gpu/local${since === undefined ? '' : `?since=${encodeURIComponent(String(since))}`}`,
        { signal: options?.signal }
      )
  });
  return localClient;
}

export const gpuPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:gpu',
  description:
    'GPU metrics from Prometheus (DCGM): cluster heat map, per-GPU charts, alerts, job views.',
  autoStart: true,
  requires: [IRadlabConnections],
  optional: [ICommandPalette, IRadlabFeatures, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    palette: ICommandPalette | null,
    features: IRadlabFeatures | null,
    registry: ISettingRegistry | null
  ): void => {
    let warnings: GpuWarningSettings = gpuWarningsFromSettings({});
    const dashboards = new Set<GpuDashboard>();
    if (registry) {
      // not awaited: the panel opens with the defaults if the settings come late
      registry
        .load(gpuPlugin.id)
        .then(settings => {
          const apply = (): void => {
            warnings = gpuWarningsFromSettings(settings.composite);
            for (const d of dashboards) d.setWarnings(warnings);
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => console.warn('Radlab GPU: cannot load the settings', reason));
    }
    features?.add({
      id: 'gpu',
      label: 'GPU metrics',
      kinds: ['prometheus'],
      commands: GpuCommandIDs
    });

    const open = async (
      args: ReadonlyPartialJSONObject,
      filter?: GpuFilter,
      title?: string,
      range?: { seconds: number; label: string }
    ): Promise<void> => {
      try {
        const name = await prometheusConnection(
          connections,
          typeof args['connection'] === 'string' ? args['connection'] : undefined
        );
        if (!name && filter)
          throw new Error(
            'Job views need a Prometheus connection whose dcgm-exporter labels GPUs with their pods. Add one (kind "prometheus") to the Radlab connections.'
          );
        const client = name
          ? (connections.client('prometheus', name) as PrometheusClient | undefined)
          : local();
        if (!client)
          throw new Error(`The Prometheus connection "${name}" has no client (is its URL set?).`);
        const dashboard = new GpuDashboard(document, {
          client,
          filter,
          title: title ?? (name ? undefined : 'GPUs of the Jupyter server (nvidia-smi)'),
          warnings,
          sourceName: name ? 'Prometheus' : 'nvidia-smi',
          ...(range ? { rangeSeconds: range.seconds, rangeLabel: range.label } : {})
        });
        dashboards.add(dashboard);
        const content = new GpuPanel(dashboard);
        const widget = new MainAreaWidget({ content });
        widget.id = `radlab-gpu-${++panels}`;
        widget.title.label = title ?? `GPUs · ${name ?? 'this server'}`;
        widget.disposed.connect(() => dashboards.delete(dashboard));
        widget.title.icon = radlabIcon;
        widget.title.closable = true;
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      } catch (error) {
        await showErrorMessage(
          'GPU metrics',
          error instanceof Error ? error.message : String(error)
        );
      }
    };

    app.commands.addCommand(GpuCommandIDs.openGpuMetrics, {
      label: 'Open GPU Metrics',
      caption: 'Live GPU utilization, memory, power and alerts from Prometheus',
      icon: radlabIcon,
      execute: args => open(args)
    });
    app.commands.addCommand(GpuCommandIDs.openJobGpus, {
      label: 'Open Job GPUs…',
      caption: 'The GPUs of one Kubernetes pod (or all pods of a job) over its lifetime',
      icon: radlabIcon,
      execute: async args => {
        // a Kubernetes job from the jobs panel: {namespace, pods, title, rangeSeconds}
        const pods = Array.isArray(args['pods'])
          ? args['pods'].filter((p): p is string => typeof p === 'string')
          : undefined;
        if (pods) {
          const title =
            typeof args['title'] === 'string' ? args['title'] : `Job ${String(args['namespace'])}`;
          if (pods.length === 0) {
            await showErrorMessage(
              'GPU metrics',
              `${title} has no pod yet: its GPUs show once a pod of it runs.`
            );
            return;
          }
          const namespace = typeof args['namespace'] === 'string' ? args['namespace'] : undefined;
          const seconds = typeof args['rangeSeconds'] === 'number' ? args['rangeSeconds'] : 900;
          return open(args, { pod: pods, ...(namespace ? { namespace } : {}) }, `GPUs · ${title}`, {
            seconds,
            label: 'Job lifetime'
          });
        }
        let pod = typeof args['pod'] === 'string' ? args['pod'] : undefined;
        const namespace = typeof args['namespace'] === 'string' ? args['namespace'] : undefined;
        if (!pod) {
          const answer = await InputDialog.getText({
            title: 'GPUs of pod',
            placeholder: 'namespace/pod'
          });
          if (!answer.button.accept || !answer.value) return;
          const [ns, p] = answer.value.includes('/')
            ? answer.value.split('/', 2)
            : [undefined, answer.value];
          pod = p;
          return open(
            args,
            { pod: p as string, ...(ns ? { namespace: ns } : {}) },
            `GPUs · ${answer.value}`
          );
        }
        return open(
          args,
          { pod, ...(namespace ? { namespace } : {}) },
          `GPUs · ${namespace ? `${namespace}/` : ''}${pod}`
        );
      }
    });
    palette?.addItem({ command: GpuCommandIDs.openGpuMetrics, category: 'Radlab' });
    palette?.addItem({ command: GpuCommandIDs.openJobGpus, category: 'Radlab' });
  }
};
