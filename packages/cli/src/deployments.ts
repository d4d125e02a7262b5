// `radlab deployments list|pods|scale|restart`: GPU Deployments (a model served from GPUs) from the
// terminal: replicas ready/wanted, GPUs per replica, pods, scale and a rolling restart. Exit codes as
// `radlab jobs`: 0 ok, 1 the API server refused or failed, 2 configuration or usage error.

import { ageText, podContainersText, type DeploymentSummary } from '@radlab/core';
import { EXIT_OK, type Io } from './connections.js';
import { onSigint, type OnInterrupt } from './failure.js';
import { withClient, type JobsFlags } from './jobs.js';
import { renderTable, stylerFor } from './table.js';

export interface DeploymentsFlags extends JobsFlags {
  all?: boolean;
}

function rows(list: DeploymentSummary[]) {
  return list.map(d => [
    { text: d.name },
    { text: `${d.ready}/${d.replicas}` },
    { text: String(d.gpus) },
    { text: d.gpuProduct ?? '' },
    { text: ageText(d.created) },
    { text: d.image },
    { text: d.reason ?? '' }
  ]);
}

export async function deploymentsList(
  flags: DeploymentsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    const list = await client.deployments.list(namespace, { gpuOnly: !flags.all, signal });
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(list)}\n`);
      return EXIT_OK;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    io.stdout.write(
      renderTable(
        ['name', 'ready', 'gpus', 'gpu type', 'age', 'image', 'reason'],
        rows(list),
        styler
      )
    );
    io.stdout.write(
      `${styler.dim(`${list.length} ${flags.all ? '' : 'GPU '}deployment${list.length === 1 ? '' : 's'} in ${namespace}`)}\n`
    );
    return EXIT_OK;
  });
}

export async function deploymentsPods(
  name: string,
  flags: DeploymentsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    const pods = await client.deployments.pods(namespace, name, signal);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(pods)}\n`);
      return EXIT_OK;
    }
    const styler = stylerFor(io.stdout.isTTY, io.env);
    io.stdout.write(
      renderTable(
        ['pod', 'phase', 'node', 'containers', 'age'],
        pods.map(p => [
          { text: p.metadata.name },
          { text: p.status?.phase ?? '' },
          { text: p.spec.nodeName ?? '' },
          { text: podContainersText(p) },
          { text: ageText(p.metadata.creationTimestamp) }
        ]),
        styler
      )
    );
    return EXIT_OK;
  });
}

export async function deploymentsScale(
  name: string,
  replicas: number,
  flags: DeploymentsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    await client.deployments.scale(namespace, name, replicas, signal);
    io.stdout.write(
      `scaled ${namespace}/${name} to ${replicas} replica${replicas === 1 ? '' : 's'}\n`
    );
    return EXIT_OK;
  });
}

export async function deploymentsRestart(
  name: string,
  flags: DeploymentsFlags,
  io: Io,
  onInterrupt: OnInterrupt = onSigint
): Promise<number> {
  return withClient(flags, io, onInterrupt, async (client, namespace, signal) => {
    await client.deployments.restart(namespace, name, new Date(), signal);
    io.stdout.write(`restarting ${namespace}/${name}: its pods are replaced one by one\n`);
    return EXIT_OK;
  });
}
