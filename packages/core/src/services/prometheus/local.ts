// The local fallback as a Prometheus: with no Prometheus configured, the hosts sample nvidia-smi on
// their own machine (VS Code in its extension host, JupyterLab in the Python server extension) and
// LocalGpuClient answers the dashboard's queries from those samples, under dcgm-exporter's names and
// labels (DCGM_FI_DEV_GPU_UTIL{Hostname, gpu, UUID, modelName}), so the same views, discovery and
// warnings work unchanged. It evaluates the typed PromQL of promql.ts (selectors, ranges,
// *_over_time, aggregations, arithmetic and comparisons); raw PromQL text is refused, and it has no
// alerting rules (alerts() is empty).

import { RadlabError, type RadlabErrorJSON } from '../../errors.js';
import {
  PrometheusClient,
  type InstantSample,
  type PrometheusAlert,
  type PrometheusRuleGroup,
  type QueryOptions,
  type RangeQuery,
  type RangeResult,
  type RangeSeries,
  type SeriesLabels
} from './client.js';
import { seriesKey } from './live.js';
import type { NvidiaSmiGpu } from './nvidiaSmi.js';
import type { Expr, Matcher } from './promql.js';
import type { Transport } from '../../transport/transport.js';

/** One nvidia-smi run: its time (seconds since the epoch) and GPUs. */
export interface LocalGpuSample {
  time: number;
  gpus: NvidiaSmiGpu[];
}

/** What a sampler gives: the machine's name, the samples since a time, or why there are none. */
export interface LocalGpuSnapshot {
  host: string;
  /** Seconds between samples. */
  intervalSeconds: number;
  samples: LocalGpuSample[];
  /** The last run failed (no nvidia-smi, no GPU, no driver): the views show this. */
  error?: RadlabErrorJSON;
}

/** A sampler of this machine's GPUs, local (node) or behind the Jupyter server. */
export interface LocalGpuSource {
  /** The samples after `since` (all kept, when undefined). */
  snapshot(since: number | undefined, options?: QueryOptions): Promise<LocalGpuSnapshot>;
}

/** The series a sample field becomes, as dcgm-exporter names it. */
const FIELD_METRICS: ReadonlyArray<[string, (g: NvidiaSmiGpu) => number | null]> = [
  ['DCGM_FI_DEV_GPU_UTIL', g => g.utilization],
  ['DCGM_FI_DEV_FB_USED', g => g.memoryUsed],
  [
    'DCGM_FI_DEV_FB_FREE',
    g => (g.memoryTotal !== null && g.memoryUsed !== null ? g.memoryTotal - g.memoryUsed : null)
  ],
  ['DCGM_FI_DEV_POWER_USAGE', g => g.powerDraw],
  ['DCGM_FI_DEV_GPU_TEMP', g => g.temperature],
  ['DCGM_FI_DEV_SM_CLOCK', g => g.smClock]
];

/** A sample older than this is no longer "now" (Prometheus's lookback is 5 min; samples come every second). */
const LOOKBACK_SECONDS = 15;

type Vector = Array<{ labels: Record<string, string>; value: number }>;
type Value = { type: 'vector'; vector: Vector } | { type: 'scalar'; value: number };

function matches(labels: Record<string, string>, matchers: readonly Matcher[]): boolean {
  return matchers.every(m => {
    const v = labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(v);
      case '!~':
        return !new RegExp(`^(?:${m.value})$`).test(v);
    }
  });
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const rest = { ...labels };
  delete rest['__name__'];
  return rest;
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return NaN;
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

const COMPARISONS = new Set(['>', '<', '>=', '<=']);

/** Samples in time order, at most `keepSeconds` of them; the evaluator reads them by time. */
export class LocalGpuHistory {
  readonly samples: LocalGpuSample[] = [];

  constructor(private readonly keepSeconds = 6 * 3600) {}

  add(sample: LocalGpuSample): void {
    const last = this.samples[this.samples.length - 1];
    if (last && sample.time <= last.time) return;
    this.samples.push(sample);
    const oldest = sample.time - this.keepSeconds;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop]!.time < oldest) drop++;
    if (drop) this.samples.splice(0, drop);
  }

  get lastTime(): number | undefined {
    return this.samples[this.samples.length - 1]?.time;
  }

  /** Index of the last sample at or before `time` (-1 if none). */
  indexAt(time: number): number {
    let lo = 0;
    let hi = this.samples.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.samples[mid]!.time <= time) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The samples in (from, to]. */
  between(from: number, to: number): LocalGpuSample[] {
    const end = this.indexAt(to);
    let start = end;
    while (start >= 0 && this.samples[start]!.time > from) start--;
    return this.samples.slice(start + 1, end + 1);
  }
}

/** A sample's GPUs as series: metric name → labels and value. */
function sampleSeries(host: string, sample: LocalGpuSample, metric: string): Vector {
  const field = FIELD_METRICS.find(([name]) => name === metric)?.[1];
  if (!field) return [];
  return sample.gpus.map(g => {
    const v = field(g);
    return {
      labels: {
        __name__: metric,
        Hostname: host,
        gpu: String(g.index),
        UUID: g.uuid,
        modelName: g.name
      },
      value: v === null ? NaN : v
    };
  });
}

/**
 * PrometheusClient's API over a LocalGpuSource. Each call first brings the history up to date (one
 * snapshot at a time, at most once per `minSyncMs`); a source error is thrown as a RadlabError.
 */
export class LocalGpuClient extends PrometheusClient {
  private readonly history: LocalGpuHistory;
  private host = '';
  private error?: RadlabErrorJSON;
  private syncing?: Promise<void>;
  private syncedAt = 0;

  constructor(
    private readonly source: LocalGpuSource,
    options: { keepSeconds?: number; minSyncMs?: number } = {}
  ) {
    super(NO_TRANSPORT);
    this.history = new LocalGpuHistory(options.keepSeconds);
    this.minSyncMs = options.minSyncMs ?? 500;
  }

  private readonly minSyncMs: number;

  /** The machine's name (once a snapshot came). */
  get hostname(): string {
    return this.host;
  }

  private async sync(options: QueryOptions): Promise<void> {
    if (this.syncing) return this.syncing;
    if (Date.now() - this.syncedAt < this.minSyncMs) return;
    this.syncing = (async () => {
      try {
        const snap = await this.source.snapshot(this.history.lastTime, options);
        this.host = snap.host;
        for (const s of snap.samples) this.history.add(s);
        this.error = snap.error;
        this.syncedAt = Date.now();
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  private async ready(options: QueryOptions): Promise<void> {
    await this.sync(options);
    if (this.error && this.history.samples.length === 0) throw RadlabError.fromJSON(this.error);
    const last = this.history.lastTime;
    if (this.error && last !== undefined && Date.now() / 1000 - last > LOOKBACK_SECONDS)
      throw RadlabError.fromJSON(this.error);
  }

  override async query(
    query: string | Expr,
    options: QueryOptions & { time?: number } = {}
  ): Promise<InstantSample[]> {
    await this.ready(options);
    const time = options.time ?? Date.now() / 1000;
    const v = this.evaluate(expressionOf(query), time);
    if (v.type === 'scalar') return [{ labels: {}, time, value: v.value }];
    return v.vector.map(s => ({ labels: s.labels, time, value: s.value }));
  }

  override async queryRange(
    query: string | Expr,
    range: RangeQuery,
    options: QueryOptions = {}
  ): Promise<RangeResult> {
    if (!(range.end >= range.start) || !(range.step > 0)) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'radlab',
        message: `a range query needs start ≤ end and a step > 0 (got ${range.start}–${range.end}, step ${range.step})`
      });
    }
    await this.ready(options);
    const expr = expressionOf(query);
    const series = new Map<string, RangeSeries>();
    for (let t = range.start; t <= range.end; t += range.step) {
      const v = this.evaluate(expr, t);
      const vector = v.type === 'scalar' ? [{ labels: {}, value: v.value }] : v.vector;
      for (const s of vector) {
        const key = seriesKey(s.labels);
        let out = series.get(key);
        if (!out) series.set(key, (out = { labels: s.labels, times: [], values: [] }));
        out.times.push(t);
        out.values.push(s.value);
      }
    }
    return { ...range, series: [...series.values()], warnings: [] };
  }

  /** Counts the series (no budget to keep: the samples are in memory). */
  override async planRange(
    query: string | Expr,
    range: RangeQuery,
    _guard?: unknown,
    signal?: AbortSignal
  ): Promise<{ step: number; series: number }> {
    const now = await this.query(query, { time: range.end, signal });
    return { step: range.step, series: now.length };
  }

  override async labelValues(
    label: string,
    options: QueryOptions & { match?: Array<string | Expr>; start?: number; end?: number } = {}
  ): Promise<string[]> {
    const sets = await this.series(options.match ?? [], options);
    return [...new Set(sets.map(l => l[label]).filter((v): v is string => v !== undefined))].sort();
  }

  override async series(
    match: Array<string | Expr>,
    options: QueryOptions & { start?: number; end?: number } = {}
  ): Promise<SeriesLabels[]> {
    await this.ready(options);
    const end = options.end ?? Date.now() / 1000;
    const start = options.start ?? end - LOOKBACK_SECONDS;
    const selectors = match.map(expressionOf);
    const out = new Map<string, SeriesLabels>();
    for (const sample of this.history.between(start, end)) {
      for (const [metric] of FIELD_METRICS) {
        for (const s of sampleSeries(this.host, sample, metric)) {
          if (Number.isNaN(s.value) && metric !== 'DCGM_FI_DEV_GPU_UTIL') continue;
          const ok =
            selectors.length === 0 ||
            selectors.some(
              e => e.type === 'selector' && e.metric === metric && matches(s.labels, e.matchers)
            );
          if (ok) out.set(seriesKey(s.labels), s.labels);
        }
      }
    }
    return [...out.values()];
  }

  /** No alerting rules run locally. */
  override async alerts(options: QueryOptions = {}): Promise<PrometheusAlert[]> {
    await this.ready(options);
    return [];
  }

  override async rules(): Promise<PrometheusRuleGroup[]> {
    return [];
  }

  private selectAt(e: Extract<Expr, { type: 'selector' }>, time: number): Vector {
    const i = this.history.indexAt(time);
    const sample = i >= 0 ? this.history.samples[i] : undefined;
    if (!sample || time - sample.time > LOOKBACK_SECONDS) return [];
    return sampleSeries(this.host, sample, e.metric).filter(s => matches(s.labels, e.matchers));
  }

  private evaluate(expr: Expr, time: number): Value {
    switch (expr.type) {
      case 'number':
        return { type: 'scalar', value: expr.value };
      case 'selector':
        return { type: 'vector', vector: this.selectAt(expr, time) };
      case 'range':
        throw unsupported('a range selector outside a *_over_time function');
      case 'call':
        return this.call(expr, time);
      case 'aggregate': {
        const inner = this.evaluate(expr.expr, time);
        if (inner.type !== 'vector') throw unsupported('an aggregation of a number');
        const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
        for (const s of inner.vector) {
          const labels: Record<string, string> = {};
          for (const l of expr.by ?? []) if (s.labels[l] !== undefined) labels[l] = s.labels[l]!;
          const key = seriesKey(labels);
          const g = groups.get(key) ?? { labels, values: [] };
          g.values.push(s.value);
          groups.set(key, g);
        }
        const vector: Vector = [...groups.values()].map(g => ({
          labels: g.labels,
          value: aggregate(expr.op, g.values)
        }));
        return { type: 'vector', vector };
      }
      case 'binary': {
        const l = this.evaluate(expr.left, time);
        const r = this.evaluate(expr.right, time);
        const cmp = COMPARISONS.has(expr.op);
        if (l.type === 'scalar' && r.type === 'scalar') {
          return {
            type: 'scalar',
            value: cmp
              ? Number(compare(expr.op, l.value, r.value))
              : arith(expr.op, l.value, r.value)
          };
        }
        if (l.type === 'vector' && r.type === 'scalar') {
          return { type: 'vector', vector: scalarSide(l.vector, r.value, expr.op, cmp, false) };
        }
        if (l.type === 'scalar' && r.type === 'vector') {
          return { type: 'vector', vector: scalarSide(r.vector, l.value, expr.op, cmp, true) };
        }
        const right = new Map(
          (r as { vector: Vector }).vector.map(s => [seriesKey(withoutName(s.labels)), s.value])
        );
        const vector: Vector = [];
        for (const s of (l as { vector: Vector }).vector) {
          const other = right.get(seriesKey(withoutName(s.labels)));
          if (other === undefined) continue;
          if (cmp) {
            if (compare(expr.op, s.value, other)) vector.push(s);
          } else
            vector.push({ labels: withoutName(s.labels), value: arith(expr.op, s.value, other) });
        }
        return { type: 'vector', vector };
      }
    }
  }

  private call(expr: Extract<Expr, { type: 'call' }>, time: number): Value {
    const [arg] = expr.args;
    if (!arg) throw unsupported(`${expr.fn}() without an argument`);
    if (expr.fn === 'abs') {
      const v = this.evaluate(arg, time);
      if (v.type === 'scalar') return { type: 'scalar', value: Math.abs(v.value) };
      return {
        type: 'vector',
        vector: v.vector.map(s => ({ labels: withoutName(s.labels), value: Math.abs(s.value) }))
      };
    }
    if (arg.type !== 'range' || arg.expr.type !== 'selector')
      throw unsupported(`${expr.fn}() of anything but a range selector`);
    const sel = arg.expr;
    const byKey = new Map<
      string,
      { labels: Record<string, string>; points: Array<[number, number]> }
    >();
    for (const sample of this.history.between(time - arg.seconds, time)) {
      for (const s of sampleSeries(this.host, sample, sel.metric)) {
        if (!matches(s.labels, sel.matchers) || Number.isNaN(s.value)) continue;
        const labels = withoutName(s.labels);
        const key = seriesKey(labels);
        const entry = byKey.get(key) ?? { labels, points: [] };
        entry.points.push([sample.time, s.value]);
        byKey.set(key, entry);
      }
    }
    const vector: Vector = [];
    for (const { labels, points } of byKey.values()) {
      const values = points.map(p => p[1]);
      let value: number;
      switch (expr.fn) {
        case 'avg_over_time':
          value = aggregate('avg', values);
          break;
        case 'max_over_time':
          value = aggregate('max', values);
          break;
        case 'min_over_time':
          value = aggregate('min', values);
          break;
        case 'last_over_time':
          value = values[values.length - 1]!;
          break;
        case 'rate': {
          if (points.length < 2) continue;
          const [t0, v0] = points[0]!;
          const [t1, v1] = points[points.length - 1]!;
          value = t1 > t0 ? (v1 - v0) / (t1 - t0) : 0;
          break;
        }
      }
      vector.push({ labels, value });
    }
    return { type: 'vector', vector };
  }
}

function aggregate(op: string, values: number[]): number {
  if (values.length === 0) return NaN;
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'count':
      return values.length;
    default:
      return NaN;
  }
}

function scalarSide(
  vector: Vector,
  scalar: number,
  op: string,
  cmp: boolean,
  scalarLeft: boolean
): Vector {
  if (cmp) {
    return vector.filter(s =>
      scalarLeft ? compare(op, scalar, s.value) : compare(op, s.value, scalar)
    );
  }
  return vector.map(s => ({
    labels: withoutName(s.labels),
    value: scalarLeft ? arith(op, scalar, s.value) : arith(op, s.value, scalar)
  }));
}

function unsupported(what: string): RadlabError {
  return new RadlabError({
    code: 'badRequest',
    service: 'radlab',
    message: `local GPU sampling cannot evaluate ${what}`,
    hint: 'Configure a Prometheus connection for arbitrary PromQL.'
  });
}

function expressionOf(query: string | Expr): Expr {
  if (typeof query !== 'string') return query;
  throw unsupported(`PromQL text (${query.slice(0, 80)})`);
}

/** The base class needs a transport; the local client never sends a request. */
const NO_TRANSPORT = {
  request: () => Promise.reject(new Error('the local GPU client sends no requests'))
} as unknown as Transport;
