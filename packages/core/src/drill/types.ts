// Typing of Drill's REST values by the column metadata (Drill 1.22 sends, per type):
//   INT/BIGINT/SMALLINT/TINYINT/UINTn  JSON numbers          -> number; BIGINT beyond ±(2^53-1) -> decimal string
//   FLOAT4/FLOAT8                      JSON numbers          -> number
//   DECIMAL/VARDECIMAL(p, s)           JSON numbers          -> number; 16+ digits -> decimal string (exact)
//   BIT (boolean)                      true/false            -> boolean
//   DATE                               epoch ms (UTC midnight) -> "2024-02-02"
//   TIME                               ms of the day         -> "10:11:12" / "10:11:12.345"
//   TIMESTAMP                          epoch ms              -> "2024-01-02T03:04:05.678Z" (Drill's UTC-based ms)
//   INTERVAL*                          ISO period "P1D"      -> string as sent
//   VARBINARY                          base64                -> string as sent
//   VARCHAR/CHAR                       strings               -> string
//   MAP/DICT/LIST/ARRAY/other          JSON                  -> as parsed
// Older Drills (and CSV without casts) send strings: numeric types parse them, dates stay as given.

export interface DrillColumn {
  name: string;
  /** Drill's type as in the REST metadata, e.g. BIGINT, VARCHAR, DATE, FLOAT8, BIT, VARDECIMAL(10, 2). */
  type: string;
}

/**
 * The type without precision/scale or element types: `VARDECIMAL(10, 2)` -> `VARDECIMAL`, Spark SQL's
 * `ARRAY<INT>` -> `ARRAY` (a Livy pull's columns share the grid).
 */
export function baseType(type: string): string {
  const cut = type.search(/[(<]/);
  return (cut < 0 ? type : type.slice(0, cut)).trim().toUpperCase();
}

const INTEGER_TYPES = new Set([
  'INT',
  'INTEGER',
  'BIGINT',
  'SMALLINT',
  'TINYINT',
  'UINT1',
  'UINT2',
  'UINT4',
  'UINT8'
]);
const FLOAT_TYPES = new Set(['FLOAT4', 'FLOAT8', 'FLOAT', 'DOUBLE', 'REAL']);
const DECIMAL_TYPES = new Set([
  'DECIMAL',
  'VARDECIMAL',
  'DECIMAL9',
  'DECIMAL18',
  'DECIMAL28SPARSE',
  'DECIMAL38SPARSE',
  'DECIMAL28DENSE',
  'DECIMAL38DENSE'
]);
/** Drill's integer, floating-point and decimal types (any precision): what sorts and aligns as a number. */
export function isNumericType(type: string): boolean {
  const base = baseType(type);
  return INTEGER_TYPES.has(base) || FLOAT_TYPES.has(base) || DECIMAL_TYPES.has(base);
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type ValueConverter = (value: unknown) => unknown;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function toInteger(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.trim();
  }
  return value;
}

function toFloat(value: unknown): unknown {
  if (typeof value === 'string') {
    const t = value.trim();
    if (NUMERIC_TEXT.test(t) || /^[+-]?(Infinity|NaN)$/.test(t)) return Number(t);
  }
  return value;
}

function toDecimal(value: unknown): unknown {
  if (typeof value === 'string') {
    const t = value.trim();
    if (!NUMERIC_TEXT.test(t)) return value;
    const digits = t
      .replace(/[eE].*$/, '')
      .replace(/\D/g, '')
      .replace(/^0+/, '');
    return digits.length <= 15 ? Number(t) : t;
  }
  return value;
}

function toBoolean(value: unknown): unknown {
  if (value === 'true' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 0 || value === '0') return false;
  return value;
}

function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function toDate(value: unknown): unknown {
  const ms = epochMs(value);
  if (ms === undefined) return value;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().slice(0, 10);
}

function toTimestamp(value: unknown): unknown {
  const ms = epochMs(value);
  if (ms === undefined) return value;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function toTime(value: unknown): unknown {
  const ms = epochMs(value);
  if (ms === undefined) return value;
  const day = ((ms % 86_400_000) + 86_400_000) % 86_400_000;
  const h = Math.floor(day / 3_600_000);
  const m = Math.floor((day % 3_600_000) / 60_000);
  const s = Math.floor((day % 60_000) / 1000);
  const frac = day % 1000;
  return `${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${pad(frac, 3)}` : ''}`;
}

const identity: ValueConverter = value => value;

/** The converter for a column type; null stays null everywhere. */
export function converterFor(type: string): ValueConverter {
  const base = baseType(type);
  let convert: ValueConverter = identity;
  if (INTEGER_TYPES.has(base)) convert = toInteger;
  else if (FLOAT_TYPES.has(base)) convert = toFloat;
  else if (DECIMAL_TYPES.has(base)) convert = toDecimal;
  else if (base === 'BIT' || base === 'BOOLEAN') convert = toBoolean;
  else if (base === 'DATE') convert = toDate;
  else if (base === 'TIMESTAMP') convert = toTimestamp;
  else if (base === 'TIME') convert = toTime;
  if (convert === identity) return identity;
  return value => (value === null || value === undefined ? value : convert(value));
}

/** Converts one value of a column of Drill type `type`. */
export function convertValue(type: string, value: unknown): unknown {
  return converterFor(type)(value);
}

/** Builds the row mapper for a result: Drill's `{col: value}` objects -> arrays in column order. */
export function rowMapper(
  columns: readonly DrillColumn[]
): (row: Record<string, unknown>) => unknown[] {
  const names = columns.map(c => c.name);
  const converters = columns.map(c => converterFor(c.type));
  return row => {
    const out = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) {
      const value = row[names[i]!];
      out[i] = value === undefined ? null : converters[i]!(value);
    }
    return out;
  };
}
