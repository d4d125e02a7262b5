// Apache Drill: SQL over the REST API, streamed rows, cancel, profiles, introspection and its cache.

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
export {
  previewSql,
  quoteIdentifier,
  quoteLiteral,
  quoteSchema,
  quoteTable,
  trimSql
} from './sql.js';
export {
  DRILL_FUNCTIONS,
  DRILL_KEYWORDS,
  DRILL_PHRASES,
  DRILL_RESERVED_WORDS,
  SQL_KEYWORDS,
  completionKeywords,
  sqlIdentifier
} from './keywords.js';
export {
  DEFAULT_ROW_LIMIT,
  DRILL_RESULT_MIME,
  MAX_ROW_LIMIT,
  PREVIEW_ROW_LIMIT,
  fetchMoreLimit,
  toPayload,
  type DrillResultColumn,
  type DrillResultInfo,
  type DrillResultPayload,
  type ResultLike
} from './result.js';
export { queryStatus, profileUrl, type DrillQueryStatus } from './status.js';
export { allNullColumns, allNullWarning } from './nullColumns.js';
export {
  splitStatements,
  statementAt,
  lineColumn,
  relocatePosition,
  relocateError,
  errorSpan,
  offsetOf,
  positionOf,
  type Span as SqlSpan
} from './statements.js';
export { folderEntries, emptySchemaHint, type DrillFileEntry } from './files.js';
export {
  DrillCatalog,
  catalogKey,
  type DrillIntrospection,
  type DrillKnownNames
} from './catalog.js';
export { sparkLoad, type SparkLoad, type SparkSource } from './sparkLoad.js';
