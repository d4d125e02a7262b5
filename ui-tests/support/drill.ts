// Drill helpers shared by the UI tests of both hosts.

export const DRILL_URL = 'http://127.0.0.1:8047';

/**
 * A query that cannot finish during a test (a 4-way self join: ~2·10¹¹ rows), so that a Cancel is
 * always tried on a running query, however fast the machine.
 */
export const ENDLESS_QUERY =
  'SELECT count(*) AS never_done FROM cp.`employee.json` a JOIN cp.`employee.json` b ON a.gender = b.gender JOIN cp.`employee.json` c ON b.gender = c.gender JOIN cp.`employee.json` d ON c.gender = d.gender';
/** A piece of ENDLESS_QUERY's text near its start (/profiles.json cuts long query texts). */
export const ENDLESS_MARK = 'never_done';

export interface DrillProfile {
  queryId: string;
  query: string;
  state: string;
}

/**
 * /profiles.json, retrying the 500 Drill's profile store answers while a profile is written.
 * `runningOnly` (`?max=0`) reads no finished profiles, so an unreadable one cannot fail it.
 */
export async function drillProfiles(
  runningOnly = false
): Promise<{ running: DrillProfile[]; finished: DrillProfile[] }> {
  const url = `${DRILL_URL}/profiles.json${runningOnly ? '?max=0' : ''}`;
  let res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  for (let i = 0; res.status === 500 && i < 4; i++) {
    await new Promise(resolve => setTimeout(resolve, 200 * (i + 1)));
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  }
  const body = (await res.json()) as {
    runningQueries?: DrillProfile[];
    finishedQueries?: DrillProfile[];
  };
  return { running: body.runningQueries ?? [], finished: body.finishedQueries ?? [] };
}

const QUERY_STATES = ['STARTING', 'RUNNING', 'COMPLETED', 'CANCELED', 'FAILED'];

/**
 * One query's state from its own profile (`/profiles/{id}.json`): unlike the full /profiles.json,
 * it does not fail when another profile in Drill's store is unreadable (Drill leaves an empty file
 * when a cancel interrupts its profile write).
 */
export async function drillQueryState(queryId: string): Promise<string | undefined> {
  const res = await fetch(`${DRILL_URL}/profiles/${encodeURIComponent(queryId)}.json`, {
    signal: AbortSignal.timeout(10_000)
  });
  if (!res.ok) return undefined;
  const state = ((await res.json()) as { state?: number | string }).state;
  return typeof state === 'number' ? QUERY_STATES[state] : state;
}

/**
 * Drill has stopped the query: its profile says CANCELED or, when a cancel interrupted Drill's
 * profile write (an empty file; its log says "Failure while storing Query Profile"), the query is
 * no longer among the running ones.
 */
export async function drillQueryStopped(queryId: string): Promise<boolean> {
  const state = await drillQueryState(queryId);
  if (state !== undefined) return state === 'CANCELED';
  const { running } = await drillProfiles(true);
  return !running.some(p => p.queryId === queryId);
}

/** Cancels whatever a failed test left running on Drill, so that it does not load later tests. */
export async function cancelLeftovers(mark = ENDLESS_MARK): Promise<void> {
  try {
    const { running } = await drillProfiles(true);
    for (const p of running.filter(q => q.query.includes(mark))) {
      await fetch(`${DRILL_URL}/profiles/cancel/${encodeURIComponent(p.queryId)}`, {
        signal: AbortSignal.timeout(10_000)
      });
    }
  } catch {
    // Drill is gone: nothing to cancel
  }
}
