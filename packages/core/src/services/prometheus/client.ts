// PrometheusClient: Prometheus's HTTP API (/api/v1) on a Transport: instant and range queries (typed
// results, numbers parsed, NaN and ±Inf kept), label discovery, alerts and rules. Queries are built
// with the vocabulary in promql.ts or passed as text; a range query that would exceed Prometheus's point
// limit is narrowed (a larger step, said in the result) rather than refused, and every query carries a
// server-side timeout so a heavy one stops in Prometheus too. With a sample budget (RangeGuard), a range
// query first counts its series with one instant query: too many series is refused before the range
// query is sent, and series × points over the budget widens the step until it fits.

import { RadlabError } from '../../errors.js';
import type { Transport } from '../../transport/transport.js';
import { renderPromQL, type Expr } from './promql.js';
import { chooseStep, narrowStep } from './step.js';

export type SeriesLabels = Readonly<Record<string, string>>;

export interface InstantSample {
  labels: SeriesLabels;
  /** Seconds since the epoch. */
  time: number;
  value: number;
}

export interface RangeSeries {
  labels: SeriesLabels;
  /** Seconds since the epoch, ascending. */
  times: number[];
  values: number[];
}

export interface RangeQuery {
  /** Seconds since the epoch. */
  start: number;
  end: number;
  /** Seconds between points. */
  step: number;
}

/** How much a range query may ask of Prometheus (checked with one `count(query)` before it is sent). */
export interface RangeGuard {
  /** Series × points per series. Default 500,000 (a 64-GPU window of 240 points is ~15,000). */
  maxSamples?: number;
  /** More series than this is refused, not sent. Default 5,000. */
  maxSeries?: number;
}

export const DEFAULT_RANGE_GUARD: Required<RangeGuard> = { maxSamples: 500_000, maxSeries: 5_000 };

export interface RangeResult extends RangeQuery {
  series: RangeSeries[];
  /** Set when the step asked for was widened (Prometheus's point limit, or the guard's budget): the step asked for. */
  narrowedFrom?: number;
  /** The series the guard counted before sending (when a guard was given). */
  counted?: number;
  warnings: string[];
}

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface PrometheusAlert {
  name: string;
  state: AlertState;
  labels: SeriesLabels;
  annotations: SeriesLabels;
  /** ISO time it became active. */
  activeAt?: string;
  value: number;
}

export interface PrometheusRule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  health: string;
  lastError?: string;
  /** Alerting rules: the state of the rule and its alerts. */
  state?: AlertState;
  forSeconds?: number;
  labels: SeriesLabels;
  annotations: SeriesLabels;
  alerts: PrometheusAlert[];
}

export interface PrometheusRuleGroup {
  name: string;
  file: string;
  rules: PrometheusRule[];
}

export interface PrometheusClientOptions {
  /** Prometheus's own time limit of one query (its `timeout` parameter). Default 10 s. */
  queryTimeoutSeconds?: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface RangeQueryOptions extends QueryOptions {
  /** Count the series first and keep the query within this budget (DEFAULT_RANGE_GUARD's values for `true`). */
  guard?: RangeGuard | boolean;
}

type Query = string | Expr;
const text = (q: Query): string => (typeof q === 'string' ? q : renderPromQL(q));

/** Prometheus writes sample values as strings: numbers, NaN, +Inf, -Inf. */
export function parseSampleValue(value: unknown): number {
  if (value === '+Inf') return Infinity;
  if (value === '-Inf') return -Infinity;
  return typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function labelsOf(v: unknown): SeriesLabels {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function alertOf(a: Record<string, unknown>): PrometheusAlert {
  const labels = labelsOf(a['labels']);
  return {
    name: labels['alertname'] ?? '',
    state: (a['state'] as AlertState) ?? 'firing',
    labels,
    annotations: labelsOf(a['annotations']),
    activeAt: typeof a['activeAt'] === 'string' ? a['activeAt'] : undefined,
    value: parseSampleValue(a['value'])
  };
}

/** The `error` field of Prometheus's error body, when the transport's message carries it. */
function prometheusSays(message: string): string | undefined {
  const m = /"error":"((?:[^"\\]|\\.)*)/.exec(message);
  if (!m) return undefined;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return m[1];
  }
}

export class PrometheusClient {
  private readonly timeout: string;

  constructor(
    private readonly transport: Transport,
    options: PrometheusClientOptions = {}
  ) {
    this.timeout = `${options.queryTimeoutSeconds ?? 10}s`;
  }

  /** The value of an expression at one time (default: now). */
  async query(
    query: Query,
    options: QueryOptions & { time?: number } = {}
  ): Promise<InstantSample[]> {
    const data = await this.get('/api/v1/query', text(query), options.signal, {
      time: options.time
    });
    const { resultType, result } = data;
    if (resultType === 'scalar' && Array.isArray(result)) {
      return [{ labels: {}, time: Number(result[0]), value: parseSampleValue(result[1]) }];
    }
    if (resultType !== 'vector' || !Array.isArray(result)) {
      throw this.shape(`/api/v1/query answered a ${String(resultType)}, not an instant vector`);
    }
    return result.filter(isObject).map(r => {
      const v = Array.isArray(r['value']) ? r['value'] : [];
      return { labels: labelsOf(r['metric']), time: Number(v[0]), value: parseSampleValue(v[1]) };
    });
  }

  /** Every series of an expression over a range, at `step` seconds (narrowed if Prometheus would refuse it). */
  async queryRange(
    query: Query,
    range: RangeQuery,
    options: RangeQueryOptions = {}
  ): Promise<RangeResult> {
    if (!(range.end >= range.start) || !(range.step > 0)) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'prometheus',
        message: `a range query needs start ≤ end and a step > 0 (got ${range.start}–${range.end}, step ${range.step})`,
        hint: 'Pick a time range that ends after it starts.'
      });
    }
    let step = narrowStep(range.end - range.start, range.step);
    let counted: number | undefined;
    if (options.guard) {
      const plan = await this.planRange(query, range, options.guard, options.signal);
      step = Math.max(step, plan.step);
      counted = plan.series;
    }
    const data = await this.get('/api/v1/query_range', text(query), options.signal, {
      start: range.start,
      end: range.end,
      step
    });
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw this.shape(`/api/v1/query_range answered a ${String(data.resultType)}, not a matrix`);
    }
    const series = data.result.filter(isObject).map(r => {
      const values = Array.isArray(r['values']) ? (r['values'] as unknown[]) : [];
      const s: RangeSeries = { labels: labelsOf(r['metric']), times: [], values: [] };
      for (const pair of values) {
        if (!Array.isArray(pair)) continue;
        s.times.push(Number(pair[0]));
        s.values.push(parseSampleValue(pair[1]));
      }
      return s;
    });
    return {
      start: range.start,
      end: range.end,
      step,
      series,
      warnings: data.warnings,
      ...(step !== range.step ? { narrowedFrom: range.step } : {}),
      ...(counted !== undefined ? { counted } : {})
    };
  }

  /**
   * The step a range query may have within a budget: its series counted with one instant query at the
   * range's end; more than `maxSeries` is refused here, so the range query is never sent.
   */
  async planRange(
    query: Query,
    range: RangeQuery,
    guard: RangeGuard | true,
    signal?: AbortSignal
  ): Promise<{ step: number; series: number }> {
    const g = { ...DEFAULT_RANGE_GUARD, ...(guard === true ? {} : guard) };
    const series = await this.countSeries(query, range.end, signal);
    if (series > g.maxSeries) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'prometheus',
        message: `the query matches ${series.toLocaleString('en-US')} series, over the ${g.maxSeries.toLocaleString('en-US')} a chart asks for; it was not sent`,
        hint: 'Narrow it: pick a node, a job or fewer GPUs.',
        details: { query: text(query), series }
      });
    }
    const span = range.end - range.start;
    const points = Math.max(2, Math.floor(g.maxSamples / Math.max(1, series)));
    const step =
      span / range.step + 1 > points
        ? chooseStep(span, { points: points - 1, minStep: range.step })
        : range.step;
    return { step, series };
  }

  /** How many series a query has at `time` (one instant query of `count(...)`; 0 for none). */
  private async countSeries(query: Query, time: number, signal?: AbortSignal): Promise<number> {
    const samples = await this.query(`count(${text(query)})`, { time, signal });
    const n = samples[0]?.value;
    return n !== undefined && Number.isFinite(n) ? n : 0;
  }

  /** The values a label takes, optionally only on series matching selectors (e.g. `DCGM_FI_DEV_GPU_UTIL`). */
  async labelValues(
    label: string,
    options: QueryOptions & { match?: Query[]; start?: number; end?: number } = {}
  ): Promise<string[]> {
    const body = await this.request<unknown>(
      `/api/v1/label/${encodeURIComponent(label)}/values`,
      options.signal,
      this.matchParams(options.match, options)
    );
    return Array.isArray(body) ? body.filter((v): v is string => typeof v === 'string') : [];
  }

  /** The label sets of the series matching selectors (no samples). */
  async series(
    match: Query[],
    options: QueryOptions & { start?: number; end?: number } = {}
  ): Promise<SeriesLabels[]> {
    const body = await this.request<unknown>(
      '/api/v1/series',
      options.signal,
      this.matchParams(match, options)
    );
    return Array.isArray(body) ? body.map(labelsOf) : [];
  }

  /** The alerts Prometheus's rules have active now (pending and firing). */
  async alerts(options: QueryOptions = {}): Promise<PrometheusAlert[]> {
    const body = await this.request<unknown>('/api/v1/alerts', options.signal);
    const alerts = isObject(body) ? body['alerts'] : undefined;
    if (!Array.isArray(alerts)) throw this.shape('/api/v1/alerts has no alerts list');
    return alerts.filter(isObject).map(alertOf);
  }

  /** The rule groups Prometheus loaded, with each alerting rule's state and alerts. */
  async rules(
    options: QueryOptions & { type?: 'alert' | 'record' } = {}
  ): Promise<PrometheusRuleGroup[]> {
    const body = await this.request<unknown>('/api/v1/rules', options.signal, {
      type: options.type
    });
    const groups = isObject(body) ? body['groups'] : undefined;
    if (!Array.isArray(groups)) throw this.shape('/api/v1/rules has no groups list');
    return groups.filter(isObject).map(g => ({
      name: String(g['name'] ?? ''),
      file: String(g['file'] ?? ''),
      rules: (Array.isArray(g['rules']) ? g['rules'] : []).filter(isObject).map(r => ({
        type: r['type'] === 'recording' ? 'recording' : 'alerting',
        name: String(r['name'] ?? ''),
        query: String(r['query'] ?? ''),
        health: String(r['health'] ?? 'unknown'),
        ...(typeof r['lastError'] === 'string' && r['lastError']
          ? { lastError: r['lastError'] }
          : {}),
        ...(typeof r['state'] === 'string' ? { state: r['state'] as AlertState } : {}),
        ...(typeof r['duration'] === 'number' ? { forSeconds: r['duration'] } : {}),
        labels: labelsOf(r['labels']),
        annotations: labelsOf(r['annotations']),
        alerts: (Array.isArray(r['alerts']) ? r['alerts'] : []).filter(isObject).map(alertOf)
      }))
    }));
  }

  private matchParams(
    match: Query[] | undefined,
    range: { start?: number; end?: number }
  ): Record<string, string | number | undefined> {
    // axios writes an array parameter as match[]=a&match[]=b; one selector is all the callers need so far
    if (match && match.length > 1)
      throw new TypeError('one match[] selector at a time (combine them with "or")');
    return {
      'match[]': match?.[0] === undefined ? undefined : text(match[0]),
      start: range.start,
      end: range.end
    };
  }

  private async get(
    path: string,
    query: string,
    signal: AbortSignal | undefined,
    params: Record<string, number | undefined>
  ): Promise<{ resultType: unknown; result: unknown; warnings: string[] }> {
    const { data, warnings } = await this.answer(
      path,
      signal,
      { query, timeout: this.timeout, ...params },
      query
    );
    if (!isObject(data)) throw this.shape(`${path} has no data`);
    return { resultType: data['resultType'], result: data['result'], warnings };
  }

  private async request<T>(
    path: string,
    signal: AbortSignal | undefined,
    params: Record<string, string | number | undefined> = {}
  ): Promise<T> {
    return (await this.answer(path, signal, params)).data as T;
  }

  private async answer(
    path: string,
    signal: AbortSignal | undefined,
    params: Record<string, string | number | undefined> = {},
    query?: string
  ): Promise<{ data: unknown; warnings: string[] }> {
    let body: unknown;
    try {
      const response = await this.transport.request<unknown>({ path, params, signal });
      body = response.data;
    } catch (error) {
      throw this.explain(error, query);
    }
    if (!isObject(body) || body['status'] !== 'success') {
      const said = isObject(body) && typeof body['error'] === 'string' ? body['error'] : undefined;
      throw said
        ? this.queryError(said, query)
        : this.shape(`${path} did not answer {status: "success"}`);
    }
    const warnings = Array.isArray(body['warnings']) ? body['warnings'].map(String) : [];
    return { data: body['data'], warnings };
  }

  /** Prometheus's own words for a refused or failed query, with what to do. */
  private explain(error: unknown, query: string | undefined): unknown {
    if (!RadlabError.isRadlabError(error)) return error;
    const e = error as RadlabError;
    const said = e.status && e.status >= 400 ? prometheusSays(e.message) : undefined;
    return said ? this.queryError(said, query, e) : e;
  }

  private queryError(said: string, query: string | undefined, cause?: RadlabError): RadlabError {
    const tooMuch =
      /maximum resolution|too many samples|query timed out|query processing would load too many/i.test(
        said
      );
    return new RadlabError({
      code: /timed out/i.test(said)
        ? 'timeout'
        : cause?.code === 'server' && !tooMuch
          ? 'server'
          : 'badRequest',
      service: 'prometheus',
      connection: cause?.connection,
      status: cause?.status,
      request: cause?.request,
      message: `Prometheus refused the query: ${said}`,
      hint: tooMuch
        ? 'Narrow the query: a shorter time range, fewer GPUs or nodes, or a larger step.'
        : query
          ? `Check the PromQL: ${query.length > 200 ? `${query.slice(0, 200)}…` : query}`
          : undefined,
      details: query ? { query } : undefined,
      cause
    });
  }

  private shape(message: string): RadlabError {
    return new RadlabError({
      code: 'badResponse',
      service: 'prometheus',
      message: `unexpected answer from Prometheus: ${message}`,
      hint: 'Is the connection URL a Prometheus server (its /api/v1 answering)?'
    });
  }
}
