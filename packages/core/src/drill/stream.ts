// An incremental scanner for Drill's REST answer to POST /query.json:
//   {"queryId":"..","columns":[..],"metadata":[..],"attemptedAutoLimit":0,"rows":[{..},{..}],"queryState":"COMPLETED"}
// Drill 1.19+ streams that object while the query runs (DRILL-7733), so rows are parsed as their text
// arrives. Pure (no I/O): feed it text chunks cut anywhere (inside strings, escapes, numbers) and it
// returns the rows completed so far; every other top-level field lands in `fields` once complete.
//
// Numbers: JSON.parse would round integers beyond 2^53 (Drill sends BIGINT as a bare number literal),
// so a number literal of 16 or more digits is handed on as its decimal text (a string); the typing
// step (`types.ts`) decides per column what to make of it.

export type DrillRawRow = Record<string, unknown>;

type State =
  | 'start'
  | 'key'
  | 'keyOrEnd'
  | 'colon'
  | 'value'
  | 'rowsStart'
  | 'rowOrEnd'
  | 'row'
  | 'rowSep'
  | 'after'
  | 'done';

const INCOMPLETE = -1;

/** Thrown for text that is not the shape Drill answers with; `offset` counts from the first chunk. */
export class DrillStreamSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly excerpt: string
  ) {
    super(message);
    this.name = 'DrillStreamSyntaxError';
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Index after the closing quote of the string starting at `i` (a `"`), or INCOMPLETE. */
function scanString(s: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = s.indexOf('"', j);
    if (q < 0) return INCOMPLETE;
    let backslashes = 0;
    for (let k = q - 1; k > i && s.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index after the JSON value starting at `i`, or INCOMPLETE when the buffer ends inside it. */
function scanValue(s: string, i: number, final: boolean): number {
  const c = s.charCodeAt(i);
  if (c === 0x22) return scanString(s, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 0x22) {
        const end = scanString(s, j);
        if (end < 0) return INCOMPLETE;
        j = end - 1;
      } else if (d === 0x7b || d === 0x5b) {
        depth++;
      } else if (d === 0x7d || d === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return INCOMPLETE;
  }
  // a primitive: runs until a delimiter
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) return j;
    j++;
  }
  return final ? j : INCOMPLETE;
}

// A number literal of 16+ significant characters right after a JSON delimiter; may also match inside
// a string, which only costs the slower exact path.
const LONG_NUMBER = /[:,[]\s*-?\d[\d.eE+-]{15,}/;

/** JSON.parse, except that number literals with 16+ digits become their text (exact) instead of a double. */
export function parseJsonExact(text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text);
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = scanString(text, i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let digits = c === 0x2d ? 0 : 1;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) digits++;
        else if (d !== 0x2e && d !== 0x65 && d !== 0x45 && d !== 0x2b && d !== 0x2d) break;
      }
      if (digits >= 16) {
        out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(out + text.slice(last));
}

export class DrillResponseParser {
  /** Top-level fields other than `rows`, each set once its value is complete. */
  readonly fields: Record<string, unknown> = {};
  /** Rows parsed so far (all pushes). */
  rowCount = 0;
  private buf = '';
  private pos = 0;
  private consumed = 0;
  private state: State = 'start';
  private key = '';

  /** Feeds a chunk; returns the rows completed by it (possibly none). */
  push(chunk: string): DrillRawRow[] {
    this.buf += chunk;
    return this.run(false);
  }

  /** Ends the input; returns the last rows. Throws DrillStreamSyntaxError when the object is incomplete. */
  end(): DrillRawRow[] {
    const rows = this.run(true);
    if (this.state !== 'done') {
      throw this.syntax(
        this.buf.length === 0 && this.consumed === 0
          ? 'empty answer'
          : 'answer ended before the JSON object was complete'
      );
    }
    return rows;
  }

  /** True once the closing brace of the answer has been read. */
  get complete(): boolean {
    return this.state === 'done';
  }

  private syntax(message: string): DrillStreamSyntaxError {
    const at = this.consumed + this.pos;
    return new DrillStreamSyntaxError(message, at, this.buf.slice(this.pos, this.pos + 80));
  }

  private skipSpace(): boolean {
    const s = this.buf;
    while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
    return this.pos < s.length;
  }

  private run(final: boolean): DrillRawRow[] {
    const rows: DrillRawRow[] = [];
    const s = this.buf;
    // The rows completed by this chunk are one run of text (`{..},{..}`): parsed by one JSON.parse
    // call, which is much faster than one per row.
    let runStart = -1;
    let runEnd = -1;
    const flush = (): void => {
      if (runStart < 0) return;
      let parsed: unknown;
      try {
        parsed = parseJsonExact(`[${s.slice(runStart, runEnd)}]`);
      } catch {
        this.pos = runStart;
        throw this.syntax('invalid row');
      }
      for (const row of parsed as DrillRawRow[]) rows.push(row);
      this.rowCount += (parsed as DrillRawRow[]).length;
      runStart = -1;
    };
    loop: for (;;) {
      if (this.state === 'done') {
        if (this.skipSpace()) throw this.syntax('unexpected text after the answer');
        break;
      }
      if (!this.skipSpace()) break;
      const c = s.charCodeAt(this.pos);
      switch (this.state) {
        case 'start':
          if (c !== 0x7b) throw this.syntax('expected a JSON object');
          this.pos++;
          this.state = 'keyOrEnd';
          break;
        case 'keyOrEnd':
        case 'key': {
          if (c === 0x7d && this.state === 'keyOrEnd') {
            this.pos++;
            this.state = 'done';
            break;
          }
          if (c !== 0x22) throw this.syntax('expected a field name');
          const end = scanString(s, this.pos);
          if (end < 0) break loop;
          this.key = JSON.parse(s.slice(this.pos, end)) as string;
          this.pos = end;
          this.state = 'colon';
          break;
        }
        case 'colon':
          if (c !== 0x3a) throw this.syntax('expected ":"');
          this.pos++;
          this.state = this.key === 'rows' ? 'rowsStart' : 'value';
          break;
        case 'rowsStart':
          if (c === 0x5b) {
            this.pos++;
            this.state = 'rowOrEnd';
          } else {
            this.state = 'value'; // e.g. "rows": null
          }
          break;
        case 'rowOrEnd':
        case 'row': {
          if (c === 0x5d && this.state === 'rowOrEnd') {
            this.pos++;
            this.state = 'after';
            break;
          }
          if (c !== 0x7b) throw this.syntax('expected a row object');
          const end = scanValue(s, this.pos, final);
          if (end < 0) break loop;
          if (runStart < 0) runStart = this.pos;
          runEnd = end;
          this.pos = end;
          this.state = 'rowSep';
          break;
        }
        case 'rowSep':
          if (c === 0x2c) this.state = 'row';
          else if (c === 0x5d) {
            flush();
            this.state = 'after';
          } else throw this.syntax('expected "," or "]" after a row');
          this.pos++;
          break;
        case 'value': {
          const end = scanValue(s, this.pos, final);
          if (end < 0) break loop;
          try {
            this.fields[this.key] = parseJsonExact(s.slice(this.pos, end));
          } catch {
            throw this.syntax(`invalid value of "${this.key}"`);
          }
          this.pos = end;
          this.state = 'after';
          break;
        }
        case 'after':
          if (c === 0x2c) this.state = 'key';
          else if (c === 0x7d) this.state = 'done';
          else throw this.syntax('expected "," or "}"');
          this.pos++;
          break;
      }
    }
    flush();
    // drop what has been consumed, keep the unfinished tail
    if (this.pos > 0) {
      this.consumed += this.pos;
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    return rows;
  }
}
