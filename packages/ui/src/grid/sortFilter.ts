// Sort and filter of the result grid: which rows are in view, in which order. They work on an index
// array (the rows are never reordered) and run in time slices for big results (ops.ts); sort keys are
// kept per column until the rows change. No DOM here.

import { rowComparator, sortKeyBuilder, storedRowMatches } from './model.js';
import type { ColumnKind, SortDirection, SortKeys } from './model.js';
import { Cancelled, filterIndices, sliced, sortIndices } from './ops.js';
import type { RowStore } from './rows.js';

export interface SortState {
  column: number;
  direction: SortDirection;
}

/** A click on a column's header: unsorted → ascending → descending → unsorted. */
export function nextSort(sort: SortState | undefined, column: number): SortState | undefined {
  const current = sort?.column === column ? sort.direction : undefined;
  if (current === undefined) return { column, direction: 'asc' };
  if (current === 'asc') return { column, direction: 'desc' };
  return undefined;
}

export class RowOrder {
  sort: SortState | undefined;
  /** Lower-cased filter text; '' for none. */
  filterText = '';
  /** The column the filter looks in; undefined: every column. */
  filterColumn: number | undefined;
  /** Row indices in view order; null: all rows in their order. */
  view: Uint32Array | null = null;
  private keys = new Map<number, SortKeys>();
  /** Bumped whenever the rows change: sort keys of older rows are not kept. */
  private generation = 0;
  private work: AbortController | undefined;

  constructor(private readonly threshold?: number) {}

  /** Whether sorting or filtering is on (the rows in view then need `compute`). */
  get active(): boolean {
    return this.sort !== undefined || this.filterText !== '';
  }

  /** What `compute` is doing, for a busy label. */
  get label(): string {
    return this.sort && this.filterText
      ? 'Filtering and sorting…'
      : this.filterText
        ? 'Filtering…'
        : 'Sorting…';
  }

  /** Rows in view, of `total` rows. */
  count(total: number): number {
    return this.view ? this.view.length : total;
  }

  /** The row index at a view position. */
  rowAt(position: number): number {
    return this.view ? this.view[position]! : position;
  }

  /** The rows changed (new, or more of them): sort keys must be built again. */
  rowsChanged(): void {
    this.generation++;
    this.keys.clear();
  }

  /** No sort, no filter (new columns). */
  reset(): void {
    this.sort = undefined;
    this.filterText = '';
    this.filterColumn = undefined;
  }

  /** Stops a running `compute` (it then rejects with ops.ts's Cancelled). */
  abort(): void {
    this.work?.abort();
  }

  /**
   * The view for the current sort and filter over `rows` (`columns` wide, of these kinds). Rejects
   * with Cancelled when a newer compute (or `abort`) took over; the caller then keeps the old view.
   */
  async compute(rows: RowStore, columns: number, kinds: readonly ColumnKind[]): Promise<void> {
    this.work?.abort();
    const work = new AbortController();
    this.work = work;
    const options = { signal: work.signal, threshold: this.threshold };
    const generation = this.generation;
    const { sort, filterText: needle, filterColumn } = this;
    let view: Uint32Array | null = null;
    if (needle)
      view = await filterIndices(
        rows.length,
        i => storedRowMatches(rows, i, columns, needle, filterColumn),
        options
      );
    if (sort) {
      let keys = this.keys.get(sort.column);
      if (!keys) {
        const builder = sortKeyBuilder(rows, sort.column, kinds[sort.column] ?? 'text');
        keys = await sliced(rows.length, builder.fill, () => builder.keys, options);
        if (!work.signal.aborted && generation === this.generation)
          this.keys.set(sort.column, keys);
      }
      if (!view) {
        view = new Uint32Array(rows.length);
        for (let i = 0; i < view.length; i++) view[i] = i;
      }
      view = await sortIndices(view, rowComparator(keys, sort.direction), options);
    }
    if (work.signal.aborted) throw new Cancelled();
    this.view = view;
  }

  clear(): void {
    this.work?.abort();
    this.view = null;
    this.keys.clear();
  }
}
