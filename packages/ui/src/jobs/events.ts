// A job's events as kubectl describe and Lens list them: repeats of one event (same type, reason, object
// and message: e.g. the Job controller's FailedCreate each time the quota refuses a pod) are one row with
// a count, first and last time; oldest first. Both hosts' job views show these rows. Messages that differ
// only in a generated pod name (`pods "train-1a2b-x7k2q" is forbidden: …`, a new name per retry) are
// repeats too, as the API server's own event aggregation takes them; the row says the newest message.
import type { KubeEvent } from '@radlab/core';

export interface EventGroup {
  type: string;
  reason: string;
  /** "Kind/name" of the object it is about. */
  object: string;
  message: string;
  /** How many times it happened: the events' own counts (series) added up. */
  count: number;
  /** ISO times of its first and last occurrence (undefined when the events carry none). */
  first?: string;
  last?: string;
}

function lastTime(e: KubeEvent): string | undefined {
  return (
    e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp
  );
}

function firstTime(e: KubeEvent): string | undefined {
  return e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? e.lastTimestamp;
}

/** How many occurrences one event object stands for (core/v1 `count`, events.k8s.io `series.count`). */
function occurrences(e: KubeEvent): number {
  const n = e.series?.count ?? e.count;
  return typeof n === 'number' && Number.isFinite(n) && n > 1 ? Math.floor(n) : 1;
}

// the 5-character suffix of a generated name (the API server's alphabet: no vowels, no 0/1/3)
const GENERATED = /\b([a-z0-9]([a-z0-9.-]*[a-z0-9])?)-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g;

/** A message with generated pod names masked, so retries of one refusal compare equal. */
export function eventMessageKey(message: string): string {
  return message.replace(GENERATED, '$1-*');
}

const min = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : b < a ? b : a;

/** The events grouped by type, reason, object and message, ordered by their last occurrence. */
export function groupEvents(events: readonly KubeEvent[]): EventGroup[] {
  const groups = new Map<string, EventGroup>();
  for (const e of events) {
    const type = e.type ?? 'Normal';
    const reason = e.reason ?? '';
    const object = `${e.involvedObject.kind}/${e.involvedObject.name}`;
    const message = e.message ?? '';
    const key = JSON.stringify([type, reason, object, eventMessageKey(message)]);
    const group = groups.get(key);
    if (group) {
      group.count += occurrences(e);
      group.first = min(group.first, firstTime(e));
      const last = lastTime(e);
      if (last !== undefined && (group.last === undefined || last >= group.last)) {
        group.last = last;
        group.message = message; // the newest wording
      }
    } else {
      groups.set(key, {
        type,
        reason,
        object,
        message,
        count: occurrences(e),
        first: firstTime(e),
        last: lastTime(e)
      });
    }
  }
  return [...groups.values()].sort((a, b) =>
    (a.last ?? '') < (b.last ?? '') ? -1 : (a.last ?? '') > (b.last ?? '') ? 1 : 0
  );
}

/**
 * A group's age as kubectl describe writes it: "12s" once, "12s (x5 over 3m)" repeated. `age` turns an
 * ISO time into text ("12s"); the span is since its first occurrence.
 */
export function eventAgeText(group: EventGroup, age: (iso: string | undefined) => string): string {
  const last = age(group.last);
  if (group.count <= 1) return last;
  return `${last} (x${group.count} over ${age(group.first)})`;
}
