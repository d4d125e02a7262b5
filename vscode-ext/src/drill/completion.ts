// What the SQL completion offers: Drill keywords and the schema/table/column names known for the
// document's Drill connection. Pure (no `vscode` import): completionProvider.ts maps the entries.
import { DRILL_FUNCTIONS, DRILL_PHRASES, completionKeywords, sqlIdentifier } from '@radlab/core';
import type { DrillColumnInfo, DrillKnownNames, DrillTable } from '@radlab/core';

/** Keywords, whole phrases (GROUP BY) and functions, upper case, each once. */
const KEYWORDS = [
  ...new Set([
    ...completionKeywords(),
    ...DRILL_PHRASES,
    ...DRILL_FUNCTIONS.map(f => f.toUpperCase())
  ])
];

/** What has been learnt of a connection: core's DrillCatalog.known(). */
export type SchemaCache = DrillKnownNames;

/** An empty cache (tests fill its maps). */
export function emptyCache(): {
  schemas?: string[];
  tables: Map<string, DrillTable[]>;
  columns: Map<string, DrillColumnInfo[]>;
} {
  return { tables: new Map(), columns: new Map() };
}

export type CompletionKind = 'keyword' | 'schema' | 'table' | 'column';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  insertText: string;
  /** Groups columns/tables before keywords. */
  sortText: string;
}

export interface CompletionContext {
  /** The dotted path before the word being typed, unquoted: `dfs.radlab` in `dfs.radlab.stu`; [] for none. */
  qualifier: string[];
  /** Offset in the line prefix where the word being typed starts (incl. an opening back-tick). */
  wordStart: number;
  /** The word typed so far (without back-ticks). */
  word: string;
}

const PART = '(?:`[^`]*`|[A-Za-z_][A-Za-z0-9_$]*)';
const TAIL = new RegExp(`((?:${PART}\\.)*)(\`[^\`]*|[A-Za-z_][A-Za-z0-9_$]*)?$`);

function unquote(part: string): string {
  return part.startsWith('`')
    ? part.slice(1, part.endsWith('`') && part.length > 1 ? -1 : undefined).replace(/``/g, '`')
    : part;
}

/** Reads the dotted name the cursor is in from the text of the line before the cursor. */
export function completionContext(linePrefix: string): CompletionContext {
  const m = TAIL.exec(linePrefix)!;
  const path = m[1] ?? '';
  const word = m[2] ?? '';
  const qualifier = path ? (path.slice(0, -1).match(new RegExp(PART, 'g')) ?? []).map(unquote) : [];
  return { qualifier, wordStart: linePrefix.length - word.length, word: unquote(word) };
}

function schemaPathText(schema: string): string {
  return schema
    .split('.')
    .map(part => sqlIdentifier(part))
    .join('.');
}

/**
 * The entries for a context. With a qualifier: the names under it (schema parts, tables of a schema,
 * columns of schema.table); without: keywords, schemas, cached tables (qualified) and cached columns.
 */
export function buildCompletions(
  context: CompletionContext,
  cache: SchemaCache
): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  const add = (entry: CompletionEntry) => {
    const key = `${entry.kind}:${entry.insertText}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(entry);
  };
  const schemas = cache.schemas ?? [];
  const q = context.qualifier;
  if (q.length > 0) {
    const path = q.join('.').toLowerCase();
    // the rest of a schema path: `dfs.` -> radlab, tmp
    for (const s of schemas) {
      if (s.toLowerCase().startsWith(`${path}.`)) {
        const rest = s.slice(path.length + 1);
        add({
          label: rest,
          kind: 'schema',
          detail: s,
          insertText: schemaPathText(rest),
          sortText: `1${rest}`
        });
      }
    }
    // tables of a schema: `dfs.radlab.` -> studies.csv, ...
    const schema = schemas.find(s => s.toLowerCase() === path);
    for (const t of schema ? (cache.tables.get(schema) ?? []) : []) {
      add({
        label: t.name,
        kind: 'table',
        detail: `${schema} · ${t.type.toLowerCase()}`,
        insertText: sqlIdentifier(t.name),
        sortText: `0${t.name}`
      });
    }
    // columns of schema.table (or of a table name/alias the cache knows by its last part)
    for (const [key, columns] of cache.columns) {
      const [s, t] = key.split('\u0000') as [string, string];
      const full = `${s}.${t}`.toLowerCase();
      if (full === path || t.toLowerCase() === path) {
        for (const c of columns)
          add({
            label: c.name,
            kind: 'column',
            detail: `${c.type} · ${t}`,
            insertText: sqlIdentifier(c.name),
            sortText: `0${String(c.position).padStart(4, '0')}`
          });
      }
    }
    return out;
  }
  for (const [key, columns] of cache.columns) {
    const t = key.split('\u0000')[1]!;
    for (const c of columns)
      add({
        label: c.name,
        kind: 'column',
        detail: `${c.type} · ${t}`,
        insertText: sqlIdentifier(c.name),
        sortText: `0${c.name}`
      });
  }
  for (const [schema, tables] of cache.tables) {
    for (const t of tables)
      add({
        label: t.name,
        kind: 'table',
        detail: `${schema} · ${t.type.toLowerCase()}`,
        insertText: `${schemaPathText(schema)}.${sqlIdentifier(t.name)}`,
        sortText: `1${t.name}`
      });
  }
  for (const s of schemas)
    add({
      label: s,
      kind: 'schema',
      detail: 'schema',
      insertText: schemaPathText(s),
      sortText: `2${s}`
    });
  for (const k of KEYWORDS) add({ label: k, kind: 'keyword', insertText: k, sortText: `3${k}` });
  return out;
}
