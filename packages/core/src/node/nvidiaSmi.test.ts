// The local GPU fallback on shared/test-vectors/nvidia-smi (the Python server extension runs the same
// cases in radlab/tests/test_gpu_local.py): each recorded output is printed by a stand-in `nvidia-smi`
// put first on PATH, run as VS Code runs it; then the sampler and LocalGpuClient answer the dashboard's
// own queries (discovery, the per-GPU series, memory near its limit) from those samples.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { discoverGpus } from '../services/prometheus/discovery.js';
import { gpuExpr } from '../services/prometheus/gpu.js';
import { LocalGpuClient } from '../services/prometheus/local.js';
import { parseNvidiaSmi, type NvidiaSmiGpu } from '../services/prometheus/nvidiaSmi.js';
import { promql } from '../services/prometheus/promql.js';
import { NvidiaSmiSampler, runNvidiaSmi } from './nvidiaSmi.js';

interface Vector {
  name: string;
  stdout?: string;
  stdoutText?: string;
  exitCode?: number;
  missing?: boolean;
  gpus?: NvidiaSmiGpu[];
  error?: { code: string; message: string };
}

const VECTORS = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/test-vectors/nvidia-smi'
);
const vectors = JSON.parse(readFileSync(join(VECTORS, 'cases.json'), 'utf8')) as Vector[];
const bin = mkdtempSync(join(tmpdir(), 'radlab-nvidia-smi-'));
const savedPath = process.env['PATH'];

/** Puts a stand-in nvidia-smi on PATH that prints `output` and exits with `code`; none for `missing`. */
function standIn(output: string | undefined, code = 0): void {
  const dir = mkdtempSync(join(bin, 'case-'));
  if (output !== undefined) {
    const data = join(dir, 'output.txt');
    writeFileSync(data, output);
    const script = join(dir, 'nvidia-smi');
    writeFileSync(script, `#!/bin/sh\ncat '${data}'\nexit ${code}\n`);
    chmodSync(script, 0o755);
  }
  // only the stand-in's folder and the system's: a real nvidia-smi elsewhere must not answer
  process.env['PATH'] = [dir, '/usr/bin', '/bin'].join(delimiter);
}

function outputOf(v: Vector): string | undefined {
  if (v.missing) return undefined;
  return v.stdoutText ?? readFileSync(join(VECTORS, v.stdout as string), 'utf8');
}

afterAll(() => {
  process.env['PATH'] = savedPath;
});

describe('shared/test-vectors/nvidia-smi through a stand-in nvidia-smi on PATH', () => {
  for (const v of vectors) {
    it(v.name, async () => {
      standIn(outputOf(v), v.exitCode);
      if (v.gpus) {
        expect(await runNvidiaSmi()).toEqual(v.gpus);
        expect(parseNvidiaSmi(outputOf(v) as string)).toEqual(v.gpus);
        return;
      }
      const err = await runNvidiaSmi().catch((e: unknown) => e);
      expect(RadlabError.isRadlabError(err)).toBe(true);
      expect({ code: (err as RadlabError).code, message: (err as RadlabError).message }).toEqual(
        v.error
      );
      expect((err as RadlabError).hint).toBeTruthy();
    });
  }
});

describe('LocalGpuClient over the sampler', () => {
  let sampler: NvidiaSmiSampler;
  let client: LocalGpuClient;
  const two = vectors.find(v => v.stdout === 'a100-two-gpus.txt') as Vector;

  beforeAll(() => {
    standIn(outputOf(two), 0);
    sampler = new NvidiaSmiSampler({ host: 'workstation-7', intervalMs: 200 });
    client = new LocalGpuClient(sampler, { minSyncMs: 0 });
  });
  afterAll(() => sampler.dispose());

  it('discovers the machine’s GPUs under dcgm-exporter’s names', async () => {
    const inv = await discoverGpus(client);
    expect(inv.schema).toBe('dcgm');
    expect(inv.nodes).toEqual(['workstation-7']);
    expect(inv.gpus.map(g => [g.gpu, g.model, g.uuid])).toEqual([
      ['0', 'NVIDIA A100-SXM4-80GB', 'GPU-4d0a3d5b-7f8e-2b1c-9a6e-3c1f5e7d9b20'],
      ['1', 'NVIDIA A100-SXM4-80GB', 'GPU-8e2c6f1a-0b3d-4e5f-a6b7-c8d9e0f1a2b3']
    ]);
    expect(inv.pods).toEqual([]);
    expect(sampler.active).toBe(true);
  });

  it('answers range queries at the step, and the memory-near-limit warning’s query', async () => {
    // wait for a few samples
    await expect
      .poll(async () => (await sampler.snapshot(undefined)).samples.length, { timeout: 10_000 })
      .toBeGreaterThan(2);
    // ending now: the samples are younger than a second or two
    const now = Date.now() / 1000;
    const range = await client.queryRange(gpuExpr('util'), { start: now - 5, end: now, step: 1 });
    expect(range.series).toHaveLength(2);
    const gpu0 = range.series.find(s => s.labels['gpu'] === '0');
    expect(gpu0?.values.at(-1)).toBe(97);
    const memory = await client.query(
      promql.binary('>', gpuExpr('memUsedRatio'), promql.number(0.85))
    );
    expect(memory.map(s => [s.labels['gpu'], s.value.toFixed(3)])).toEqual([['0', '0.870']]);
    const idle = await client.query(
      promql.binary(
        '<',
        promql.call('avg_over_time', promql.range(gpuExpr('util'), 60)),
        promql.number(5)
      )
    );
    expect(idle.map(s => s.labels['gpu'])).toEqual(['1']);
    expect(await client.alerts()).toEqual([]);
  });

  it('refuses PromQL text, saying so', async () => {
    await expect(client.query('up')).rejects.toMatchObject({ code: 'badRequest' });
  });
});

describe('with no GPU', () => {
  it('a snapshot carries the reason, and every query throws it', async () => {
    const none = vectors.find(v => v.stdout === 'no-devices.txt') as Vector;
    standIn(outputOf(none), none.exitCode);
    const sampler = new NvidiaSmiSampler({ host: 'laptop' });
    try {
      const snap = await sampler.snapshot(undefined);
      expect(snap.samples).toEqual([]);
      expect(snap.error?.message).toBe(none.error?.message);
      const client = new LocalGpuClient(sampler);
      await expect(discoverGpus(client)).rejects.toMatchObject({
        code: 'notFound',
        message: none.error?.message
      });
    } finally {
      sampler.dispose();
    }
  });
});
