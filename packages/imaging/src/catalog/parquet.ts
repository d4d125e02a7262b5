// Catalog tables → Parquet (apache-arrow builds typed columns, parquet-wasm writes them: V1 data
// pages, Snappy, which Drill 1.2x reads).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Utf8,
  makeBuilder,
  Table,
  type Vector,
  tableFromIPC,
  tableToIPC,
  type DataType
} from 'apache-arrow';
import * as pq from 'parquet-wasm/esm';
import { parquetWasmPath } from './parquetWasm.js';

let ready = false;

function init(): void {
  if (ready) return;
  const wasm =
    parquetWasmPath() ??
    createRequire(import.meta.url).resolve('parquet-wasm/esm/parquet_wasm_bg.wasm');
  pq.initSync({ module: readFileSync(wasm) });
  ready = true;
}

/** `doubleList`: a Parquet LIST of DOUBLE (Drill: a REPEATED FLOAT8 array; orientation, position). */
export type ColumnType = 'string' | 'int' | 'bigint' | 'double' | 'bool' | 'date' | 'doubleList';

export type ColumnSpec = readonly (readonly [name: string, type: ColumnType])[];

function arrowType(t: ColumnType): DataType {
  switch (t) {
    case 'string':
      return new Utf8();
    case 'int':
      return new Int32();
    case 'bigint':
      return new Int64();
    case 'double':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'date':
      return new DateDay();
    case 'doubleList':
      return new List(new Field('element', new Float64(), true));
  }
}

/** The rows as one Parquet file's bytes, every column typed and nullable. */
export function toParquet(
  columns: ColumnSpec,
  rows: readonly Record<string, unknown>[]
): Uint8Array {
  init();
  const fields = columns.map(([name, t]) => new Field(name, arrowType(t), true));
  const data: Record<string, ReturnType<typeof makeBuilder>> = {};
  for (const f of fields)
    data[f.name] = makeBuilder({ type: f.type, nullValues: [null, undefined] });
  for (const row of rows) {
    for (const [name, t] of columns) {
      let v = row[name];
      if (v !== undefined && v !== null) {
        if (t === 'date') v = new Date(Number(v) * 86_400_000);
        else if (t === 'bigint') v = BigInt(v as number);
      }
      data[name].append(v);
    }
  }
  const children: Record<string, Vector> = Object.fromEntries(
    fields.map(f => [f.name, data[f.name].finish().toVector()])
  );
  const ipc = tableToIPC(new Table(children), 'stream');
  const wasmTable = pq.Table.fromIPCStream(ipc);
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(pq.Compression.SNAPPY)
    .setWriterVersion(pq.WriterVersion.V1)
    .build();
  return pq.writeParquet(wasmTable, props);
}

/** A Parquet file's rows as plain objects (tests, the incremental merge). */
export function fromParquet(bytes: Uint8Array): Record<string, unknown>[] {
  init();
  const table = tableFromIPC(pq.readParquet(bytes).intoIPCStream());
  return table.toArray().map(row => {
    const out = { ...(row as { toJSON(): Record<string, unknown> }).toJSON() };
    // LIST columns come back as Arrow vectors: plain number arrays, as the records hold them
    for (const [k, v] of Object.entries(out))
      if (v && typeof v === 'object' && 'toArray' in v)
        out[k] = Array.from((v as { toArray(): ArrayLike<unknown> }).toArray());
    return out;
  });
}
