import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RadlabError } from '../errors.js';
import { drillErrorType, drillQueryError, sqlPosition, type DrillFailure } from './errors.js';
import {
  quoteIdentifier,
  quoteLiteral,
  quoteSchema,
  quoteTable,
  sqlTag,
  tagSql,
  trimSql,
  untagPositions
} from './sql.js';

describe('drillQueryError', () => {
  it('a 1.22 parse error: badRequest, PARSE ERROR message, position and hint', () => {
    const e = drillQueryError({
      queryId: 'q1',
      queryState: 'FAILED',
      exception: 'java.lang.Exception',
      errorMessage: 'Encountered "FRO" at line 1, column 10.'
    });
    expect(e).toBeInstanceOf(RadlabError);
    expect(e.code).toBe('badRequest');
    expect(e.service).toBe('drill');
    expect(e.message).toBe('PARSE ERROR: Encountered "FRO" at line 1, column 10.');
    expect(e.hint).toBe('Fix the SQL where it is marked.');
    expect(e.details).toMatchObject({
      queryId: 'q1',
      errorType: 'PARSE',
      position: { line: 1, column: 10 }
    });
    expect(e.toJSON().details).toMatchObject({ position: { line: 1, column: 10 } });
  });

  it('a classic UserException text: first line kept, "Was expecting" and error id dropped', () => {
    const e = drillQueryError({
      queryState: 'FAILED',
      errorMessage:
        'PARSE ERROR: Encountered "FRO" at line 1, column 10.\nWas expecting one of:\n    "FROM" ...\n\nSQL Query: SELECT * FRO x\n         ^\n\n[Error Id: 1234 on host:31010]'
    });
    expect(e.message).toBe('PARSE ERROR: Encountered "FRO" at line 1, column 10.');
    expect(e.hint).toBe('Fix the SQL where it is marked.');
  });

  it('a validation error: range position, repeated text removed', () => {
    const e = drillQueryError({
      queryState: 'FAILED',
      exception: 'org.apache.calcite.runtime.CalciteContextException',
      errorMessage:
        "From line 1, column 15 to line 1, column 38: Object 'nothere.csv' not found within 'dfs.radlab': Object 'nothere.csv' not found within 'dfs.radlab'"
    });
    expect(e.code).toBe('badRequest');
    expect(e.message).toBe(
      "VALIDATION ERROR: From line 1, column 15 to line 1, column 38: Object 'nothere.csv' not found within 'dfs.radlab'"
    );
    expect(e.details?.['position']).toEqual({ line: 1, column: 15, endLine: 1, endColumn: 38 });
  });

  it('system and resource errors are server errors; the second line becomes the hint', () => {
    expect(
      drillQueryError({
        queryState: 'FAILED',
        errorMessage: 'RESOURCE ERROR: One or more nodes ran out of memory'
      }).code
    ).toBe('server');
    const e = drillQueryError({
      queryState: 'FAILED',
      exception: 'java.io.IOException',
      errorMessage: 'disk full'
    });
    expect(e.code).toBe('server');
    expect(e.message).toBe('SYSTEM ERROR: IOException: disk full');
    const u = drillQueryError({
      queryState: 'FAILED',
      exception: 'org.apache.drill.exec.work.foreman.UnsupportedRelOperatorException',
      errorMessage: 'This query cannot be planned. \nIf intentional, set the option x to false.'
    });
    expect(u.code).toBe('badRequest');
    expect(u.hint).toBe('If intentional, set the option x to false.');
  });

  it('cancelled and reason-less failures', () => {
    expect(drillQueryError({ queryId: 'q', queryState: 'CANCELED' }).code).toBe('cancelled');
    const e = drillQueryError({ queryState: 'FAILED' });
    expect(e.code).toBe('server');
    expect(e.hint).toMatch(/errors\.verbose/);
  });

  it('error types and positions', () => {
    expect(drillErrorType('Encountered "x" at line 2, column 3.', 'java.lang.Exception')).toBe(
      'PARSE'
    );
    expect(drillErrorType('FUNCTION ERROR: no such function')).toBe('FUNCTION');
    expect(sqlPosition('nothing here')).toBeUndefined();
  });
});

describe('SQL quoting', () => {
  it('quotes identifiers, schemas, tables and literals', () => {
    expect(quoteIdentifier('studies.csv')).toBe('`studies.csv`');
    expect(quoteIdentifier('a`b')).toBe('`a``b`');
    expect(quoteSchema('dfs.radlab')).toBe('`dfs`.`radlab`');
    expect(quoteSchema(['my.plugin', 'ws'])).toBe('`my.plugin`.`ws`');
    expect(quoteTable('dfs.tmp', "it's `odd`")).toBe("`dfs`.`tmp`.`it's ``odd```");
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
    expect(quoteLiteral("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'");
  });

  it('trims, tags and untags', () => {
    expect(trimSql('SELECT 1;  \n')).toBe('SELECT 1');
    const tagged = tagSql('SELECT 1', 'abc123');
    expect(sqlTag(tagged)).toBe('abc123');
    expect(sqlTag(tagged.slice(0, 30))).toBe('abc123');
    expect(
      untagPositions(
        'Encountered "x" at line 2, column 6. From line 3, column 1 to line 4, column 2'
      )
    ).toBe('Encountered "x" at line 1, column 6. From line 2, column 1 to line 3, column 2');
  });
});

describe('shared/test-vectors/drill-errors (run by the Python tests too)', () => {
  const path = join(
    dirname(fileURLToPath(import.meta.url)),
    '../../../../shared/test-vectors/drill-errors/cases.json'
  );
  const cases = JSON.parse(readFileSync(path, 'utf8')) as {
    name: string;
    failure: DrillFailure;
    expected: {
      code: string;
      message: string;
      hint: string;
      errorType?: string;
      position?: object;
    };
  }[];
  it.each(cases.map(c => [c.name, c] as const))('%s', (_name, c) => {
    const e = drillQueryError(c.failure);
    const details = (e.details ?? {}) as Record<string, unknown>;
    expect({
      code: e.code,
      message: e.message,
      hint: e.hint,
      ...(details['errorType'] !== undefined ? { errorType: details['errorType'] } : {}),
      ...(details['position'] !== undefined ? { position: details['position'] } : {})
    }).toEqual(c.expected);
  });
});
