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

/** /profiles.json, retrying the 500 Drill's profile store answers while a profile is written. */
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
