// Apache Drill: SQL over the REST API, streamed rows, cancel, profiles, introspection.

export { DrillClient, type DrillClientOptions } from './client.js';
export {
  DrillQuery,
  type DrillQueryOptions,
  type DrillOptionValue,
  type DrillResult,
  type DrillColumnarResult,
  type DrillResultSummary
} from './query.js';
export { type DrillProfile, type DrillProfiles, type DrillProfileSummary } from './profiles.js';
export {
  type DrillStoragePlugin,
  type DrillSchema,
  type DrillTable,
  type DrillColumnInfo,
  type DrillColumns
} from './introspection.js';
export { ColumnarRows, CELL_NULL, CELL_OTHER, CELL_VALUE, type CellState } from './columnar.js';
export { baseType, convertValue, converterFor, rowMapper, type DrillColumn } from './types.js';
export {
  DrillResponseParser,
  DrillStreamSyntaxError,
  parseJsonExact,
  type DrillRawRow
} from './stream.js';
export { drillQueryError, drillErrorType, sqlPosition, type SqlPosition } from './errors.js';
export { quoteIdentifier, quoteLiteral, quoteSchema, quoteTable, trimSql } from './sql.js';
export { queryStatus, profileUrl, type DrillQueryStatus } from './status.js';
export { allNullColumns, allNullWarning } from './nullColumns.js';
export {
  splitStatements,
  statementAt,
  lineColumn,
  relocatePosition,
  relocateError,
  type Span as SqlSpan
} from './statements.js';
