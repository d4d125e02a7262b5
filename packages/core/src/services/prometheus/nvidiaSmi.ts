// The local fallback's source: `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` on the host's
// own machine. This file parses its output and names its failures (no pure I/O here: node/nvidiaSmi.ts
// runs it for VS Code, and the Python server extension has the same rules in
// radlab/services/gpu_local.py). Both run the recorded outputs of shared/test-vectors/nvidia-smi.

import { RadlabError } from '../../errors.js';

/** The fields asked for, in the order nvidia-smi prints them. */
export const NVIDIA_SMI_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'power.draw',
  'temperature.gpu',
  'clocks.sm'
] as const;

export const NVIDIA_SMI_ARGS: readonly string[] = [
  `--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits'
];

/** One GPU as nvidia-smi reports it; a field it cannot read ("[N/A]", "[Not Supported]") is null. */
export interface NvidiaSmiGpu {
  index: number;
  uuid: string;
  name: string;
  /** %. */
  utilization: number | null;
  /** MiB. */
  memoryUsed: number | null;
  memoryTotal: number | null;
  /** W. */
  powerDraw: number | null;
  /** °C. */
  temperature: number | null;
  /** MHz. */
  smClock: number | null;
}

const NUMERIC: ReadonlyArray<[keyof NvidiaSmiGpu, number]> = [
  ['utilization', 3],
  ['memoryUsed', 4],
  ['memoryTotal', 5],
  ['powerDraw', 6],
  ['temperature', 7],
  ['smClock', 8]
];

/** "[N/A]", "N/A", "[Not Supported]", "[Unknown Error]", "" or anything not a number: null. */
export function nvidiaSmiNumber(text: string): number | null {
  const t = text.trim();
  if (t === '' || t.startsWith('[') || /^n\/a$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function badOutput(message: string): RadlabError {
  return new RadlabError({
    code: 'badResponse',
    service: 'radlab',
    message: `unexpected nvidia-smi output: ${message}`,
    hint: 'Check that `nvidia-smi --query-gpu=index,uuid,name --format=csv` works on this machine; a very old driver may not know these fields.'
  });
}

/** The GPUs of one `--format=csv,noheader,nounits` answer (a GPU per line). */
export function parseNvidiaSmi(stdout: string): NvidiaSmiGpu[] {
  const gpus: NvidiaSmiGpu[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    let cells = line.split(',').map(c => c.trim());
    // a name with a comma in it: the cells past the last eight belong to it
    const extra = cells.length - NVIDIA_SMI_FIELDS.length;
    if (extra > 0)
      cells = [
        cells[0]!,
        cells[1]!,
        cells.slice(2, 3 + extra).join(', '),
        ...cells.slice(3 + extra)
      ];
    if (cells.length < NVIDIA_SMI_FIELDS.length)
      throw badOutput(
        `${cells.length} fields in "${line.slice(0, 120)}", ${NVIDIA_SMI_FIELDS.length} expected`
      );
    const index = Number(cells[0]);
    if (!Number.isInteger(index)) throw badOutput(`"${cells[0]}" is not a GPU index`);
    const gpu: NvidiaSmiGpu = {
      index,
      uuid: cells[1]!,
      name: cells[2]!,
      utilization: null,
      memoryUsed: null,
      memoryTotal: null,
      powerDraw: null,
      temperature: null,
      smClock: null
    };
    for (const [key, i] of NUMERIC)
      (gpu as unknown as Record<string, number | null>)[key] = nvidiaSmiNumber(cells[i]!);
    gpus.push(gpu);
  }
  return gpus;
}

export interface NvidiaSmiRun {
  /** The process's exit code; null when it did not start (or was killed). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The executable was not found (ENOENT). */
  missing?: boolean;
  timedOut?: boolean;
}

const NO_GPU_HINT =
  'With no Prometheus connection Radlab samples this machine’s GPUs with nvidia-smi. Add a Prometheus connection (kind "prometheus") to see a cluster’s GPUs.';

/**
 * What a failed run means for the user: nvidia-smi missing, no GPU, no driver, or another failure
 * (its first line of output). The message says which, the hint what to do.
 */
export function nvidiaSmiFailure(run: NvidiaSmiRun): RadlabError {
  const said = `${run.stderr}\n${run.stdout}`.trim();
  const first =
    said
      .split(/\r?\n/)
      .find(l => l.trim())
      ?.trim() ?? '';
  if (run.missing) {
    return new RadlabError({
      code: 'notFound',
      service: 'radlab',
      message: 'no GPU here: nvidia-smi is not installed on this machine (not on PATH)',
      hint: NO_GPU_HINT
    });
  }
  if (run.timedOut) {
    return new RadlabError({
      code: 'timeout',
      service: 'radlab',
      message: 'nvidia-smi did not answer in time',
      hint: 'The driver may be busy or hung; try `nvidia-smi` in a terminal.'
    });
  }
  if (/no devices were found/i.test(said)) {
    return new RadlabError({
      code: 'notFound',
      service: 'radlab',
      message: 'no GPU here: nvidia-smi found no NVIDIA GPU on this machine',
      hint: NO_GPU_HINT
    });
  }
  if (
    /couldn't communicate with the nvidia driver|driver\/library version mismatch|nvml/i.test(said)
  ) {
    return new RadlabError({
      code: 'unreachable',
      service: 'radlab',
      message: `no GPU here: nvidia-smi cannot reach the NVIDIA driver (${first})`,
      hint: `Is the NVIDIA driver installed and loaded? ${NO_GPU_HINT}`
    });
  }
  return new RadlabError({
    code: 'server',
    service: 'radlab',
    message: `nvidia-smi failed (exit code ${run.exitCode ?? 'none'})${first ? `: ${first}` : ''}`,
    hint: 'Run the same nvidia-smi command in a terminal to see why.'
  });
}

/** A run's GPUs, or its failure as a RadlabError (an exit code 0 with no GPU line is "no GPU" too). */
export function nvidiaSmiResult(run: NvidiaSmiRun): NvidiaSmiGpu[] {
  if (run.missing || run.timedOut || run.exitCode !== 0) throw nvidiaSmiFailure(run);
  const gpus = parseNvidiaSmi(run.stdout);
  if (gpus.length === 0) throw nvidiaSmiFailure({ ...run, stdout: 'No devices were found' });
  return gpus;
}
