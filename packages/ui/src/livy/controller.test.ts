// The controller's state rules over an in-memory Livy (a list of sessions); the real Livy is driven
// by the UI specs in both hosts (ui-tests/*/livy.spec.ts).
import { describe, expect, it } from 'vitest';
import { RadlabError } from '@radlab/core';
import {
  LivySessionsController,
  restartConf,
  type LivySessionsApi,
  type LivyStartConf
} from './controller.js';
import type { LivySessionInfo, LivySessionsState } from './sessions.js';

class MemoryLivy implements LivySessionsApi {
  sessionsList: LivySessionInfo[] = [];
  created: LivyStartConf[] = [];
  deleted: number[] = [];
  activity = new Map<number, number>();
  failList: unknown;
  private next = 0;
  async sessions(): Promise<LivySessionInfo[]> {
    if (this.failList) throw this.failList;
    return this.sessionsList.map(s => ({ ...s }));
  }
  async createSession(conf: LivyStartConf): Promise<LivySessionInfo> {
    if (this.sessionsList.some(s => s.name !== undefined && s.name === conf.name)) {
      throw new RadlabError({
        code: 'badRequest',
        service: 'livy',
        message: 'Duplicate session name'
      });
    }
    this.created.push(conf);
    const session = { ...conf, id: this.next++, state: 'starting', log: [] } as LivySessionInfo;
    this.sessionsList.push(session);
    return session;
  }
  async deleteSession(id: number): Promise<void> {
    this.deleted.push(id);
    this.sessionsList = this.sessionsList.filter(s => s.id !== id);
  }
  async sessionLog(id: number): Promise<{ lines: string[] }> {
    return { lines: [`log of ${id}`] };
  }
}

function setup(livy = new MemoryLivy()) {
  const controller = new LivySessionsController({
    client: name => (name === 'local-livy' ? livy : undefined),
    rMissing: lines => lines.some(l => l.includes('Cannot run program "R"')),
    rMissingHint: 'needs R',
    serverIdleTimeoutMs: 3_600_000,
    lastActivity: async (_connection: string, id: number) => livy.activity.get(id)
  });
  const states: LivySessionsState[] = [];
  controller.subscribe(s => states.push(s));
  return { livy, controller, states, last: () => states[states.length - 1] };
}

describe('LivySessionsController', () => {
  it('starts a session and lists it with an expiry from its creation', async () => {
    const { livy, controller, last } = setup();
    controller.setConnections(['local-livy']);
    await controller.refresh();
    expect(last().connection).toBe('local-livy');
    const started = await controller.start('pyspark', 'etl');
    expect(started?.id).toBe(0);
    expect(livy.created).toEqual([{ kind: 'pyspark', name: 'etl' }]);
    livy.sessionsList[0].state = 'idle';
    await controller.refresh();
    const row = last().sessions[0];
    expect(row.state).toBe('idle');
    expect(row.expiresInMs).toBeGreaterThan(59 * 60_000);
    expect(last().starting).toBeUndefined();
    controller.dispose();
  });

  it('takes the expiry from the last statement of a session another client runs', async () => {
    const { livy, controller, last } = setup();
    livy.sessionsList = [{ id: 7, kind: 'pyspark', state: 'idle', log: [] }];
    livy.activity.set(7, Date.now() - 50 * 60_000);
    controller.setConnections(['local-livy']);
    await controller.refresh();
    const ms = last().sessions[0].expiresInMs ?? 0;
    expect(ms).toBeGreaterThan(9 * 60_000);
    expect(ms).toBeLessThanOrEqual(10 * 60_000);
    controller.dispose();
  });

  it('restarts a dead session with its settings after deleting it (its name is free again)', async () => {
    const { livy, controller, last } = setup();
    livy.sessionsList = [
      {
        id: 3,
        name: 'etl',
        kind: 'spark',
        state: 'dead',
        log: ['killed'],
        driverMemory: '1g',
        conf: { 'spark.x': '1' },
        jars: [],
        driverCores: 0
      } as LivySessionInfo
    ];
    controller.setConnections(['local-livy']);
    await controller.refresh();
    const fresh = await controller.restart(3);
    expect(livy.deleted).toEqual([3]);
    expect(livy.created).toEqual([
      { kind: 'spark', name: 'etl', driverMemory: '1g', conf: { 'spark.x': '1' } }
    ]);
    expect(fresh?.state).toBe('starting');
    expect(last().sessions.map(s => s.id)).toEqual([0]);
    controller.dispose();
  });

  it('disables sparkr once Livy says R is missing, and keeps it so', async () => {
    const { livy, controller, last } = setup();
    livy.sessionsList = [
      { id: 1, kind: 'sparkr', state: 'dead', log: ['java.io.IOException: Cannot run program "R"'] }
    ];
    controller.setConnections(['local-livy']);
    await controller.refresh();
    expect(last().unavailableKinds).toEqual({ sparkr: 'needs R' });
    await controller.kill(1);
    expect(last().sessions).toEqual([]);
    expect(last().unavailableKinds).toEqual({ sparkr: 'needs R' });
    controller.dispose();
  });

  it('reports a failing Livy as the state error, and clears it when Livy answers', async () => {
    const { livy, controller, last } = setup();
    livy.failList = new RadlabError({
      code: 'unreachable',
      service: 'livy',
      message: 'connect ECONNREFUSED 127.0.0.1:8998',
      hint: 'Start Livy.'
    });
    controller.setConnections(['local-livy']);
    await controller.refresh();
    expect(last().error).toMatchObject({ code: 'unreachable', hint: 'Start Livy.' });
    livy.failList = undefined;
    await controller.refresh();
    expect(last().error).toBeUndefined();
    expect(await controller.log(0)).toEqual(['log of 0']);
    controller.dispose();
  });

  it('keeps only settings a restart can pass back to Livy', () => {
    expect(
      restartConf({
        id: 1,
        kind: 'pyspark',
        state: 'dead',
        log: [],
        proxyUser: null,
        queue: 'gpu',
        numExecutors: 2
      } as unknown as LivySessionInfo)
    ).toEqual({ kind: 'pyspark', queue: 'gpu', numExecutors: 2 });
  });
});
