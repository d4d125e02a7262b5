// Drill's failed-query answers -> RadlabError. With drill.exec.http.rest.errors.verbose (1.22) a failed
// query answers HTTP 200 with {queryId, exception, errorMessage, stackTrace, queryState: "FAILED"};
// errorMessage is the bare exception message ('Encountered "dfs" at line 1, column 14.'), older Drills
// and the native client say 'PARSE ERROR: ...'. Both become "<TYPE> ERROR: <first meaningful line>".

import { RadlabError, type ErrorCode, type RedactedRequest } from '../errors.js';
import { DRILL_HINTS } from '../services/drill/hints.js';

export interface SqlPosition {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Drill's UserException types that mean "fix the query", not "the service failed". */
const USER_ERROR_TYPES = new Set([
  'PARSE',
  'VALIDATION',
  'PLAN',
  'UNSUPPORTED_OPERATION',
  'FUNCTION',
  'DATA_READ',
  'DATA_WRITE',
  'DATA'
]);

/** First line that says something: no blank lines, no "[Error Id: ...]" / "Please, refer to logs". */
function meaningfulLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(
      line => line !== '' && !/^\[Error Id:/i.test(line) && !/^Please,? refer to logs/i.test(line)
    );
}

/** `X: X` (Calcite repeats its message after the context) -> `X`. */
function dedupe(line: string): string {
  for (let i = line.indexOf(': '); i >= 0; i = line.indexOf(': ', i + 1)) {
    const head = line.slice(0, i);
    const tail = line.slice(i + 2);
    if (head.endsWith(tail)) return head;
  }
  return line;
}

export function sqlPosition(text: string): SqlPosition | undefined {
  const range = /from line (\d+), column (\d+) to line (\d+), column (\d+)/i.exec(text);
  if (range) {
    return {
      line: Number(range[1]),
      column: Number(range[2]),
      endLine: Number(range[3]),
      endColumn: Number(range[4])
    };
  }
  const at = /line (\d+), column (\d+)/i.exec(text);
  return at ? { line: Number(at[1]), column: Number(at[2]) } : undefined;
}

function shortClass(exception: string): string {
  return exception.split('.').pop() ?? exception;
}

/** Drill's error type (PARSE, VALIDATION, SYSTEM, RESOURCE, ...) from the message or exception class. */
export function drillErrorType(message: string, exception = ''): string {
  const labelled = /^([A-Z_]+) ERROR:/.exec(message);
  if (labelled) return labelled[1]!;
  const cls = shortClass(exception);
  if (/Parse/i.test(cls) || /^Encountered .* at line \d+, column \d+/.test(message)) return 'PARSE';
  if (/CalciteContextException|Validat/i.test(cls)) return 'VALIDATION';
  if (/Unsupported/i.test(cls)) return 'UNSUPPORTED_OPERATION';
  if (/NumberFormatException|DateTimeParseException|IllegalArgumentException/.test(cls))
    return 'DATA';
  if (/OutOfMemory|Resource/i.test(cls)) return 'RESOURCE';
  return 'SYSTEM';
}

export interface DrillFailure {
  queryId?: string;
  queryState?: string;
  exception?: string;
  errorMessage?: string;
}

export interface DrillErrorContext {
  connection?: string;
  request?: RedactedRequest;
}

/** The RadlabError for a query Drill answered as failed (or cancelled). */
export function drillQueryError(
  failure: DrillFailure,
  context: DrillErrorContext = {}
): RadlabError {
  const { queryId, queryState } = failure;
  const exception = failure.exception ?? '';
  const base = {
    service: 'drill' as const,
    connection: context.connection,
    request: context.request
  };
  if (queryState === 'CANCELED' || queryState === 'CANCELLED') {
    return new RadlabError({
      ...base,
      code: 'cancelled',
      message: `query ${queryId ?? ''} was cancelled on Drill`.replace('  ', ' '),
      hint: DRILL_HINTS.cancelled,
      details: { queryId, queryState }
    });
  }
  const raw = failure.errorMessage ?? '';
  const lines = meaningfulLines(raw);
  let first = dedupe(lines[0] ?? '');
  const type = drillErrorType(first, exception);
  if (!first) {
    first = exception
      ? shortClass(exception)
      : `query ${queryState ? queryState.toLowerCase() : 'failed'} without a reason`;
  }
  let message: string;
  if (/^[A-Z_]+ ERROR:/.test(first)) message = first;
  else if (type === 'SYSTEM' || type === 'DATA' || type === 'RESOURCE') {
    const cls = shortClass(exception);
    message = `${type} ERROR: ${cls && !first.includes(cls) ? `${cls}: ` : ''}${first}`;
  } else message = `${type} ERROR: ${first}`;

  const position = sqlPosition(first) ?? sqlPosition(raw);
  const code: ErrorCode = USER_ERROR_TYPES.has(type) ? 'badRequest' : 'server';
  const restLines: string[] = [];
  for (const line of lines.slice(1)) {
    if (/^(Was expecting|SQL Query|Fragment \d|\(?\w+(\.\w+)+Exception)/i.test(line)) break;
    restLines.push(dedupe(line));
  }
  let rest = restLines.join(' ');
  if (rest.length > 240) rest = `${rest.slice(0, 240)}…`;
  let hint: string;
  if (rest) {
    hint = rest;
  } else if (position) {
    // the message names the position already, and every host marks it
    hint = 'Fix the SQL where it is marked.';
  } else if (type === 'DATA') {
    hint =
      'A value in the data does not fit the query (e.g. a CAST of a non-numeric text); check casts and filters.';
  } else if (!raw) {
    hint =
      'Drill gave no reason: set the option drill.exec.http.rest.errors.verbose to true, or see the query profile in the Drill web UI.';
  } else {
    hint = RadlabError.defaultHint(code);
  }
  const details: Record<string, unknown> = { queryId, queryState, errorType: type };
  if (exception) details['exception'] = exception;
  if (position) details['position'] = position;
  return new RadlabError({ ...base, code, message, hint, details });
}
