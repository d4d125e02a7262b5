// The `radlab jobs` subcommands and their options (the work is in ./jobs.ts).

import { Command, InvalidArgumentError } from 'commander';
import type { Io } from './connections.js';
import {
  deploymentsList,
  deploymentsPods,
  deploymentsRestart,
  deploymentsScale,
  type DeploymentsFlags
} from './deployments.js';
import {
  jobsDelete,
  jobsGet,
  jobsList,
  jobsLogs,
  jobsQuota,
  jobsSubmit,
  type JobsFlags
} from './jobs.js';

function parseReplicas(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a number of replicas, an integer >= 0');
  return n;
}

function parseGpus(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a number of GPUs, an integer >= 0');
  return n;
}

export function registerJobs(program: Command, io: Io, setExit: (code: number) => void): void {
  const jobs = program.command('jobs').description('GPU jobs on Kubernetes');
  const common = (command: Command): Command =>
    command
      .option(
        '-c, --connection <name>',
        'kubernetes connection (default: the first one configured)'
      )
      .option('-n, --namespace <ns>', 'namespace (e.g. mri, ct, pet, spect)')
      .option('--json', 'print JSON');
  const flags = (options: JobsFlags): JobsFlags => ({
    ...options,
    config: program.opts<{ config?: string }>().config
  });

  common(
    jobs
      .command('list')
      .description('the jobs of a namespace with state, GPUs, node and why they wait')
  )
    .option('--owner <user>', 'only the jobs of this radlab.io/owner')
    .action(async (options: JobsFlags) => setExit(await jobsList(flags(options), io)));
  common(
    jobs.command('get').description('one job: state and reason, pods, events').argument('<name>')
  ).action(async (name: string, options: JobsFlags) =>
    setExit(await jobsGet(name, flags(options), io))
  );
  common(
    jobs
      .command('submit')
      .description(
        'submit a GPU job from a template or Job file (YAML/JSON) and/or flags: radlab jobs submit --image IMG --gpus 2 -- python train.py'
      )
      .argument('[command...]', 'the container command (after --)')
      .option(
        '-t, --template <file>',
        "a job template or a batch/v1 Job manifest, YAML or JSON (the flags override a template's fields)"
      )
      .option('--image <image>', 'container image')
      .option('--gpus <n>', 'nvidia.com/gpu count', parseGpus)
      .option(
        '--gpu-type <product>',
        'nvidia.com/gpu.product of the nodes, e.g. NVIDIA-A100-SXM4-80GB'
      )
      .option('--name <prefix>', 'job name prefix')
      .option('--cpu <quantity>', 'CPU request, e.g. 4')
      .option('--memory <quantity>', 'memory, e.g. 16Gi')
      .option('--owner <user>', 'radlab.io/owner label (default $USER)')
      .option(
        '--request-id <id>',
        'repeat an earlier submit safely: the same id never starts a second job'
      )
  ).action(async (command: string[], options: JobsFlags & { template?: string }) =>
    setExit(await jobsSubmit(options.template, command, flags(options), io))
  );
  common(
    jobs
      .command('logs')
      .description("the log of the job's newest pod")
      .argument('<name>')
      .option('-f, --follow', 'keep printing until the container ends (Ctrl-C stops)')
      .option('--container <name>', 'container of the pod')
      .option('-p, --previous', "the previous run's log")
  ).action(async (name: string, options: JobsFlags) =>
    setExit(await jobsLogs(name, flags(options), io))
  );
  common(jobs.command('delete').description('delete a job and its pods').argument('<name>')).action(
    async (name: string, options: JobsFlags) => setExit(await jobsDelete(name, flags(options), io))
  );
  common(jobs.command('quota').description("the namespace's GPU quota, used and allowed")).action(
    async (options: JobsFlags) => setExit(await jobsQuota(flags(options), io))
  );

  const deployments = program
    .command('deployments')
    .description(
      'GPU Deployments on Kubernetes (models served from GPUs): replicas, pods, scale, restart'
    );
  common(
    deployments
      .command('list')
      .description('the GPU Deployments of a namespace: replicas ready/wanted, GPUs per replica')
      .option('--all', 'Deployments without GPUs too')
  ).action(async (options: DeploymentsFlags) => setExit(await deploymentsList(flags(options), io)));
  common(
    deployments
      .command('pods')
      .description("a Deployment's pods: phase, node, containers")
      .argument('<name>')
  ).action(async (name: string, options: DeploymentsFlags) =>
    setExit(await deploymentsPods(name, flags(options), io))
  );
  common(
    deployments
      .command('scale')
      .description('set the number of replicas')
      .argument('<name>')
      .argument('<replicas>', 'replica count', parseReplicas)
  ).action(async (name: string, replicas: number, options: DeploymentsFlags) =>
    setExit(await deploymentsScale(name, replicas, flags(options), io))
  );
  common(
    deployments
      .command('restart')
      .description('replace its pods one by one (as kubectl rollout restart)')
      .argument('<name>')
  ).action(async (name: string, options: DeploymentsFlags) =>
    setExit(await deploymentsRestart(name, flags(options), io))
  );
}
