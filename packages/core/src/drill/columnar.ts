// A Drill result kept by column instead of one array per row. Row arrays of typed values cost about
// 1.6x the JSON text (an array per row, a boxed double per FLOAT8, an ISO string per DATE/TIMESTAMP);
// here numbers and date/time values sit in Float64Arrays (dates as epoch ms, formatted only when read),
// booleans in a Uint8Array, other values in plain arrays with repeated strings shared.
// Storage grows in fixed chunks, so appending never copies what is already there.
//
// Reads give exactly the typed values of `rowMapper` (types.ts): ISO text for DATE/TIME/TIMESTAMP,
// decimal text for integers beyond 2^53, values an older Drill sent as text kept as sent.

import {
  baseType,
  converterFor,
  isNumericType,
  type DrillColumn,
  type ValueConverter
} from './types.js';

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** The state of a cell of a numeric column. */
export const CELL_VALUE = 0;
export const CELL_NULL = 1;
/** A value that has no number (decimal text beyond 2^53, text an older Drill sent): kept as is. */
export const CELL_OTHER = 2;
export type CellState = typeof CELL_VALUE | typeof CELL_NULL | typeof CELL_OTHER;

interface Vector {
  /** `typed`: the value is as rowMapper types it (a payload); else as Drill's REST answer has it. */
  push(value: unknown, typed: boolean): void;
  get(i: number): unknown;
  state(i: number): CellState;
  /** The number of a CELL_VALUE cell (NaN for others). */
  number(i: number): number;
  /** Whether it orders by `number()` (see ColumnarRows.sortsByNumber). */
  readonly sortsByNumber: boolean;
}

/** Numbers (and epoch ms) in Float64Array chunks; nulls and other values noted beside them. */
class NumberVector implements Vector {
  private readonly chunks: Float64Array[] = [];
  /** Per chunk, allocated at its first null or other value. */
  private readonly states: Array<Uint8Array | undefined> = [];
  private readonly others = new Map<number, unknown>();
  private length = 0;

  constructor(
    /** The number to keep for a value, or undefined to keep the value (typed) as is. */
    private readonly encode: (value: unknown, typed: boolean) => number | undefined,
    /** The typed value of a kept number. */
    private readonly decode: (n: number) => unknown,
    /** The typed value of a raw value that has no number. */
    private readonly typedOther: ValueConverter,
    /** Dates and times: ordered by their text once a value has no epoch ms. */
    private readonly temporal = false
  ) {}

  get sortsByNumber(): boolean {
    return !this.temporal || this.others.size === 0;
  }

  push(value: unknown, typed: boolean): void {
    const i = this.length++;
    const k = i >>> CHUNK_BITS;
    if (k === this.chunks.length) {
      this.chunks.push(new Float64Array(CHUNK));
      this.states.push(undefined);
    }
    if (value === null || value === undefined) {
      this.mark(i, CELL_NULL);
      return;
    }
    const n = this.encode(value, typed);
    if (n === undefined) {
      this.mark(i, CELL_OTHER);
      this.others.set(i, typed ? value : this.typedOther(value));
    } else {
      this.chunks[k]![i & MASK] = n;
    }
  }

  private mark(i: number, state: CellState): void {
    const k = i >>> CHUNK_BITS;
    (this.states[k] ??= new Uint8Array(CHUNK))[i & MASK] = state;
  }

  state(i: number): CellState {
    return (this.states[i >>> CHUNK_BITS]?.[i & MASK] ?? CELL_VALUE) as CellState;
  }

  number(i: number): number {
    return this.state(i) === CELL_VALUE ? this.chunks[i >>> CHUNK_BITS]![i & MASK]! : NaN;
  }

  get(i: number): unknown {
    const state = this.state(i);
    if (state === CELL_NULL) return null;
    if (state === CELL_OTHER) return this.others.get(i);
    return this.decode(this.chunks[i >>> CHUNK_BITS]![i & MASK]!);
  }
}

/** Booleans: one byte a row (0 false, 1 true, 2 null, 3 other). */
class BooleanVector implements Vector {
  private readonly chunks: Uint8Array[] = [];
  private readonly others = new Map<number, unknown>();
  private length = 0;
  private readonly convert = converterFor('BIT');
  readonly sortsByNumber = true;

  push(value: unknown, typed: boolean): void {
    const i = this.length++;
    const k = i >>> CHUNK_BITS;
    if (k === this.chunks.length) this.chunks.push(new Uint8Array(CHUNK));
    const v = typed ? value : this.convert(value);
    let code: number;
    if (v === true) code = 1;
    else if (v === false) code = 0;
    else if (v === null || v === undefined) code = 2;
    else {
      code = 3;
      this.others.set(i, v);
    }
    this.chunks[k]![i & MASK] = code;
  }

  private code(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]![i & MASK]!;
  }

  state(i: number): CellState {
    const code = this.code(i);
    return code === 2 ? CELL_NULL : code === 3 ? CELL_OTHER : CELL_VALUE;
  }

  number(i: number): number {
    const code = this.code(i);
    return code < 2 ? code : NaN;
  }

  get(i: number): unknown {
    const code = this.code(i);
    return code === 1 ? true : code === 0 ? false : code === 2 ? null : this.others.get(i);
  }
}

/** Distinct strings a column shares before it counts as unique-ish and stops looking. */
const DICTIONARY_SIZE = 4096;
/** Longer strings are kept as they come (rarely repeated, and hashing them costs). */
const DICTIONARY_MAX_LENGTH = 256;

/** Any other values (text, JSON), as typed; repeated strings are kept once. */
class ValueVector implements Vector {
  readonly sortsByNumber = false;
  private readonly chunks: unknown[][] = [];
  private dictionary: Map<string, string> | undefined = new Map();

  constructor(private readonly convert: ValueConverter) {}

  push(value: unknown, typed: boolean): void {
    let v = typed ? value : this.convert(value);
    if (v === undefined) v = null;
    else if (typeof v === 'string' && this.dictionary && v.length <= DICTIONARY_MAX_LENGTH) {
      const shared = this.dictionary.get(v);
      if (shared !== undefined) v = shared;
      else if (this.dictionary.size < DICTIONARY_SIZE) this.dictionary.set(v, v);
      else this.dictionary = undefined; // many distinct values: not worth the lookups
    }
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || chunk.length === CHUNK) {
      chunk = [];
      this.chunks.push(chunk);
    }
    chunk.push(v);
  }

  get(i: number): unknown {
    return this.chunks[i >>> CHUNK_BITS]![i & MASK];
  }

  state(i: number): CellState {
    const v = this.get(i);
    return v === null || v === undefined ? CELL_NULL : CELL_OTHER;
  }

  number(): number {
    return NaN;
  }
}

// ---- per type: what is kept and how it reads --------------------------------------------------

const DAY_MS = 86_400_000;
/** The range of a JS Date. */
const MAX_EPOCH_MS = 8.64e15;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function epochOf(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) ms = Number(value);
  return ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS ? ms : undefined;
}

const formatDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const formatTimestamp = (ms: number): string => new Date(ms).toISOString();
function formatTime(ms: number): string {
  const day = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  const h = Math.floor(day / 3_600_000);
  const m = Math.floor((day % 3_600_000) / 60_000);
  const s = Math.floor((day % 60_000) / 1000);
  const frac = day % 1000;
  return `${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${pad(frac, 3)}` : ''}`;
}

const ISO_DATE = /^[+-]?\d{4,6}-\d\d-\d\d$/;
const ISO_TIMESTAMP = /^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ISO_TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?$/;

/** Epoch ms of a typed value (ISO text), only when formatting it back gives the same text. */
function temporalEncoder(
  format: (ms: number) => string,
  parse: (text: string) => number
): (value: unknown, typed: boolean) => number | undefined {
  return (value, typed) => {
    if (!typed) return epochOf(value);
    if (typeof value !== 'string') return undefined;
    const ms = parse(value);
    return Number.isFinite(ms) && format(ms) === value ? ms : undefined;
  };
}

function parseTime(text: string): number {
  const m = ISO_TIME.exec(text);
  if (!m) return NaN;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4] ?? 0);
}

const TEMPORAL: Record<string, () => Vector> = {
  DATE: () =>
    new NumberVector(
      temporalEncoder(formatDate, t => (ISO_DATE.test(t) ? Date.parse(`${t}T00:00:00.000Z`) : NaN)),
      formatDate,
      v => v,
      true
    ),
  TIMESTAMP: () =>
    new NumberVector(
      temporalEncoder(formatTimestamp, t => (ISO_TIMESTAMP.test(t) ? Date.parse(t) : NaN)),
      formatTimestamp,
      v => v,
      true
    ),
  TIME: () => new NumberVector(temporalEncoder(formatTime, parseTime), formatTime, v => v, true)
};

function vectorFor(type: string): Vector {
  const base = baseType(type);
  const temporal = Object.hasOwn(TEMPORAL, base) ? TEMPORAL[base] : undefined;
  if (temporal) return temporal();
  if (base === 'BIT' || base === 'BOOLEAN') return new BooleanVector();
  const convert = converterFor(type);
  if (isNumericType(base)) {
    // a numeric type: numbers as they are, text through the type's converter
    return new NumberVector(
      value => {
        if (typeof value === 'number') return value;
        const v = convert(value);
        return typeof v === 'number' ? v : undefined;
      },
      n => n,
      convert
    );
  }
  return new ValueVector(convert);
}

/** The rows of a Drill result, by column. */
export class ColumnarRows implements Iterable<unknown[]> {
  readonly columns: readonly DrillColumn[];
  private readonly vectors: Vector[];
  private readonly names: string[];
  private count = 0;

  constructor(columns: readonly DrillColumn[]) {
    this.columns = columns.map(c => ({ name: String(c.name), type: String(c.type ?? '') }));
    this.names = this.columns.map(c => c.name);
    this.vectors = this.columns.map(c => vectorFor(c.type));
  }

  /** Rows kept. */
  get length(): number {
    return this.count;
  }

  /** Appends rows as Drill's REST answer has them: `{column: value}` objects. */
  appendRaw(rows: readonly Record<string, unknown>[]): void {
    // column by column: one property name per inner loop keeps the lookups monomorphic
    for (let c = 0; c < this.vectors.length; c++) {
      const vector = this.vectors[c]!;
      const name = this.names[c]!;
      for (let r = 0; r < rows.length; r++) vector.push(rows[r]![name], false);
    }
    this.count += rows.length;
  }

  /** Appends typed rows (arrays in column order, as DrillResult.rows and the MIME payload have them). */
  appendRows(rows: readonly (readonly unknown[])[]): void {
    for (let c = 0; c < this.vectors.length; c++) {
      const vector = this.vectors[c]!;
      for (let r = 0; r < rows.length; r++) vector.push(rows[r]![c] ?? null, true);
    }
    this.count += rows.length;
  }

  /** The typed value of a cell (null for null). */
  value(row: number, column: number): unknown {
    if (row < 0 || row >= this.count) return undefined;
    return this.vectors[column]?.get(row);
  }

  /** One row as an array of typed values. */
  row(index: number): unknown[] {
    const out = new Array<unknown>(this.vectors.length);
    for (let c = 0; c < out.length; c++) out[c] = this.vectors[c]!.get(index);
    return out;
  }

  /** Rows [from, to) as arrays of typed values. */
  rows(from = 0, to = this.count): unknown[][] {
    const end = Math.min(to, this.count);
    const out: unknown[][] = [];
    for (let i = Math.max(0, from); i < end; i++) out.push(this.row(i));
    return out;
  }

  *[Symbol.iterator](): Iterator<unknown[]> {
    for (let i = 0; i < this.count; i++) yield this.row(i);
  }

  /**
   * Whether a column orders by `number()`: numbers, booleans, and dates/times whose every value has
   * its epoch ms (a date an older Drill sent as text has none: such columns order by their text).
   */
  sortsByNumber(column: number): boolean {
    return this.vectors[column]?.sortsByNumber ?? false;
  }

  /** Null, a number (see `number`), or another value (see `value`). */
  state(row: number, column: number): CellState {
    return this.vectors[column]!.state(row);
  }

  /** The number kept for a cell: the value, 0/1 for booleans, epoch ms for dates; NaN if none. */
  number(row: number, column: number): number {
    return this.vectors[column]!.number(row);
  }
}
