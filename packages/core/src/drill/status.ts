// What Drill says about a query while it runs: its state and id, and where its profile is. Drill sends
// the query id with the first result batch only (an aggregation sends nothing until it is done), so
// until then the query is found in the running list by the tag of its leading comment.

import type { DrillClient } from './client.js';
import type { DrillQuery } from './query.js';
import { sqlTag } from './sql.js';

export interface DrillQueryStatus {
  /** Drill's query id, once known. */
  queryId?: string;
  /** Drill's state in upper case (STARTING, RUNNING, ENQUEUED, ...); SUBMITTED before Drill lists it. */
  state: string;
}

/** Drill lists `Running`, profiles say `RUNNING`: one spelling. */
function normalState(state: string | undefined): string | undefined {
  return state ? state.toUpperCase().replace(/\s+/g, '_') : undefined;
}

/**
 * The state of a running query: from its profile when the id is known, else from the running list.
 * Remembers the id on `query` (which also lets a cancel skip the lookup). Throws what the client throws.
 */
export async function queryStatus(
  client: DrillClient,
  query: DrillQuery,
  options: { signal?: AbortSignal; timeoutMs?: number } = {}
): Promise<DrillQueryStatus> {
  if (query.queryId) {
    const profile = await client.profile(query.queryId, options);
    return { queryId: query.queryId, state: normalState(profile.state) ?? 'RUNNING' };
  }
  if (!query.tag) return { state: 'SUBMITTED' };
  const listed = await client.profiles({ ...options, runningOnly: true });
  const found = listed.running.find(p => sqlTag(p.query) === query.tag);
  if (!found) return { state: 'SUBMITTED' };
  query.queryId ??= found.queryId;
  return { queryId: found.queryId, state: normalState(found.state) ?? 'RUNNING' };
}

/** The page of a query's profile in Drill's web UI (`baseUrl`: the Drill URL users open, not a proxy). */
export function profileUrl(baseUrl: string, queryId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/profiles/${encodeURIComponent(queryId)}`;
}
