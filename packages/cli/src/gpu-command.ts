// The `radlab gpu` subcommands and their options (the work is in ./gpu.ts).

import type { Command } from 'commander';
import type { Io } from './connections.js';
import { gpuQuery, type GpuFlags } from './gpu.js';

export function registerGpu(program: Command, io: Io, setExit: (code: number) => void): void {
  const gpu = program.command('gpu').description('GPU metrics from Prometheus (dcgm-exporter)');
  gpu
    .command('query')
    .description('one row per GPU: utilization, memory, power, temperature (now, or averaged)')
    .option('-c, --connection <name>', 'prometheus connection (default: the first one configured)')
    .option('--job <namespace/pod>', "only this pod's GPUs")
    .option('--node <name>', "only this node's GPUs")
    .option(
      '--since <duration>',
      'averages over the last 30s, 15m, 1h, 2d instead of the values now'
    )
    .option('--csv', 'print CSV')
    .action(async (options: GpuFlags) =>
      setExit(
        await gpuQuery({ ...options, config: program.opts<{ config?: string }>().config }, io)
      )
    );
}
