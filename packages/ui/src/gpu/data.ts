// The GPU views' data, without DOM: a window's series as chart columns (null where Prometheus had no
// point, so a gap shows as a gap), one GPU's latest value, values in their unit, and the CSV export.

import {
  compareGpus,
  gpuKey,
  gpuOf,
  formatMetric,
  type GpuRef,
  type GpuSchema,
  type RangeSeries
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
