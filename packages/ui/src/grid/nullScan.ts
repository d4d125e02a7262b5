// Which columns of a growing result have had no value yet: scanned once per row as rows arrive (a
// streamed query appends many times), so the grid can warn about a column no row has (core's
// allNullColumns: over JSON and CSV a misspelt column is all null, not an error).

import { allNullColumns, allNullWarning } from '@radlab/core/drill/nullColumns';
import type { DrillResultColumn } from './model.js';
import type { RowStore } from './rows.js';

export class NullScan {
  private seen: boolean[] = [];
  private scanned = 0;

  reset(): void {
    this.seen = [];
    this.scanned = 0;
  }

  /** The warning for the rows so far, or undefined. `sql` tells which columns the query names. */
  warning(
    sql: string | undefined,
    columns: readonly DrillResultColumn[],
    rows: RowStore,
    truncated: boolean
  ): string | undefined {
    if (!sql || rows.length === 0) return undefined;
    if (rows.length < this.scanned) this.reset();
    for (let c = 0; c < columns.length; c++) {
      if (this.seen[c]) continue;
      for (let r = this.scanned; r < rows.length; r++) {
        const v = rows.value(r, c);
        if (v !== null && v !== undefined) {
          this.seen[c] = true;
          break;
        }
      }
    }
    this.scanned = rows.length;
    // the scan above saw every row: one row stands for all
    const names = allNullColumns(sql, columns, 1, (_r, c) => !this.seen[c]);
    return allNullWarning(names, truncated);
  }
}
