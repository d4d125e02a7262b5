// Livy's failures -> RadlabError with `details.livy` (a LivyFailure) so hosts can offer the right action:
// a Spark exception shows its useful traceback lines, a dead session its last log lines and a restart.

import { RadlabError, type ErrorCode } from '../../errors.js';
import type { LivyFailure, LivyOutput, LivySessionKind } from './types.js';

/** Traceback lines worth showing: Python frames and messages, not py4j's Java stack. */
export function usefulTraceback(traceback: readonly string[], max = 20): string[] {
  const lines = traceback
    .flatMap(entry => entry.split(/\r?\n/))
    .map(line => line.replace(/\s+$/, ''))
    .filter(line => line.trim() !== '' && !/^\s*at [\w$.<>]+\(.*\)$/.test(line.trim()))
    .filter(line => !/^\s*\.\.\. \d+ more$/.test(line));
  return lines.length > max
    ? [...lines.slice(0, max - 1), `… ${lines.length - max + 1} more lines`]
    : lines;
}

export function livyError(options: {
  code: ErrorCode;
  failure?: LivyFailure;
  message: string;
  hint?: string;
  connection?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}): RadlabError {
  return new RadlabError({
    code: options.code,
    service: 'livy',
    connection: options.connection,
    message: options.message,
    hint: options.hint,
    cause: options.cause,
    details: { ...(options.failure ? { livy: options.failure } : {}), ...options.details }
  });
}

/** The LivyFailure of an error, if it is a Livy RadlabError that carries one. */
export function livyFailure(error: unknown): LivyFailure | undefined {
  if (!RadlabError.isRadlabError(error)) return undefined;
  const failure = (error as RadlabError).details?.['livy'];
  return typeof failure === 'string' ? (failure as LivyFailure) : undefined;
}

export function statementFailed(
  output: Extract<LivyOutput, { status: 'error' }>,
  context: { sessionId: number; statementId: number; connection?: string }
): RadlabError {
  const traceback = usefulTraceback(output.traceback);
  return livyError({
    code: 'badRequest',
    failure: 'statementFailed',
    connection: context.connection,
    message: `${output.ename}: ${output.evalue}`.trim(),
    hint: 'The code raised an error in Spark; the traceback says where.',
    details: {
      sessionId: context.sessionId,
      statementId: context.statementId,
      ename: output.ename,
      evalue: output.evalue,
      traceback
    }
  });
}

const R_MISSING = [
  /Cannot run program "R"/i,
  /Cannot find sparkr package directory/i,
  /sparkr\.zip not found/i,
  /error=2, No such file or directory.*\bR\b/i
];

/** True when a sparkr session's log says R or the SparkR package is missing on the Livy host. */
export function saysRMissing(lines: readonly string[]): boolean {
  return lines.some(line => R_MISSING.some(re => re.test(line)));
}

export const R_MISSING_HINT =
  'sparkr sessions need R on the Livy host (Debian: apt-get install r-base-core) and the SparkR package ' +
  'in $SPARK_HOME/R/lib (from a Spark binary distribution; the PyPI pyspark wheel has none). ' +
  'Use a pyspark, spark or sql session meanwhile.';

/** What a session kind needs on the Livy host beyond Spark: said before a session of it starts. */
export const LIVY_KIND_NEEDS: Readonly<Partial<Record<LivySessionKind, string>>> = {
  sparkr:
    'needs R on the Livy host (Debian: r-base-core) and the SparkR package in $SPARK_HOME/R/lib ' +
    '(the PyPI pyspark wheel has none); checked when the session starts'
};

/** A sparkr statement (or session) Livy could not run because R or SparkR is missing. */
export function rMissing(sessionId: number, logTail: string[], connection?: string): RadlabError {
  return livyError({
    code: 'server',
    failure: 'rMissing',
    connection,
    message: `Livy session ${sessionId} cannot run sparkr: R or the SparkR package is missing on the Livy host`,
    hint: R_MISSING_HINT,
    details: { sessionId, logTail: logTail.filter(line => saysRMissing([line])).slice(-5) }
  });
}

/** A session that ended (dead, error, killed) while we needed it, with Livy's last log lines. */
export function sessionDead(context: {
  sessionId: number;
  state: string;
  kind?: string;
  logTail: string[];
  connection?: string;
}): RadlabError {
  const rMissing = context.kind === 'sparkr' && saysRMissing(context.logTail);
  // Livy's "stdout: " / "stderr: " stream markers say nothing
  const last = context.logTail
    .filter(l => l.trim() !== '' && !/^\s*(stdout|stderr):\s*$/.test(l))
    .slice(-1)[0];
  return livyError({
    code: 'server',
    failure: rMissing ? 'rMissing' : 'sessionDead',
    connection: context.connection,
    message: rMissing
      ? `Livy session ${context.sessionId} (sparkr) could not start: R or SparkR is missing on the Livy host`
      : `Livy session ${context.sessionId} is ${context.state}${last ? `: ${last.trim()}` : ''}`,
    hint: rMissing
      ? R_MISSING_HINT
      : 'The Spark driver ended (killed, out of memory, or Livy restarted). Its last log lines are in the details; start a new session to go on.',
    details: { sessionId: context.sessionId, state: context.state, logTail: context.logTail }
  });
}

export function sessionGone(sessionId: number, connection?: string, cause?: unknown): RadlabError {
  return livyError({
    code: 'notFound',
    failure: 'sessionGone',
    connection,
    cause,
    message: `Livy session ${sessionId} no longer exists`,
    hint: 'It was deleted, expired after Livy’s idle timeout, or Livy restarted. Start a new session.',
    details: { sessionId }
  });
}

export function batchGone(batchId: number, connection?: string, cause?: unknown): RadlabError {
  return livyError({
    code: 'notFound',
    failure: 'batchGone',
    connection,
    cause,
    message: `Livy batch ${batchId} no longer exists`,
    hint: 'Livy forgets finished batches after a while (livy.server.session.state-retain.sec) and all of them when it restarts.',
    details: { batchId }
  });
}
