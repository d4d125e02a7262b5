// What the Livy views say about a session: its state in words, how long until Livy's idle timeout
// ends it, and which actions make sense in each state. Pure, so both hosts' trees and panels agree.

/** The kinds a session can be started with, in the order the pickers list them. */
export const LIVY_KINDS = ['pyspark', 'spark', 'sql', 'sparkr'] as const;
export type LivyKind = (typeof LIVY_KINDS)[number];

export const LIVY_KIND_LABELS: Record<LivyKind, string> = {
  pyspark: 'PySpark (Python)',
  spark: 'Spark (Scala)',
  sql: 'Spark SQL',
  sparkr: 'SparkR (R)'
};

/** Groups of Livy's states: what the user can do with a session depends only on this. */
export type LivyStateGroup = 'starting' | 'idle' | 'busy' | 'ending' | 'dead' | 'unknown';

const GROUPS: Record<string, LivyStateGroup> = {
  not_started: 'starting',
  starting: 'starting',
  recovering: 'starting',
  idle: 'idle',
  busy: 'busy',
  running: 'busy',
  shutting_down: 'ending',
  error: 'dead',
  dead: 'dead',
  killed: 'dead',
  success: 'dead'
};

export function stateGroup(state: string): LivyStateGroup {
  return GROUPS[state] ?? 'unknown';
}

/** Livy's state as a user reads it (`not_started` → `not started`). */
export function stateLabel(state: string): string {
  return state.replace(/_/g, ' ');
}

/**
 * `expires in 59 min`, `expires in 45 s`, `expired`; undefined when the time is unknown. Minutes are
 * rounded down so the view never promises more time than Livy gives.
 */
export function formatExpiry(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `expires in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `expires in ${m} min`;
  return `expires in ${Math.floor(m / 60)} h ${m % 60} min`;
}

/** `42 %` of a statement's progress (0..1); undefined outside that range. */
export function formatProgress(progress: number | undefined): string | undefined {
  if (progress === undefined || !Number.isFinite(progress) || progress < 0 || progress > 1) {
    return undefined;
  }
  return `${Math.floor(progress * 100)} %`;
}
