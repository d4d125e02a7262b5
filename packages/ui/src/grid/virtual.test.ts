import { describe, expect, it } from 'vitest';
import {
  ColumnLayout,
  MAX_SCROLL_HEIGHT,
  OVERSCAN_ROWS,
  ROW_HEIGHT,
  bodyHeightFor,
  bodyOffset,
  rowWindow,
  scrollTopFor
} from './virtual.js';

describe('row virtualization', () => {
  it('renders the rows in view plus an overscan', () => {
    expect(rowWindow(1000, 0, 240)).toEqual([0, 10 + OVERSCAN_ROWS]);
    expect(rowWindow(1000, 100 * ROW_HEIGHT, 240)).toEqual([
      100 - OVERSCAN_ROWS,
      110 + OVERSCAN_ROWS
    ]);
    expect(rowWindow(5, 0, 240)).toEqual([0, 4]);
    expect(rowWindow(0, 0, 240)).toEqual([0, -1]);
  });

  it('scales the scroll range past MAX_SCROLL_HEIGHT, reaching the last row', () => {
    const count = 1_000_000;
    expect(bodyHeightFor(count)).toBe(MAX_SCROLL_HEIGHT);
    expect(bodyHeightFor(10)).toBe(10 * ROW_HEIGHT);
    expect(bodyOffset(10, 50, 240)).toBe(50);
    const end = bodyOffset(count, MAX_SCROLL_HEIGHT - 240, 240);
    expect(end).toBe(count * ROW_HEIGHT - 240);
    expect(rowWindow(count, end, 240)[1]).toBe(count - 1);
  });

  it('scrolls a row into view only when it is out of view', () => {
    expect(scrollTopFor(2, 1000, 0, 240)).toBeUndefined();
    expect(scrollTopFor(50, 1000, 0, 240)).toBe(51 * ROW_HEIGHT - 240 + 16);
    expect(scrollTopFor(3, 1000, 500, 240)).toBe(3 * ROW_HEIGHT);
    const huge = scrollTopFor(999_999, 1_000_000, 0, 240)!;
    expect(huge).toBeGreaterThan(MAX_SCROLL_HEIGHT - 300);
    expect(huge).toBeLessThanOrEqual(MAX_SCROLL_HEIGHT);
  });
});

describe('ColumnLayout', () => {
  const layout = new ColumnLayout();
  layout.widths = [100, 50, 200, 80];
  layout.update(12_345);

  it('puts columns after a gutter as wide as the largest row number', () => {
    expect(layout.gutterWidth).toBe(5 * 7 + 14);
    expect(layout.lefts).toEqual([49, 149, 199, 399]);
    expect(layout.totalWidth).toBe(479);
  });

  it('finds the column at x and the columns of a view', () => {
    expect(layout.columnAt(0)).toBe(0);
    expect(layout.columnAt(150)).toBe(1);
    expect(layout.columnAt(10_000)).toBe(3);
    expect(layout.columnWindow(0, 100)).toEqual([0, 2]);
    const narrow = new ColumnLayout();
    narrow.widths = Array.from({ length: 100 }, () => 100);
    narrow.update(1);
    const [first, last] = narrow.columnWindow(5000, 300);
    expect(first).toBeGreaterThan(45);
    expect(last).toBeLessThan(60);
    expect(new ColumnLayout().columnWindow(0, 100)).toEqual([0, -1]);
  });

  it('scrolls a column into view', () => {
    expect(layout.scrollLeftFor(0, 0, 300)).toBeUndefined();
    expect(layout.scrollLeftFor(3, 0, 300)).toBe(479 - 300);
    expect(layout.scrollLeftFor(0, 100, 300)).toBe(0);
  });
});
