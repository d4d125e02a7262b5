// Pure SQL text helpers for the editor: statement boundaries (`;` outside strings, quoted names and
// comments), the statement under the cursor, document offsets of Drill's line/column positions, and the
// dotted name being typed (for completion).

export interface Span {
  from: number;
  to: number;
}

/** Statement spans (without the `;`), leading/trailing whitespace trimmed; empty statements dropped. */
export function splitStatements(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    let a = start;
    let b = end;
    while (a < b && /\s/.test(text[a]!)) a++;
    while (b > a && /\s/.test(text[b - 1]!)) b--;
    if (b > a && !isOnlyComments(text.slice(a, b))) spans.push({ from: a, to: b });
  };
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === c) {
          if (text[j + 1] === c) j++;
          else break;
        }
      }
      i = j + 1;
    } else if (c === ';') {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(text.length);
  return spans;
}

function isOnlyComments(sql: string): boolean {
  return (
    sql
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim() === ''
  );
}

/**
 * What Run runs: the selection if there is one, else the statement under (or just before) the cursor,
 * else the whole text.
 */
export function runSpan(text: string, selection: Span): Span | undefined {
  if (selection.to > selection.from) {
    const sel = text.slice(selection.from, selection.to);
    const lead = sel.length - sel.trimStart().length;
    const trail = sel.length - sel.trimEnd().length;
    if (sel.trim()) return { from: selection.from + lead, to: selection.to - trail };
    return undefined;
  }
  const spans = splitStatements(text);
  if (spans.length === 0) return undefined;
  const cursor = selection.from;
  const inside = spans.find(s => cursor >= s.from && cursor <= s.to);
  if (inside) return inside;
  // between statements: the one before the cursor (just after its `;`), else the next
  const before = [...spans].reverse().find(s => s.to <= cursor);
  return before ?? spans[0];
}

/** The document offset of a 1-based line/column inside `text` that starts at `base`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const max = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + Math.max(0, column - 1), max);
}

/** The span to mark for a Drill error position (end column inclusive); a word when there is no end. */
export function errorSpan(
  text: string,
  position: { line: number; column: number; endLine?: number; endColumn?: number }
): Span {
  const from = offsetOf(text, position.line, position.column);
  if (position.endLine !== undefined && position.endColumn !== undefined) {
    const to = offsetOf(text, position.endLine, position.endColumn) + 1;
    if (to > from) return { from, to: Math.min(to, text.length) };
  }
  const word = /^(`[^`]*`?|[\w$]+|\S)/.exec(text.slice(from));
  return { from, to: from + (word ? word[0].length : 0) };
}

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
