// GPU metrics in JupyterLab: "Open GPU Metrics" puts @radlab/ui's GpuDashboard in a main-area panel
// (dockable, as many as wanted) over the first Prometheus connection, or the one named in the command's
// args; "Open Job GPUs" does the same for one pod's GPUs ({namespace, pod} args, asked for when absent:
// the Kubernetes jobs view calls it with its job's pod). Prometheus is reached through the Jupyter proxy.
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  showErrorMessage
} from '@jupyterlab/apputils';
import type { GpuFilter, PrometheusClient } from '@radlab/core';
import { GpuDashboard } from '@radlab/ui';
import { Widget } from '@lumino/widgets';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
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

async function prometheusConnection(
  connections: IRadlabConnections,
  name: string | undefined
): Promise<string> {
  if (connections.connections.length === 0) await connections.refresh();
  const all = connections.connections.filter(c => c.kind === 'prometheus');
  const found = name ? all.find(c => c.name === name) : all[0];
  if (!found) {
    throw new Error(
      name
        ? `There is no Prometheus connection "${name}". Add it in the Radlab connections, or pick one of: ${all.map(c => c.name).join(', ') || 'none'}.`
        : 'There is no Prometheus connection. Add one (kind "prometheus", its URL) to the Radlab connections to see GPU metrics.'
    );
  }
  return found.name;
}

export const gpuPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:gpu',
  description:
    'GPU metrics from Prometheus (DCGM): cluster heat map, per-GPU charts, alerts, job views.',
  autoStart: true,
  requires: [IRadlabConnections],
  optional: [ICommandPalette, IRadlabFeatures],
  activate: (
    app: JupyterFrontEnd,
    connections: IRadlabConnections,
    palette: ICommandPalette | null,
    features: IRadlabFeatures | null
  ): void => {
    features?.add({
      id: 'gpu',
      label: 'GPU metrics',
      kinds: ['prometheus'],
      commands: GpuCommandIDs
    });

    const open = async (
      args: ReadonlyPartialJSONObject,
      filter?: GpuFilter,
      title?: string
    ): Promise<void> => {
      try {
        const name = await prometheusConnection(
          connections,
          typeof args['connection'] === 'string' ? args['connection'] : undefined
        );
        const client = connections.client('prometheus', name) as PrometheusClient | undefined;
        if (!client)
          throw new Error(`The Prometheus connection "${name}" has no client (is its URL set?).`);
        const dashboard = new GpuDashboard(document, { client, filter, title });
        const content = new GpuPanel(dashboard);
        const widget = new MainAreaWidget({ content });
        widget.id = `radlab-gpu-${++panels}`;
        widget.title.label = title ?? `GPUs · ${name}`;
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
      caption: 'The GPUs of one Kubernetes pod over its lifetime',
      icon: radlabIcon,
      execute: async args => {
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
