// GpuColumnStore against gpuColumns: after every refresh the incremental columns equal a rebuild from
// the window's series. Synthetic answers (gaps, late points, GPUs appearing and leaving) and the
// real Prometheus of the local stack, stepped through its backfilled history.

import { describe, expect, it } from 'vitest';
import {
  LiveWindow,
  PrometheusClient,
  gpuExpr,
  seriesKey,
  type RangeSeries,
  type RefreshStats
} from '@radlab/core';
import { createNodeTransport } from '@radlab/core/node';
import { startGpuMetrics } from '@radlab/core/testing/prometheus';
import { GpuColumnStore, gpuColumns } from './data.js';

const STEP = 5;
const RANGE = 60;
const labels = (node: string, gpu: string) => ({ Hostname: node, gpu, UUID: `GPU-${node}-${gpu}` });

/** What a window holds: LiveWindow's own rule (replace from start, append, trim, drop empty). */
function merge(data: Map<string, RangeSeries>, stats: RefreshStats): void {
  if (stats.full) data.clear();
  for (const [key, s] of stats.updates) {
    const have = data.get(key) ?? { labels: s.labels, times: [], values: [] };
    const keep = have.times.filter(t => t < stats.start).length;
    have.times = [...have.times.slice(0, keep), ...s.times];
    have.values = [...have.values.slice(0, keep), ...s.values];
    data.set(key, have);
  }
  for (const [key, s] of data) {
    const from = s.times.findIndex(t => t >= stats.windowStart);
    if (from < 0) data.delete(key);
    else {
      s.times = s.times.slice(from);
      s.values = s.values.slice(from);
    }
  }
}

describe('GpuColumnStore', () => {
  it('equals a rebuild after every refresh: gaps, late points, GPUs coming and going', () => {
    // a GPU's point at t: missing for some stretches, NaN once, a GPU that leaves, one that arrives
    const point = (g: number, t: number): number | undefined => {
      if (g === 1 && t >= 200 && t < 230) return undefined; // a gap of 6 steps
      if (g === 2 && t > 260) return undefined; // leaves
      if (g === 3 && t < 150) return undefined; // arrives
      if (g === 0 && t === 100) return NaN;
      return (g * 10 + t) % 97;
    };
    const store = new GpuColumnStore();
    const data = new Map<string, RangeSeries>();
    let lastEnd: number | undefined;
    for (let end = 60; end <= 420; end += STEP) {
      const windowStart = end - RANGE;
      const full = lastEnd === undefined || lastEnd < windowStart;
      const start = full ? windowStart : (lastEnd as number);
      const updates = new Map<string, RangeSeries>();
      for (let g = 0; g < 4; g++) {
        const s: RangeSeries = { labels: labels('n1', String(g)), times: [], values: [] };
        for (let t = start; t <= end; t += STEP) {
          // the newest point is late every third refresh: the next one asks for it again
          if (t === end && end % 15 === 0) continue;
          const v = point(g, t);
          if (v === undefined) continue;
          s.times.push(t);
          s.values.push(v);
        }
        if (s.times.length) updates.set(seriesKey(s.labels), s);
      }
      const stats: RefreshStats = {
        fetched: true,
        full,
        points: 0,
        start,
        end,
        windowStart,
        updates
      };
      merge(data, stats);
      const changed = store.apply(stats, STEP);
      lastEnd = end;
      const sorted = [...data.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
      const rebuilt = gpuColumns(sorted, STEP);
      // NaN at a column's first instant is a null there in a rebuild; the store drops it (same picture)
      const drawn = (cols: ReturnType<typeof gpuColumns>) =>
        cols.map(c => {
          let i = 0;
          while (c.values[i] === null) i++;
          return { key: c.key, times: c.times.slice(i), values: c.values.slice(i) };
        });
      expect(drawn([...store.columns]), `at ${end}`).toEqual(drawn(rebuilt));
      expect(changed.size).toBeGreaterThan(0);
      // the refresh that touched only the tail reported exactly the GPUs it had points for
      if (!full)
        for (const s of updates.values()) expect(changed.has(`n1/${s.labels.gpu}`)).toBe(true);
    }
    expect(store.columns.map(c => c.key)).toEqual(['n1/0', 'n1/1', 'n1/3']);
    expect(store.apply({ ...emptyStats(), fetched: false }, STEP).size).toBe(0);
  });

  it('keeps the arrays it has: a refresh appends to them instead of building new ones', () => {
    const store = new GpuColumnStore();
    const s = (times: number[]): RangeSeries => ({
      labels: labels('n1', '0'),
      times,
      values: times.map(() => 1)
    });
    const key = seriesKey(labels('n1', '0'));
    store.apply(
      { ...emptyStats(), full: true, start: 0, end: 10, updates: new Map([[key, s([0, 5, 10])]]) },
      STEP
    );
    const column = store.columns[0]!;
    const times = column.times;
    store.apply(
      {
        ...emptyStats(),
        start: 10,
        end: 15,
        windowStart: 5,
        updates: new Map([[key, s([10, 15])]])
      },
      STEP
    );
    expect(store.columns[0]).toBe(column);
    expect(column.times).toBe(times);
    expect(times).toEqual([5, 10, 15]);
  });

  it(
    'follows a LiveWindow on the real Prometheus through its history',
    { timeout: 240_000 },
    async () => {
      const url = await startGpuMetrics();
      const client = new PrometheusClient(
        await createNodeTransport({ name: 'prom', kind: 'prometheus', url })
      );
      let now = Math.floor(Date.now() / 1000) - 600;
      const live = new LiveWindow(client, gpuExpr('util', { node: 'gpu-node-1' }), {
        rangeSeconds: 120,
        step: STEP,
        now: () => now
      });
      const store = new GpuColumnStore();
      for (let i = 0; i < 12; i++) {
        const stats = await live.refresh();
        store.apply(stats, live.step);
        expect([...store.columns]).toEqual(gpuColumns(live.series, live.step));
        now += i % 3 === 0 ? STEP * 4 : STEP;
      }
      expect(store.columns.length).toBeGreaterThan(0);
    }
  );
});

function emptyStats(): RefreshStats {
  return {
    fetched: true,
    full: false,
    points: 0,
    start: 0,
    end: 0,
    windowStart: 0,
    updates: new Map()
  };
}
