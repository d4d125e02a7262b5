// One way to bound an operation in time: the caller's AbortSignal and a time limit combined into one
// signal, with the reason it stopped and the RadlabError that says so. Used by the transport (each
// attempt) and by every streaming or polling client (a Drill query's rows, Livy statements, watches).

import { RadlabError, type RadlabErrorOptions } from './errors.js';

export type StopReason = 'cancelled' | 'timeout';

export interface DeadlineOptions {
  /** The caller's signal: its abort stops the operation as `cancelled`. */
  signal?: AbortSignal;
  /** The time limit in ms, from now; 0 or undefined: none. */
  timeoutMs?: number;
}

/** Message and hint for each way an operation can stop. */
export interface StopErrorOptions extends Omit<RadlabErrorOptions, 'code' | 'message' | 'hint'> {
  timeout: { message: string; hint?: string };
  cancelled: { message: string; hint?: string };
}

export class Deadline {
  /** Aborts when the caller's signal does, when the time is up, or on abort(). */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  private readonly controller = new AbortController();
  private readonly callerSignal?: AbortSignal;
  private timer?: ReturnType<typeof setTimeout>;
  private stopReason?: StopReason;
  private readonly onAbort = (): void => this.abort('cancelled');

  constructor(options: DeadlineOptions = {}) {
    this.signal = this.controller.signal;
    this.timeoutMs = options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : 0;
    this.callerSignal = options.signal;
    if (this.callerSignal?.aborted) {
      this.abort('cancelled');
      return;
    }
    this.callerSignal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.timeoutMs > 0) this.timer = setTimeout(() => this.abort('timeout'), this.timeoutMs);
  }

  /** Why it stopped (the first cause wins); undefined while it runs. */
  get reason(): StopReason | undefined {
    return this.stopReason;
  }

  /** Stops it now, e.g. when the consumer has left early (default: `cancelled`). */
  abort(reason: StopReason = 'cancelled'): void {
    this.stopReason ??= reason;
    this.stopTimer();
    this.controller.abort();
  }

  /** The time limit no longer applies (e.g. a stream's headers have come); the caller's signal still does. */
  stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Drops the timer and the listener on the caller's signal: call when the operation is over. */
  dispose(): void {
    this.stopTimer();
    this.callerSignal?.removeEventListener('abort', this.onAbort);
  }

  /** The error that says how it stopped: code `timeout` or `cancelled` (`cancelled` if it has not). */
  error(options: StopErrorOptions): RadlabError {
    return stopError(this.stopReason ?? 'cancelled', options);
  }
}

/** The RadlabError of an operation stopped for `reason`: code `timeout` or `cancelled`. */
export function stopError(reason: StopReason, options: StopErrorOptions): RadlabError {
  const { timeout, cancelled, ...base } = options;
  const stop = reason === 'timeout' ? timeout : cancelled;
  return new RadlabError({ ...base, code: reason, message: stop.message, hint: stop.hint });
}

/** Waits `ms`; false, at once, if `signal` aborts first (then the caller throws its `cancelled`). */
export function wait(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise(resolve => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface PollOptions extends DeadlineOptions {
  /** The errors for a poll stopped by the caller or by the time limit. */
  stop: StopErrorOptions;
  /** First delay between attempts (default 250 ms); grows by `factor` (1.5) up to `maxDelayMs` (2000). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
}

/**
 * Calls `step` until it returns something other than undefined, waiting with backoff between calls
 * (e.g. a Livy statement until it is finished). An error `step` throws ends the poll as it is, except
 * that a request cut by the poll's own signal ends it as `cancelled` or `timeout`, as does an abort or
 * the time limit between calls.
 */
export async function poll<T>(
  step: (signal: AbortSignal, attempt: number) => Promise<T | undefined>,
  options: PollOptions
): Promise<T> {
  const deadline = new Deadline(options);
  let delay = options.initialDelayMs ?? 250;
  try {
    for (let attempt = 0; ; attempt++) {
      if (deadline.signal.aborted) throw deadline.error(options.stop);
      let value: T | undefined;
      try {
        value = await step(deadline.signal, attempt);
      } catch (e) {
        if (deadline.signal.aborted) throw deadline.error(options.stop);
        throw e;
      }
      if (value !== undefined) return value;
      if (!(await wait(delay, deadline.signal))) throw deadline.error(options.stop);
      delay = Math.min(delay * (options.factor ?? 1.5), options.maxDelayMs ?? 2000);
    }
  } finally {
    deadline.dispose();
  }
}
