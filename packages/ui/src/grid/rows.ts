// What the grid reads its rows from. Two kinds: a payload's row arrays as they are (the MIME payload
// is already parsed into arrays: copying 1M × 20 values into columns would cost seconds), and core's
// ColumnarRows, which Radlab's own query paths fill straight from Drill's answer in far less memory.
import type { ColumnarRows } from '@radlab/core/drill/columnar';

export interface RowStore {
  readonly length: number;
  /** The typed value of a cell (null for null). */
  value(row: number, column: number): unknown;
  /** One row's values in column order. */
  row(index: number): readonly unknown[];
  appendRows(rows: readonly (readonly unknown[])[]): void;
  /** Columnar stores: whether a column sorts by `number` (with `state`), see ColumnarRows. */
  sortsByNumber?(column: number): boolean;
  state?(row: number, column: number): number;
  number?(row: number, column: number): number;
}

/** A payload's rows: the arrays themselves (the list is copied, the rows are not). */
export class RowArrays implements RowStore {
  private readonly rows: (readonly unknown[])[];

  constructor(rows: readonly (readonly unknown[])[] = []) {
    this.rows = rows.slice();
  }

  get length(): number {
    return this.rows.length;
  }

  value(row: number, column: number): unknown {
    return this.rows[row]?.[column];
  }

  row(index: number): readonly unknown[] {
    return this.rows[index] ?? [];
  }

  appendRows(rows: readonly (readonly unknown[])[]): void {
    for (const row of rows) this.rows.push(row);
  }
}

// ColumnarRows is a RowStore: checked by the compiler here, no code
const _columnarIsARowStore = (rows: ColumnarRows): RowStore => rows;
void _columnarIsARowStore;
