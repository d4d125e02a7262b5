// Drill's SQL dialect for CodeMirror (@codemirror/lang-sql): Calcite's standard SQL with Drill's own
// statements and functions (word lists from @radlab/core), back-tick identifiers, `--` and `/* */`
// comments, no backslash escapes.
import { SQLDialect, StandardSQL, sql } from '@codemirror/lang-sql';
import type { LanguageSupport } from '@codemirror/language';
import { DRILL_FUNCTIONS, DRILL_KEYWORDS, SQL_KEYWORDS } from '@radlab/core';

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
