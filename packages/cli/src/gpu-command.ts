// The `radlab gpu` subcommands and their options (the work is in ./gpu.ts).

import type { Command } from 'commander';
import type { Io } from './connections.js';
import { gpuQuery, type GpuFlags } from './gpu.js';
import { gpuTop, stdinTerminal, TOP_SORTS, type GpuTopFlags } from './gpuTop.js';

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
  gpu
    .command('top')
    .description(
      'a live table of every GPU (utilization, memory, power, temperature, pod), refreshed every second; q or Ctrl-C ends it'
    )
    .option('-c, --connection <name>', 'prometheus connection (default: the first one configured)')
    .option('--job <namespace/pod>', "only this pod's GPUs")
    .option('--node <name>', "only this node's GPUs")
    .option('--sort <key>', `sort by ${TOP_SORTS.join(', ')} (keys n, u, m, p, t while it runs)`)
    .option('--interval <seconds>', 'seconds between refreshes (default 1)')
    .option('--once', 'print one table and exit (for scripts)')
    .action(async (options: GpuTopFlags) =>
      setExit(
        await gpuTop(
          { ...options, config: program.opts<{ config?: string }>().config },
          io,
          // the real terminal only when the CLI runs on one (tests pass their own io)
          io.stdout === (process.stdout as unknown)
            ? stdinTerminal(process.stdin, process.stdout)
            : undefined
        )
      )
    );
}
