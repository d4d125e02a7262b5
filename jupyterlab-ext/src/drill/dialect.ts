// Drill's SQL dialect for CodeMirror (@codemirror/lang-sql): Calcite's standard SQL with Drill's own
// statements and functions, back-tick identifiers, `--` and `/* */` comments, no backslash escapes.
import { SQLDialect, StandardSQL, sql } from '@codemirror/lang-sql';
import type { LanguageSupport } from '@codemirror/language';

/** Standard SQL keywords (lang-sql's defaults are not exposed in `StandardSQL.spec`). */
export const SQL_KEYWORDS = (
  'select from where group by order having join inner left right full outer cross natural on ' +
  'using as and or not in is null like similar between case when then else end distinct union ' +
  'except intersect minus insert into values with recursive over asc desc nulls last true ' +
  'false unknown escape any some exists date time timestamp interval year month day hour ' +
  'minute second escape range preceding following current row unbounded filter within ' +
  'tablesample lateral apply'
).split(' ');

/** Drill additions to standard SQL's keywords. */
export const DRILL_KEYWORDS = (
  'use show files schemas tables databases describe analyze refresh metadata compute ' +
  'statistics sample percent alter session system reset set flatten lateral unnest partition ' +
  'window qualify temporary if exists replace schema limit offset fetch first next rows only ' +
  'explain plan for without implementation including all attributes table function columns ' +
  'create drop view'
).split(' ');

/** Drill functions shown in completion (and highlighted as builtins). */
export const DRILL_FUNCTIONS = (
  'count sum avg min max stddev variance any_value approx_count_dups cast convert_from ' +
  'convert_to kvgen flatten repeated_count repeated_contains to_date to_timestamp to_char ' +
  'to_number date_add date_sub date_part date_trunc extract now current_date ' +
  'current_timestamp age coalesce nullif concat lower upper trim substr length regexp_matches ' +
  'regexp_replace split typeof sqltypeof drilltypeof modeof round trunc abs ceil floor sqrt ' +
  'log row_number rank dense_rank ntile lag lead first_value last_value columns'
).split(' ');

export const DrillDialect = SQLDialect.define({
  keywords: `${StandardSQL.spec.keywords ?? ''} ${SQL_KEYWORDS.join(' ')} ${DRILL_KEYWORDS.join(' ')}`,
  types: `${StandardSQL.spec.types ?? ''} bit varbinary float4 float8 vardecimal map dict array interval`,
  builtin: DRILL_FUNCTIONS.join(' '),
  identifierQuotes: '`',
  backslashEscapes: false,
  hashComments: false,
  slashComments: false,
  doubleQuotedStrings: false
});

/** The MIME type the SQL editor's model gets (registered with the lab's language registry). */
export const DRILL_SQL_MIME = 'text/x-drill-sql';

/** Highlighting (and the dialect's own language data) without lang-sql's default completion. */
export function drillSql(): LanguageSupport {
  return sql({ dialect: DrillDialect, upperCaseKeywords: true });
}

/** The keywords completion offers (upper case). */
export function completionKeywords(): string[] {
  const words = new Set(
    `${SQL_KEYWORDS.join(' ')} ${DRILL_KEYWORDS.join(' ')}`.split(/\s+/).filter(Boolean)
  );
  return [...words].map(w => w.toUpperCase()).sort();
}
