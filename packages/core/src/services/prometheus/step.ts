// The step of a range query, chosen from the time range as Grafana does (range / points wanted,
// rounded up to a "nice" step and never under the scrape interval), and the guard that keeps a query
// from asking Prometheus for more than it serves (11,000 points per series).

/** Prometheus refuses range queries of more points per series than this. */
export const PROMETHEUS_MAX_POINTS = 11_000;

const NICE_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
];

export interface StepOptions {
  /** Points per series wanted across the range (a chart's width in pixels / 2 is a fair value). Default 240. */
  points?: number;
  /** Smallest step: the scrape interval (the local stack scrapes every 5 s). Default 5. */
  minStep?: number;
}

/** Seconds between points for a range of `rangeSeconds`. */
export function chooseStep(rangeSeconds: number, options: StepOptions = {}): number {
  const points = Math.max(1, Math.min(options.points ?? 240, PROMETHEUS_MAX_POINTS));
  const minStep = Math.max(1, options.minStep ?? 5);
  const raw = Math.max(minStep, rangeSeconds / points);
  return NICE_STEPS.find(s => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
}

/** Aligns a time down to the step, so refreshes evaluate at the same instants as the first query. */
export function alignDown(seconds: number, step: number): number {
  return Math.floor(seconds / step) * step;
}

/** A step that keeps the range under Prometheus's point limit (the step itself when it already does). */
export function narrowStep(
  rangeSeconds: number,
  step: number,
  maxPoints = PROMETHEUS_MAX_POINTS
): number {
  if (rangeSeconds / step < maxPoints) return step;
  return chooseStep(rangeSeconds, { points: maxPoints - 1, minStep: step });
}
