// Drill SQL's words, for every host's editor: the reserved words (which a name must be back-ticked to
// be), the keywords and functions that highlighting and completion offer, and how a name is written.

import { quoteIdentifier } from './sql.js';

const words = (text: string): readonly string[] => text.split(/\s+/).filter(Boolean);

/**
 * Drill 1.22's reserved words: the keywords of its parser (DrillParserImplConstants) that Drill does
 * not read back as a column of that name when bare (`SELECT w FROM (SELECT 'ok' AS \`w\`)` fails, or
 * answers something else: `user` is the session user). Measured against Drill 1.22.0: 116 of its
 * 720 keywords; `value`, `year`, `month`, `day`, `name`, `type` and `count` are not among them.
 */
export const DRILL_RESERVED_WORDS: ReadonlySet<string> = new Set(
  words(
    'all analyze any call case compute create cross current current_catalog current_date current_path ' +
      'current_role current_schema current_time current_timestamp current_user cursor databases date ' +
      'default define delete describe distinct drop estimate except exists explain false fetch files ' +
      'final friday from full grant group grouping having if in inner insert intersect interval into ' +
      'jar join lateral left limit localtime localtimestamp match_recognize merge metadata minus monday ' +
      'natural new next not null offset on order outer over partition pattern properties qualify range ' +
      'refresh right rollup row rows running sample saturday schemas select session_user set skip some ' +
      'statistics stream sunday system_user table tables tablesample then thursday time timestamp true ' +
      'tuesday union unique unknown unnest update use user using values wednesday when where window ' +
      'with'
  )
);

/** Standard SQL keywords (lower case). */
export const SQL_KEYWORDS: readonly string[] = words(
  'select from where group by order having join inner left right full outer cross natural on ' +
    'using as and or not in is null like similar between case when then else end distinct union ' +
    'except intersect minus insert into values with recursive over asc desc nulls last true ' +
    'false unknown escape any some exists date time timestamp interval year month day hour ' +
    'minute second escape range preceding following current row unbounded filter within ' +
    'tablesample lateral apply'
);

/** Drill's additions to standard SQL's keywords (lower case). */
export const DRILL_KEYWORDS: readonly string[] = words(
  'use show files schemas tables databases describe analyze refresh metadata compute ' +
    'statistics sample percent alter session system reset set flatten lateral unnest partition ' +
    'window qualify temporary if exists replace schema limit offset fetch first next rows only ' +
    'explain plan for without implementation including all attributes table function columns ' +
    'create drop view'
);

/** Drill functions shown in completion (and highlighted as builtins), lower case. */
export const DRILL_FUNCTIONS: readonly string[] = words(
  'count sum avg min max stddev variance any_value approx_count_dups cast ' +
    'convert_from convert_to kvgen flatten repeated_count repeated_contains to_date to_timestamp to_char ' +
    'to_number date_add date_sub date_part date_trunc extract now current_date ' +
    'current_timestamp age coalesce nullif concat lower upper trim substr length regexp_matches ' +
    'regexp_replace split typeof sqltypeof drilltypeof modeof round trunc abs ceil floor sqrt ' +
    'log row_number rank dense_rank ntile lag lead first_value last_value columns'
);

/** Phrases completion offers whole (their words are keywords too). */
export const DRILL_PHRASES: readonly string[] = [
  'GROUP BY',
  'ORDER BY',
  'LEFT JOIN',
  'INNER JOIN',
  'IS NULL',
  'IS NOT NULL',
  'UNION ALL',
  'SHOW SCHEMAS',
  'SHOW TABLES',
  'SHOW FILES'
];

/** The keywords completion offers: every keyword once, upper case, sorted. */
export function completionKeywords(): string[] {
  const all = new Set([...SQL_KEYWORDS, ...DRILL_KEYWORDS].map(w => w.toUpperCase()));
  return [...all].sort();
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * A name as typed in SQL: bare when Drill reads it back as that name (a plain word that is not
 * reserved), else back-ticked with back-ticks doubled. `alwaysQuote` back-ticks anyway (file names).
 */
export function sqlIdentifier(name: string, options: { alwaysQuote?: boolean } = {}): string {
  if (!options.alwaysQuote && PLAIN.test(name) && !DRILL_RESERVED_WORDS.has(name.toLowerCase()))
    return name;
  return quoteIdentifier(name);
}
