// Spawns the built CLI (bin/radlab.js) against the local stack's real Prometheus scraping the stack's
// DCGM-format exporter.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startGpuMetrics } from '@radlab/core/testing/prometheus';
import { buildCli, type CliRun, runCli } from './testing/cli.js';

let config = '';

function radlab(args: string[]): Promise<CliRun> {
  return runCli(['-c', config, ...args], { home: tmpdir() });
}

beforeAll(async () => {
  buildCli();
  const url = await startGpuMetrics();
  config = join(mkdtempSync(join(tmpdir(), 'radlab-gpu-cli-')), 'connections.json');
  writeFileSync(
    config,
    JSON.stringify({ connections: [{ name: 'prom', kind: 'prometheus', url }] })
  );
}, 240_000);

describe('radlab gpu query', { timeout: 60_000 }, () => {
  it('prints one row per GPU of a node, with its pod', async () => {
    const r = await radlab(['gpu', 'query', '--node', 'gpu-node-1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^node\s+gpu\s+pod\s+utilization\s+memory used\s+power\s+temperature$/
    );
    expect(lines).toHaveLength(9);
    expect(lines[1]).toMatch(
      /^gpu-node-1\s+0\s+radiology\/train-unet-0\s+\d+ %\s+[\d,]+ MiB\s+[\d.]+ W\s+\d+ °C$/
    );
    expect(lines[8]).toMatch(/free/);
  });

  it("averages a job's GPUs over --since, as CSV", async () => {
    const r = await radlab([
      'gpu',
      'query',
      '--job',
      'radiology/notebook-ana-0',
      '--since',
      '10m',
      '--csv'
    ]);
    expect(r.code).toBe(0);
    const [header, row, end] = r.stdout.split('\r\n');
    expect(header).toBe(
      'node,gpu,pod,Utilization (%),Memory used (MiB),Power (W),Temperature (°C)'
    );
    expect(row).toMatch(/^gpu-node-3,0,radiology\/notebook-ana-0,[\d.]+,/);
    expect(Number(row!.split(',')[3])).toBeLessThan(5);
    expect(end).toBe('');
  });

  it('says when nothing matches, and names a bad duration', async () => {
    const none = await radlab(['gpu', 'query', '--job', 'nobody']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      'No GPU matches job nobody (Prometheus has 24 GPUs on gpu-node-1'
    );
    const bad = await radlab(['gpu', 'query', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since yesterday is not a duration');
  });
});
