// A quick chart of two columns, drawn by uPlot (the GPU charts' library): bars for the first rows, or a
// line over the rows (sampled evenly above MAX_LINE_POINTS), rows spaced evenly along x and labelled
// with their X values. What is plotted (quickChart) is worked out apart from the drawing, so it is
// tested without a canvas. Labels are drawn on the canvas or set as text (uPlot's legend uses
// textContent), never as markup.
import uPlot from 'uplot';
import { cssVariable } from '../element.js';
import { cellText } from './model.js';

export type ChartKind = 'bar' | 'line';

export interface ChartData {
  kind: ChartKind;
  xName: string;
  yName: string;
  /** Rows in view. */
  count: number;
  x: (position: number) => unknown;
  y: (position: number) => unknown;
}

export const MAX_BARS = 60;
export const MAX_LINE_POINTS = 1000;
const DEFAULT_WIDTH = 640;
const HEIGHT = 220;

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

export function shortLabel(value: unknown): string {
  const text = value === null || value === undefined ? 'null' : cellText(value);
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
}

export function formatTick(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return Number.isInteger(n) ? String(n) : n.toPrecision(3);
}

/** The view positions plotted: the first MAX_BARS for bars, an even sample for lines. */
export function chartPositions(kind: ChartKind, count: number): number[] {
  if (kind === 'bar') return Array.from({ length: Math.min(count, MAX_BARS) }, (_, i) => i);
  if (count <= MAX_LINE_POINTS) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: MAX_LINE_POINTS }, (_, i) =>
    Math.round((i * (count - 1)) / (MAX_LINE_POINTS - 1))
  );
}

/** What a quick chart shows: the points with a numeric Y, their X labels, the Y range and the caption. */
export interface QuickChartSpec {
  kind: ChartKind;
  caption: string;
  ariaLabel: string;
  /** The X value of each point, as text (the full text; ticks show it shortened). */
  labels: string[];
  ys: number[];
  /** The Y axis: always includes 0. */
  min: number;
  max: number;
}

export function quickChart(data: ChartData): QuickChartSpec {
  const labels: string[] = [];
  const ys: number[] = [];
  for (const p of chartPositions(data.kind, data.count)) {
    const y = toNumber(data.y(p));
    if (!Number.isFinite(y)) continue;
    const x = data.x(p);
    labels.push(x === null || x === undefined ? 'null' : cellText(x));
    ys.push(y);
  }
  const what =
    data.kind === 'bar' && data.count > MAX_BARS
      ? `first ${MAX_BARS} of ${data.count.toLocaleString('en-US')} rows`
      : data.kind === 'line' && data.count > MAX_LINE_POINTS
        ? `${MAX_LINE_POINTS} of ${data.count.toLocaleString('en-US')} rows, evenly sampled`
        : `${ys.length} rows`;
  let min = 0;
  let max = 0;
  for (const y of ys) {
    if (y < min) min = y;
    if (y > max) max = y;
  }
  if (min === max) {
    max = min + 1;
    min = Math.min(0, min);
  }
  return {
    kind: data.kind,
    caption: ys.length
      ? `${data.yName} by ${data.xName} — ${what}`
      : `No numeric values in ${data.yName}`,
    ariaLabel: `${data.kind} chart of ${data.yName} by ${data.xName}, ${ys.length} points`,
    labels,
    ys,
    min,
    max
  };
}

/** Whether the document can draw on a canvas (jsdom cannot, without the canvas package). */
function canDraw(doc: Document): boolean {
  const probe = doc.createElement('canvas');
  try {
    return typeof probe.getContext === 'function' && probe.getContext('2d') !== null;
  } catch {
    return false;
  }
}

/** A drawn quick chart: its uPlot (when the document can draw), disposed before the next. */
export class QuickChart {
  readonly spec: QuickChartSpec;
  private plot?: uPlot;

  /** Draws the chart into `host` (replacing what was there). */
  constructor(host: HTMLElement, data: ChartData) {
    const doc = host.ownerDocument;
    const spec = (this.spec = quickChart(data));
    const caption = doc.createElement('div');
    caption.className = 'rl-Grid-chartCaption';
    caption.textContent = spec.caption;
    if (!spec.ys.length) {
      host.replaceChildren(caption);
      return;
    }
    const figure = doc.createElement('div');
    figure.className = 'rl-Chart';
    figure.dataset['kind'] = spec.kind;
    figure.setAttribute('role', 'img');
    figure.setAttribute('aria-label', spec.ariaLabel);
    host.replaceChildren(caption, figure);
    if (!canDraw(doc)) {
      figure.textContent = 'This view cannot draw charts (no canvas).';
      return;
    }
    const accent = cssVariable(host, '--rl-grid-accent', '#1976d2');
    const fg = cssVariable(host, '--rl-grid-fg-muted', '#616161');
    const grid = cssVariable(host, '--rl-grid-border', '#e0e0e0');
    const xs = spec.ys.map((_, i) => i);
    const n = xs.length;
    const font = '10px sans-serif';
    // about five labelled ticks, the first and last rows among them
    const every = Math.max(1, Math.ceil(n / 5));
    this.plot = new uPlot(
      {
        width: host.clientWidth || DEFAULT_WIDTH,
        height: HEIGHT,
        // room on the right for half of the last row's label, which is centred on its bar
        padding: [12, 44, 0, 0],
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: false, range: () => [-0.5, n - 0.5] },
          y: { range: () => [spec.min, spec.max] }
        },
        axes: [
          {
            stroke: fg,
            font,
            grid: { show: false },
            ticks: { show: false },
            splits: () => xs.filter(i => i % every === 0 || i === n - 1),
            values: (_u, splits) => splits.map(i => shortLabel(spec.labels[i]))
          },
          {
            stroke: fg,
            font,
            size: 50,
            grid: { stroke: grid, width: 1, dash: [2, 3] },
            ticks: { show: false },
            splits: () => [spec.min, (spec.min + spec.max) / 2, spec.max],
            values: (_u, splits) => splits.map(formatTick)
          }
        ],
        series: [
          {
            label: data.xName,
            value: (_u, i) => (i == null ? '–' : (spec.labels[i] ?? '–'))
          },
          {
            label: data.yName,
            stroke: accent,
            width: spec.kind === 'bar' ? 0 : 1.5,
            fill: spec.kind === 'bar' ? `${accent}cc` : undefined,
            points: { show: false },
            paths:
              spec.kind === 'bar'
                ? uPlot.paths.bars?.({ size: [0.8, Infinity], align: 0 })
                : undefined,
            value: (_u, v) => (v == null ? '–' : String(v))
          }
        ]
      },
      [xs, spec.ys],
      figure
    );
  }

  /** The uPlot canvas (undefined where nothing was drawn). */
  get canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  dispose(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}

/** Draws the chart into `host` (replacing what was there); dispose the result before drawing again. */
export function drawChart(host: HTMLElement, data: ChartData): QuickChart {
  return new QuickChart(host, data);
}
