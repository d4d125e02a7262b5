// Against the real Prometheus of the local stack (scripts/services/prometheus) scraping the stack's
// DCGM-format exporter (scripts/services/dcgm-exporter), with its backfilled history and its alerting
// rules (scripts/lib/gpu-alerts.rules.yml).

import { beforeAll, describe, expect, it, vi } from 'vitest';
import { failure } from '../../testing/errors.js';
import { closedPort } from '../../testing/http.js';
import { startGpuMetrics } from '../../testing/prometheus.js';
import { Transport } from '../../transport/transport.js';
import { PrometheusClient } from './client.js';
import { detectGpuSchema, discoverGpus } from './discovery.js';
import { gpuExpr, gpuOf } from './gpu.js';
import { LiveWindow } from './live.js';
import { promql } from './promql.js';

let url = '';
const client = (base = url): PrometheusClient =>
  new PrometheusClient(
    new Transport({ service: 'prometheus', connection: 'local-prometheus', baseURL: base })
  );

// the exporter's built-in nodes; with RADLAB_DCGM_KUBERNETES=1 it serves the local cluster's kwok GPU
// nodes too, so the counts below are taken over these
const BUILT_IN = ['gpu-node-1', 'gpu-node-2', 'gpu-node-3', 'gpu-node-4'];
const builtIn = (node: string | undefined): boolean => BUILT_IN.includes(node ?? '');

beforeAll(async () => {
  url = await startGpuMetrics();
}, 240_000);

describe('PrometheusClient against the stack Prometheus', { timeout: 60_000 }, () => {
  it('runs an instant query built from the vocabulary: one sample per GPU, with its labels', async () => {
    const samples = await client().query(gpuExpr('util', { node: 'gpu-node-1' }));
    expect(samples).toHaveLength(8);
    for (const s of samples) {
      expect(s.value).toBeGreaterThanOrEqual(0);
      expect(s.value).toBeLessThanOrEqual(100);
      expect(s.labels['modelName']).toBe('NVIDIA A100-SXM4-80GB');
      expect(s.labels['UUID']).toMatch(/^GPU-/);
    }
    const train = samples.filter(s => s.labels['pod'] === 'train-unet-0');
    expect(train.map(s => s.labels['gpu']).sort()).toEqual(['0', '1', '2', '3']);
  });

  it('answers the older exporter query users have: sum(nvidia_gpu_memory_used_bytes) by (node)', async () => {
    const byNode = (await client().query('sum(nvidia_gpu_memory_used_bytes) by (node)')).filter(s =>
      builtIn(s.labels['node'])
    );
    expect(byNode.map(s => s.labels['node']).sort()).toEqual(BUILT_IN);
    // the same memory as DCGM's MiB, per node
    const dcgm = await client().query(
      gpuExpr('memUsed', {}, { aggregate: { op: 'sum', by: 'node' } })
    );
    const mib = Object.fromEntries(dcgm.map(s => [s.labels['Hostname'], s.value]));
    for (const s of byNode)
      expect(s.value / 1048576).toBeCloseTo(mib[s.labels['node'] as string] as number, -2);
  });

  it('reads the backfilled history with a range query, and narrows a step Prometheus would refuse', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await client().queryRange(gpuExpr('util', { node: 'gpu-node-1', gpu: '0' }), {
      start: now - 3 * 3600,
      end: now,
      step: 300
    });
    expect(r.series).toHaveLength(1);
    const s = r.series[0]!;
    // three hours back: promtool's blocks, not only the live scrape
    expect(s.times[0]).toBeLessThan(now - 2.5 * 3600);
    expect(s.times.length).toBeGreaterThan(30);
    expect(s.values.every(v => v >= 0 && v <= 100)).toBe(true);

    const narrowed = await client().queryRange('count(DCGM_FI_DEV_GPU_UTIL)', {
      start: now - 86400,
      end: now,
      step: 1
    });
    expect(narrowed.narrowedFrom).toBe(1);
    expect(narrowed.step).toBeGreaterThan(1);
    expect(narrowed.series[0]?.times.length ?? 0).toBeLessThan(11_000);
  });

  it('discovers the schema, nodes, GPUs and the pods that hold them', async () => {
    expect(await detectGpuSchema(client())).toBe('dcgm');
    const inv = await discoverGpus(client());
    expect(inv.nodes.filter(builtIn)).toEqual(BUILT_IN);
    expect(inv.gpus.filter(g => builtIn(g.node))).toHaveLength(24);
    expect(inv.gpus.find(g => builtIn(g.node))).toMatchObject({
      node: 'gpu-node-1',
      gpu: '0',
      pod: 'train-unet-0'
    });
    expect(inv.pods).toEqual(
      expect.arrayContaining([
        'radiology/train-unet-0',
        'radiology/segment-lung-0',
        'radiology/notebook-ana-0'
      ])
    );
    expect(
      (await client().labelValues('Hostname', { match: ['DCGM_FI_DEV_GPU_UTIL'] })).filter(builtIn)
    ).toHaveLength(4);
    const series = await client().series([
      promql.selector('DCGM_FI_DEV_XID_ERRORS', [
        { label: 'Hostname', op: '=', value: 'gpu-node-4' }
      ])
    ]);
    expect(series.map(l => gpuOf(l)?.gpu).sort()).toEqual(['0', '1', '2', '3']);
  });

  it('reads the shipped alerting rules and their alerts', async () => {
    const groups = await client().rules({ type: 'alert' });
    const gpu = groups.find(g => g.name === 'radlab-gpu');
    expect(gpu?.rules.map(r => r.name).sort()).toEqual([
      'GPUAllocatedIdle',
      'GPUMemoryNearlyFull',
      'GPUXidError'
    ]);
    expect(gpu?.rules.every(r => r.health !== 'err')).toBe(true);
    // XID has no `for`: it fires once the rule has been evaluated after the first scrape (every 5 s)
    const xid = await vi.waitFor(
      async () => {
        const found = (await client().alerts()).find(a => a.name === 'GPUXidError');
        if (!found) throw new Error('GPUXidError not active yet');
        return found;
      },
      { timeout: 30_000, interval: 500 }
    );
    expect(xid).toMatchObject({ state: 'firing', value: 48 });
    expect(xid?.labels['Hostname']).toBe('gpu-node-4');
    expect(xid?.annotations['summary']).toContain('XID 48');
  });

  it('merges a live window incrementally: a refresh asks only for the new points', async () => {
    let now = Math.floor(Date.now() / 1000) - 120;
    const live = new LiveWindow(client(), gpuExpr('power', { node: 'gpu-node-3' }), {
      rangeSeconds: 900,
      step: 5,
      now: () => now
    });
    const first = await live.refresh();
    expect(first.full).toBe(true);
    expect(live.series).toHaveLength(4);
    const before = live.series[0]!.times.length;
    expect(before).toBeGreaterThan(100);

    expect((await live.refresh()).fetched).toBe(false); // same aligned end: nothing asked
    now += 30;
    const next = await live.refresh();
    expect(next.full).toBe(false);
    // 6 new points and the last one again, per GPU
    expect(next.points).toBe(4 * 7);
    const s = live.series[0]!;
    expect(s.times.length).toBe(before); // the window slid: as many points in, as many out
    expect(s.times.at(-1)).toBe(live.end);
    expect(new Set(s.times).size).toBe(s.times.length);
    expect(s.times.every((t, i) => i === 0 || t - (s.times[i - 1] as number) === 5)).toBe(true);

    // the same window fetched whole has the same points
    const whole = await client().queryRange(gpuExpr('power', { node: 'gpu-node-3' }), {
      start: (live.end as number) - 900,
      end: live.end as number,
      step: 5
    });
    expect(whole.series[0]?.values).toEqual(s.values);
  });

  it('narrows a query too large before sending it: a wider step, or refused for too many series', async () => {
    const end = Math.floor(Date.now() / 1000);
    const range = { start: end - 3600, end, step: 5 }; // 721 points × 24 GPUs
    // 24 series within 2,400 samples: 100 points each, so the step widens (3600 / 99 → 60 s)
    const narrowed = await client().queryRange(gpuExpr('util', { node: BUILT_IN }), range, {
      guard: { maxSamples: 2400 }
    });
    expect(narrowed.counted).toBe(24);
    expect(narrowed.narrowedFrom).toBe(5);
    expect(narrowed.step).toBe(60);
    const samples = narrowed.series.reduce((n, s) => n + s.times.length, 0);
    expect(samples).toBeLessThanOrEqual(2400);
    expect(narrowed.series).toHaveLength(24);
    // within the budget: as asked
    const asked = await client().queryRange(gpuExpr('util', { node: 'gpu-node-1' }), range, {
      guard: true
    });
    expect(asked.step).toBe(5);
    expect(asked.narrowedFrom).toBeUndefined();
    // too many series: refused, with what to do
    const e = await failure(
      client().queryRange(gpuExpr('util'), range, { guard: { maxSeries: 10 } })
    );
    expect(e.code).toBe('badRequest');
    expect(e.message).toBe(
      'the query matches 24 series, over the 10 a chart asks for; it was not sent'
    );
    expect(e.hint).toContain('pick a node, a job');
  });

  it("a live window's full load keeps to the budget and refreshes at the step it got", async () => {
    let now = Math.floor(Date.now() / 1000) - 60;
    const live = new LiveWindow(client(), gpuExpr('temp'), {
      rangeSeconds: 1800,
      step: 5,
      now: () => now,
      guard: { maxSamples: 24 * 61 }
    });
    const first = await live.refresh();
    expect(first.full).toBe(true);
    expect(live.step).toBe(30); // 1800 s in ≤ 61 points
    expect(first.end % 30).toBe(0);
    expect(live.series[0]!.times.every((t, i, ts) => i === 0 || t - ts[i - 1]! === 30)).toBe(true);
    now += 30;
    const next = await live.refresh();
    expect(next.full).toBe(false);
    expect(next.end - first.end).toBe(30);
  });

  it("names Prometheus's own reason for a bad query, and the PromQL", async () => {
    const e = await failure(client().query('sum(DCGM_FI_DEV_GPU_UTIL'));
    expect(e.code).toBe('badRequest');
    expect(e.service).toBe('prometheus');
    expect(e.message).toContain('parse error');
    expect(e.hint).toContain('sum(DCGM_FI_DEV_GPU_UTIL');
  });

  it("says when nothing listens, and keeps a live window's data when a refresh fails", async () => {
    const port = await closedPort();
    const e = await failure(client(`http://127.0.0.1:${port}`).query('up'));
    expect(e.code).toBe('unreachable');

    let now = Math.floor(Date.now() / 1000);
    let base = url;
    const transport = {
      request: (o: Parameters<Transport['request']>[0]) =>
        new Transport({ service: 'prometheus', baseURL: base, retries: 0 }).request(o)
    } as unknown as Transport;
    const live = new LiveWindow(
      new PrometheusClient(transport),
      gpuExpr('util', { node: 'gpu-node-4' }),
      {
        rangeSeconds: 300,
        step: 5,
        now: () => now
      }
    );
    await live.refresh();
    const kept = live.series.map(s => s.times.length);
    base = `http://127.0.0.1:${port}`;
    now += 20;
    expect((await failure(live.refresh())).code).toBe('unreachable');
    expect(live.series.map(s => s.times.length)).toEqual(kept);
    base = url;
    now += 20;
    const resumed = await live.refresh();
    expect(resumed.full).toBe(false);
    expect(resumed.start).toBe(now - 40 - ((now - 40) % 5));
  });
});
