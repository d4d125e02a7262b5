// A live window of series (the last N minutes, refreshed every second or so) that fetches only what is
// new: each refresh asks for the points since the last one (the last point again, as it may have been
// evaluated before its scrape landed), merges them in and drops what fell out of it. Times are aligned
// to the step, so every refresh evaluates at the instants the first query did. A failed refresh keeps
// the data; the next one fills the gap (up to the window's length).

import type { PrometheusClient, RangeSeries, SeriesLabels } from './client.js';
import type { Expr } from './promql.js';
import { alignDown, chooseStep } from './step.js';

export interface LiveWindowOptions {
  /** The window's length in seconds. */
  rangeSeconds: number;
  /** Seconds between points; default chosen from the range (chooseStep). */
  step?: number;
  /** Seconds since the epoch (tests and benches pass their own clock). */
  now?: () => number;
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

  constructor(
    private readonly client: PrometheusClient,
    private readonly query: string | Expr,
    options: LiveWindowOptions
  ) {
    this.range = options.rangeSeconds;
    this.stepSeconds = options.step ?? chooseStep(options.rangeSeconds);
    this.clock = options.now ?? (() => Date.now() / 1000);
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
    this.lastEnd = undefined;
    this.data.clear();
  }

  async refresh(signal?: AbortSignal): Promise<RefreshStats> {
    const step = this.stepSeconds;
    const end = alignDown(this.clock(), step);
    const windowStart = end - this.range;
    if (this.lastEnd !== undefined && end === this.lastEnd) {
      return { fetched: false, full: false, points: 0, start: end, end };
    }
    const full = this.lastEnd === undefined || this.lastEnd < windowStart;
    const start = full ? windowStart : (this.lastEnd as number);
    const result = await this.client.queryRange(this.query, { start, end, step }, { signal });
    if (full) this.data.clear();
    let points = 0;
    for (const incoming of result.series) {
      points += incoming.times.length;
      const key = seriesKey(incoming.labels);
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
    return { fetched: true, full, points, start, end };
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
