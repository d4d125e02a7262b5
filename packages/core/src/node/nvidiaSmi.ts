// nvidia-smi on this machine, for node hosts (VS Code's extension host, the CLI): one run, and a
// sampler that runs it every second while someone looks (it stops a minute after the last snapshot)
// and keeps the samples for the LocalGpuClient. The parse and the failure texts are core's
// (services/prometheus/nvidiaSmi.ts), shared with the Python server extension through
// shared/test-vectors/nvidia-smi.

import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { RadlabError } from '../errors.js';
import type { QueryOptions } from '../services/prometheus/client.js';
import {
  LocalGpuHistory,
  type LocalGpuSnapshot,
  type LocalGpuSource
} from '../services/prometheus/local.js';
import {
  NVIDIA_SMI_ARGS,
  nvidiaSmiResult,
  type NvidiaSmiGpu,
  type NvidiaSmiRun
} from '../services/prometheus/nvidiaSmi.js';

export interface NvidiaSmiOptions {
  /** The executable (default `nvidia-smi`, looked up on PATH). */
  command?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs nvidia-smi once; its failure (missing, no GPU, no driver) as core's RadlabError. */
export async function runNvidiaSmi(options: NvidiaSmiOptions = {}): Promise<NvidiaSmiGpu[]> {
  const run = await new Promise<NvidiaSmiRun>(resolve => {
    execFile(
      options.command ?? 'nvidia-smi',
      [...NVIDIA_SMI_ARGS],
      { timeout: options.timeoutMs ?? 5000, signal: options.signal, windowsHide: true },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
        resolve({
          exitCode: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          missing: e?.code === 'ENOENT',
          timedOut: !!e?.killed && e.name !== 'AbortError'
        });
      }
    );
  });
  if (options.signal?.aborted)
    throw new RadlabError({
      code: 'cancelled',
      service: 'radlab',
      message: 'nvidia-smi cancelled'
    });
  return nvidiaSmiResult(run);
}

export interface NvidiaSmiSamplerOptions extends Omit<NvidiaSmiOptions, 'signal'> {
  /** Default 1000. */
  intervalMs?: number;
  /** Samples kept (seconds). Default 6 h. */
  keepSeconds?: number;
  /** Sampling stops this long after the last snapshot. Default 60 s. */
  idleStopMs?: number;
  /** The machine's name in the series' Hostname label. Default os.hostname(). */
  host?: string;
  /** Replaces the run (tests). */
  run?: (options: NvidiaSmiOptions) => Promise<NvidiaSmiGpu[]>;
}

export class NvidiaSmiSampler implements LocalGpuSource {
  private readonly history: LocalGpuHistory;
  private readonly options: NvidiaSmiSamplerOptions;
  private timer?: ReturnType<typeof setInterval>;
  private running?: Promise<void>;
  private lastAsked = 0;
  private error?: RadlabError;
  private disposed = false;
  private readonly abort = new AbortController();

  constructor(options: NvidiaSmiSamplerOptions = {}) {
    this.options = options;
    this.history = new LocalGpuHistory(options.keepSeconds);
  }

  get host(): string {
    return this.options.host ?? hostname();
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  /** One run now (starting the timer if it is not running); the next snapshot has its sample. */
  private sample(): Promise<void> {
    if (this.running) return this.running;
    const run = this.options.run ?? runNvidiaSmi;
    this.running = (async () => {
      try {
        const gpus = await run({ ...this.options, signal: this.abort.signal });
        this.history.add({ time: Date.now() / 1000, gpus });
        this.error = undefined;
      } catch (err) {
        this.error = RadlabError.isRadlabError(err)
          ? (err as RadlabError)
          : new RadlabError({
              code: 'server',
              service: 'radlab',
              message: `nvidia-smi: ${err instanceof Error ? err.message : String(err)}`
            });
      } finally {
        this.running = undefined;
      }
      if (Date.now() - this.lastAsked > (this.options.idleStopMs ?? 60_000)) this.stop();
    })();
    return this.running;
  }

  private stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  async snapshot(
    since: number | undefined,
    _options: QueryOptions = {}
  ): Promise<LocalGpuSnapshot> {
    if (this.disposed)
      throw new RadlabError({
        code: 'cancelled',
        service: 'radlab',
        message: 'the sampler is closed'
      });
    this.lastAsked = Date.now();
    const intervalMs = this.options.intervalMs ?? 1000;
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.sample(), intervalMs);
      await this.sample();
    } else if (this.running) await this.running;
    const samples = this.history.between(since ?? -Infinity, Infinity);
    return {
      host: this.host,
      intervalSeconds: intervalMs / 1000,
      samples,
      ...(this.error ? { error: this.error.toJSON() } : {})
    };
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.abort.abort();
  }
}
