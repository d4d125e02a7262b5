// Apache Livy's REST shapes (0.7–0.9), as LivyClient returns them.

export const LIVY_SESSION_KINDS = ['pyspark', 'spark', 'sparkr', 'sql'] as const;
export type LivySessionKind = (typeof LIVY_SESSION_KINDS)[number];

/** Every state Livy reports for a session or a batch. */
export type LivySessionState =
  | 'not_started'
  | 'starting'
  | 'recovering'
  | 'idle'
  | 'running'
  | 'busy'
  | 'shutting_down'
  | 'error'
  | 'dead'
  | 'killed'
  | 'success';

/** States a session (or batch) does not leave. */
export const LIVY_FINAL_STATES: ReadonlySet<string> = new Set([
  'error',
  'dead',
  'killed',
  'success'
]);
/** States in which a session is on its way to idle. */
export const LIVY_STARTING_STATES: ReadonlySet<string> = new Set([
  'not_started',
  'starting',
  'recovering'
]);

/** What sessions and batches share: the Spark application's conf. Paths as the Livy host sees them. */
export interface LivySparkConf {
  name?: string;
  proxyUser?: string;
  jars?: string[];
  pyFiles?: string[];
  files?: string[];
  archives?: string[];
  driverMemory?: string;
  driverCores?: number;
  executorMemory?: string;
  executorCores?: number;
  numExecutors?: number;
  queue?: string;
  conf?: Record<string, string>;
}

/** POST /sessions. */
export interface LivySessionConf extends LivySparkConf {
  kind: LivySessionKind;
  /** Livy deletes the session when no client called it for this long (0: never). */
  heartbeatTimeoutInSecond?: number;
  /** Livy 0.8+: idle timeout of this session, e.g. "2h" (default: Livy's livy.server.session.timeout). */
  idleTimeout?: string;
  /** Livy 0.8+: the longest the session may live, e.g. "8h". */
  ttl?: string;
}

export interface LivyAppInfo {
  driverLogUrl?: string;
  sparkUiUrl?: string;
  [key: string]: string | undefined;
}

export interface LivySession {
  id: number;
  name?: string;
  appId?: string;
  owner?: string;
  proxyUser?: string;
  state: LivySessionState;
  kind: LivySessionKind | string;
  appInfo: LivyAppInfo;
  /** Livy's last log lines (about 10). */
  log: string[];
  idleTimeout?: string;
  ttl?: string;
  heartbeatTimeoutInSecond?: number;
}

export type LivyStatementState =
  'waiting' | 'running' | 'available' | 'error' | 'cancelling' | 'cancelled';

export type LivyOutput =
  | { status: 'ok'; executionCount: number; data: Record<string, unknown> }
  | {
      status: 'error';
      executionCount: number;
      ename: string;
      evalue: string;
      traceback: string[];
    };

export interface LivyStatement {
  id: number;
  code: string;
  state: LivyStatementState;
  /** 0..1, from Spark's job progress. */
  progress: number;
  output?: LivyOutput;
  /** Epoch milliseconds (Livy 0.5+); 0 or absent before it started/completed. */
  started?: number;
  completed?: number;
}

/** A finished statement whose output is `ok`. */
export interface LivyResult {
  statement: LivyStatement;
  /** The output's MIME bundle, e.g. {'text/plain': '...'} or {'application/json': {...}}. */
  data: Record<string, unknown>;
  /** `text/plain` of the output, '' when it has none. */
  text: string;
}

export interface LivyLog {
  from: number;
  total: number;
  lines: string[];
}

/** POST /batches. `file` is a path or URL the Livy host can read (local dirs must be whitelisted). */
export interface LivyBatchConf extends LivySparkConf {
  file: string;
  className?: string;
  args?: string[];
}

export interface LivyBatch {
  id: number;
  name?: string;
  appId?: string;
  state: LivySessionState;
  appInfo: LivyAppInfo;
  log: string[];
}

/** What went wrong, beyond the error code: `details.livy` of a Livy RadlabError. */
export type LivyFailure =
  | 'statementFailed'
  | 'sessionDead'
  | 'sessionGone'
  | 'batchGone'
  | 'rMissing'
  | 'statementCancelled';
