// LivyClient: Apache Livy's REST API (interactive sessions, statements, batches) on a Transport.
// Waiting is polling through the one deadline helper; a statement that times out or is aborted is
// cancelled in Livy too. Creating a session or batch is a POST the transport never retries, so a retry
// can't start a second one. Keep-alive is POST /sessions/{id}/connect, which resets both Livy's idle
// timeout (livy.server.session.timeout, 1 h by default) and the session's heartbeat.

import { RadlabError } from '../../errors.js';
import { poll, wait, type StopErrorOptions } from '../../deadline.js';
import type { Transport } from '../../transport/transport.js';
import {
  batchGone,
  livyError,
  livyFailure,
  rMissing,
  saysRMissing,
  sessionDead,
  sessionGone,
  statementFailed
} from './errors.js';
import { LogFollower, type LogLine } from './log-follow.js';
import {
  LIVY_FINAL_STATES,
  LIVY_STARTING_STATES,
  type LivyBatch,
  type LivyBatchConf,
  type LivyLog,
  type LivyOutput,
  type LivyResult,
  type LivySession,
  type LivySessionConf,
  type LivySessionKind,
  type LivyStatement
} from './types.js';

export interface LivyClientOptions {
  /** Livy's livy.server.session.timeout, for the time-until-expiry (default 1 h, Livy's default). */
  serverIdleTimeoutMs?: number;
  /** Longest wait for a new session to become idle (default 5 min: Spark drivers are slow). */
  startTimeoutMs?: number;
  /** Default time limit of a statement (default: none). */
  statementTimeoutMs?: number;
  /** How many log lines a dead session's error carries (default 20). */
  logTailLines?: number;
}

export interface WaitOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface RunOptions extends WaitOptions {
  /** The statement's language in a session of another kind (Livy 0.5+ shared sessions). */
  kind?: LivySessionKind;
  /** Called on every poll while the statement waits or runs. */
  onProgress?: (statement: LivyStatement) => void;
}

export interface KeepAlive {
  stop(): void;
  /** Milliseconds until Livy's idle timeout would end the session if nothing called it. */
  expiresInMs(): number;
}

export interface KeepAliveOptions {
  /** Between two keep-alive calls (default 5 min). */
  intervalMs?: number;
  /** The session died or went away: keep-alive stops. */
  onDead?: (error: RadlabError) => void;
}

const DEFAULT_IDLE_TIMEOUT = 3_600_000;
const CANCEL_BUDGET = 5_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(v => String(v)) : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Livy's appInfo ({driverLogUrl, sparkUiUrl, ...}) without its null entries. */
function appInfoOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
  );
}

/** Livy's duration strings ("1h", "30m", "90s", "500ms", "2d") in milliseconds. */
export function parseLivyDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
  return Number(m[1]) * factor;
}

export class LivyClient {
  readonly transport: Transport;
  private readonly options: LivyClientOptions;
  /** When this client last called each session (a call Livy counts as activity). */
  private readonly lastActivity = new Map<number, number>();
  private readonly idleTimeouts = new Map<number, number>();

  constructor(transport: Transport, options: LivyClientOptions = {}) {
    this.transport = transport;
    this.options = options;
  }

  private get connection(): string | undefined {
    return this.transport.connection;
  }

  private badShape(path: string, expected: string): RadlabError {
    return livyError({
      code: 'badResponse',
      connection: this.connection,
      message: `${path} did not return ${expected}`,
      hint: `Is ${this.transport.baseURL} an Apache Livy server? Check the connection URL.`
    });
  }

  /** The errors of a wait stopped by its time limit or by the caller. */
  private stopErrors(what: string, timeoutMs: number, hint: string): StopErrorOptions {
    return {
      service: 'livy',
      connection: this.connection,
      timeout: { message: `${what} did not finish within ${Math.round(timeoutMs / 1000)} s`, hint },
      cancelled: { message: `${what} was cancelled` }
    };
  }

  private async get<T>(path: string, signal?: AbortSignal, params?: Record<string, number>) {
    return (await this.transport.request<T>({ path, signal, params })).data;
  }

  /** A 404 on /sessions/{id}/... means the session is gone: say so, not "no such path". */
  private async onSession<T>(id: number, call: () => Promise<T>): Promise<T> {
    try {
      const value = await call();
      return value;
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'notFound' && !livyFailure(e)) {
        throw sessionGone(id, this.connection, e);
      }
      throw e;
    }
  }

  private touched(id: number): void {
    this.lastActivity.set(id, Date.now());
  }

  // ---------------------------------------------------------------------------------------- sessions

  parseSession(value: unknown, path = '/sessions'): LivySession {
    if (!isObject(value) || typeof value['id'] !== 'number' || typeof value['state'] !== 'string') {
      throw this.badShape(path, 'a Livy session ({id, state, kind})');
    }
    const session: LivySession = {
      id: value['id'],
      name: optionalString(value['name']),
      appId: optionalString(value['appId']),
      owner: optionalString(value['owner']),
      proxyUser: optionalString(value['proxyUser']),
      state: value['state'] as LivySession['state'],
      kind: String(value['kind'] ?? ''),
      appInfo: appInfoOf(value['appInfo']),
      log: strings(value['log']),
      idleTimeout: optionalString(value['idleTimeout']),
      ttl: optionalString(value['ttl'])
    };
    if (typeof value['heartbeatTimeoutInSecond'] === 'number') {
      session.heartbeatTimeoutInSecond = value['heartbeatTimeoutInSecond'];
    }
    const idle = parseLivyDuration(session.idleTimeout);
    if (idle !== undefined) this.idleTimeouts.set(session.id, idle);
    return session;
  }

  async sessions(options: { signal?: AbortSignal; from?: number; size?: number } = {}) {
    const body = await this.get<unknown>('/sessions', options.signal, {
      ...(options.from !== undefined ? { from: options.from } : {}),
      ...(options.size !== undefined ? { size: options.size } : {})
    });
    if (!isObject(body) || !Array.isArray(body['sessions'])) {
      throw this.badShape('GET /sessions', 'a JSON object with a "sessions" array');
    }
    return body['sessions'].map(s => this.parseSession(s));
  }

  async session(id: number, options: { signal?: AbortSignal } = {}): Promise<LivySession> {
    const path = `/sessions/${id}`;
    return this.parseSession(
      await this.onSession(id, () => this.get<unknown>(path, options.signal)),
      path
    );
  }

  /** POST /sessions: the session starts asynchronously (state `starting`); see `startSession`. */
  async createSession(
    conf: LivySessionConf,
    options: { signal?: AbortSignal } = {}
  ): Promise<LivySession> {
    const body = Object.fromEntries(Object.entries(conf).filter(([, v]) => v !== undefined));
    const answer = await this.transport.request<unknown>({
      method: 'POST',
      path: '/sessions',
      data: body,
      signal: options.signal
    });
    const session = this.parseSession(answer.data, 'POST /sessions');
    this.touched(session.id);
    return session;
  }

  /** Creates a session and waits until it is idle; a session that dies on the way is deleted. */
  async startSession(
    conf: LivySessionConf,
    options: WaitOptions & { onState?: (session: LivySession) => void } = {}
  ): Promise<LivySession> {
    const created = await this.createSession(conf, options);
    try {
      const idle = await this.waitForIdle(created.id, options);
      // Livy starts a kind's interpreter lazily, at its first statement: a sparkr session without R
      // would reach idle and fail later. One trivial statement says so now.
      if (conf.kind === 'sparkr') await this.run(idle.id, '1', { ...options, kind: 'sparkr' });
      return idle;
    } catch (e) {
      // a timed-out or cancelled start leaves no half-started driver behind
      await this.deleteSession(created.id, { timeoutMs: CANCEL_BUDGET }).catch(() => undefined);
      throw e;
    }
  }

  /** Polls until the session is idle (or busy: it runs something, so it started). */
  async waitForIdle(
    id: number,
    options: WaitOptions & { onState?: (session: LivySession) => void } = {}
  ): Promise<LivySession> {
    return poll(
      async signal => {
        const session = await this.session(id, { signal });
        options.onState?.(session);
        if (session.state === 'idle' || session.state === 'busy') return session;
        if (LIVY_FINAL_STATES.has(session.state) || session.state === 'shutting_down') {
          throw await this.deadError(session);
        }
        if (!LIVY_STARTING_STATES.has(session.state)) return undefined;
        return undefined;
      },
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.options.startTimeoutMs ?? 300_000,
        stop: this.stopErrors(
          `starting Livy session ${id}`,
          options.timeoutMs ?? this.options.startTimeoutMs ?? 300_000,
          'Spark did not start in time: the cluster may be out of resources (queue, memory). Livy’s log for the session says more (radlab livy log).'
        ),
        initialDelayMs: 500,
        maxDelayMs: 2000
      }
    );
  }

  /** The error for a session found dead, with its last log lines (fetched, as the view has ~10). */
  private async deadError(session: LivySession): Promise<RadlabError> {
    let tail = session.log;
    try {
      tail = (await this.sessionLog(session.id, { size: this.options.logTailLines ?? 20 })).lines;
    } catch {
      // the session may be gone already; its view's lines are what there is
    }
    return sessionDead({
      sessionId: session.id,
      state: session.state,
      kind: session.kind,
      logTail: tail,
      connection: this.connection
    });
  }

  async deleteSession(id: number, options: WaitOptions = {}): Promise<void> {
    try {
      await this.transport.request({
        method: 'DELETE',
        path: `/sessions/${id}`,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        idempotent: true
      });
    } catch (e) {
      // deleting what is already gone is done
      if (RadlabError.isRadlabError(e) && e.code === 'notFound') return;
      throw e;
    }
    this.lastActivity.delete(id);
  }

  /** Lines of the session's log; without `from`, the last `size` (default 100) lines. */
  async sessionLog(
    id: number,
    options: { signal?: AbortSignal; from?: number; size?: number } = {}
  ): Promise<LivyLog> {
    return this.onSession(id, () => this.log(`/sessions/${id}/log`, options));
  }

  private async log(
    path: string,
    options: { signal?: AbortSignal; from?: number; size?: number }
  ): Promise<LivyLog> {
    const body = await this.get<unknown>(path, options.signal, {
      ...(options.from !== undefined ? { from: options.from } : {}),
      size: options.size ?? 100
    });
    if (!isObject(body) || !Array.isArray(body['log'])) {
      throw this.badShape(`GET ${path}`, 'a log ({from, total, log})');
    }
    return {
      from: typeof body['from'] === 'number' ? body['from'] : 0,
      total: typeof body['total'] === 'number' ? body['total'] : body['log'].length,
      lines: strings(body['log'])
    };
  }

  // --------------------------------------------------------------------------------- keep-alive

  /** POST /sessions/{id}/connect: counts as activity for Livy's idle timeout and the heartbeat. */
  async touch(id: number, options: { signal?: AbortSignal } = {}): Promise<LivySession> {
    const path = `/sessions/${id}/connect`;
    const answer = await this.onSession(id, () =>
      this.transport.request<unknown>({
        method: 'POST',
        path,
        signal: options.signal,
        idempotent: true
      })
    );
    this.touched(id);
    const session = this.parseSession(answer.data, `POST ${path}`);
    if (LIVY_FINAL_STATES.has(session.state)) throw await this.deadError(session);
    return session;
  }

  /**
   * Milliseconds until Livy's idle timeout ends the session if no one calls it, as far as this client
   * knows (its own calls); undefined for a session it never called.
   */
  expiresInMs(id: number): number | undefined {
    const last = this.lastActivity.get(id);
    if (last === undefined) return undefined;
    const timeout =
      this.idleTimeouts.get(id) ?? this.options.serverIdleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT;
    return Math.max(0, last + timeout - Date.now());
  }

  /** Calls `touch` every `intervalMs` until stopped, or until the session is found dead or gone. */
  keepAlive(id: number, options: KeepAliveOptions = {}): KeepAlive {
    const interval = options.intervalMs ?? 300_000;
    let stopped = false;
    const controller = new AbortController();
    const tick = async (): Promise<void> => {
      try {
        await this.touch(id, { signal: controller.signal });
      } catch (e) {
        if (stopped) return;
        const failure = livyFailure(e);
        if (failure === 'sessionDead' || failure === 'sessionGone' || failure === 'rMissing') {
          stop();
          options.onDead?.(e as RadlabError);
        }
        // anything else (Livy briefly unreachable): the next tick tries again
      }
    };
    const timer = setInterval(() => void tick(), interval);
    // a keep-alive must not hold a node process (the CLI) open
    (timer as { unref?: () => void }).unref?.();
    const stop = (): void => {
      stopped = true;
      clearInterval(timer);
      controller.abort();
    };
    if (!this.lastActivity.has(id)) void tick();
    return { stop, expiresInMs: () => this.expiresInMs(id) ?? interval };
  }

  // --------------------------------------------------------------------------------- statements

  parseStatement(value: unknown, path: string): LivyStatement {
    if (!isObject(value) || typeof value['id'] !== 'number' || typeof value['state'] !== 'string') {
      throw this.badShape(path, 'a Livy statement ({id, state, output})');
    }
    const statement: LivyStatement = {
      id: value['id'],
      code: typeof value['code'] === 'string' ? value['code'] : '',
      state: value['state'] as LivyStatement['state'],
      progress: typeof value['progress'] === 'number' ? value['progress'] : 0
    };
    if (typeof value['started'] === 'number' && value['started'] > 0)
      statement.started = value['started'];
    if (typeof value['completed'] === 'number' && value['completed'] > 0)
      statement.completed = value['completed'];
    const output = value['output'];
    if (isObject(output)) {
      const executionCount =
        typeof output['execution_count'] === 'number' ? output['execution_count'] : 0;
      statement.output =
        output['status'] === 'error'
          ? {
              status: 'error',
              executionCount,
              ename: String(output['ename'] ?? 'Error'),
              evalue: String(output['evalue'] ?? ''),
              traceback: strings(output['traceback'])
            }
          : {
              status: 'ok',
              executionCount,
              data: isObject(output['data']) ? output['data'] : {}
            };
    }
    return statement;
  }

  async submitStatement(
    id: number,
    code: string,
    options: { kind?: LivySessionKind; signal?: AbortSignal } = {}
  ): Promise<LivyStatement> {
    const path = `/sessions/${id}/statements`;
    let answer;
    try {
      answer = await this.onSession(id, () =>
        this.transport.request<unknown>({
          method: 'POST',
          path,
          data: options.kind ? { code, kind: options.kind } : { code },
          signal: options.signal
        })
      );
    } catch (e) {
      // Livy refuses statements to a session that ended ("Session is in state dead"): say it is dead
      if (
        RadlabError.isRadlabError(e) &&
        !livyFailure(e) &&
        ['badRequest', 'server', 'conflict'].includes(e.code)
      ) {
        const session = await this.session(id, { signal: options.signal });
        if (LIVY_FINAL_STATES.has(session.state)) throw await this.deadError(session);
      }
      throw e;
    }
    this.touched(id);
    return this.parseStatement(answer.data, `POST ${path}`);
  }

  async statement(
    id: number,
    statementId: number,
    options: { signal?: AbortSignal } = {}
  ): Promise<LivyStatement> {
    const path = `/sessions/${id}/statements/${statementId}`;
    return this.parseStatement(
      await this.onSession(id, () => this.get<unknown>(path, options.signal)),
      `GET ${path}`
    );
  }

  /** Cancels a statement in Livy (its Spark job group); finished statements stay as they were. */
  async cancelStatement(id: number, statementId: number, options: WaitOptions = {}): Promise<void> {
    await this.onSession(id, () =>
      this.transport.request({
        method: 'POST',
        path: `/sessions/${id}/statements/${statementId}/cancel`,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        idempotent: true
      })
    );
    this.touched(id);
  }

  /**
   * Polls a statement until it is finished. On timeout or abort it is cancelled in Livy; a session that
   * dies meanwhile is reported as dead with its last log lines (never a hang).
   */
  async waitForStatement(
    id: number,
    statementId: number,
    options: RunOptions = {}
  ): Promise<LivyStatement> {
    try {
      return await poll(
        async (signal, attempt) => {
          let statement: LivyStatement;
          try {
            statement = await this.statement(id, statementId, { signal });
          } catch (e) {
            // the driver died under the statement: Livy may answer 500 or forget it
            if (signal.aborted) throw e;
            const session = await this.session(id, { signal });
            if (LIVY_FINAL_STATES.has(session.state)) throw await this.deadError(session);
            throw e;
          }
          options.onProgress?.(statement);
          if (['available', 'error', 'cancelled'].includes(statement.state)) {
            this.touched(id);
            return statement;
          }
          if (attempt % 4 === 3) {
            const session = await this.session(id, { signal });
            if (LIVY_FINAL_STATES.has(session.state)) throw await this.deadError(session);
          }
          return undefined;
        },
        {
          signal: options.signal,
          timeoutMs: options.timeoutMs ?? this.options.statementTimeoutMs,
          stop: this.stopErrors(
            `statement ${statementId} of Livy session ${id}`,
            options.timeoutMs ?? this.options.statementTimeoutMs ?? 0,
            'It was cancelled in Livy. Raise the time limit, or make the job smaller.'
          ),
          initialDelayMs: 100,
          maxDelayMs: 1000
        }
      );
    } catch (e) {
      if (RadlabError.isRadlabError(e) && (e.code === 'timeout' || e.code === 'cancelled')) {
        await this.cancelStatement(id, statementId, { timeoutMs: CANCEL_BUDGET }).catch(
          () => undefined
        );
      }
      throw e;
    }
  }

  /** Submits code, waits, and returns its output; a Spark exception is a `statementFailed` error. */
  async run(id: number, code: string, options: RunOptions = {}): Promise<LivyResult> {
    const submitted = await this.submitStatement(id, code, options);
    const statement = await this.waitForStatement(id, submitted.id, options);
    const output = statement.output;
    if (output?.status === 'error' && output.ename === 'InterpreterError') {
      // an interpreter Livy could not start: its log says why (sparkr: R or SparkR missing)
      const tail = await this.sessionLog(id, { size: 200, signal: options.signal }).then(
        l => l.lines,
        () => []
      );
      if (saysRMissing(tail)) throw rMissing(id, tail, this.connection);
    }
    return this.result(id, statement);
  }

  /** A finished statement's output, or the error it stands for. */
  result(id: number, statement: LivyStatement): LivyResult {
    if (statement.state === 'cancelled') {
      throw livyError({
        code: 'cancelled',
        failure: 'statementCancelled',
        connection: this.connection,
        message: `statement ${statement.id} of Livy session ${id} was cancelled`,
        details: { sessionId: id, statementId: statement.id }
      });
    }
    const output: LivyOutput | undefined = statement.output;
    if (output?.status === 'error') {
      throw statementFailed(output, {
        sessionId: id,
        statementId: statement.id,
        connection: this.connection
      });
    }
    const data = output?.status === 'ok' ? output.data : {};
    const plain = data['text/plain'];
    return { statement, data, text: typeof plain === 'string' ? plain : '' };
  }

  /** Completion candidates for `code` at `cursor` (a character offset). */
  async completion(
    id: number,
    code: string,
    cursor: number,
    options: { kind?: LivySessionKind; signal?: AbortSignal } = {}
  ): Promise<string[]> {
    const answer = await this.onSession(id, () =>
      this.transport.request<unknown>({
        method: 'POST',
        path: `/sessions/${id}/completion`,
        data: { code, cursor, kind: options.kind ?? 'pyspark' },
        signal: options.signal,
        idempotent: true
      })
    );
    return isObject(answer.data) ? strings(answer.data['candidates']) : [];
  }

  // ------------------------------------------------------------------------------------ batches

  private parseBatch(value: unknown, path: string): LivyBatch {
    if (!isObject(value) || typeof value['id'] !== 'number' || typeof value['state'] !== 'string') {
      throw this.badShape(path, 'a Livy batch ({id, state})');
    }
    return {
      id: value['id'],
      name: optionalString(value['name']),
      appId: optionalString(value['appId']),
      state: value['state'] as LivyBatch['state'],
      appInfo: appInfoOf(value['appInfo']),
      log: strings(value['log'])
    };
  }

  private async onBatch<T>(id: number, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'notFound')
        throw batchGone(id, this.connection, e);
      throw e;
    }
  }

  async batches(options: { signal?: AbortSignal } = {}): Promise<LivyBatch[]> {
    const body = await this.get<unknown>('/batches', options.signal);
    if (!isObject(body) || !Array.isArray(body['sessions'])) {
      throw this.badShape('GET /batches', 'a JSON object with a "sessions" array');
    }
    return body['sessions'].map(b => this.parseBatch(b, 'GET /batches'));
  }

  async batch(id: number, options: { signal?: AbortSignal } = {}): Promise<LivyBatch> {
    const path = `/batches/${id}`;
    return this.parseBatch(
      await this.onBatch(id, () => this.get<unknown>(path, options.signal)),
      `GET ${path}`
    );
  }

  async submitBatch(conf: LivyBatchConf, options: { signal?: AbortSignal } = {}) {
    const body = Object.fromEntries(Object.entries(conf).filter(([, v]) => v !== undefined));
    const answer = await this.transport.request<unknown>({
      method: 'POST',
      path: '/batches',
      data: body,
      signal: options.signal
    });
    return this.parseBatch(answer.data, 'POST /batches');
  }

  async batchLog(id: number, options: { signal?: AbortSignal; from?: number; size?: number } = {}) {
    return this.onBatch(id, () => this.log(`/batches/${id}/log`, options));
  }

  async deleteBatch(id: number, options: WaitOptions = {}): Promise<void> {
    try {
      await this.transport.request({
        method: 'DELETE',
        path: `/batches/${id}`,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        idempotent: true
      });
    } catch (e) {
      if (RadlabError.isRadlabError(e) && e.code === 'notFound') return;
      throw e;
    }
  }

  /**
   * Yields the batch's new log lines (per stream) as they appear, until it finishes; returns the final
   * batch. Aborting the signal stops following (the batch keeps running: deleteBatch kills it).
   */
  async *followBatch(
    id: number,
    options: { signal?: AbortSignal; intervalMs?: number } = {}
  ): AsyncGenerator<LogLine[], LivyBatch> {
    const follower = new LogFollower();
    for (;;) {
      const batch = await this.batch(id, options);
      // all of Livy's kept lines (size -1): offsets shift, the follower finds what is new
      const log = await this.batchLog(id, { signal: options.signal, size: -1 });
      const lines = follower.update(log.lines);
      if (lines.length > 0) yield lines;
      if (LIVY_FINAL_STATES.has(batch.state)) {
        // the last lines may land after the state change
        const last = follower.update(
          (await this.batchLog(id, { signal: options.signal, size: -1 })).lines
        );
        if (last.length > 0) yield last;
        return batch;
      }
      if (!(await wait(options.intervalMs ?? 1000, options.signal))) {
        throw livyError({
          code: 'cancelled',
          connection: this.connection,
          message: `stopped following Livy batch ${id} (it keeps running)`
        });
      }
    }
  }
}
