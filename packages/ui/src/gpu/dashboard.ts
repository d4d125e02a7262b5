// The GPU dashboard both hosts show: a cluster heat map (nodes × GPUs, utilization now), small multiples
// of one metric per GPU (uPlot), the firing alerts, and, for a job, warnings about idle GPUs and memory
// near the limit. It refreshes every second by asking Prometheus only for the new points (core's
// LiveWindow), appends them to the charts' columns (GpuColumnStore) and redraws, in one animation
// frame, only the charts whose data changed and that are on screen (DrawQueue). Prometheus down keeps
// the data on screen with the time of the last answer, the axes run on to now so the gap shows, and it
// resumes by itself. Every timer, observer and request ends with dispose().

import {
  GPU_METRICS,
  LiveWindow,
  RadlabError,
  discoverGpus,
  gpuExpr,
  gpuKey,
  gpuOf,
  promql,
  type GpuFilter,
  type GpuInventory,
  type GpuRef,
  type GpuMetric,
  type PrometheusAlert,
  type PrometheusClient
} from '@radlab/core';
import { el } from '../element.js';
import { downloadBlob, downloadText } from '../grid/export.js';
import { SparkChart } from './chart.js';
import { DrawQueue, type Drawable } from './drawQueue.js';
import {
  GpuColumnStore,
  columnsCsv,
  formatMetric,
  gpuLabel,
  heatColour,
  latest,
  type GpuColumn
} from './data.js';

const TIME = new Intl.DateTimeFormat([], { hour: 'numeric', minute: '2-digit', second: '2-digit' });

/** The metrics offered in the picker, in its order. */
export const DASHBOARD_METRICS: readonly GpuMetric[] = [
  'util',
  'memUsed',
  'power',
  'temp',
  'smClock'
];

export const TIME_RANGES: ReadonlyArray<{ label: string; seconds: number }> = [
  { label: '5 min', seconds: 300 },
  { label: '15 min', seconds: 900 },
  { label: '1 h', seconds: 3600 },
  { label: '6 h', seconds: 21600 }
];

export interface GpuWarningSettings {
  /** An allocated GPU under this utilization (%) on average … */
  idleUtilization: number;
  /** … over this many minutes is reported idle. */
  idleMinutes: number;
  /** GPU memory used above this share of its total is reported. */
  memoryRatio: number;
}

export const DEFAULT_GPU_WARNINGS: GpuWarningSettings = {
  idleUtilization: 5,
  idleMinutes: 10,
  memoryRatio: 0.95
};

export interface GpuDashboardOptions {
  client: PrometheusClient;
  /** Only these GPUs (a job's view: `{namespace, pod}`). */
  filter?: GpuFilter;
  /** Shown above the charts, e.g. "Job radiology/train-unet-0". */
  title?: string;
  metric?: GpuMetric;
  rangeSeconds?: number;
  /** Default 1000. */
  refreshMs?: number;
  warnings?: Partial<GpuWarningSettings>;
  /** Hosts without downloads in their view (VS Code webviews) save files themselves. */
  saveFile?: (name: string, data: string | Blob) => void;
  /** What the data comes from, in the status line (default "Prometheus"; "nvidia-smi" for the local fallback). */
  sourceName?: string;
  /** The range picker's name for a `rangeSeconds` not among TIME_RANGES (e.g. "Job lifetime"). */
  rangeLabel?: string;
}

const CHART_HEIGHT = 96;
const MIN_CARD_WIDTH = 220;

interface Card extends Drawable {
  node: HTMLElement;
  value: HTMLElement;
  chart: SparkChart;
  /** The column it draws (the store's arrays, appended to in place). */
  column: GpuColumn;
}

let dashboards = 0;

export class GpuDashboard {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly client: PrometheusClient;
  private readonly filter: GpuFilter;
  private warnings: GpuWarningSettings;
  private readonly sourceName: string;
  private readonly refreshMs: number;
  private readonly syncKey = `rl-gpu-${++dashboards}`;
  private metric: GpuMetric;
  private live: LiveWindow;
  private inventory?: GpuInventory;
  private alerts: PrometheusAlert[] = [];
  private advice: string[] = [];
  private readonly store = new GpuColumnStore();
  private columns: readonly GpuColumn[] = [];
  private readonly cards = new Map<string, Card>();
  private readonly heatCells = new Map<string, HTMLElement>();
  private heatOf?: { inventory: GpuInventory; columns: readonly GpuColumn[]; metric: GpuMetric };
  private readonly queue: DrawQueue<Card>;
  /** The x axis of every chart: the window [end - range, end] (end runs on while Prometheus is down). */
  private xWindow?: [number, number];
  private alertsShown?: PrometheusAlert[];
  private alertsSignature?: string;
  private adviceShown?: string[];
  private timer?: ReturnType<typeof setInterval>;
  private readonly abort = new AbortController();
  private inFlight = false;
  private ticks = 0;
  private paused = false;
  private lastAnswer?: Date;
  private failure?: RadlabError | Error;
  private resize?: ResizeObserver;
  private disposed = false;

  private readonly statusNode: HTMLElement;
  private readonly alertsNode: HTMLElement;
  private readonly adviceNode: HTMLElement;
  private readonly heatNode: HTMLElement;
  private readonly gridNode: HTMLElement;
  private readonly metricSelect: HTMLSelectElement;
  private readonly rangeSelect: HTMLSelectElement;
  private readonly pauseButton: HTMLButtonElement;

  constructor(doc: Document, options: GpuDashboardOptions) {
    this.doc = doc;
    this.client = options.client;
    this.filter = options.filter ?? {};
    this.warnings = { ...DEFAULT_GPU_WARNINGS, ...options.warnings };
    this.refreshMs = options.refreshMs ?? 1000;
    this.metric = options.metric ?? 'util';
    this.saveFile = options.saveFile;
    this.sourceName = options.sourceName ?? 'Prometheus';
    const range = options.rangeSeconds ?? 900;
    this.live = new LiveWindow(this.client, gpuExpr(this.metric, this.filter), {
      rangeSeconds: range
    });

    this.node = el(doc, 'div', 'rl-Gpu');
    const toolbar = el(doc, 'div', 'rl-Gpu-toolbar');
    if (options.title) toolbar.append(el(doc, 'span', 'rl-Gpu-title', options.title));
    this.metricSelect = this.select(
      'Metric',
      DASHBOARD_METRICS.map(m => [m, GPU_METRICS[m].title]),
      this.metric
    );
    const ranges: Array<[string, string]> = TIME_RANGES.map(r => [String(r.seconds), r.label]);
    if (!TIME_RANGES.some(r => r.seconds === range))
      ranges.unshift([
        String(range),
        `${options.rangeLabel ?? 'Custom'} (${Math.round(range / 60)} min)`
      ]);
    this.rangeSelect = this.select('Time range', ranges, String(range));
    this.pauseButton = el(doc, 'button', 'rl-Gpu-button rl-Gpu-pause', 'Pause');
    this.pauseButton.setAttribute('aria-pressed', 'false');
    const png = el(doc, 'button', 'rl-Gpu-button', 'PNG');
    png.title = 'Save the charts as a PNG image';
    const csv = el(doc, 'button', 'rl-Gpu-button', 'CSV');
    csv.title = 'Save the window’s values as CSV';
    this.statusNode = el(doc, 'span', 'rl-Gpu-status');
    this.statusNode.setAttribute('role', 'status');
    toolbar.append(
      this.labelled('Metric', this.metricSelect),
      this.labelled('Range', this.rangeSelect),
      this.pauseButton,
      png,
      csv,
      this.statusNode
    );
    this.alertsNode = el(doc, 'ul', 'rl-Gpu-alerts');
    this.alertsNode.setAttribute('aria-label', 'Firing alerts');
    this.adviceNode = el(doc, 'ul', 'rl-Gpu-advice');
    this.adviceNode.setAttribute('aria-label', 'GPU warnings');
    this.heatNode = el(doc, 'div', 'rl-Gpu-heatmap');
    this.heatNode.setAttribute('aria-label', 'Utilization heat map');
    this.gridNode = el(doc, 'div', 'rl-Gpu-grid');
    this.node.append(toolbar, this.alertsNode, this.adviceNode, this.heatNode, this.gridNode);
    this.queue = new DrawQueue<Card>(doc.defaultView as (Window & typeof globalThis) | null);

    this.metricSelect.addEventListener('change', this.onMetric);
    this.rangeSelect.addEventListener('change', this.onRange);
    this.pauseButton.addEventListener('click', this.onPause);
    png.addEventListener('click', this.onPng);
    csv.addEventListener('click', this.onCsv);
    this.listeners.push(
      () => this.metricSelect.removeEventListener('change', this.onMetric),
      () => this.rangeSelect.removeEventListener('change', this.onRange),
      () => this.pauseButton.removeEventListener('click', this.onPause),
      () => png.removeEventListener('click', this.onPng),
      () => csv.removeEventListener('click', this.onCsv)
    );
    this.renderStatus();
  }

  private readonly saveFile?: (name: string, data: string | Blob) => void;
  private readonly listeners: Array<() => void> = [];

  /** Starts refreshing (call once the node is in the document, so charts get their width). */
  start(): void {
    if (this.disposed || this.timer !== undefined) return;
    const View = this.doc.defaultView as (Window & typeof globalThis) | null;
    if (View && 'ResizeObserver' in View) {
      this.resize = new View.ResizeObserver(() => this.layout());
      this.resize.observe(this.gridNode);
    }
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.refreshMs);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.renderStatus();
    if (!paused) void this.tick();
  }

  /** New warning thresholds (a host's settings changed): the warnings are computed again on the next refresh. */
  setWarnings(warnings: Partial<GpuWarningSettings>): void {
    this.warnings = { ...DEFAULT_GPU_WARNINGS, ...warnings };
    this.adviceDue = true;
    void this.tick();
  }

  private adviceDue = false;

  /** One refresh: new points (every tick), GPUs and alerts (every 5th), job warnings (every 15th). */
  async tick(): Promise<void> {
    if (this.paused || this.inFlight || this.disposed) return;
    this.inFlight = true;
    const signal = this.abort.signal;
    // a refresh whose aligned end has not moved asks nothing and changes nothing to draw
    let changed = new Set<string>();
    const live = this.live;
    try {
      const n = this.ticks++;
      if (!this.inventory || n % 30 === 0) {
        const inventory = await discoverGpus(this.client, { signal });
        if (inventory.schema !== this.inventory?.schema) {
          this.store.clear(inventory.schema);
          this.live.setRange(this.live.rangeSeconds, this.live.step);
        }
        this.inventory = inventory;
      }
      const stats = await live.refresh(signal);
      // a metric picked meanwhile has its own window and store
      if (live === this.live) {
        changed = this.store.apply(stats, live.step);
        if (stats.fetched) this.xWindow = [stats.windowStart, stats.end];
      }
      if (n % 5 === 0) this.alerts = await this.client.alerts({ signal });
      if (n % 15 === 0 || this.adviceDue) {
        this.adviceDue = false;
        this.advice = await this.jobAdvice(signal);
      }
      this.failure = undefined;
      this.lastAnswer = new Date();
    } catch (error) {
      if (this.disposed) return;
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.runOn(changed);
    } finally {
      this.inFlight = false;
    }
    if (this.disposed) return;
    this.render(changed);
  }

  /** Prometheus not answering: the axes run on to now (once a step), so the missing stretch shows. */
  private runOn(changed: Set<string>): void {
    if (!this.xWindow) return;
    const step = this.live.step;
    const end = Math.floor(Date.now() / 1000 / step) * step;
    if (end <= this.xWindow[1]) return;
    this.xWindow = [end - this.live.rangeSeconds, end];
    for (const key of this.cards.keys()) changed.add(key);
  }

  /** Idle allocated GPUs and memory near the limit, for the GPUs in view, from Prometheus. */
  private async jobAdvice(signal: AbortSignal): Promise<string[]> {
    if (this.inventory?.schema !== 'dcgm') return [];
    const w = this.warnings;
    const util = gpuExpr('util', { ...this.filter });
    const idle = promql.binary(
      '<',
      promql.call('avg_over_time', promql.range(util, w.idleMinutes * 60)),
      promql.number(w.idleUtilization)
    );
    const out: string[] = [];
    for (const s of await this.client.query(idle, { signal })) {
      const gpu = gpuOf(s.labels);
      if (!gpu?.pod) continue; // only GPUs a pod holds are "allocated"
      out.push(
        `${gpuLabel(gpu)} (${gpu.namespace}/${gpu.pod}) averaged ${s.value.toFixed(1)} % over ${w.idleMinutes} min: allocated but idle.`
      );
    }
    const memory = promql.binary(
      '>',
      gpuExpr('memUsedRatio', this.filter),
      promql.number(w.memoryRatio)
    );
    for (const s of await this.client.query(memory, { signal })) {
      const gpu = gpuOf(s.labels);
      if (!gpu) continue;
      out.push(
        `${gpuLabel(gpu)}${gpu.pod ? ` (${gpu.namespace}/${gpu.pod})` : ''} uses ${(s.value * 100).toFixed(1)} % of its memory.`
      );
    }
    return out;
  }

  /** What a refresh changed: the cards and heat cells of `changed` GPUs, the rest only if it moved. */
  private render(changed: ReadonlySet<string>): void {
    const columns = this.store.columns;
    const reshaped = columns !== this.columns;
    this.columns = columns;
    this.renderStatus();
    if (this.alertsShown !== this.alerts || reshaped) this.renderAlerts();
    if (this.adviceShown !== this.advice) this.renderAdvice();
    this.renderHeatmap(changed);
    this.renderCards(reshaped, changed);
  }

  private renderStatus(): void {
    const at = this.lastAnswer ? this.lastAnswer.toLocaleTimeString() : undefined;
    const count = this.inventory ? `${this.columns.length || this.inventory.gpus.length} GPUs` : '';
    let text: string;
    let state: string;
    if (this.failure) {
      const hint = RadlabError.isRadlabError(this.failure)
        ? ` ${(this.failure as RadlabError).hint}`
        : '';
      text = `${this.sourceName}: ${this.failure.message}.${hint} ${at ? `Showing data up to ${at}; ` : ''}retrying every ${this.refreshMs / 1000} s.`;
      state = 'error';
    } else if (this.paused) {
      text = `Paused${at ? ` at ${at}` : ''}. ${count}`;
      state = 'paused';
    } else if (!at) {
      text = 'Loading…';
      state = 'loading';
    } else {
      // the newest point's time, not the last answer's: a tick that brought nothing changes nothing
      const newest = this.xWindow ? TIME.format(this.xWindow[1] * 1000) : at;
      text = `Live · ${newest} · ${count} · step ${this.live.step} s`;
      state = 'live';
    }
    // only what changed is written: an unchanged status must not repaint every second
    text = text.trim();
    if (this.statusNode.textContent !== text) this.statusNode.textContent = text;
    if (this.statusNode.dataset['state'] !== state) this.statusNode.dataset['state'] = state;
  }

  private renderAlerts(): void {
    this.alertsShown = this.alerts;
    const keys = new Set(this.columns.map(c => c.key));
    const visible = this.alerts.filter(a => {
      if (a.state !== 'firing') return false;
      const gpu = gpuOf(a.labels);
      return !gpu || keys.size === 0 || keys.has(gpuKey(gpu));
    });
    // the same alerts as shown: nothing to rebuild (they are asked for every 5 s)
    const signature = JSON.stringify(
      visible.map(a => [a.name, a.labels, a.annotations['summary']])
    );
    if (signature === this.alertsSignature) return;
    this.alertsSignature = signature;
    this.alertsNode.replaceChildren(
      ...visible.map(a => {
        const li = el(
          this.doc,
          'li',
          `rl-Gpu-alert rl-Gpu-alert--${a.labels['severity'] ?? 'warning'}`
        );
        li.append(
          el(this.doc, 'strong', undefined, a.name),
          el(this.doc, 'span', undefined, ` ${a.annotations['summary'] ?? ''}`)
        );
        return li;
      })
    );
    this.alertsNode.hidden = visible.length === 0;
  }

  private renderAdvice(): void {
    const same =
      this.adviceShown !== undefined &&
      this.adviceShown.length === this.advice.length &&
      this.adviceShown.every((t, i) => t === this.advice[i]);
    this.adviceShown = this.advice;
    if (same) return;
    this.adviceNode.replaceChildren(
      ...this.advice.map(t => el(this.doc, 'li', 'rl-Gpu-adviceItem', t))
    );
    this.adviceNode.hidden = this.advice.length === 0;
  }

  /**
   * Nodes as rows, GPUs as cells coloured by the current utilization (the metric shown, if it is util).
   * The cells are built when the GPUs in view change; a refresh recolours the cells of `changed` GPUs.
   */
  private renderHeatmap(changed: ReadonlySet<string>): void {
    const inv = this.inventory;
    if (!inv) return;
    const inView = new Map(this.columns.map(c => [c.key, c]));
    const built = this.heatOf;
    const rebuild =
      !built ||
      built.inventory !== inv ||
      built.columns !== this.columns ||
      built.metric !== this.metric;
    if (rebuild) {
      this.heatOf = { inventory: inv, columns: this.columns, metric: this.metric };
      this.heatCells.clear();
      const gpus = inv.gpus.filter(g => this.columns.length === 0 || inView.has(gpuKey(g)));
      const rows: HTMLElement[] = [];
      for (const node of [...new Set(gpus.map(g => g.node))]) {
        const row = el(this.doc, 'div', 'rl-Gpu-heatRow');
        row.append(el(this.doc, 'span', 'rl-Gpu-heatNode', node));
        for (const g of gpus.filter(x => x.node === node)) {
          const cell = el(this.doc, 'span', 'rl-Gpu-heatCell', g.gpu);
          cell.dataset['gpu'] = gpuKey(g);
          if (g.pod) cell.classList.add('rl-Gpu-heatCell--allocated');
          this.heatCells.set(gpuKey(g), cell);
          this.paintHeatCell(cell, g, inView.get(gpuKey(g)));
          row.append(cell);
        }
        rows.push(row);
      }
      this.heatNode.replaceChildren(...rows);
      return;
    }
    for (const key of changed) {
      const cell = this.heatCells.get(key);
      const g = cell && inv.gpus.find(x => gpuKey(x) === key);
      if (cell && g) this.paintHeatCell(cell, g, inView.get(key));
    }
  }

  private paintHeatCell(cell: HTMLElement, g: GpuRef, column: GpuColumn | undefined): void {
    const value = column ? latest(column) : undefined;
    const info = GPU_METRICS[this.metric];
    const background = this.metric === 'util' ? heatColour(value) : '';
    if (cell.style.background !== background) cell.style.background = background;
    const title = `${gpuLabel(g)}${g.pod ? ` · ${g.namespace}/${g.pod}` : ' · free'}: ${info.title} ${formatMetric(value, info)}`;
    if (cell.title !== title) cell.title = title;
  }

  private cardWidth(): number {
    const width = this.gridNode.clientWidth || 900;
    const columns = Math.max(1, Math.floor(width / MIN_CARD_WIDTH));
    return Math.floor(width / columns) - 14; // the card's padding, border and the grid's gap
  }

  /**
   * Cards are created and removed when the GPUs in view change (`reshaped`); a refresh updates the
   * value and marks the chart of each `changed` GPU, and the queue draws the marked ones seen.
   */
  private renderCards(reshaped: boolean, changed: ReadonlySet<string>): void {
    const info = GPU_METRICS[this.metric];
    if (reshaped) {
      const seen = new Set<string>();
      const width = this.cardWidth();
      for (const column of this.columns) {
        seen.add(column.key);
        const card = this.cards.get(column.key);
        if (card) {
          if (card.column !== column) {
            card.column = column;
            this.updateCard(card, info);
          }
          continue;
        }
        this.cards.set(column.key, this.newCard(column, width, info));
      }
      for (const [key, card] of this.cards) {
        if (seen.has(key)) continue;
        this.dropCard(card);
        this.cards.delete(key);
      }
      // the grid's order follows the columns' (a GPU may appear between others)
      const order = this.columns.map(c => this.cards.get(c.key)?.node);
      if (order.some((n, i) => n !== this.gridNode.children[i])) {
        this.gridNode.append(...new Set(order.filter((n): n is HTMLElement => !!n)));
      }
      this.gridNode.dataset['metric'] = this.metric;
    }
    for (const key of changed) {
      const card = this.cards.get(key);
      if (card) this.updateCard(card, info);
    }
  }

  private newCard(column: GpuColumn, width: number, info: (typeof GPU_METRICS)[GpuMetric]): Card {
    const node = el(this.doc, 'figure', 'rl-Gpu-card');
    node.dataset['gpu'] = column.key;
    node.style.width = `${width}px`;
    const head = el(this.doc, 'figcaption', 'rl-Gpu-cardHead');
    const g = column.gpu;
    head.append(
      el(this.doc, 'span', 'rl-Gpu-cardName', gpuLabel(g)),
      el(this.doc, 'span', 'rl-Gpu-cardPod', g.pod ? `${g.namespace}/${g.pod}` : 'free')
    );
    const value = el(this.doc, 'span', 'rl-Gpu-cardValue');
    head.append(value);
    const plot = el(this.doc, 'div', 'rl-Gpu-plot');
    node.append(head, plot);
    this.gridNode.append(node);
    const chart = new SparkChart(plot, {
      width,
      height: CHART_HEIGHT,
      info,
      label: `GPU ${g.gpu}`,
      syncKey: this.syncKey
    });
    const card: Card = {
      node,
      value,
      chart,
      column,
      draw: () => {
        const times = card.column.times;
        card.chart.setData(times, card.column.values, this.xWindow);
        // what the chart shows, for the hosts' tests: its last point and where its axis ends
        node.dataset['lastPoint'] = String(times[times.length - 1] ?? '');
        node.dataset['axisEnd'] = String(this.xWindow?.[1] ?? '');
      }
    };
    this.queue.add(card);
    this.updateCard(card, info);
    return card;
  }

  private updateCard(card: Card, info: (typeof GPU_METRICS)[GpuMetric]): void {
    const text = formatMetric(latest(card.column), info);
    if (card.value.textContent !== text) card.value.textContent = text;
    this.queue.mark(card);
  }

  private dropCard(card: Card): void {
    this.queue.delete(card);
    card.chart.dispose();
    card.node.remove();
  }

  private layout(): void {
    const width = this.cardWidth();
    for (const card of this.cards.values()) {
      card.node.style.width = `${width}px`;
      card.chart.setSize(width, CHART_HEIGHT);
    }
  }

  private clearCards(): void {
    for (const card of this.cards.values()) this.dropCard(card);
    this.cards.clear();
  }

  /** Draws the charts waiting for a frame now (tests; the PNG export draws all of them). */
  flush(): void {
    this.queue.flush();
  }

  /** Charts drawn so far: each is one uPlot setData (the bench and tests read it). */
  get draws(): number {
    return this.queue.draws;
  }

  private readonly onMetric = (): void => {
    this.metric = this.metricSelect.value as GpuMetric;
    this.live = new LiveWindow(this.client, gpuExpr(this.metric, this.filter), {
      rangeSeconds: this.live.rangeSeconds
    });
    this.clearCards(); // axes and units change with the metric
    this.store.clear(this.inventory?.schema);
    this.columns = this.store.columns;
    this.xWindow = undefined;
    void this.tick();
  };

  private readonly onRange = (): void => {
    this.live.setRange(Number(this.rangeSelect.value));
    void this.tick();
  };

  private readonly onPause = (): void => this.setPaused(!this.paused);

  private save(name: string, data: string | Blob): void {
    if (this.saveFile) {
      this.saveFile(name, data);
      return;
    }
    if (typeof data === 'string') downloadText(this.node, data, name);
    else downloadBlob(this.node, data, name);
  }

  private fileBase(): string {
    const stamp = new Date().toISOString().replace(/[:]/g, '-').slice(0, 19);
    return `gpu-${this.metric}-${stamp}`;
  }

  /** The window's values of the metric shown, as CSV. */
  csv(): string {
    return columnsCsv(this.columns, GPU_METRICS[this.metric].title);
  }

  private readonly onCsv = (): void => this.save(`${this.fileBase()}.csv`, this.csv());

  /** The small multiples drawn into one canvas, each with its caption. */
  png(): HTMLCanvasElement {
    this.queue.flushAll(); // charts off screen have not drawn their latest points
    const cards = [...this.cards.values()];
    const first = cards[0]?.chart.canvas;
    const cw = first?.width ?? 1;
    const ch = first?.height ?? 1;
    const ratio = cw / Math.max(1, first?.clientWidth || cw);
    const perRow = Math.max(1, Math.floor((this.gridNode.clientWidth || 900) / MIN_CARD_WIDTH));
    const caption = Math.round(18 * ratio);
    const canvas = this.doc.createElement('canvas');
    canvas.width = Math.min(perRow, cards.length || 1) * cw;
    canvas.height = Math.ceil((cards.length || 1) / perRow) * (ch + caption);
    const ctx = canvas.getContext('2d');
    if (!ctx) return canvas;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#222';
    ctx.font = `${Math.round(12 * ratio)}px sans-serif`;
    cards.forEach((card, i) => {
      const x = (i % perRow) * cw;
      const y = Math.floor(i / perRow) * (ch + caption);
      ctx.fillText(
        `${card.node.querySelector('.rl-Gpu-cardName')?.textContent ?? ''}  ${card.value.textContent ?? ''}`,
        x + 4,
        y + caption - 5
      );
      ctx.drawImage(card.chart.canvas, x, y + caption);
    });
    return canvas;
  }

  private readonly onPng = (): void => {
    this.png().toBlob(blob => {
      if (blob) this.save(`${this.fileBase()}.png`, blob);
    }, 'image/png');
  };

  private select(
    label: string,
    options: Array<[string, string]>,
    value: string
  ): HTMLSelectElement {
    const select = el(this.doc, 'select', 'rl-Gpu-select');
    select.setAttribute('aria-label', label);
    for (const [v, text] of options) {
      const option = el(this.doc, 'option', undefined, text);
      option.value = v;
      select.append(option);
    }
    select.value = value;
    return select;
  }

  private labelled(text: string, control: HTMLElement): HTMLElement {
    const label = el(this.doc, 'label', 'rl-Gpu-field');
    label.append(el(this.doc, 'span', 'rl-Gpu-label', text), control);
    return label;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    this.resize?.disconnect();
    for (const off of this.listeners.splice(0)) off();
    this.clearCards();
    this.queue.dispose();
    this.node.remove();
  }
}
