// A live window of series (the last N minutes, refreshed every second or so) that fetches only what is
// new: each refresh asks for the points since the last one (the last point again, as it may have been
// evaluated before its scrape landed), merges them in and drops what fell out of it. Times are aligned
// to the step, so every refresh evaluates at the instants the first query did. A failed refresh keeps
// the data; the next one fills the gap (up to the window's length).

import type { PrometheusClient, RangeGuard, RangeSeries, SeriesLabels } from './client.js';
import type { Expr } from './promql.js';
import { alignDown, chooseStep } from './step.js';

export interface LiveWindowOptions {
  /** The window's length in seconds. */
  rangeSeconds: number;
  /** Seconds between points; default chosen from the range (chooseStep). */
  step?: number;
  /** Seconds since the epoch (tests and benches pass their own clock). */
  now?: () => number;
  /**
   * The budget of a full load (the first refresh, a range change, a gap longer than the window): its
   * series are counted first, too many is refused and too many points widen the step. Default on
   * (DEFAULT_RANGE_GUARD); `false` sends the query as it is. Later refreshes ask for a few points.
   */
  guard?: RangeGuard | boolean;
}

export interface RefreshStats {
  /** false when the aligned end had not moved: nothing was asked. */
  fetched: boolean;
  /** true when the whole window was asked for (first refresh, range change, a gap longer than the window). */
  full: boolean;
  /** Points received in this refresh. */
  points: number;
  start: number;
  end: number;
  /** The window's first instant after this refresh (points before it were dropped). */
  windowStart: number;
  /**
   * What the answer brought, per series (key: seriesKey of its labels): the points from `start` on,
   * which replace the series' points from `start` (after a `full` refresh, the whole series). A view
   * that keeps its own columns applies these instead of rebuilding from `series`.
   */
  updates: ReadonlyMap<string, RangeSeries>;
}

/** A series' identity across refreshes: its label set. */
export function seriesKey(labels: SeriesLabels): string {
  return Object.keys(labels)
    .sort()
    .map(k => `${k}=${labels[k]}`)
    .join(',');
}

export class LiveWindow {
  private readonly data = new Map<string, RangeSeries>();
  private lastEnd: number | undefined;
  private range: number;
  private stepSeconds: number;
  private readonly clock: () => number;
  private readonly guard: RangeGuard | boolean;
  private askedStep: number;

  constructor(
    private readonly client: PrometheusClient,
    private readonly query: string | Expr,
    options: LiveWindowOptions
  ) {
    this.range = options.rangeSeconds;
    this.stepSeconds = options.step ?? chooseStep(options.rangeSeconds);
    this.clock = options.now ?? (() => Date.now() / 1000);
    this.guard = options.guard ?? true;
    this.askedStep = this.stepSeconds;
  }

  get step(): number {
    return this.stepSeconds;
  }

  get rangeSeconds(): number {
    return this.range;
  }

  /** The window's series, ordered by label set (stable across refreshes). */
  get series(): RangeSeries[] {
    return [...this.data.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, s]) => s);
  }

  /** The end of the last successful refresh (seconds), if any. */
  get end(): number | undefined {
    return this.lastEnd;
  }

  /** A new length (and step): the next refresh asks for the whole window again. */
  setRange(rangeSeconds: number, step?: number): void {
    this.range = rangeSeconds;
    this.stepSeconds = step ?? chooseStep(rangeSeconds);
    this.askedStep = this.stepSeconds;
    this.lastEnd = undefined;
    this.data.clear();
  }

  async refresh(signal?: AbortSignal): Promise<RefreshStats> {
    let step = this.stepSeconds;
    let end = alignDown(this.clock(), step);
    let windowStart = end - this.range;
    if (this.lastEnd !== undefined && end === this.lastEnd) {
      return {
        fetched: false,
        full: false,
        points: 0,
        start: end,
        end,
        windowStart,
        updates: new Map()
      };
    }
    const full = this.lastEnd === undefined || this.lastEnd < windowStart;
    if (full) {
      // a full load plans its step again from the one asked for (a narrowed window may fit again)
      step = this.askedStep;
      if (this.guard) {
        const now = this.clock();
        const plan = await this.client.planRange(
          this.query,
          { start: now - this.range, end: now, step },
          this.guard,
          signal
        );
        step = plan.step;
      }
      end = alignDown(this.clock(), step);
      windowStart = end - this.range;
    }
    const start = full ? windowStart : (this.lastEnd as number);
    const result = await this.client.queryRange(this.query, { start, end, step }, { signal });
    if (full) {
      this.data.clear();
      this.stepSeconds = result.step;
    }
    let points = 0;
    const updates = new Map<string, RangeSeries>();
    for (const incoming of result.series) {
      points += incoming.times.length;
      const key = seriesKey(incoming.labels);
      updates.set(key, incoming);
      const have = this.data.get(key);
      if (!have) {
        this.data.set(key, {
          labels: incoming.labels,
          times: [...incoming.times],
          values: [...incoming.values]
        });
        continue;
      }
      // replace what the new answer covers (from `start` on), then append
      let keep = have.times.length;
      while (keep > 0 && (have.times[keep - 1] as number) >= start) keep--;
      have.times.length = keep;
      have.values.length = keep;
      for (let i = 0; i < incoming.times.length; i++) {
        have.times.push(incoming.times[i] as number);
        have.values.push(incoming.values[i] as number);
      }
    }
    this.trim(windowStart);
    this.lastEnd = end;
    return { fetched: true, full, points, start, end, windowStart, updates };
  }

  private trim(windowStart: number): void {
    for (const [key, s] of this.data) {
      let drop = 0;
      while (drop < s.times.length && (s.times[drop] as number) < windowStart) drop++;
      if (drop) {
        s.times.splice(0, drop);
        s.values.splice(0, drop);
      }
      if (s.times.length === 0) this.data.delete(key);
    }
  }
}
