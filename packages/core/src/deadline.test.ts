import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RadlabError } from './errors.js';
import { Deadline, poll, stopError, wait } from './deadline.js';

const messages = {
  service: 'drill' as const,
  connection: 'local-drill',
  timeout: { message: 'query did not finish within 50 ms', hint: 'Narrow the query.' },
  cancelled: { message: 'query cancelled' }
};

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Deadline', () => {
  it('stops as timeout when the time is up, with the timeout message and hint', () => {
    const deadline = new Deadline({ timeoutMs: 50 });
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.reason).toBeUndefined();
    vi.advanceTimersByTime(50);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.reason).toBe('timeout');
    expect(deadline.error(messages)).toMatchObject({
      code: 'timeout',
      service: 'drill',
      connection: 'local-drill',
      message: 'query did not finish within 50 ms',
      hint: 'Narrow the query.'
    });
  });

  it("stops as cancelled when the caller's signal aborts, before or after it starts", () => {
    const caller = new AbortController();
    const deadline = new Deadline({ signal: caller.signal, timeoutMs: 50 });
    caller.abort();
    expect(deadline.reason).toBe('cancelled');
    expect(deadline.signal.aborted).toBe(true);
    // the timer was dropped: the first cause stays
    vi.advanceTimersByTime(100);
    expect(deadline.reason).toBe('cancelled');
    const error = deadline.error(messages);
    expect(error.code).toBe('cancelled');
    expect(error.hint).toBe('The request was cancelled.');

    const already = new Deadline({ signal: caller.signal, timeoutMs: 50 });
    expect(already.signal.aborted).toBe(true);
    expect(already.reason).toBe('cancelled');
  });

  it('abort() stops it at once; stopTimer() keeps only the caller; dispose() drops both', () => {
    const left = new Deadline({ timeoutMs: 50 });
    left.abort();
    expect(left.reason).toBe('cancelled');

    const caller = new AbortController();
    const streaming = new Deadline({ signal: caller.signal, timeoutMs: 50 });
    streaming.stopTimer();
    vi.advanceTimersByTime(100);
    expect(streaming.signal.aborted).toBe(false);
    caller.abort();
    expect(streaming.reason).toBe('cancelled');

    const other = new AbortController();
    const done = new Deadline({ signal: other.signal, timeoutMs: 50 });
    done.dispose();
    other.abort();
    vi.advanceTimersByTime(100);
    expect(done.signal.aborted).toBe(false);
    expect(done.reason).toBeUndefined();
  });

  it('no limit for 0 or none', () => {
    const deadline = new Deadline({ timeoutMs: 0 });
    vi.advanceTimersByTime(1e9);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.timeoutMs).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stopError names the code and keeps the rest', () => {
    const cause = new Error('socket');
    const error = stopError('timeout', { ...messages, cause, status: 504 });
    expect(error).toMatchObject({ code: 'timeout', status: 504, cause });
  });
});

describe('wait', () => {
  it('resolves true after the time, false at once when aborted', async () => {
    const done = wait(100);
    vi.advanceTimersByTime(100);
    await expect(done).resolves.toBe(true);

    const controller = new AbortController();
    const stopped = wait(100, controller.signal);
    controller.abort();
    await expect(stopped).resolves.toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await expect(wait(100, controller.signal)).resolves.toBe(false);
  });
});

describe('poll', () => {
  const stop = {
    service: 'livy' as const,
    timeout: { message: 'the thing did not finish' },
    cancelled: { message: 'the thing was cancelled' }
  };

  it('calls the step until it has a value, waiting between calls', async () => {
    let calls = 0;
    const done = poll(async () => (++calls === 3 ? 'done' : undefined), {
      stop,
      initialDelayMs: 10
    });
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toBe('done');
    expect(calls).toBe(3);
  });

  it('the time limit ends it as timeout, the caller as cancelled, mid-wait too', async () => {
    const timedOut = poll(async () => undefined, { stop, timeoutMs: 50, initialDelayMs: 10 });
    const caught = timedOut.catch(e => e as RadlabError);
    await vi.advanceTimersByTimeAsync(100);
    expect(await caught).toMatchObject({ code: 'timeout', message: 'the thing did not finish' });

    const controller = new AbortController();
    const cancelled = poll(async () => undefined, {
      stop,
      signal: controller.signal,
      initialDelayMs: 10_000
    });
    const caughtToo = cancelled.catch(e => e as RadlabError);
    await vi.advanceTimersByTimeAsync(1);
    controller.abort();
    expect(await caughtToo).toMatchObject({ code: 'cancelled' });
  });

  it("the step's own errors end it as they are", async () => {
    const boom = new RadlabError({ code: 'server', service: 'livy', message: 'boom' });
    await expect(poll(async () => Promise.reject(boom), { stop })).rejects.toBe(boom);
  });
});
