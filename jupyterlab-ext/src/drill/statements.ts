// Pure SQL text helpers for completion: the dotted name being typed and the tables a statement reads.
// Statement boundaries and the statement under the cursor are @radlab/core's (splitStatements,
// statementAt).

const PART = '(?:`(?:[^`]|``)*`|[A-Za-z_][\\w$]*)';
const QUALIFIED = new RegExp(`(?:${PART}\\.)*(?:\`(?:[^\`]|\`\`)*|[A-Za-z_][\\w$]*)?$`);

export interface TypedName {
  /** Offset where the partial (last) part starts (its back-tick included). */
  from: number;
  /** The finished parts before the last dot, unquoted. */
  qualifier: string[];
  /** The partial last part, unquoted (opening back-tick dropped). */
  partial: string;
}

export function unquote(part: string): string {
  if (part.startsWith('`')) {
    const inner = part.endsWith('`') && part.length > 1 ? part.slice(1, -1) : part.slice(1);
    return inner.replace(/``/g, '`');
  }
  return part;
}

/** The dotted name that ends at `pos` (`dfs.radlab.stu`, `` `dfs`.`radl ``). */
export function typedName(text: string, pos: number): TypedName {
  const before = text.slice(Math.max(0, pos - 500), pos);
  const m = QUALIFIED.exec(before);
  const whole = m ? m[0] : '';
  const parts: string[] = [];
  const re = new RegExp(PART, 'y');
  let i = 0;
  while (i < whole.length) {
    re.lastIndex = i;
    const p = re.exec(whole);
    if (!p || whole[re.lastIndex] !== '.') break;
    parts.push(unquote(p[0]));
    i = re.lastIndex + 1;
  }
  const partialRaw = whole.slice(i);
  // a back-tick that closes a quoted name (an even count before it) starts nothing
  if (partialRaw.startsWith('`')) {
    const start = pos - partialRaw.length;
    const ticks = (text.slice(0, start).match(/`/g) ?? []).length;
    if (ticks % 2 === 1) {
      return { from: pos, qualifier: [], partial: '' };
    }
  }
  return { from: pos - partialRaw.length, qualifier: parts, partial: unquote(partialRaw) };
}

/** Tables named after FROM/JOIN in a statement: [schema parts..., table] each unquoted. */
export function referencedTables(sql: string): string[][] {
  const out: string[][] = [];
  const re = new RegExp(`\\b(?:FROM|JOIN)\\s+(${PART}(?:\\.${PART})*)`, 'gi');
  for (const m of sql.matchAll(re)) {
    const parts = m[1]!.match(new RegExp(PART, 'g'))?.map(unquote) ?? [];
    if (parts.length > 0) out.push(parts);
  }
  return out;
}
