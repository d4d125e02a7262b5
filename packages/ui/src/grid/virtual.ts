// Virtualization math of the result grid, both ways: which rows and columns are in view for a scroll
// position, and where they sit. A fixed-height scroll container holds a spacer as big as the table;
// only what is in view (plus an overscan) exists as elements. Above MAX_SCROLL_HEIGHT of rows (1M rows
// at 24 px is 24M px, more than some browsers allow an element to be) the scroll range is scaled.
// No DOM here.

export const ROW_HEIGHT = 24;
export const HEADER_HEIGHT = 42;
export const OVERSCAN_ROWS = 8;
export const OVERSCAN_PX = 240;
/** The tallest spacer: beyond it scrolling is scaled. */
export const MAX_SCROLL_HEIGHT = 8_000_000;

/** The spacer height for `count` rows. */
export function bodyHeightFor(count: number): number {
  return Math.min(count * ROW_HEIGHT, MAX_SCROLL_HEIGHT);
}

/** The first row's offset inside the body for a scroll position (scaled when the rows are huge). */
export function bodyOffset(count: number, scrollTop: number, viewHeight: number): number {
  const full = count * ROW_HEIGHT;
  if (full <= MAX_SCROLL_HEIGHT) return scrollTop;
  const range = MAX_SCROLL_HEIGHT - viewHeight;
  if (range <= 0) return scrollTop;
  return (Math.min(scrollTop, range) / range) * (full - viewHeight);
}

/** The view positions to render (with overscan) at a body offset: `[first, last]`, empty when last < first. */
export function rowWindow(count: number, offset: number, viewHeight: number): [number, number] {
  const first = Math.max(0, Math.floor(offset / ROW_HEIGHT) - OVERSCAN_ROWS);
  const last = Math.min(count - 1, Math.ceil((offset + viewHeight) / ROW_HEIGHT) + OVERSCAN_ROWS);
  return [first, last];
}

/**
 * The scrollTop that brings row `position` into a view of `viewHeight` (16 px kept for a scrollbar),
 * or undefined when it is in view already.
 */
export function scrollTopFor(
  position: number,
  count: number,
  scrollTop: number,
  viewHeight: number
): number | undefined {
  const full = count * ROW_HEIGHT;
  const y = position * ROW_HEIGHT;
  const offset = bodyOffset(count, scrollTop, viewHeight);
  let target = offset;
  if (y < offset) target = y;
  else if (y + ROW_HEIGHT > offset + viewHeight - 16) target = y + ROW_HEIGHT - viewHeight + 16;
  if (target === offset) return undefined;
  if (full <= MAX_SCROLL_HEIGHT) return target;
  const range = Math.min(full, MAX_SCROLL_HEIGHT) - viewHeight;
  return (target / Math.max(1, full - viewHeight)) * range;
}

/** Column offsets after the row-number gutter, and which columns a horizontal span shows. */
export class ColumnLayout {
  widths: number[] = [];
  lefts: number[] = [];
  gutterWidth = 40;
  totalWidth = 0;

  /** Recomputes the offsets; the gutter fits the largest row number. */
  update(rowCount: number): void {
    const digits = String(Math.max(1, rowCount)).length;
    this.gutterWidth = Math.max(32, digits * 7 + 14);
    this.lefts = [];
    let x = this.gutterWidth;
    for (const w of this.widths) {
      this.lefts.push(x);
      x += w;
    }
    this.totalWidth = x;
  }

  /** The column at x (content coordinates); 0 left of the first, -1 when there are none. */
  columnAt(x: number): number {
    let lo = 0;
    let hi = this.lefts.length - 1;
    if (hi < 0 || x < this.lefts[0]!) return hi < 0 ? -1 : 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lefts[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The columns to render for a view from `scrollLeft`, `width` wide (with overscan). */
  columnWindow(scrollLeft: number, width: number): [number, number] {
    if (!this.lefts.length) return [0, -1];
    const right = scrollLeft + width + OVERSCAN_PX;
    const first = Math.max(0, this.columnAt(scrollLeft - OVERSCAN_PX));
    let last = first;
    while (last + 1 < this.lefts.length && this.lefts[last + 1]! < right) last++;
    return [first, last];
  }

  /** The scrollLeft that brings column `col` into a view `width` wide, or undefined when it is in view. */
  scrollLeftFor(col: number, scrollLeft: number, width: number): number | undefined {
    const x = this.lefts[col] ?? 0;
    const w = this.widths[col] ?? 0;
    if (x - this.gutterWidth < scrollLeft) return x - this.gutterWidth;
    if (x + w > scrollLeft + width) return x + w - width;
    return undefined;
  }
}
