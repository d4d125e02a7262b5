import { describe, expect, it } from 'vitest';
import { columnKind } from './model.js';
import { Cancelled } from './ops.js';
import { RowArrays } from './rows.js';
import { RowOrder, nextSort } from './sortFilter.js';

const rows = () =>
  new RowArrays([
    [3, 'chest CT'],
    [1, 'Knee MRI'],
    [null, 'Head CT'],
    [2, 'hand x-ray']
  ]);
const kinds = [columnKind('BIGINT'), columnKind('VARCHAR')];

describe('RowOrder', () => {
  it('sorts by a column (nulls last), filters by a substring, and both', async () => {
    const order = new RowOrder();
    const store = rows();
    expect(order.active).toBe(false);
    expect(order.count(4)).toBe(4);
    order.sort = { column: 0, direction: 'asc' };
    await order.compute(store, 2, kinds);
    expect([0, 1, 2, 3].map(p => order.rowAt(p))).toEqual([1, 3, 0, 2]);
    order.filterText = 'ct';
    expect(order.label).toBe('Filtering and sorting…');
    await order.compute(store, 2, kinds);
    expect(order.count(4)).toBe(2);
    expect([order.rowAt(0), order.rowAt(1)]).toEqual([0, 2]);
    order.filterColumn = 0;
    await order.compute(store, 2, kinds);
    expect(order.count(4)).toBe(0);
    order.reset();
    expect(order.active).toBe(false);
  });

  it('a newer compute cancels the older one, which keeps nothing', async () => {
    const order = new RowOrder(1);
    order.sort = { column: 1, direction: 'desc' };
    const first = order.compute(rows(), 2, kinds);
    const second = order.compute(rows(), 2, kinds);
    await expect(first).rejects.toBeInstanceOf(Cancelled);
    await second;
    expect(order.rowAt(0)).toBe(1);
  });
});

describe('nextSort', () => {
  it('cycles a header: ascending, descending, unsorted; another column starts ascending', () => {
    const asc = nextSort(undefined, 2);
    expect(asc).toEqual({ column: 2, direction: 'asc' });
    const desc = nextSort(asc, 2);
    expect(desc).toEqual({ column: 2, direction: 'desc' });
    expect(nextSort(desc, 2)).toBeUndefined();
    expect(nextSort(desc, 0)).toEqual({ column: 0, direction: 'asc' });
  });
});
