// Completion for the Drill SQL editor: schema, table and column names from the connection's DrillCatalog
// (INFORMATION_SCHEMA, cached per connection) and Drill keywords/functions. A CodeMirror CompletionSource.
import type {
  Completion,
  CompletionContext,
  CompletionResult,
  CompletionSource
} from '@codemirror/autocomplete';
import { DRILL_FUNCTIONS, completionKeywords, splitStatements, sqlIdentifier } from '@radlab/core';
import type { DrillCatalog } from '@radlab/core';
import { referencedTables, typedName } from './statements.js';

/** Candidate names for a qualifier, from the catalog (loading what is missing). Exported for tests. */
export async function nameOptions(
  catalog: DrillCatalog,
  qualifier: readonly string[],
  statement: string
): Promise<Completion[]> {
  const options: Completion[] = [];
  const schemas = await catalog.schemas().catch(() => []);
  const schemaNames = schemas.map(s => s.name);
  const q = qualifier.join('.');
  const seen = new Set<string>();
  const add = (c: Completion): void => {
    const key = `${c.type}:${c.label}`;
    if (!seen.has(key)) {
      seen.add(key);
      options.push(c);
    }
  };

  if (qualifier.length === 0) {
    for (const s of schemaNames) {
      const first = s.split('.')[0]!;
      add({
        label: first,
        type: 'namespace',
        detail: 'schema',
        apply: sqlIdentifier(first),
        boost: 1
      });
    }
    // columns of the tables the statement reads
    for (const ref of referencedTables(statement).slice(0, 4)) {
      const table = ref[ref.length - 1]!;
      const schema = ref.slice(0, -1).join('.');
      if (!schemaNames.includes(schema)) continue;
      const columns = await catalog.columns(schema, table).catch(() => []);
      for (const c of columns) {
        add({
          label: c.name,
          type: 'property',
          detail: c.type.toLowerCase(),
          apply: sqlIdentifier(c.name),
          boost: 2
        });
      }
    }
    for (const k of completionKeywords()) add({ label: k, type: 'keyword', boost: -1 });
    for (const f of DRILL_FUNCTIONS) add({ label: f.toUpperCase(), type: 'function', boost: -2 });
    return options;
  }

  // next part of a dotted schema name (`dfs.` -> radlab, tmp)
  for (const s of schemaNames) {
    if (s.toLowerCase().startsWith(`${q.toLowerCase()}.`)) {
      const next = s.slice(q.length + 1).split('.')[0]!;
      add({ label: next, type: 'namespace', detail: 'schema', apply: sqlIdentifier(next) });
    }
  }
  // tables of a schema (`dfs.radlab.` -> studies.csv, ...)
  const schema = schemaNames.find(s => s.toLowerCase() === q.toLowerCase());
  if (schema) {
    const tables = await catalog.tables(schema).catch(() => []);
    for (const t of tables) {
      add({
        label: t.name,
        type: 'class',
        detail: t.type.toLowerCase(),
        apply: sqlIdentifier(t.name, { alwaysQuote: true })
      });
    }
  }
  // columns of a table (`dfs.radlab.studies_parquet.` -> modality, ...)
  if (qualifier.length >= 2) {
    const tSchema = qualifier.slice(0, -1).join('.');
    const match = schemaNames.find(s => s.toLowerCase() === tSchema.toLowerCase());
    if (match) {
      const columns = await catalog
        .columns(match, qualifier[qualifier.length - 1]!)
        .catch(() => []);
      for (const c of columns) {
        add({
          label: c.name,
          type: 'property',
          detail: c.type.toLowerCase(),
          apply: sqlIdentifier(c.name)
        });
      }
    }
  }
  return options;
}

/** The CompletionSource; `catalog()` gives the editor's current connection's catalog (if any). */
export function drillCompletionSource(catalog: () => DrillCatalog | undefined): CompletionSource {
  return async (context: CompletionContext): Promise<CompletionResult | null> => {
    const text = context.state.doc.toString();
    const typed = typedName(text, context.pos);
    const hasQualifier = typed.qualifier.length > 0;
    const startsQuoted = text[typed.from] === '`';
    if (!context.explicit && !hasQualifier && typed.partial.length === 0 && !startsQuoted)
      return null;
    const span = splitStatements(text).find(s => context.pos >= s.from && context.pos <= s.to + 1);
    const statement = span ? text.slice(span.from, span.to) : text;
    const current = catalog();
    let options: Completion[] = [];
    if (current) options = await nameOptions(current, typed.qualifier, statement);
    else if (!hasQualifier)
      options = completionKeywords().map(k => ({ label: k, type: 'keyword' }));
    if (context.aborted) return null;
    // filtered here (by the unquoted partial, case-insensitively): CodeMirror's own filter would compare
    // the labels with the typed text, opening back-tick included
    const needle = typed.partial.toLowerCase();
    const hits = needle
      ? options
          .filter(o => o.label.toLowerCase().includes(needle))
          .sort(
            (a, b) =>
              Number(b.label.toLowerCase().startsWith(needle)) -
                Number(a.label.toLowerCase().startsWith(needle)) || (b.boost ?? 0) - (a.boost ?? 0)
          )
      : options;
    if (hits.length === 0) return null;
    return { from: typed.from, options: hits, filter: false };
  };
}
