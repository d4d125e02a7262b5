// A quick chart of two columns as SVG (no library): bars for the first rows, or a line over the rows
// (sampled evenly above MAX_LINE_POINTS). Labels are SVG text nodes set through textContent.
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
const SVG_NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 36 };

function svg<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string | number>,
  text?: string
): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

function shortLabel(value: unknown): string {
  const text = value === null || value === undefined ? 'null' : cellText(value);
  return text.length > 14 ? `${text.slice(0, 13)}…` : text;
}

function formatTick(n: number): string {
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

/** Draws the chart into `host` (replacing what was there). */
export function drawChart(host: HTMLElement, data: ChartData): void {
  const doc = host.ownerDocument;
  const positions = chartPositions(data.kind, data.count);
  const points = positions
    .map(p => ({ x: data.x(p), y: toNumber(data.y(p)) }))
    .filter(p => Number.isFinite(p.y));
  const root = svg(doc, 'svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'rl-Chart',
    role: 'img',
    preserveAspectRatio: 'none'
  });
  root.setAttribute(
    'aria-label',
    `${data.kind} chart of ${data.yName} by ${data.xName}, ${points.length} points`
  );
  const caption = doc.createElement('div');
  caption.className = 'rl-Grid-chartCaption';
  const what =
    data.kind === 'bar' && data.count > MAX_BARS
      ? `first ${MAX_BARS} of ${data.count.toLocaleString('en-US')} rows`
      : data.kind === 'line' && data.count > MAX_LINE_POINTS
        ? `${MAX_LINE_POINTS} of ${data.count.toLocaleString('en-US')} rows, evenly sampled`
        : `${points.length} rows`;
  caption.textContent = `${data.yName} by ${data.xName} — ${what}`;
  if (!points.length) {
    caption.textContent = `No numeric values in ${data.yName}`;
    host.replaceChildren(caption);
    return;
  }
  let min = Math.min(0, ...points.map(p => p.y));
  let max = Math.max(0, ...points.map(p => p.y));
  if (min === max) {
    max = min + 1;
    min = Math.min(0, min);
  }
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const sy = (v: number): number => PAD.top + plotH - ((v - min) / (max - min)) * plotH;
  const step = plotW / points.length;
  const sx = (i: number): number => PAD.left + step * (i + 0.5);

  // axes and ticks
  root.appendChild(
    svg(doc, 'line', {
      x1: PAD.left,
      y1: sy(0),
      x2: W - PAD.right,
      y2: sy(0),
      class: 'rl-Chart-axis'
    })
  );
  root.appendChild(
    svg(doc, 'line', {
      x1: PAD.left,
      y1: PAD.top,
      x2: PAD.left,
      y2: PAD.top + plotH,
      class: 'rl-Chart-axis'
    })
  );
  for (const v of [min, (min + max) / 2, max]) {
    root.appendChild(
      svg(doc, 'line', {
        x1: PAD.left,
        y1: sy(v),
        x2: W - PAD.right,
        y2: sy(v),
        class: 'rl-Chart-grid'
      })
    );
    root.appendChild(
      svg(
        doc,
        'text',
        { x: PAD.left - 6, y: sy(v) + 4, 'text-anchor': 'end', class: 'rl-Chart-label' },
        formatTick(v)
      )
    );
  }
  const labelEvery = Math.max(1, Math.ceil(points.length / 5));
  points.forEach((p, i) => {
    const last = i === points.length - 1;
    if (i % labelEvery !== 0 && !last) return;
    // the last label only when it does not run into the one before
    const previous = i - (i % labelEvery);
    if (last && i % labelEvery !== 0 && W - PAD.right - sx(previous) < 140) return;
    // the first and last labels are anchored inwards so that they are not cut at the edges
    const anchor = i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle';
    const x = i === 0 ? PAD.left : i === points.length - 1 ? W - PAD.right : sx(i);
    root.appendChild(
      svg(
        doc,
        'text',
        { x, y: H - PAD.bottom + 16, 'text-anchor': anchor, class: 'rl-Chart-label' },
        shortLabel(p.x)
      )
    );
  });

  if (data.kind === 'bar') {
    const barW = Math.max(1, step * 0.8);
    points.forEach((p, i) => {
      const y0 = sy(0);
      const y1 = sy(p.y);
      const bar = svg(doc, 'rect', {
        x: sx(i) - barW / 2,
        y: Math.min(y0, y1),
        width: barW,
        height: Math.max(1, Math.abs(y1 - y0)),
        class: 'rl-Chart-bar'
      });
      bar.appendChild(svg(doc, 'title', {}, `${cellText(p.x)}: ${p.y}`));
      root.appendChild(bar);
    });
  } else {
    const d = points
      .map((p, i) => `${i ? 'L' : 'M'}${sx(i).toFixed(1)},${sy(p.y).toFixed(1)}`)
      .join('');
    root.appendChild(svg(doc, 'path', { d, class: 'rl-Chart-line', fill: 'none' }));
  }
  host.replaceChildren(caption, root);
}
