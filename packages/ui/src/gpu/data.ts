// The GPU views' data, without DOM: a window's series as chart columns (null where Prometheus had no
// point, so a gap shows as a gap), one GPU's latest value, values in their unit, and the CSV export.

import {
  compareGpus,
  gpuKey,
  gpuOf,
  formatMetric,
  type GpuRef,
  type GpuSchema,
  type RangeSeries,
  type RefreshStats
} from '@radlab/core';
import { csvField } from '../grid/model.js';

export { formatMetric };

/** One GPU's series on a shared time axis: `values[i]` at `times[i]`, null for no point. */
export interface GpuColumn {
  gpu: GpuRef;
  key: string;
  times: number[];
  values: (number | null)[];
}

/** Series by GPU (node, then index), with a null inserted wherever points are over 1.5 steps apart. */
export function gpuColumns(
  series: readonly RangeSeries[],
  step: number,
  schema: GpuSchema = 'dcgm'
): GpuColumn[] {
  const out: GpuColumn[] = [];
  for (const s of series) {
    const gpu = gpuOf(s.labels, schema);
    if (!gpu) continue;
    const times: number[] = [];
    const values: (number | null)[] = [];
    for (let i = 0; i < s.times.length; i++) {
      const t = s.times[i] as number;
      const prev = i > 0 ? (s.times[i - 1] as number) : undefined;
      if (prev !== undefined && t - prev > step * 1.5) {
        times.push(prev + step);
        values.push(null);
      }
      const v = s.values[i] as number;
      times.push(t);
      values.push(Number.isFinite(v) ? v : null);
    }
    out.push({ gpu, key: gpuKey(gpu), times, values });
  }
  return out.sort((a, b) => compareGpus(a.gpu, b.gpu));
}

/** Appends a series' points to a column, with a null wherever points are over 1.5 steps apart. */
function appendPoints(
  column: Pick<GpuColumn, 'times' | 'values'>,
  lastTime: number | undefined,
  s: Pick<RangeSeries, 'times' | 'values'>,
  step: number
): void {
  let prev = lastTime;
  for (let i = 0; i < s.times.length; i++) {
    const t = s.times[i] as number;
    if (prev !== undefined && t - prev > step * 1.5) {
      column.times.push(prev + step);
      column.values.push(null);
    }
    const v = s.values[i] as number;
    column.times.push(t);
    column.values.push(Number.isFinite(v) ? v : null);
    prev = t;
  }
}

/**
 * The columns of a LiveWindow kept up to date from each refresh's updates: a refresh replaces the
 * tail it covers and appends, the window's start drops points off the front, and only the columns
 * that changed are reported, so a view redraws those alone. After any sequence of refreshes,
 * `columns` equals `gpuColumns(live.series, step)` (tested), at the cost of the new points only.
 */
export class GpuColumnStore {
  private readonly byKey = new Map<string, GpuColumn>();
  private ordered: GpuColumn[] | undefined = [];

  constructor(private schema: GpuSchema = 'dcgm') {}

  /** The columns by GPU (node, then index); the same arrays as before where nothing changed. */
  get columns(): readonly GpuColumn[] {
    if (!this.ordered) {
      // as gpuColumns: by series key (LiveWindow's order), then stably by GPU
      this.ordered = [...this.byKey.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, c]) => c)
        .sort((a, b) => compareGpus(a.gpu, b.gpu));
    }
    return this.ordered;
  }

  get size(): number {
    return this.byKey.size;
  }

  clear(schema: GpuSchema = this.schema): void {
    this.schema = schema;
    this.byKey.clear();
    this.ordered = [];
  }

  /** Applies a refresh; returns the GPU keys of the columns that changed (added, updated, gone). */
  apply(stats: RefreshStats, step: number): Set<string> {
    const changed = new Set<string>();
    if (!stats.fetched) return changed;
    if (stats.full) {
      for (const column of this.byKey.values()) changed.add(column.key);
      this.byKey.clear();
      this.ordered = undefined;
    }
    for (const [key, s] of stats.updates) {
      let column = this.byKey.get(key);
      if (!column) {
        const gpu = gpuOf(s.labels, this.schema);
        if (!gpu) continue;
        column = { gpu, key: gpuKey(gpu), times: [], values: [] };
        this.byKey.set(key, column);
        this.ordered = undefined;
      }
      // the answer covers [start, end]: what the column has from `start` on is replaced
      let keep = column.times.length;
      while (keep > 0 && (column.times[keep - 1] as number) >= stats.start) keep--;
      column.times.length = keep;
      column.values.length = keep;
      // a gap marker left at the end stands for points that the new answer may now have
      while (keep > 0 && column.values[keep - 1] === null && isGapMarker(column, keep - 1, step)) {
        keep--;
        column.times.length = keep;
        column.values.length = keep;
      }
      appendPoints(column, keep ? (column.times[keep - 1] as number) : undefined, s, step);
      changed.add(column.key);
    }
    for (const [key, column] of this.byKey) {
      if (trimFront(column, stats.windowStart)) changed.add(column.key);
      if (column.times.length === 0) {
        this.byKey.delete(key);
        this.ordered = undefined;
      }
    }
    return changed;
  }

  /** The column of a series key, if the store has it. */
  get(key: string): GpuColumn | undefined {
    return this.byKey.get(key);
  }
}

/** A null at `i` that gpuColumns would have inserted: one step after a real point. */
function isGapMarker(column: GpuColumn, i: number, step: number): boolean {
  return i > 0 && (column.times[i] as number) === (column.times[i - 1] as number) + step;
}

/** Drops points before the window's start, and a gap marker left first; true when any went. */
function trimFront(column: GpuColumn, windowStart: number): boolean {
  let drop = 0;
  const n = column.times.length;
  while (drop < n && (column.times[drop] as number) < windowStart) drop++;
  // gpuColumns never starts a column with a gap marker
  while (drop < n && column.values[drop] === null) drop++;
  if (!drop) return false;
  column.times.splice(0, drop);
  column.values.splice(0, drop);
  return true;
}

/** The last value a column has (undefined when it has none). */
export function latest(column: GpuColumn): number | undefined {
  for (let i = column.values.length - 1; i >= 0; i--) {
    const v = column.values[i];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

/** A GPU as people name it: "gpu-node-1 · GPU 0". */
export const gpuLabel = (gpu: Pick<GpuRef, 'node' | 'gpu'>): string =>
  `${gpu.node} · GPU ${gpu.gpu}`;

/** CSV of the columns: time (ISO, UTC) then one column per GPU; rows where any GPU has a point. */
export function columnsCsv(columns: readonly GpuColumn[], metricTitle: string): string {
  const times = [...new Set(columns.flatMap(c => c.times))].sort((a, b) => a - b);
  const lookup = columns.map(c => new Map(c.times.map((t, i) => [t, c.values[i]])));
  const header = ['time', ...columns.map(c => `${metricTitle} ${gpuLabel(c.gpu)}`)];
  const lines = [header.map(csvField).join(',')];
  for (const t of times) {
    const cells = lookup.map(m => {
      const v = m.get(t);
      return v === null || v === undefined ? '' : String(v);
    });
    if (cells.every(c => c === '')) continue;
    lines.push([new Date(t * 1000).toISOString(), ...cells].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A heat map colour for a utilization of 0–100: from a cool grey-blue (idle) to a hot red. */
export function heatColour(util: number | undefined): string {
  if (util === undefined || !Number.isFinite(util)) return 'transparent';
  const u = Math.max(0, Math.min(100, util)) / 100;
  // hue 210 (blue) → 0 (red), brighter as it warms
  const hue = Math.round(210 * (1 - u));
  return `hsl(${hue}, ${Math.round(35 + 50 * u)}%, ${Math.round(72 - 22 * u)}%)`;
}
