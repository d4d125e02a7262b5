// BASIC and FORM auth against a real, authenticated Drill 1.22: the drill-auth instance of
// scripts/services/drill (RADLAB_DRILL_AUTH=1: one user, FORM and BASIC, impersonation on).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { Transport } from '../transport/transport.js';
import { DrillClient } from './client.js';
import { createNodeDrillClient } from '../node/drill.js';

/** The FORM session cookie the client keeps (private state of its DrillSession). */
function sessionOf(drill: DrillClient): { cookie?: string } {
  return (drill as unknown as { session: { cookie?: string } }).session;
}
const cookieOf = (drill: DrillClient): string | undefined => sessionOf(drill).cookie;

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const PORT = process.env['RADLAB_DRILL_AUTH_PORT'] ?? '8048';
const DRILL = `http://127.0.0.1:${PORT}`;
const USER = process.env['RADLAB_DRILL_AUTH_USER'] ?? 'analyst';
const WRONG = 'not-the-password-7f3a';
const SQL = 'SELECT session_user AS u, 1 AS one FROM (VALUES(1))';
let password: string;

function transport(auth?: { username: string; password: string }): Transport {
  return new Transport({
    service: 'drill',
    connection: 'auth-drill',
    baseURL: DRILL,
    auth: auth ? { type: 'basic', ...auth } : undefined
  });
}

async function failure(promise: Promise<unknown>): Promise<RadlabError> {
  try {
    await promise;
  } catch (e) {
    expect(RadlabError.isRadlabError(e)).toBe(true);
    return e as RadlabError;
  }
  throw new Error('expected a failure');
}

function expectAuthFailure(e: RadlabError, secret: string): void {
  expect(e.code).toBe('auth');
  expect(e.message).toMatch(/authentication failed/);
  const everything = JSON.stringify({ ...e, message: e.message, hint: e.hint, stack: e.stack });
  expect(everything).not.toContain(secret);
}

beforeAll(() => {
  execFileSync(`${root}scripts/services/drill`, ['start'], {
    stdio: 'ignore',
    timeout: 240_000,
    env: { ...process.env, RADLAB_DRILL_AUTH: '1', RADLAB_DRILL_PORT: PORT }
  });
  const state = process.env['RADLAB_STATE'] ?? `${root}.radlab`;
  password =
    process.env['RADLAB_DRILL_AUTH_PASSWORD'] ??
    readFileSync(`${state}/drill-auth/password`, 'utf8');
}, 250_000);

describe('Drill auth (BASIC, FORM) against Drill 1.22', { timeout: 60_000 }, () => {
  it('refuses a request without credentials as an auth error', async () => {
    const e = await failure(new DrillClient(transport()).query(SQL));
    expectAuthFailure(e, password);
  });

  it('BASIC: the right password runs queries', async () => {
    const drill = new DrillClient(transport({ username: USER, password }));
    const r = await drill.query(SQL);
    expect(r.rows).toEqual([[USER, 1]]);
    expect((await drill.profiles()).finished.length).toBeGreaterThan(0);
  });

  it('BASIC: a wrong password is an auth error that does not show the password', async () => {
    const e = await failure(
      new DrillClient(transport({ username: USER, password: WRONG })).query(SQL)
    );
    expectAuthFailure(e, WRONG);
  });

  it('FORM: logs in, keeps the session, runs queries and REST calls', async () => {
    const drill = new DrillClient(transport(), { formLogin: { username: USER, password } });
    expect((await drill.query(SQL)).rows).toEqual([[USER, 1]]);
    const session = cookieOf(drill);
    expect(session).toMatch(/^Drill-Session-Id=/);
    expect((await drill.storagePlugins()).some(p => p.name === 'dfs')).toBe(true);
    expect(cookieOf(drill)).toBe(session);
  });

  it('FORM: a wrong password is an auth error that does not show the password', async () => {
    const drill = new DrillClient(transport(), {
      formLogin: { username: USER, password: WRONG }
    });
    expectAuthFailure(await failure(drill.query(SQL)), WRONG);
  });

  it('FORM: logs in again once when the session has expired', async () => {
    const drill = new DrillClient(transport(), { formLogin: { username: USER, password } });
    await drill.query(SQL);
    // a session Drill does not know: what an expired one (or a Drill restart) looks like
    sessionOf(drill).cookie = 'Drill-Session-Id=node0expired.node0';
    expect((await drill.query(SQL)).rows).toEqual([[USER, 1]]);
    expect(cookieOf(drill)).not.toContain('expired');
  });

  it('impersonation: userName runs the query as that user', async () => {
    const drill = new DrillClient(transport({ username: USER, password }));
    const r = await drill.query(SQL, { userName: 'dr_who' });
    expect(r.rows).toEqual([['dr_who', 1]]);
  });

  it('a connection with drillAuth "form" gets a FORM-login client from the node helper', async () => {
    const env = { ...process.env, RADLAB_TEST_DRILL_PW: password };
    const client = await createNodeDrillClient(
      {
        name: 'auth-drill',
        kind: 'drill',
        url: DRILL,
        drillAuth: 'form',
        auth: { type: 'basic', username: USER, passwordEnv: 'RADLAB_TEST_DRILL_PW' }
      },
      { env }
    );
    const r = await client.query(SQL);
    expect(r.rows[0]?.[0]).toBe(USER);
  });
});
