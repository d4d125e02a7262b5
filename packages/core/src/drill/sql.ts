// SQL text helpers: safe quoting of names and literals for Drill (Calcite with back-tick quoting), and
// the small rewrites the client makes before sending a query.

/** A Drill identifier: back-ticked, with back-ticks doubled (`` it's `odd` `` -> `` `it's ``odd``` ``). */
export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/**
 * A schema path such as `dfs.radlab` (plugin.workspace): each dot-separated part quoted on its own.
 * Pass an array to keep dots inside a part.
 */
export function quoteSchema(schema: string | readonly string[]): string {
  const parts = typeof schema === 'string' ? schema.split('.') : schema;
  return parts.map(quoteIdentifier).join('.');
}

/** `schema`.`table`: the table name is one identifier, dots and all (`studies.csv`). */
export function quoteTable(schema: string | readonly string[], table: string): string {
  return `${quoteSchema(schema)}.${quoteIdentifier(table)}`;
}

/** The query behind a table's Preview: `SELECT * FROM <table> LIMIT n`. */
export function previewSql(schema: string | readonly string[], table: string, limit = 100): string {
  return `SELECT * FROM ${quoteTable(schema, table)} LIMIT ${limit}`;
}

/** A SQL string literal: single-quoted, quotes doubled (no backslash escapes in Drill SQL). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Drops trailing whitespace and semicolons, which Drill's REST API rejects ("Encountered ;"). */
export function trimSql(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/**
 * Puts a comment that identifies this query in Drill's profile list on a line of its own BEFORE the SQL
 * (/profiles.json cuts query texts at ~150 characters, so a trailing tag could be lost). Drill's error
 * positions then count one line too many: `untagPositions` corrects them.
 */
export function tagSql(sql: string, tag: string): string {
  return `/* radlab:${tag} */\n${sql}`;
}

/** Reads the tag back from a query text (as listed in /profiles.json). */
export function sqlTag(sql: string): string | undefined {
  return /^\/\* radlab:([A-Za-z0-9-]+) \*\//.exec(sql)?.[1];
}

/** `line N, column M` (and `line N` alone) -> line N-1, for messages about a tagged query. */
export function untagPositions(message: string): string {
  return message.replace(/\b(line )(\d+)(?=, column \d+)/gi, (_m, word: string, n: string) => {
    const line = Number(n) - 1;
    return `${word}${line < 1 ? 1 : line}`;
  });
}
