import { describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { failure } from '../testing/errors.js';
import { deadline, poll, sleep } from './deadline.js';

const base = { service: 'livy' as const, what: 'the thing' };

describe('deadline / poll', () => {
  it('polls until a value comes', async () => {
    let calls = 0;
    const value = await poll(async () => (++calls === 3 ? 'done' : undefined), {
      ...base,
      initialDelayMs: 1
    });
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('a budget that runs out is a timeout error naming what ran out', async () => {
    const e = await failure(
      poll(async () => undefined, { ...base, timeoutMs: 30, initialDelayMs: 5 })
    );
    expect(e.code).toBe('timeout');
    expect(e.message).toContain('the thing did not finish');
  });

  it('the caller aborting is a cancelled error, also mid-sleep', async () => {
    const controller = new AbortController();
    const pending = poll(async () => undefined, {
      ...base,
      signal: controller.signal,
      initialDelayMs: 10_000
    });
    controller.abort();
    expect((await failure(pending)).code).toBe('cancelled');
    const already = deadline({ ...base, signal: controller.signal });
    expect(already.signal.aborted).toBe(true);
    expect(already.error().code).toBe('cancelled');
    already.dispose();
  });

  it('errors of the step end the poll as they are', async () => {
    const boom = new RadlabError({ code: 'server', service: 'livy', message: 'boom' });
    expect(await failure(poll(async () => Promise.reject(boom), base))).toBe(boom);
  });

  it('sleep rejects with the reason on abort', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('why'));
    await expect(pending).rejects.toThrow('why');
  });
});
