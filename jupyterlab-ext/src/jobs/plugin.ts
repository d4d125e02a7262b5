// GPU jobs on Kubernetes in JupyterLab: "Open GPU Jobs" puts @radlab/ui's JobsPanel (live list by
// watch, filters, pods and events, followed logs, delete, the submit dialog with its YAML preview and
// GPU quota) in a main-area panel over a kubernetes connection (one per kubeconfig context; the panel
// picks among them). The API server is reached through the Jupyter proxy, which holds the token.
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, MainAreaWidget, showDialog } from '@jupyterlab/apputils';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import type { KubernetesJobGpuView } from '@radlab/core';
import { JobsPanel } from '@radlab/ui';
import { LAB_COMMANDS } from '../commands.generated.js';
import { radlabIcon } from '../icons.js';
import { IRadlabConnections, IRadlabFeatures } from '../tokens.js';

export const JobsCommandIDs = LAB_COMMANDS.jobs;

async function confirmDelete(message: string): Promise<boolean> {
  const answer = await showDialog({
    title: 'Delete GPU job',
    body: message,
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })]
  });
  return answer.button.accept;
}

/** A connection picker over one JobsPanel, rebuilt when another connection is picked. */
class JobsWidget extends Widget {
  private panel: JobsPanel | undefined;
  private readonly picker: HTMLSelectElement;
  private readonly body: HTMLElement;

  constructor(
    private readonly connections: IRadlabConnections,
    private readonly openGpus: (view: KubernetesJobGpuView) => void,
    private current: string | undefined,
    private readonly namespace: string | undefined
  ) {
    super();
    this.addClass('rl-JobsWidget');
    const bar = document.createElement('div');
    bar.className = 'rl-JobsWidget-bar';
    const label = document.createElement('label');
    label.textContent = 'Cluster ';
    this.picker = document.createElement('select');
    this.picker.setAttribute('aria-label', 'Kubernetes connection');
    this.picker.addEventListener('change', this.onPick);
    label.append(this.picker);
    bar.append(label);
    this.body = document.createElement('div');
    this.body.className = 'rl-JobsWidget-body';
    this.node.append(bar, this.body);
    connections.changed.connect(this.sync, this);
    this.sync();
  }

  private readonly onPick = (): void => this.showConnection(this.picker.value);

  private names(): string[] {
    return this.connections.connections.filter(c => c.kind === 'kubernetes').map(c => c.name);
  }

  private sync(): void {
    const names = this.names();
    this.picker.replaceChildren(
      ...names.map(n => {
        const o = document.createElement('option');
        o.value = n;
        o.textContent = n;
        return o;
      })
    );
    const want = this.current && names.includes(this.current) ? this.current : names[0];
    if (!want) {
      this.panel?.dispose();
      this.panel = undefined;
      this.body.textContent =
        'No Kubernetes connection is configured: add one (kind "kubernetes", a kubeconfig and context) to the Radlab connections.';
      return;
    }
    this.picker.value = want;
    if (!this.panel || want !== this.current) this.showConnection(want);
  }

  private showConnection(name: string): void {
    this.current = name;
    this.title.label = `GPU Jobs · ${name}`;
    this.panel?.dispose();
    this.panel = undefined;
    this.body.replaceChildren();
    const client = this.connections.client('kubernetes', name);
    if (!client) {
      this.body.textContent = `Connection ${name} is not available here.`;
      return;
    }
    const panel = new JobsPanel(document, {
      client,
      confirm: confirmDelete,
      onGpus: this.openGpus,
      ...(this.namespace ? { namespace: this.namespace } : {})
    });
    this.panel = panel;
    this.body.append(panel.node);
    void panel.start();
  }

  async openSubmit(): Promise<void> {
    await this.panel?.openSubmit();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.connections.changed.disconnect(this.sync, this);
    this.picker.removeEventListener('change', this.onPick);
    this.panel?.dispose();
    super.dispose();
  }
}

export const jobsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@radlab/jupyterlab-ext:jobs',
  description:
    'GPU jobs on Kubernetes: a live jobs panel with logs, pods, events, delete and submit.',
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
      id: 'jobs',
      label: 'GPU jobs',
      kinds: ['kubernetes'],
      commands: JobsCommandIDs
    });
    let widget: MainAreaWidget<JobsWidget> | undefined;
    // a job's GPUs: every pod it made, over its lifetime (the GPU plugin's job view)
    const openGpus = (view: KubernetesJobGpuView): void =>
      void app.commands.execute(LAB_COMMANDS.gpu.openJobGpus, {
        namespace: view.filter?.namespace ?? '',
        pods: view.pods,
        title: view.title,
        rangeSeconds: view.rangeSeconds
      });

    const open = async (args: ReadonlyPartialJSONObject): Promise<JobsWidget> => {
      if (connections.connections.length === 0) await connections.refresh();
      const connection = typeof args['connection'] === 'string' ? args['connection'] : undefined;
      const namespace = typeof args['namespace'] === 'string' ? args['namespace'] : undefined;
      if (!widget || widget.isDisposed) {
        const content = new JobsWidget(connections, openGpus, connection, namespace);
        widget = new MainAreaWidget({ content });
        widget.id = 'radlab-jobs';
        widget.title.label = 'GPU Jobs';
        widget.title.icon = radlabIcon;
        widget.title.closable = true;
        app.shell.add(widget, 'main');
      }
      app.shell.activateById(widget.id);
      return widget.content;
    };

    app.commands.addCommand(JobsCommandIDs.openJobs, {
      label: 'Open GPU Jobs',
      caption: 'GPU jobs on Kubernetes: live state, pods, events, logs, delete and submit',
      icon: radlabIcon,
      execute: args => open(args)
    });
    app.commands.addCommand(JobsCommandIDs.submitJob, {
      label: 'Submit GPU Job…',
      caption: 'Submit a GPU job to Kubernetes from a template, with its YAML shown first',
      icon: radlabIcon,
      execute: async args => (await open(args)).openSubmit()
    });
    palette?.addItem({ command: JobsCommandIDs.openJobs, category: 'Radlab' });
    palette?.addItem({ command: JobsCommandIDs.submitJob, category: 'Radlab' });
  }
};
