// One small time-series chart (uPlot): a GPU's metric over the window, with the exact value under the
// cursor in its legend. Charts of one dashboard share a cursor (sync key), so hovering one shows the
// same instant in all. Colours come from the host theme (CSS variables read once from the node).
// The x axis spans the window given with the data, not the data's own extent, so when Prometheus stops
// answering the empty stretch up to now shows as a gap.

import uPlot from 'uplot';
import type { GpuMetricInfo } from '@radlab/core';
import { cssVariable } from '../element.js';
import { formatMetric } from './data.js';

export interface SparkChartOptions {
  width: number;
  height: number;
  info: GpuMetricInfo;
  /** The legend's name of the series, e.g. "GPU 0". */
  label: string;
  /** Charts with the same key share the cursor. */
  syncKey: string;
}

// one formatter each: toLocaleTimeString with options builds a new one per call, for every tick of
// every chart's every redraw
const HOUR_MINUTE = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });
const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export class SparkChart {
  private readonly plot: uPlot;
  private window: [number, number] | undefined;

  constructor(
    readonly node: HTMLElement,
    options: SparkChartOptions
  ) {
    const fg = cssVariable(node, '--rl-fg-muted', '#616161');
    const grid = cssVariable(node, '--rl-border', '#e0e0e0');
    const line = cssVariable(node, '--rl-accent', '#1976d2');
    const { info } = options;
    const font = '10px sans-serif';
    this.plot = new uPlot(
      {
        width: options.width,
        height: options.height,
        cursor: { sync: { key: options.syncKey }, drag: { x: false, y: false } },
        scales: {
          x: {
            time: true,
            range: (_u, min, max) => this.window ?? [min, max]
          },
          y:
            info.max !== undefined
              ? { range: [0, info.max] }
              : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] }
        },
        legend: { live: true },
        axes: [
          {
            stroke: fg,
            font,
            size: 22,
            grid: { stroke: grid, width: 1 },
            ticks: { show: false },
            // times only: the date line uPlot adds does not fit a small chart
            values: (_u, splits) => splits.map(t => HOUR_MINUTE.format(t * 1000))
          },
          {
            stroke: fg,
            font,
            size: 44,
            grid: { stroke: grid, width: 1 },
            ticks: { show: false },
            values: (_u, splits) =>
              splits.map(v => formatMetric(v, info).replace(' MiB', '').replace(' MHz', ''))
          }
        ],
        series: [
          { value: (_u, t) => (t == null ? '–' : TIME.format(t * 1000)) },
          {
            label: options.label,
            stroke: line,
            width: 1.5,
            fill: `${line}22`,
            spanGaps: false,
            points: { show: false },
            value: (_u, v) => formatMetric(v, info)
          }
        ]
      },
      [[], []],
      node
    );
  }

  /**
   * Draws the columns (uPlot keeps the arrays: a caller appending to them in place passes the same
   * ones again) over `window` [start, end] in seconds (default: the data's extent).
   */
  setData(
    times: readonly number[],
    values: readonly (number | null)[],
    window?: readonly [number, number]
  ): void {
    this.window = window ? [window[0], window[1]] : undefined;
    this.plot.setData([times as number[], values as (number | null)[]]);
  }

  setSize(width: number, height: number): void {
    this.plot.setSize({ width, height });
  }

  /** The plot's canvas, for the PNG export. */
  get canvas(): HTMLCanvasElement {
    return this.plot.ctx.canvas;
  }

  dispose(): void {
    this.plot.destroy();
  }
}
