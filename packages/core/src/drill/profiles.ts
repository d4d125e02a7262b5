// Drill's query profiles: the running and finished queries, one query's profile, and cancelling one.

import { RadlabError } from '../errors.js';
import { wait } from '../deadline.js';
import { isObject, num, str } from './fields.js';
import type { DrillSession } from './session.js';

export interface DrillProfileSummary {
  queryId: string;
  query: string;
  /** As Drill lists it: Running, Succeeded, Failed, Canceled, ... */
  state: string;
  user?: string;
  foreman?: string;
  startTime?: number;
  endTime?: number;
}

export interface DrillProfiles {
  running: DrillProfileSummary[];
  finished: DrillProfileSummary[];
}

export interface DrillProfile {
  queryId: string;
  query?: string;
  /** Drill's QueryState name: STARTING, RUNNING, COMPLETED, CANCELED, FAILED, ... */
  state?: string;
  user?: string;
  startTime?: number;
  endTime?: number;
  errorMessage?: string;
  /** The whole profile as Drill sent it. */
  raw: Record<string, unknown>;
}

/** Drill's QueryState names by number, as older profiles give the state. */
const PROFILE_STATES = [
  'STARTING',
  'RUNNING',
  'COMPLETED',
  'CANCELED',
  'FAILED',
  'CANCELLATION_REQUESTED',
  'ENQUEUED',
  'PREPARING',
  'PLANNING'
];

/** Cancels a running query (`GET /profiles/cancel/{id}`); true when Drill says it cancelled it. */
export async function cancelQuery(
  session: DrillSession,
  queryId: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {}
): Promise<boolean> {
  const response = await session.send<string>({
    path: `/profiles/cancel/${encodeURIComponent(queryId)}`,
    responseType: 'text',
    headers: session.headers,
    ...options
  });
  return /^Cancel/i.test(response.data.trim());
}

/**
 * Running and recently finished queries (`/profiles.json`). `runningOnly` asks for no finished
 * ones (`?max=0`): Drill then reads no profile files, which on a busy store takes seconds.
 */
export async function listProfiles(
  session: DrillSession,
  options: { signal?: AbortSignal; timeoutMs?: number; runningOnly?: boolean } = {}
): Promise<DrillProfiles> {
  const { runningOnly, ...requestOptions } = options;
  // Drill's local profile store answers 500 "Failed to get completed profiles" while a profile is
  // being written; that goes away at once.
  let response: { data: unknown } | undefined;
  for (let attempt = 0; !response; attempt++) {
    try {
      response = await session.send<unknown>({
        path: '/profiles.json',
        ...(runningOnly ? { params: { max: 0 } } : {}),
        headers: session.headers,
        ...requestOptions
      });
    } catch (e) {
      if (!(RadlabError.isRadlabError(e) && e.status === 500 && attempt < 3)) throw e;
      await wait(150 * (attempt + 1));
    }
  }
  const data = isObject(response.data) ? response.data : {};
  const list = (value: unknown): DrillProfileSummary[] =>
    (Array.isArray(value) ? value : []).filter(isObject).map(p => ({
      queryId: str(p['queryId']) ?? '',
      query: str(p['query']) ?? '',
      state: str(p['state']) ?? '',
      user: str(p['user']),
      foreman: str(p['foreman']),
      startTime: num(p['startTime']),
      endTime: num(p['endTime'])
    }));
  return { running: list(data['runningQueries']), finished: list(data['finishedQueries']) };
}

/** One query profile (`/profiles/{id}.json`). */
export async function getProfile(
  session: DrillSession,
  queryId: string,
  options: { signal?: AbortSignal } = {}
): Promise<DrillProfile> {
  const response = await session.send<unknown>({
    path: `/profiles/${encodeURIComponent(queryId)}.json`,
    headers: session.headers,
    ...options
  });
  const raw = isObject(response.data) ? response.data : {};
  const state = raw['state'];
  return {
    queryId,
    query: str(raw['query']),
    state: typeof state === 'number' ? (PROFILE_STATES[state] ?? String(state)) : str(state),
    user: str(raw['user']),
    startTime: num(raw['start']),
    endTime: num(raw['end']),
    errorMessage: str(raw['error']),
    raw
  };
}
