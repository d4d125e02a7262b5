// One deadline/abort helper for clients that poll or stream: a caller's AbortSignal and a time budget
// combined into one signal, sleeps that end early on abort, and a poll loop with backoff. When the budget
// runs out the combined signal aborts with a `timeout` RadlabError; when the caller aborts, `cancelled`.

import { RadlabError, type ErrorService } from '../errors.js';

export interface DeadlineOptions {
  signal?: AbortSignal;
  /** Budget in milliseconds; undefined or <= 0: no time limit (only the caller's signal). */
  timeoutMs?: number;
  service: ErrorService;
  connection?: string;
  /** What ran out of time, for the message: e.g. "statement 3 of Livy session 7". */
  what: string;
  /** Hint for the timeout error. */
  timeoutHint?: string;
}

export interface Deadline {
  /** Aborts when the caller aborts or the budget runs out. */
  readonly signal: AbortSignal;
  /** Milliseconds left (Infinity without a budget). */
  remainingMs(): number;
  /** True once the budget (not the caller) ended it. */
  readonly timedOut: boolean;
  /** The error to throw once `signal` aborted: timeout or cancelled. */
  error(): RadlabError;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

export function deadline(options: DeadlineOptions): Deadline {
  const controller = new AbortController();
  const started = Date.now();
  const budget = options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : 0;
  let timedOut = false;
  const base = { service: options.service, connection: options.connection };
  const timeoutError = (): RadlabError =>
    new RadlabError({
      ...base,
      code: 'timeout',
      message: `${options.what} did not finish within ${Math.round(budget / 1000)} s`,
      hint: options.timeoutHint
    });
  const cancelledError = (): RadlabError =>
    new RadlabError({ ...base, code: 'cancelled', message: `${options.what} was cancelled` });

  const onAbort = (): void => controller.abort(cancelledError());
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    budget > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(timeoutError());
        }, budget)
      : undefined;

  return {
    signal: controller.signal,
    remainingMs: () => (budget > 0 ? Math.max(0, started + budget - Date.now()) : Infinity),
    get timedOut() {
      return timedOut;
    },
    error: () => (timedOut ? timeoutError() : cancelledError()),
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions extends DeadlineOptions {
  /** First delay between attempts (default 250 ms); grows by `factor` up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
}

/**
 * Calls `step` until it returns a value other than undefined, sleeping with backoff between calls. Any
 * error `step` throws ends the poll; an abort (caller or budget) ends it with `cancelled` or `timeout`.
 */
export async function poll<T>(
  step: (signal: AbortSignal, attempt: number) => Promise<T | undefined>,
  options: PollOptions
): Promise<T> {
  const d = deadline(options);
  let delay = options.initialDelayMs ?? 250;
  try {
    for (let attempt = 0; ; attempt++) {
      if (d.signal.aborted) throw d.error();
      let value: T | undefined;
      try {
        value = await step(d.signal, attempt);
      } catch (e) {
        // a request cut by our own signal reports "request cancelled": say which of the two it was
        if (d.signal.aborted) throw d.error();
        throw e;
      }
      if (value !== undefined) return value;
      try {
        await sleep(Math.min(delay, d.remainingMs()), d.signal);
      } catch {
        throw d.error();
      }
      delay = Math.min(delay * (options.factor ?? 1.5), options.maxDelayMs ?? 2000);
    }
  } finally {
    d.dispose();
  }
}
