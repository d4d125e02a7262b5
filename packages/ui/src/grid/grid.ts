// The Drill result grid shared by JupyterLab (a Lumino widget, a MIME renderer) and VS Code (a notebook
// renderer). Plain DOM, no host APIs. This file puts the parts together and draws the header and the
// rows in view; the parts each hold one concern and are tested on their own:
//   virtual.ts     which rows and columns are in view, where they sit (scaled scrolling past 8M px)
//   sortFilter.ts  sort and filter as an index array over the rows, sliced for big results (ops.ts)
//   selection.ts   the selected cells and the clipboard write
//   export.ts      the CSV file's name and the download
//   chartPanel.ts  the quick chart's pickers and area (chart.ts draws)
// Rows come as a payload's arrays or, from Radlab's own query paths, by column (core's ColumnarRows:
// numbers and dates in typed arrays, formatted when a cell is drawn); see rows.ts.
// Every value is shown through textContent — never markup.
import { columnKind, displayText, estimateWidth, sampleIndices, toCsv, toTsv } from './model.js';
import type {
  ColumnKind,
  DrillResultColumn,
  DrillResultInfo,
  DrillResultPayload,
  SortDirection
} from './model.js';
import { Cancelled } from './ops.js';
import { RowArrays, type RowStore } from './rows.js';
import { ChartPanel, fillColumns } from './chartPanel.js';
import { ColumnResize } from './columnResize.js';
import { csvFilename, downloadText } from './export.js';
import { NullScan } from './nullScan.js';
import { Selection, keyMove, writeClipboard, type Cell } from './selection.js';
import { RowOrder } from './sortFilter.js';
import { StatusBar, button, formatCount } from './statusBar.js';
import {
  ColumnLayout,
  HEADER_HEIGHT,
  MAX_SCROLL_HEIGHT,
  ROW_HEIGHT,
  bodyHeightFor,
  bodyOffset,
  rowWindow,
  scrollTopFor
} from './virtual.js';
import { el } from '../element.js';

export { HEADER_HEIGHT, MAX_SCROLL_HEIGHT, ROW_HEIGHT };
export { formatCount, formatElapsed } from './statusBar.js';

export interface ResultGridOptions {
  /** Shows "Fetch more" when the result is truncated. */
  onFetchMore?: () => void;
  /** Receives the CSV instead of a download (VS Code webviews cannot download). */
  onExport?: (csv: string, filename: string) => void;
  /** Receives copied text in addition to the clipboard (hosts whose clipboard is restricted). */
  onCopy?: (text: string) => void;
  /** The most the scroll area grows to, in px (default 360); small results take less. */
  maxHeight?: number;
  /** Rows above which sort/filter run in slices (default 200k); for tests. */
  chunkThreshold?: number;
}

const FILTER_DELAY_MS = 200;
const DEFAULT_MAX_HEIGHT = 360;
/** Assumed viewport size when the host has no layout (hidden output, jsdom). */
const FALLBACK_WIDTH = 800;

interface Listener {
  target: EventTarget;
  type: string;
  handler: EventListener;
  capture: boolean;
}

export class ResultGrid {
  readonly node: HTMLElement;
  private readonly doc: Document;
  private readonly options: ResultGridOptions;
  private readonly listeners: Listener[] = [];
  private disposed = false;

  // data
  private columns: DrillResultColumn[] = [];
  private kinds: ColumnKind[] = [];
  private rows: RowStore = new RowArrays();
  private payload: DrillResultInfo | undefined;
  private readonly order: RowOrder;
  private readonly nulls = new NullScan();
  private idle: Promise<void> = Promise.resolve();
  private busyLabel: string | undefined;

  // layout
  private readonly cols = new ColumnLayout();
  private renderedRows = new Map<number, HTMLElement>();
  private renderedCols: [number, number] = [0, -1];
  private rowsDirty = true;

  /** Selected cells, by view position. */
  private readonly selection = new Selection();

  // elements
  private readonly filterInput: HTMLInputElement;
  private readonly filterSelect: HTMLSelectElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly chartButton: HTMLButtonElement;
  private readonly chart: ChartPanel;
  private readonly viewport: HTMLElement;
  private readonly header: HTMLElement;
  private readonly corner: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowLayer: HTMLElement;
  private readonly emptyNode: HTMLElement;
  private readonly status: StatusBar;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private readonly resize: ColumnResize;

  constructor(host: HTMLElement, options: ResultGridOptions = {}) {
    this.doc = host.ownerDocument;
    this.options = options;
    this.order = new RowOrder(options.chunkThreshold);
    const doc = this.doc;

    this.node = el(doc, 'div', 'rl-Grid');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Drill result');
    // Lumino (JupyterLab) leaves keys typed in here to us: no notebook shortcuts on j/k/arrows.
    this.node.dataset.lmSuppressShortcuts = 'true';

    // toolbar
    const toolbar = el(doc, 'div', 'rl-Grid-toolbar');
    this.filterInput = el(doc, 'input', 'rl-Grid-filter');
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter rows…';
    this.filterInput.setAttribute('aria-label', 'Filter rows');
    this.filterInput.spellcheck = false;
    this.filterSelect = el(doc, 'select', 'rl-Grid-select rl-Grid-filterColumn');
    this.filterSelect.setAttribute('aria-label', 'Filter in column');
    const spring = el(doc, 'span', 'rl-Grid-spring');
    this.copyButton = button(
      doc,
      'copy',
      'Copy',
      'Copy the selected cells (or the whole result) as TSV'
    );
    this.exportButton = button(
      doc,
      'export',
      'CSV',
      'Export the rows (filtered and sorted) as CSV'
    );
    this.chartButton = button(doc, 'chart', 'Chart', 'Show a quick chart of two columns');
    this.chartButton.setAttribute('aria-pressed', 'false');
    toolbar.append(
      this.filterInput,
      this.filterSelect,
      spring,
      this.copyButton,
      this.exportButton,
      this.chartButton
    );

    this.chart = new ChartPanel(doc);

    // the table
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

    this.status = new StatusBar(doc, Boolean(options.onFetchMore));
    this.resize = new ColumnResize(
      doc,
      this.node,
      col => this.cols.widths[col]!,
      (col, width) => {
        this.cols.widths[col] = width;
        this.layout();
        this.rowsDirty = true;
        this.render();
      }
    );

    this.node.append(toolbar, this.chart.node, this.viewport, this.status.node);

    this.listen(this.node, 'click', e => this.handleClick(e as MouseEvent));
    this.listen(this.node, 'mousedown', e => this.handleMouseDown(e as MouseEvent));
    this.listen(this.viewport, 'scroll', () => this.render());
    this.listen(this.viewport, 'keydown', e => this.handleKeyDown(e as KeyboardEvent));
    this.listen(this.filterInput, 'input', () => this.scheduleFilter());
    this.listen(this.filterInput, 'keydown', e => {
      if ((e as KeyboardEvent).key === 'Enter') this.applyFilter();
    });
    this.listen(this.filterSelect, 'change', () => this.applyFilter());
    for (const select of [this.chart.x, this.chart.y, this.chart.kind])
      this.listen(select, 'change', () => this.renderChart());

    const win = this.doc.defaultView as (Window & typeof globalThis) | null;
    if (win?.ResizeObserver) {
      this.resizeObserver = new win.ResizeObserver(() => this.render());
      this.resizeObserver.observe(this.viewport);
    }
    host.appendChild(this.node);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Resolves when the running sort/filter (if any) is done. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Rows in view (after the filter). */
  get viewRowCount(): number {
    return this.order.count(this.rows.length);
  }

  /** The row index at a view position. */
  rowAt(position: number): number {
    return this.order.rowAt(position);
  }

  /** Shows a result (the MIME payload); its row arrays are used as they are. */
  setResult(payload: DrillResultPayload): void {
    if (this.disposed) return;
    const { rows, ...rest } = payload;
    this.setResultRows(rest, new RowArrays(Array.isArray(rows) ? rows : []));
  }

  /**
   * Shows rows from a store, without copying them: core's ColumnarRows (DrillClient.queryColumnar,
   * DrillQuery.columnar()) keep a big result in far less memory than row arrays. When the store grows
   * later (a streamed query), call `rowsAppended`.
   */
  setResultRows(info: DrillResultInfo, rows: RowStore): void {
    if (this.disposed) return;
    const columns = Array.isArray(info?.columns) ? info.columns : [];
    const sameColumns =
      columns.length === this.columns.length &&
      columns.every((c, i) => c.name === this.columns[i]!.name && c.type === this.columns[i]!.type);
    const payload: DrillResultInfo & { rows?: unknown } = { ...info, rowCount: rows.length };
    delete payload.rows; // a whole payload passed as the info: its row arrays are not kept
    this.payload = payload;
    this.columns = columns.map(c => ({ name: String(c.name), type: String(c.type ?? '') }));
    this.kinds = this.columns.map(c => columnKind(c.type));
    this.rows = rows;
    this.nulls.reset();
    this.order.rowsChanged();
    this.selection.clear();
    if (!sameColumns) {
      this.order.reset();
      this.filterInput.value = '';
      this.fillColumnSelects();
      this.estimateWidths();
      this.viewport.scrollTop = 0;
      this.viewport.scrollLeft = 0;
    }
    this.order.view = null;
    this.layout();
    if (this.order.active) void this.recompute();
    else this.refresh();
  }

  /** Adds streamed rows; `truncated` updates the notice (e.g. after Fetch more). */
  appendRows(
    rows: readonly unknown[][],
    info: { truncated?: boolean; elapsedMs?: number } = {}
  ): void {
    if (this.disposed || !this.payload) return;
    const hadRows = this.rows.length > 0;
    this.rows.appendRows(rows);
    this.update(hadRows, info);
  }

  /** The store given to setResultRows has grown (or the query has finished: `truncated`, `elapsedMs`). */
  rowsAppended(info: { truncated?: boolean; elapsedMs?: number } = {}): void {
    if (this.disposed || !this.payload) return;
    this.update(this.payload.rowCount > 0, info);
  }

  private update(hadRows: boolean, info: { truncated?: boolean; elapsedMs?: number }): void {
    this.order.rowsChanged();
    this.payload = {
      ...this.payload!,
      ...this.payload,
      rowCount: this.rows.length,
      ...(info.truncated !== undefined ? { truncated: info.truncated } : {}),
      ...(info.elapsedMs !== undefined ? { elapsedMs: info.elapsedMs } : {})
    };
    if (!hadRows) this.estimateWidths();
    this.layout();
    if (this.order.active) void this.recompute();
    else this.refresh();
  }

  /** The most the scroll area grows to (px): for a host that was resized. Keeps sort, filter, selection. */
  setMaxHeight(px: number): void {
    if (this.disposed || this.options.maxHeight === px) return;
    this.options.maxHeight = px;
    this.layout();
    this.render();
  }

  /** A short note in the status bar (gone after a few seconds), e.g. where an export was saved. */
  notify(text: string): void {
    if (!this.disposed) this.showMessage(text);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.order.clear();
    clearTimeout(this.filterTimer);
    this.status.dispose();
    this.resize.dispose();
    this.resizeObserver?.disconnect();
    for (const { target, type, handler, capture } of this.listeners.splice(0))
      target.removeEventListener(type, handler, capture);
    this.renderedRows.clear();
    this.rows = new RowArrays();
    this.node.remove();
  }

  // ---- sort / filter --------------------------------------------------------------------------

  /** Sorts by a column (`undefined`: original order). */
  setSort(column: number | undefined, direction: SortDirection = 'asc'): Promise<void> {
    this.order.sort = column === undefined ? undefined : { column, direction };
    return this.recompute();
  }

  /** Filters rows by a case-insensitive substring, in every cell or in one column. */
  setFilter(text: string, column?: number): Promise<void> {
    this.filterInput.value = text;
    this.filterSelect.value = column === undefined ? '' : String(column);
    return this.applyFilter();
  }

  private scheduleFilter(): void {
    clearTimeout(this.filterTimer);
    this.filterTimer = setTimeout(() => void this.applyFilter(), FILTER_DELAY_MS);
  }

  private applyFilter(): Promise<void> {
    clearTimeout(this.filterTimer);
    const text = this.filterInput.value.trim().toLowerCase();
    const col = this.filterSelect.value === '' ? undefined : Number(this.filterSelect.value);
    if (text === this.order.filterText && col === this.order.filterColumn) return this.idle;
    this.order.filterText = text;
    this.order.filterColumn = col;
    return this.recompute();
  }

  private recompute(): Promise<void> {
    this.setBusy(this.order.label);
    this.idle = this.order.compute(this.rows, this.columns.length, this.kinds).then(
      () => {
        if (this.disposed) return;
        this.selection.clear();
        this.setBusy(undefined);
        this.layout();
        this.refresh();
      },
      (reason: unknown) => {
        if (reason instanceof Cancelled) return;
        this.setBusy(undefined);
        this.showMessage(`Failed: ${reason instanceof Error ? reason.message : String(reason)}`);
      }
    );
    return this.idle;
  }

  private setBusy(label: string | undefined): void {
    this.busyLabel = label;
    this.status.setBusy(label);
    this.node.setAttribute('aria-busy', String(label !== undefined));
  }

  // ---- layout and rendering ---------------------------------------------------------------------

  private fillColumnSelects(): void {
    fillColumns(this.doc, this.filterSelect, this.columns, this.kinds, 'All columns');
    this.chartButton.disabled = !this.chart.setColumns(this.columns, this.kinds);
  }

  private estimateWidths(): void {
    const sample = sampleIndices(this.rows.length);
    this.cols.widths = this.columns.map((column, c) =>
      estimateWidth(
        column,
        sample.map(i => this.rows.value(i, c))
      )
    );
  }

  /** Column offsets, the gutter, spacer size and viewport height. */
  private layout(): void {
    this.cols.update(this.rows.length);
    const count = this.viewRowCount;
    const width = `${this.cols.totalWidth}px`;
    this.spacer.style.height = `${bodyHeightFor(count)}px`;
    this.spacer.style.width = width;
    this.header.style.width = width;
    this.rowLayer.style.width = width;
    this.corner.style.width = `${this.cols.gutterWidth}px`;
    const maxHeight = this.options.maxHeight ?? DEFAULT_MAX_HEIGHT;
    // + room for a horizontal scrollbar
    const wanted = HEADER_HEIGHT + Math.max(count, 1) * ROW_HEIGHT + 16;
    this.viewport.style.height = `${Math.min(maxHeight, wanted)}px`;
    this.viewport.setAttribute('aria-rowcount', String(count + 1));
    this.viewport.setAttribute('aria-colcount', String(this.columns.length));
    this.emptyNode.hidden = count > 0 || this.busyLabel !== undefined;
    this.emptyNode.textContent = this.rows.length ? 'No rows match the filter' : 'No rows';
  }

  /** Re-renders everything: rows, header, status, chart. */
  private refresh(): void {
    this.rowsDirty = true;
    this.render();
    this.renderStatus();
    if (this.chart.open) this.renderChart();
  }

  private viewportSize(): { width: number; height: number } {
    const width = this.viewport.clientWidth || FALLBACK_WIDTH;
    const height =
      this.viewport.clientHeight || parseFloat(this.viewport.style.height) || DEFAULT_MAX_HEIGHT;
    return { width, height };
  }

  /** Renders the rows and columns in view: called on every scroll, so it only touches what changed. */
  render(): void {
    if (this.disposed) return;
    const { width, height } = this.viewportSize();
    const bodyHeight = Math.max(ROW_HEIGHT, height - HEADER_HEIGHT);
    const count = this.viewRowCount;
    const offset = bodyOffset(count, this.viewport.scrollTop, bodyHeight);
    const [first, last] = rowWindow(count, offset, bodyHeight);
    const [firstCol, lastCol] = this.cols.columnWindow(this.viewport.scrollLeft, width);

    const colsChanged = firstCol !== this.renderedCols[0] || lastCol !== this.renderedCols[1];
    if (colsChanged || this.rowsDirty) {
      this.renderedCols = [firstCol, lastCol];
      this.renderHeader();
    }
    if (this.rowsDirty || colsChanged) {
      for (const row of this.renderedRows.values()) row.remove();
      this.renderedRows.clear();
      this.rowsDirty = false;
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

  private renderHeader(): void {
    const doc = this.doc;
    const [firstCol, lastCol] = this.renderedCols;
    while (this.header.lastChild && this.header.lastChild !== this.corner)
      this.header.removeChild(this.header.lastChild);
    for (let c = firstCol; c <= lastCol; c++) {
      const column = this.columns[c]!;
      const cell = el(doc, 'div', 'rl-Grid-hcell');
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-colindex', String(c + 1));
      cell.dataset.col = String(c);
      cell.style.left = `${this.cols.lefts[c]}px`;
      cell.style.width = `${this.cols.widths[c]}px`;
      if (this.kinds[c] === 'number') cell.classList.add('rl-mod-number');
      const sort = this.order.sort;
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
    const index = this.rowAt(position);
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
      const value = this.rows.value(index, c);
      const cell = el(doc, 'div', 'rl-Grid-cell');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(c + 1));
      cell.dataset.col = String(c);
      cell.style.left = `${this.cols.lefts[c]}px`;
      cell.style.width = `${this.cols.widths[c]}px`;
      const kind = this.kinds[c]!;
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
      if (this.selection.has(position, c)) {
        cell.classList.add('rl-mod-selected');
        cell.setAttribute('aria-selected', 'true');
      }
      row.appendChild(cell);
    }
    return row;
  }

  private renderStatus(): void {
    const truncated = Boolean(this.payload?.truncated);
    this.status.update({
      total: this.rows.length,
      shown: this.viewRowCount,
      columns: this.columns.length,
      elapsedMs: this.payload?.elapsedMs,
      truncated,
      sorted: this.order.sort !== undefined,
      filtered: this.order.filterText !== '',
      warning: this.nulls.warning(this.payload?.sql, this.columns, this.rows, truncated)
    });
    this.node.classList.toggle('rl-mod-truncated', truncated);
  }

  private showMessage(text: string): void {
    this.status.showMessage(text);
  }

  // ---- chart ------------------------------------------------------------------------------------

  private renderChart(): void {
    this.chart.render(this.chartSource());
  }

  private chartSource() {
    return {
      count: this.viewRowCount,
      value: (position: number, column: number) => this.rows.value(this.rowAt(position), column)
    };
  }

  // ---- selection, copy, export --------------------------------------------------------------------

  /** Selects cells by view position (`extend`: from the anchor, as with shift-click). */
  select(cell: Cell, extend = false): void {
    this.selection.select(cell, this.viewRowCount, this.columns.length, extend);
    this.updateSelectionClasses();
  }

  private updateSelectionClasses(): void {
    for (const [position, row] of this.renderedRows) {
      for (const cell of Array.from(row.querySelectorAll<HTMLElement>('.rl-Grid-cell'))) {
        const selected = this.selection.has(position, Number(cell.dataset.col));
        cell.classList.toggle('rl-mod-selected', selected);
        if (selected) cell.setAttribute('aria-selected', 'true');
        else cell.removeAttribute('aria-selected');
      }
    }
  }

  /** The selected cells as TSV (no header), or '' without a selection. */
  selectionTsv(): string {
    const range = this.selection.range();
    if (!range) return '';
    const cols: number[] = [];
    for (let c = range.c0; c <= range.c1; c++) cols.push(c);
    return toTsv(this.viewRows(range.r0, range.r1 + 1), cols);
  }

  /** All rows in view (filtered, sorted) as TSV with a header line. */
  viewTsv(): string {
    const cols = this.columns.map((_, i) => i);
    return toTsv(
      this.viewRows(),
      cols,
      this.columns.map(c => c.name)
    );
  }

  /** All rows in view (filtered, sorted) as CSV (RFC 4180). */
  toCsv(): string {
    return toCsv(this.columns, this.viewRows());
  }

  private *viewRows(from = 0, to = this.viewRowCount): Generator<unknown[]> {
    for (let i = from; i < to; i++) yield this.rows.row(this.rowAt(i)) as unknown[];
  }

  /** Copies the selection, or everything in view when nothing is selected. */
  copy(all = false): void {
    const range = this.selection.range();
    const text = !all && range ? this.selectionTsv() : this.viewTsv();
    const cells = range && !all ? this.selection.size : undefined;
    this.options.onCopy?.(text);
    writeClipboard(this.doc, text, () => this.showMessage('Copying was refused by the browser'));
    this.showMessage(
      cells !== undefined
        ? `Copied ${formatCount(cells)} ${cells === 1 ? 'cell' : 'cells'}`
        : `Copied ${formatCount(this.viewRowCount)} rows`
    );
  }

  /** Exports the rows in view as CSV: through onExport, else as a download. */
  exportCsv(): void {
    const csv = this.toCsv();
    const filename = csvFilename({ sql: this.payload?.sql, queryId: this.payload?.queryId });
    if (this.options.onExport) this.options.onExport(csv, filename);
    else downloadText(this.node, csv, filename);
  }

  // ---- events -----------------------------------------------------------------------------------

  private listen(target: EventTarget, type: string, handler: EventListener, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.listeners.push({ target, type, handler, capture });
  }

  private handleClick(event: MouseEvent): void {
    const target = event.target as Element | null;
    if (!target?.closest) return;
    if (this.resize.takeClick()) return;
    const action = (target.closest('button[data-action]') as HTMLButtonElement | null)?.dataset
      .action;
    if (action) {
      if (action === 'copy') this.copy();
      else if (action === 'export') this.exportCsv();
      else if (action === 'fetch-more') this.options.onFetchMore?.();
      else if (action === 'chart') this.toggleChart();
      return;
    }
    if (target.closest('.rl-Grid-resizer')) return;
    const header = target.closest<HTMLElement>('.rl-Grid-hcell');
    if (header) {
      this.cycleSort(Number(header.dataset.col));
      return;
    }
    const cell = target.closest<HTMLElement>('.rl-Grid-cell, .rl-Grid-gutter');
    const row = cell?.closest<HTMLElement>('.rl-Grid-row');
    if (cell && row) {
      const position = Number(row.dataset.row);
      if (cell.classList.contains('rl-Grid-gutter')) {
        this.selection.selectRow(position, this.columns.length, event.shiftKey);
        this.updateSelectionClasses();
      } else this.select({ row: position, col: Number(cell.dataset.col) }, event.shiftKey);
      this.viewport.focus({ preventScroll: true });
    }
  }

  private cycleSort(column: number): void {
    const sort = this.order.sort;
    const current = sort?.column === column ? sort.direction : undefined;
    if (current === undefined) void this.setSort(column, 'asc');
    else if (current === 'asc') void this.setSort(column, 'desc');
    else void this.setSort(undefined);
  }

  private toggleChart(): void {
    const open = this.chart.toggle(this.chartSource());
    this.chartButton.setAttribute('aria-pressed', String(open));
  }

  private handleMouseDown(event: MouseEvent): void {
    const target = event.target as Element | null;
    const resizer = target?.closest?.<HTMLElement>('.rl-Grid-resizer');
    if (resizer && event.button === 0) {
      event.preventDefault();
      event.stopPropagation();
      this.resize.start(Number(resizer.dataset.col), event.clientX);
      return;
    }
    // shift-click extends the selection: keep the browser from selecting text
    if (event.shiftKey && target?.closest?.('.rl-Grid-cell, .rl-Grid-gutter'))
      event.preventDefault();
  }

  private handleKeyDown(event: KeyboardEvent): void {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && !event.altKey && event.key.toLowerCase() === 'c') {
      if (!this.selection.range()) return;
      event.preventDefault();
      event.stopPropagation();
      this.copy();
      return;
    }
    if (mod && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      event.stopPropagation();
      if (!this.viewRowCount || !this.columns.length) return;
      this.selection.selectAll(this.viewRowCount, this.columns.length);
      this.updateSelectionClasses();
      return;
    }
    const pageRows = Math.max(
      1,
      Math.floor((this.viewportSize().height - HEADER_HEIGHT) / ROW_HEIGHT) - 1
    );
    const move = keyMove(event.key, pageRows);
    if (!move || !this.viewRowCount || !this.columns.length) return;
    event.preventDefault();
    event.stopPropagation();
    const from = this.selection.focus ?? { row: 0, col: 0 };
    this.select({ row: from.row + move[0], col: from.col + move[1] }, event.shiftKey);
    this.scrollIntoView(this.selection.focus!);
  }

  /** Scrolls a cell (view position) into view. */
  scrollIntoView(cell: Cell): void {
    const { width, height } = this.viewportSize();
    const top = scrollTopFor(
      cell.row,
      this.viewRowCount,
      this.viewport.scrollTop,
      height - HEADER_HEIGHT
    );
    if (top !== undefined) this.viewport.scrollTop = top;
    const left = this.cols.scrollLeftFor(cell.col, this.viewport.scrollLeft, width);
    if (left !== undefined) this.viewport.scrollLeft = left;
    this.render();
  }
}
