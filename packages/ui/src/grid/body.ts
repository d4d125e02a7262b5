// The table part of the result grid, in the DOM: a fixed-height scroll area (the viewport) holding
// the header row, a spacer as big as the table and the rows in view. It draws what virtual.ts says
// is in view, only what changed on a scroll, and marks the selected cells. It reads the data through
// a BodySource and owns none of it (the grid keeps the rows, the order and the selection).
// Every value is shown through textContent — never markup.

import { displayText } from './model.js';
import type { ColumnKind, DrillResultColumn } from './model.js';
import type { RowStore } from './rows.js';
import type { Cell } from './selection.js';
import type { SortState } from './sortFilter.js';
import {
  ColumnLayout,
  HEADER_HEIGHT,
  ROW_HEIGHT,
  bodyHeightFor,
  bodyOffset,
  rowWindow,
  scrollTopFor
} from './virtual.js';
import { el } from '../element.js';

/** Assumed viewport size when the host has no layout (hidden output, jsdom). */
const FALLBACK_WIDTH = 800;
export const DEFAULT_MAX_HEIGHT = 360;

/** What the body draws: the grid's current data, order and selection. */
export interface BodySource {
  readonly columns: readonly DrillResultColumn[];
  readonly kinds: readonly ColumnKind[];
  readonly rows: RowStore;
  /** Rows in view (after the filter). */
  readonly count: number;
  /** The row index at a view position. */
  rowAt(position: number): number;
  readonly sort: SortState | undefined;
  isSelected(position: number, col: number): boolean;
}

export class GridBody {
  readonly viewport: HTMLElement;
  readonly cols = new ColumnLayout();
  private readonly header: HTMLElement;
  private readonly corner: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowLayer: HTMLElement;
  private readonly emptyNode: HTMLElement;
  private renderedRows = new Map<number, HTMLElement>();
  private renderedCols: [number, number] = [0, -1];
  private dirty = true;

  constructor(
    private readonly doc: Document,
    private readonly source: BodySource
  ) {
    this.viewport = el(doc, 'div', 'rl-Grid-viewport');
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'grid');
    this.viewport.setAttribute('aria-label', 'Result rows');
    this.viewport.setAttribute('aria-multiselectable', 'true');
    this.header = el(doc, 'div', 'rl-Grid-header');
    this.header.setAttribute('role', 'row');
    this.header.setAttribute('aria-rowindex', '1');
    this.header.style.height = `${HEADER_HEIGHT}px`;
    this.corner = el(doc, 'div', 'rl-Grid-corner', '#');
    this.header.appendChild(this.corner);
    this.spacer = el(doc, 'div', 'rl-Grid-spacer');
    this.rowLayer = el(doc, 'div', 'rl-Grid-rows');
    this.rowLayer.setAttribute('role', 'rowgroup');
    this.emptyNode = el(doc, 'div', 'rl-Grid-empty', 'No rows');
    this.emptyNode.hidden = true;
    this.viewport.append(this.header, this.spacer, this.rowLayer, this.emptyNode);
  }

  /** Everything must be drawn again (new rows, order, widths) at the next render. */
  invalidate(): void {
    this.dirty = true;
  }

  /** Back to the top left (new columns). */
  resetScroll(): void {
    this.viewport.scrollTop = 0;
    this.viewport.scrollLeft = 0;
  }

  /** Column offsets, the gutter, spacer size and viewport height (`busy`: no "No rows" meanwhile). */
  layout(maxHeight = DEFAULT_MAX_HEIGHT, busy = false): void {
    const { rows, columns, count } = this.source;
    this.cols.update(rows.length);
    const width = `${this.cols.totalWidth}px`;
    this.spacer.style.height = `${bodyHeightFor(count)}px`;
    this.spacer.style.width = width;
    this.header.style.width = width;
    this.rowLayer.style.width = width;
    this.corner.style.width = `${this.cols.gutterWidth}px`;
    // + room for a horizontal scrollbar
    const wanted = HEADER_HEIGHT + Math.max(count, 1) * ROW_HEIGHT + 16;
    this.viewport.style.height = `${Math.min(maxHeight, wanted)}px`;
    this.viewport.setAttribute('aria-rowcount', String(count + 1));
    this.viewport.setAttribute('aria-colcount', String(columns.length));
    this.emptyNode.hidden = count > 0 || busy;
    this.emptyNode.textContent = rows.length ? 'No rows match the filter' : 'No rows';
  }

  viewportSize(): { width: number; height: number } {
    const width = this.viewport.clientWidth || FALLBACK_WIDTH;
    const height =
      this.viewport.clientHeight || parseFloat(this.viewport.style.height) || DEFAULT_MAX_HEIGHT;
    return { width, height };
  }

  /** Rows a PageUp/PageDown moves by. */
  pageRows(): number {
    return Math.max(1, Math.floor((this.viewportSize().height - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
  }

  /** Renders the rows and columns in view: called on every scroll, so it only touches what changed. */
  render(): void {
    const { width, height } = this.viewportSize();
    const bodyHeight = Math.max(ROW_HEIGHT, height - HEADER_HEIGHT);
    const count = this.source.count;
    const offset = bodyOffset(count, this.viewport.scrollTop, bodyHeight);
    const [first, last] = rowWindow(count, offset, bodyHeight);
    const [firstCol, lastCol] = this.cols.columnWindow(this.viewport.scrollLeft, width);

    const colsChanged = firstCol !== this.renderedCols[0] || lastCol !== this.renderedCols[1];
    if (colsChanged || this.dirty) {
      this.renderedCols = [firstCol, lastCol];
      this.renderHeader();
      for (const row of this.renderedRows.values()) row.remove();
      this.renderedRows.clear();
      this.dirty = false;
    }
    for (const [position, row] of this.renderedRows) {
      if (position < first || position > last) {
        row.remove();
        this.renderedRows.delete(position);
      }
    }
    // Rows sit at their body offset relative to the scroll position: constant while unscaled.
    const shift = this.viewport.scrollTop - offset;
    const fragment = this.doc.createDocumentFragment();
    for (let position = first; position <= last; position++) {
      let row = this.renderedRows.get(position);
      if (!row) {
        row = this.renderRow(position);
        this.renderedRows.set(position, row);
        fragment.appendChild(row);
      }
      const top = `${HEADER_HEIGHT + position * ROW_HEIGHT + shift}px`;
      if (row.style.top !== top) row.style.top = top;
    }
    this.rowLayer.appendChild(fragment);
  }

  /** Marks the selected cells among those drawn (after the selection changed). */
  updateSelection(): void {
    for (const [position, row] of this.renderedRows) {
      for (const cell of Array.from(row.querySelectorAll<HTMLElement>('.rl-Grid-cell'))) {
        const selected = this.source.isSelected(position, Number(cell.dataset.col));
        cell.classList.toggle('rl-mod-selected', selected);
        if (selected) cell.setAttribute('aria-selected', 'true');
        else cell.removeAttribute('aria-selected');
      }
    }
  }

  /** Scrolls a cell (view position) into view, and draws. */
  scrollIntoView(cell: Cell): void {
    const { width, height } = this.viewportSize();
    const top = scrollTopFor(
      cell.row,
      this.source.count,
      this.viewport.scrollTop,
      height - HEADER_HEIGHT
    );
    if (top !== undefined) this.viewport.scrollTop = top;
    const left = this.cols.scrollLeftFor(cell.col, this.viewport.scrollLeft, width);
    if (left !== undefined) this.viewport.scrollLeft = left;
    this.render();
  }

  dispose(): void {
    this.renderedRows.clear();
  }

  /** A header or body cell of column `c`, placed at the column's offset. */
  private cellAt(c: number, className: string, role: string): HTMLElement {
    const cell = el(this.doc, 'div', className);
    cell.setAttribute('role', role);
    cell.setAttribute('aria-colindex', String(c + 1));
    cell.dataset.col = String(c);
    cell.style.left = `${this.cols.lefts[c]}px`;
    cell.style.width = `${this.cols.widths[c]}px`;
    return cell;
  }

  private renderHeader(): void {
    const doc = this.doc;
    const { columns, kinds, sort } = this.source;
    const [firstCol, lastCol] = this.renderedCols;
    while (this.header.lastChild && this.header.lastChild !== this.corner)
      this.header.removeChild(this.header.lastChild);
    for (let c = firstCol; c <= lastCol; c++) {
      const column = columns[c]!;
      const cell = this.cellAt(c, 'rl-Grid-hcell', 'columnheader');
      if (kinds[c] === 'number') cell.classList.add('rl-mod-number');
      const sorted = sort?.column === c ? sort.direction : undefined;
      cell.setAttribute(
        'aria-sort',
        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
      );
      cell.title = `${column.name} (${column.type}) — click to sort`;
      const name = el(doc, 'span', 'rl-Grid-hname', column.name);
      const type = el(doc, 'span', 'rl-Grid-htype', column.type.toLowerCase());
      const indicator = el(
        doc,
        'span',
        'rl-Grid-sortIndicator',
        sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''
      );
      indicator.setAttribute('aria-hidden', 'true');
      const top = el(doc, 'span', 'rl-Grid-htop');
      top.append(name, indicator);
      const resizer = el(doc, 'span', 'rl-Grid-resizer');
      resizer.dataset.col = String(c);
      resizer.title = 'Drag to resize';
      resizer.setAttribute('aria-hidden', 'true');
      cell.append(top, type, resizer);
      this.header.appendChild(cell);
    }
  }

  private renderRow(position: number): HTMLElement {
    const doc = this.doc;
    const { rows, kinds } = this.source;
    const index = this.source.rowAt(position);
    const row = el(doc, 'div', 'rl-Grid-row');
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(position + 2));
    row.dataset.row = String(position);
    if (position % 2) row.classList.add('rl-mod-odd');
    const gutter = el(doc, 'div', 'rl-Grid-gutter', String(index + 1));
    gutter.style.width = `${this.cols.gutterWidth}px`;
    gutter.setAttribute('role', 'rowheader');
    row.appendChild(gutter);
    const [firstCol, lastCol] = this.renderedCols;
    for (let c = firstCol; c <= lastCol; c++) {
      const value = rows.value(index, c);
      const cell = this.cellAt(c, 'rl-Grid-cell', 'gridcell');
      const kind = kinds[c]!;
      if (kind === 'number') cell.classList.add('rl-mod-number');
      else if (kind === 'boolean') cell.classList.add('rl-mod-boolean');
      if (value === null || value === undefined) {
        cell.classList.add('rl-mod-null');
        cell.textContent = 'null';
      } else {
        const text = displayText(value);
        cell.textContent = text;
        if (text.length > 40) cell.title = text;
      }
      if (this.source.isSelected(position, c)) {
        cell.classList.add('rl-mod-selected');
        cell.setAttribute('aria-selected', 'true');
      }
      row.appendChild(cell);
    }
    return row;
  }
}
