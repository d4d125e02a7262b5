import { describe, expect, it } from 'vitest';
import { parseLivyDuration } from './client.js';
import {
  livyFailure,
  saysRMissing,
  sessionDead,
  statementFailed,
  usefulTraceback
} from './errors.js';

describe('Livy errors', () => {
  it('keeps Python frames of a traceback, not py4j Java frames', () => {
    const lines = usefulTraceback([
      'Traceback (most recent call last):\n',
      '  File "<stdin>", line 1, in <module>\n',
      'py4j.protocol.Py4JJavaError: An error occurred\n',
      '\tat org.apache.spark.sql.Dataset.collect(Dataset.scala:3)\n',
      '\t... 12 more\n'
    ]);
    expect(lines).toEqual([
      'Traceback (most recent call last):',
      '  File "<stdin>", line 1, in <module>',
      'py4j.protocol.Py4JJavaError: An error occurred'
    ]);
  });

  it('a failed statement carries the exception and its traceback', () => {
    const e = statementFailed(
      {
        status: 'error',
        executionCount: 1,
        ename: 'ZeroDivisionError',
        evalue: 'division by zero',
        traceback: ['x\n']
      },
      { sessionId: 3, statementId: 4 }
    );
    expect(e.code).toBe('badRequest');
    expect(e.message).toBe('ZeroDivisionError: division by zero');
    expect(livyFailure(e)).toBe('statementFailed');
    expect(e.details?.['traceback']).toEqual(['x']);
  });

  it('a dead sparkr session whose log says R is missing says so', () => {
    const log = ['java.io.IOException: Cannot run program "R": error=2, No such file or directory'];
    expect(saysRMissing(log)).toBe(true);
    const e = sessionDead({ sessionId: 1, state: 'dead', kind: 'sparkr', logTail: log });
    expect(livyFailure(e)).toBe('rMissing');
    expect(e.hint).toContain('r-base-core');
    const other = sessionDead({ sessionId: 2, state: 'dead', kind: 'pyspark', logTail: ['OOM'] });
    expect(livyFailure(other)).toBe('sessionDead');
    expect(other.message).toBe('Livy session 2 is dead: OOM');
    expect(other.details?.['logTail']).toEqual(['OOM']);
    const markers = sessionDead({
      sessionId: 3,
      state: 'dead',
      logTail: ['stdout: ', 'x', '\nstderr: ']
    });
    expect(markers.message).toBe('Livy session 3 is dead: x');
  });

  it('reads Livy durations', () => {
    expect(parseLivyDuration('1h')).toBe(3_600_000);
    expect(parseLivyDuration('30m')).toBe(1_800_000);
    expect(parseLivyDuration('90s')).toBe(90_000);
    expect(parseLivyDuration('nonsense')).toBeUndefined();
    expect(parseLivyDuration(undefined)).toBeUndefined();
  });
});
