// Against the real Apache Drill of the local stack (scripts/services/drill).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../transport/transport.js';
import { DrillClient } from './client.js';
import { profileUrl, queryStatus } from './status.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const DRILL = `http://127.0.0.1:${process.env['RADLAB_DRILL_PORT'] ?? '8047'}`;
// a cross join that cannot finish while the test looks at it: cancelled at the end
const NEVER = `SELECT count(*) FROM cp.\`employee.json\` a, cp.\`employee.json\` b, cp.\`employee.json\` c, cp.\`employee.json\` d WHERE a.salary + b.salary + c.salary + d.salary < ${Date.now()}`;

let drill: DrillClient;

beforeAll(() => {
  execFileSync(`${root}scripts/services/drill`, ['start'], { stdio: 'ignore', timeout: 240_000 });
  drill = new DrillClient(new Transport({ service: 'drill', baseURL: DRILL }));
}, 250_000);

describe('queryStatus against Drill 1.22', { timeout: 60_000 }, () => {
  it('finds a running query before Drill sends its id: state, id, then its profile', async () => {
    const controller = new AbortController();
    const query = drill.queryStream(NEVER, {
      signal: controller.signal,
      options: { 'planner.enable_nljoin_for_scalar_only': false }
    });
    const iterating = (async () => {
      for await (const batch of query) void batch;
    })().catch(() => undefined);
    try {
      await expect
        .poll(async () => (await queryStatus(drill, query)).state, { timeout: 20_000 })
        .toBe('RUNNING');
      // Drill has sent no row yet: the id came from the running list, by the query's tag
      expect(query.queryId).toMatch(/^[0-9a-f-]{36}$/);
      const byProfile = await queryStatus(drill, query);
      expect(byProfile).toEqual({ queryId: query.queryId, state: 'RUNNING' });
    } finally {
      controller.abort();
      await iterating;
    }
    expect(query.cancelledQueryId).toBe(query.queryId);
  });

  it('is SUBMITTED for a query not started yet; profile links go to the Drill web UI', async () => {
    expect(await queryStatus(drill, drill.queryStream('SELECT 1'))).toEqual({ state: 'SUBMITTED' });
    expect(profileUrl('http://drill:8047/', 'a-b')).toBe('http://drill:8047/profiles/a-b');
  });
});
