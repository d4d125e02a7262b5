// Wires GPU jobs on Kubernetes into VS Code: the GPU Jobs view (connections → namespaces with their
// GPU quota → live jobs → pods and events), and its commands: submit from a preset (the exact YAML
// opens first, then a confirm that shows the quota) or from a YAML file (a batch/v1 Job or a Radlab
// template), follow a job's log in an output channel, delete with a confirm, filter by owner and state.
// Everything returned goes into context.subscriptions.
import * as vscode from 'vscode';
import {
  JOB_PRESETS,
  jobYaml,
  kubernetesJobGpuView,
  manifestWithRequest,
  newRequestId,
  parseJobFile,
  toYaml,
  type GpuJobTemplate,
  type GpuQuota,
  type JobPhase,
  type KubernetesClient
} from '@radlab/core';
import { phaseLabel, quotaText } from '@radlab/ui';
import type { Feature, FeatureHost } from '../feature.js';
import { JobsService } from './service.js';
import { JobsTreeProvider, type JobsNode } from './tree.js';

const t = vscode.l10n.t;
const PHASES: JobPhase[] = ['pending', 'running', 'succeeded', 'failed', 'suspended', 'deleting'];

function isNode(arg: unknown): arg is JobsNode {
  return (
    !!arg &&
    typeof arg === 'object' &&
    typeof (arg as JobsNode).type === 'string' &&
    typeof (arg as JobsNode).connection === 'string'
  );
}

/** The quota line of a confirm: "GPU quota of mri: 2 of 8 in use; this job asks for 2". */
function quotaLine(q: GpuQuota | undefined, gpus: number): string {
  if (!q) return t('GPU quota: unknown');
  const over = q.allowed !== undefined && q.used + gpus > q.allowed;
  return `${quotaText(q)}; ${t('this job asks for {0}', gpus)}${
    over ? ` — ${t('over the quota: it waits until GPUs free up')}` : ''
  }`;
}

function activate(host: FeatureHost): vscode.Disposable[] {
  const { store, tree: connectionsTree, log, registerCommand: register } = host;
  const service = new JobsService({
    list: async () => (await connectionsTree.entries()).map(e => e.config),
    resolve: name => store.resolve(name),
    // called by feeds, which start after the tree exists
    onChange: (connection, namespace) => tree.namespaceChanged(connection, namespace)
  });
  const tree = new JobsTreeProvider(service, log);
  const view = vscode.window.createTreeView('radlab.jobs', {
    treeDataProvider: tree,
    showCollapseAll: true
  });
  const output = vscode.window.createOutputChannel('Radlab Job Logs');
  let follow: AbortController | undefined;

  const showFilter = (): void => {
    const parts = [
      service.filter.owner && t('owner {0}', service.filter.owner),
      service.filter.phase && phaseLabel(service.filter.phase)
    ].filter(Boolean);
    view.description = parts.join(' · ') || undefined;
  };

  const connectionOf = async (arg: unknown): Promise<string | undefined> => {
    if (isNode(arg) && arg.connection) return arg.connection;
    const names = (await service.connections()).map(c => c.name);
    if (names.length <= 1) {
      if (names.length === 0)
        void vscode.window.showWarningMessage(
          t('No Kubernetes connection: add one of kind kubernetes in the Radlab Connections view.')
        );
      return names[0];
    }
    return vscode.window.showQuickPick(names, {
      title: t('Kubernetes connection (kubeconfig context)'),
      ignoreFocusOut: true
    });
  };

  const namespaceOf = async (
    connection: string,
    arg: unknown,
    client: KubernetesClient
  ): Promise<string | undefined> => {
    if (isNode(arg) && 'namespace' in arg) return arg.namespace;
    const namespaces = await service.namespaces(connection);
    const items = await Promise.all(
      namespaces.map(async ns => ({
        label: ns,
        description: quotaText(await client.gpuQuota(ns).catch(() => undefined))
      }))
    );
    return (
      await vscode.window.showQuickPick(items, {
        title: t('Namespace on {0}', connection),
        ignoreFocusOut: true
      })
    )?.label;
  };

  const confirmSubmit = async (
    client: KubernetesClient,
    namespace: string,
    name: string,
    gpus: number
  ): Promise<boolean> => {
    const quota = await client.gpuQuota(namespace).catch(() => undefined);
    const answer = await vscode.window.showInformationMessage(
      t('Submit job {0} to {1}?', name, namespace),
      { modal: true, detail: quotaLine(quota, gpus) },
      t('Submit')
    );
    return answer === t('Submit');
  };

  const submitted = (connection: string, namespace: string, name: string): void => {
    log.info(`jobs ${connection}: submitted ${namespace}/${name}`);
    void vscode.window.showInformationMessage(t('Submitted job {0}/{1}', namespace, name));
    void service.feed(connection, namespace);
    tree.refresh();
  };

  /** Asks (with the quota), then submits the template under the request id shown. */
  const submitTemplate = async (
    connection: string,
    client: KubernetesClient,
    template: GpuJobTemplate,
    requestId: string
  ): Promise<void> => {
    const name = `${template.name}-${requestId.slice(0, 8)}`;
    if (!(await confirmSubmit(client, template.namespace, name, template.gpus))) return;
    const { job } = await client.submit(template, { requestId });
    submitted(connection, template.namespace, job.metadata.name);
  };

  const jobArg = (arg: unknown) => (isNode(arg) && arg.type === 'job' ? arg : undefined);

  const followLogs = async (connection: string, namespace: string, job: string): Promise<void> => {
    follow?.abort();
    const abort = new AbortController();
    follow = abort;
    const client = await service.client(connection);
    output.clear();
    output.show(true);
    output.appendLine(
      t('— {0}/{1}: following its log (Radlab: Stop Following Job Log ends it) —', namespace, job)
    );
    try {
      for await (const line of client.jobLogs(namespace, job, {
        follow: true,
        tailLines: 1000,
        signal: abort.signal
      }))
        output.appendLine(line);
      if (!abort.signal.aborted) output.appendLine(t('— the log ended —'));
    } catch (err) {
      if (abort.signal.aborted) return;
      throw err;
    } finally {
      if (follow === abort) follow = undefined;
    }
  };

  return [
    tree,
    view,
    output,
    { dispose: () => follow?.abort() },
    { dispose: () => service.dispose() },
    // watches run while the view is shown
    view.onDidChangeVisibility(e => {
      if (!e.visible) service.stop();
      tree.refresh();
    }),
    store.onDidChange(() => {
      service.reset();
      tree.refresh();
    }),
    register('radlab.jobs.refresh', () => {
      service.reset();
      tree.refresh();
    }),
    register('radlab.jobs.filter', async () => {
      const owners = new Set<string>();
      for (const c of await service.connections()) {
        const me = await service.user(c.name);
        if (me) owners.add(me);
      }
      const owner = await vscode.window.showQuickPick(
        [{ label: t('All owners'), value: '' }, ...[...owners].map(o => ({ label: o, value: o }))],
        { title: t('Show the jobs of'), ignoreFocusOut: true }
      );
      if (!owner) return;
      const phase = await vscode.window.showQuickPick(
        [
          { label: t('All states'), value: '' as const },
          ...PHASES.map(p => ({ label: phaseLabel(p), value: p }))
        ],
        { title: t('Show jobs that are'), ignoreFocusOut: true }
      );
      if (!phase) return;
      service.filter = { owner: owner.value, phase: phase.value };
      showFilter();
      tree.refresh();
    }),
    register('radlab.jobs.submit', async arg => {
      const connection = await connectionOf(arg);
      if (!connection) return;
      const client = await service.client(connection);
      const namespace = await namespaceOf(connection, arg, client);
      if (!namespace) return;
      const preset = await vscode.window.showQuickPick(
        JOB_PRESETS.map(p => ({ label: p.label, description: p.template.image, preset: p })),
        { title: t('Start from'), ignoreFocusOut: true }
      );
      if (!preset) return;
      const name = await vscode.window.showInputBox({
        title: t('Job name'),
        value: preset.preset.template.name,
        ignoreFocusOut: true
      });
      if (!name) return;
      const gpus = await vscode.window.showInputBox({
        title: t('GPUs (nvidia.com/gpu)'),
        value: String(preset.preset.template.gpus),
        ignoreFocusOut: true,
        validateInput: v => (/^\d+$/.test(v.trim()) ? undefined : t('A whole number of GPUs'))
      });
      if (gpus === undefined) return;
      const template: GpuJobTemplate = {
        ...preset.preset.template,
        name: name.trim(),
        namespace,
        gpus: Number(gpus),
        owner: (await service.user(connection)) ?? '',
        source: vscode.window.activeTextEditor?.document.uri.fsPath
          ? vscode.workspace.asRelativePath(vscode.window.activeTextEditor.document.uri)
          : undefined
      };
      if (!template.owner) delete template.owner;
      if (!template.source) delete template.source;
      const requestId = newRequestId();
      // the exact YAML that will be POSTed (jobYaml validates: a wrong field is named here)
      const yaml = jobYaml(template, requestId);
      const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml });
      await vscode.window.showTextDocument(doc, { preview: true });
      await submitTemplate(connection, client, template, requestId);
    }),
    register('radlab.jobs.submitFile', async arg => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showWarningMessage(
          t('Open a job YAML file (a batch/v1 Job or a Radlab template) first.')
        );
        return;
      }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const spec = parseJobFile(text, vscode.workspace.asRelativePath(uri));
      const connection = await connectionOf(undefined);
      if (!connection) return;
      const client = await service.client(connection);
      const given = 'job' in spec ? spec.job.metadata.namespace : spec.template.namespace;
      const namespace = given ?? (await namespaceOf(connection, undefined, client));
      if (!namespace) return;
      const owner = await service.user(connection);
      const source = vscode.workspace.asRelativePath(uri);
      const requestId = newRequestId();
      if ('job' in spec) {
        const job = manifestWithRequest(spec.job, requestId, {
          namespace,
          ...(owner ? { owner } : {}),
          source
        });
        const gpus = (job.spec.template.spec.containers ?? []).reduce(
          (n, c) => n + Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0),
          0
        );
        log.debug(`jobs: submitting\n${toYaml(job)}`);
        if (!(await confirmSubmit(client, namespace, job.metadata.name, gpus))) return;
        const made = await client.submitManifest(spec.job, {
          requestId,
          namespace,
          ...(owner ? { owner } : {}),
          source
        });
        submitted(connection, namespace, made.job.metadata.name);
      } else {
        const template: GpuJobTemplate = {
          ...spec.template,
          namespace,
          ...(owner && !spec.template.owner ? { owner } : {}),
          source: spec.template.source ?? source
        };
        jobYaml(template, requestId); // validates, naming the wrong field
        await submitTemplate(connection, client, template, requestId);
      }
    }),
    register('radlab.jobs.logs', async arg => {
      const node = jobArg(arg);
      if (node) await followLogs(node.connection, node.namespace, node.job.name);
    }),
    // the job's GPUs: every pod it made, over its lifetime, in the GPU feature's panel
    register('radlab.jobs.gpus', async arg => {
      const node = jobArg(arg);
      if (!node) return;
      const client = await service.client(node.connection);
      const d = await client.describe(node.namespace, node.job.name);
      const gpuView = kubernetesJobGpuView(d.job, d.pods);
      if (!gpuView.filter) {
        void vscode.window.showInformationMessage(
          t('Radlab: {0} has no pod yet: its GPUs show once a pod of it runs.', gpuView.title)
        );
        return;
      }
      log.info(
        `jobs ${node.connection}: GPU metrics of ${node.namespace}/${node.job.name} (${gpuView.pods.length} pod(s))`
      );
      await vscode.commands.executeCommand('radlab.gpu.openJob', {
        namespace: node.namespace,
        pods: gpuView.pods,
        title: gpuView.title,
        rangeSeconds: gpuView.rangeSeconds,
        lifetime: gpuView.lifetime
      });
    }),
    register('radlab.jobs.stopLogs', () => {
      follow?.abort();
      output.appendLine(t('— stopped following —'));
    }),
    register('radlab.jobs.delete', async arg => {
      const node = jobArg(arg);
      if (!node) return;
      const answer = await vscode.window.showWarningMessage(
        t('Delete job {0}/{1} and its pods?', node.namespace, node.job.name),
        { modal: true },
        t('Delete')
      );
      if (answer !== t('Delete')) return;
      await (await service.client(node.connection)).deleteJob(node.namespace, node.job.name);
      log.info(`jobs ${node.connection}: deleted ${node.namespace}/${node.job.name}`);
    })
  ];
}

/** The GPU jobs feature: the GPU Jobs view and its commands. */
export const jobsFeature: Feature = { id: 'jobs', activate };
